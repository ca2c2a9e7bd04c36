/**
 * The demo's clock: a time-lapse of the recent past, then the system clock. flowmap and the simulated cluster run
 * on the same clock, so replayed history reaches the collector as if it had been live: records arrive when their
 * flows end, buckets close in order, conversations pair within their delays, no record is late.
 * @module
 */
import { type Clock, systemClock } from '../../core/clock.js';

export interface DemoClock {
  readonly clock: Clock;
  /** real ms until the time-lapse reaches the present (0 once it has) */
  remainingMs(): number;
  /** runs `apply` with the clock reading `time` (at most now): a watch event applied at the moment it happened */
  at<T>(time: number, apply: () => T): T;
}

/**
 * Starts `historyMs` before the system clock and runs `speed` times faster until it meets it, then follows it.
 * Monotonic. `speed` 1 or `historyMs` 0: the system clock.
 */
export function createDemoClock(historyMs: number, speed: number, base: Clock = systemClock): DemoClock {
  const t0 = base();
  const lapseMs = speed > 1 ? historyMs / (speed - 1) : 0;
  let override: number | undefined;
  const lapse = (): number => {
    const real = base();
    if (lapseMs === 0 || real - t0 >= lapseMs) return real;
    return t0 - historyMs + (real - t0) * speed;
  };
  return {
    clock: () => override ?? lapse(),
    remainingMs: () => Math.max(0, t0 + lapseMs - base()),
    at(time, apply) {
      override = Math.min(time, lapse());
      try {
        return apply();
      } finally {
        override = undefined;
      }
    },
  };
}
