/**
 * Summing edges into series buckets. Pure; used by the in-memory backend and by live-window merging.
 * @module
 */

import type { SeriesPoint } from '../../contract/responses.js';
import type { EdgeCounters, EdgeWindow } from '../../core/edge.js';
import type { Mutable } from '../../core/mutable.js';
import type { EdgeSelector, StoredLevel, TimeRange } from './contracts.js';
import { selectorMatches } from './edge-math.js';

type MutablePoint = Mutable<SeriesPoint>;

/** sums edge counters into buckets of `step` (aligned to multiples of step) */
export class SeriesAccumulator {
  readonly #points = new Map<number, MutablePoint>();
  constructor(readonly step: number) {}

  add(bucket: number, edge: EdgeCounters): void {
    const t = Math.floor(bucket / this.step) * this.step;
    let p = this.#points.get(t);
    if (!p) {
      p = { t, bytesToServer: 0, bytesToClient: 0, packetsToServer: 0, packetsToClient: 0, connections: 0 };
      this.#points.set(t, p);
    }
    p.bytesToServer += edge.bytesToServer;
    p.bytesToClient += edge.bytesToClient;
    p.packetsToServer += edge.packetsToServer;
    p.packetsToClient += edge.packetsToClient;
    p.connections += edge.connections;
  }

  addPoint(point: SeriesPoint): void {
    const p = this.#points.get(point.t);
    if (!p) {
      this.#points.set(point.t, Object.assign({}, point)); // not a spread: copies share a hidden class
      return;
    }
    p.bytesToServer += point.bytesToServer;
    p.bytesToClient += point.bytesToClient;
    p.packetsToServer += point.packetsToServer;
    p.packetsToClient += point.packetsToClient;
    p.connections += point.connections;
  }

  points(): SeriesPoint[] {
    return [...this.#points.values()].sort((a, b) => a.t - b.t);
  }
}

export function inRange(t: number, range: TimeRange): boolean {
  return t >= range.from && t < range.to;
}

/** one series per selector over the windows of `level` whose start lies in the range */
export function seriesFromWindows(
  windows: Iterable<EdgeWindow>,
  query: TimeRange & { level: StoredLevel; step: number; selectors: readonly EdgeSelector[] },
): SeriesPoint[][] {
  const accs = query.selectors.map(() => new SeriesAccumulator(query.step));
  for (const w of windows) {
    if (w.level !== query.level || !inRange(w.start, query)) continue;
    for (const edge of w.edges) {
      for (let i = 0; i < query.selectors.length; i++) {
        if (selectorMatches(query.selectors[i]!, edge)) accs[i]!.add(w.start, edge);
      }
    }
  }
  return accs.map((a) => a.points());
}

/** sums series position by position (all inputs have one series per selector) */
export function mergeSeries(step: number, inputs: readonly (readonly (readonly SeriesPoint[])[])[]): SeriesPoint[][] {
  const count = inputs[0]?.length ?? 0;
  const out: SeriesPoint[][] = [];
  for (let i = 0; i < count; i++) {
    const acc = new SeriesAccumulator(step);
    for (const input of inputs) for (const p of input[i] ?? []) acc.addPoint(p);
    out.push(acc.points());
  }
  return out;
}
