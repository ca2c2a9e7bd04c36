/**
 * A sliding-window rate: counts added at times, rate over the last `windowMs`.
 * @module
 */

export interface RateMeter {
  add(now: number, count: number): void;
  /** per second over the window ending at `now` */
  rate(now: number): number;
}

export function createRateMeter(windowMs: number): RateMeter {
  const times: number[] = [];
  const counts: number[] = [];
  let first = -1;
  const trim = (now: number) => {
    while (times.length > 0 && times[0]! <= now - windowMs) {
      times.shift();
      counts.shift();
    }
  };
  return {
    add(now, count) {
      if (first < 0) first = now;
      times.push(now);
      counts.push(count);
      trim(now);
    },
    rate(now) {
      trim(now);
      if (first < 0) return 0;
      let sum = 0;
      for (const c of counts) sum += c;
      const span = Math.min(windowMs, Math.max(now - first, 1));
      return (sum * 1000) / span;
    },
  };
}
