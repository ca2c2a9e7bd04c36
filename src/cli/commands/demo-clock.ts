/**
 * The clock flowmap runs on in the demo: the simulation's own time while it replays its warm-up history (as fast as
 * it can), then the system clock. Records of the past then reach the collector as if they had been live: buckets
 * close in order, conversations pair within their delays, no record is late, and a pod deleted in the past stops
 * owning its IP when it was deleted.
 * @module
 */
import { type Clock, systemClock } from '../../core/clock.js';

export interface DemoClock {
  readonly clock: Clock;
  /** the replay reached the present: follow the system clock from now on */
  live(): void;
  /** runs `apply` with the clock reading `time` (never ahead of itself): a watch event applied when it happened */
  at<T>(time: number, apply: () => T): T;
}

/** `simulated`: how far the simulation has got (never ahead of the system clock for long). Monotonic. */
export function createDemoClock(simulated: Clock, base: Clock = systemClock): DemoClock {
  let replaying = true;
  let last = Number.NEGATIVE_INFINITY;
  let override: number | undefined;
  const current = () => {
    const t = replaying ? Math.min(base(), simulated()) : base();
    if (t > last) last = t;
    return last;
  };
  return {
    clock: () => override ?? current(),
    live() {
      replaying = false;
    },
    at(time, apply) {
      override = Math.min(time, current());
      try {
        return apply();
      } finally {
        override = undefined;
      }
    },
  };
}
