import { describe, expect, it } from 'vitest';
import { chartPoints } from './series.js';

const MIN = 60_000;
const pts = (values: number[], start = 0) => values.map((v, i) => ({ t: start + i * MIN, v }));

describe('chartPoints()', () => {
  it('drops a bucket that ends after the range', () => {
    expect(chartPoints(pts([1, 2, 3]), { to: 2.5 * MIN, step: MIN }, false, (p) => p.v).map((p) => p.v)).toEqual([
      1, 2,
    ]);
  });

  it('in live mode drops trailing empty buckets of the last minutes, not older silence', () => {
    const series = pts([5, 0, 0, 4, 0, 0]);
    const range = { to: 6 * MIN, step: MIN };
    expect(chartPoints(series, range, true, (p) => p.v).map((p) => p.v)).toEqual([5, 0, 0, 4]);
    expect(chartPoints(series, range, false, (p) => p.v).map((p) => p.v)).toEqual([5, 0, 0, 4, 0, 0]);
    const quietLong = pts([5, 0, 0, 0, 0, 0, 0]);
    expect(chartPoints(quietLong, { to: 7 * MIN, step: MIN }, true, (p) => p.v)).toHaveLength(4);
  });
});
