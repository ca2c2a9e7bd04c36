import type { Clock } from '../core/clock.js';

/** per-second rate of a growing counter, averaged over the last observation interval (at least 1 s) */
export function createRateMeter(clock: Clock) {
  let lastValue: number | undefined;
  let lastAt = 0;
  let rate = 0;
  return {
    observe(value: number): void {
      const now = clock();
      if (lastValue === undefined) {
        lastValue = value;
        lastAt = now;
        return;
      }
      if (now - lastAt < 1_000) return;
      rate = ((value - lastValue) * 1_000) / (now - lastAt);
      lastValue = value;
      lastAt = now;
    },
    rate: () => rate,
  };
}
