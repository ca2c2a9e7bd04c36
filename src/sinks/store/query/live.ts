/**
 * Merges the still-open buckets (the aggregator's live windows) into a source's answers, so a range that reaches
 * "now" includes the current minute before it is persisted.
 * @module
 */

import { sumEdges } from '../../../aggregate/index.js';
import type { EdgeWindow } from '../../../core/edge.js';
import type { EdgeSource } from '../contracts.js';
import { inRange, mergeSeries, seriesFromWindows } from '../series-math.js';

/** `live` returns the open windows (any level); it is called once per query and must be cheap */
export function withLive(source: EdgeSource, live: () => readonly EdgeWindow[]): EdgeSource {
  return {
    async edges(query) {
      const windows = live().filter((w) => w.level === query.level && inRange(w.start, query));
      const stored = await source.edges(query);
      if (windows.length === 0) return stored;
      return sumEdges([stored, ...windows.map((w) => w.edges)]);
    },
    async series(query) {
      const windows = live();
      const stored = await source.series(query);
      if (windows.length === 0) return stored;
      return mergeSeries(query.step, [stored, seriesFromWindows(windows, query)]);
    },
    async bounds() {
      const b = await source.bounds();
      let earliest = b.earliest;
      for (const w of live()) if (w.edges.length > 0 && (earliest === null || w.start < earliest)) earliest = w.start;
      return { ...b, earliest };
    },
  };
}
