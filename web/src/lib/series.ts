/**
 * Which points of a series answer the chart shows.
 * @module
 */

/** how far back from the end of a live range empty buckets are taken as "not written yet" rather than silence */
const UNSETTLED_MS = 3 * 60_000;

/**
 * Drops a bucket that ends after the range (partial), and in live mode the empty buckets at the end of the last
 * few minutes: windows reach the store only after they close, so the newest minutes read as zero though traffic
 * goes on. Keeps at least one point.
 */
export function chartPoints<T extends { readonly t: number }>(
  points: readonly T[],
  range: { readonly to: number; readonly step: number },
  live: boolean,
  value: (p: T) => number,
): T[] {
  const out = points.filter((p) => p.t + range.step <= range.to + 1000);
  if (live) {
    while (out.length > 1) {
      const last = out[out.length - 1]!;
      if (value(last) !== 0 || last.t + range.step <= range.to - UNSETTLED_MS) break;
      out.pop();
    }
  }
  return out.length > 0 ? out : points.slice(0, 1);
}
