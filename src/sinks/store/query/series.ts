/**
 * Sparse source series → dense response points.
 * @module
 */
import type { NodeSeriesPoint, SeriesPoint } from '../../../contract/responses.js';
import type { TimeRange } from '../contracts.js';

const zero = (t: number): SeriesPoint => ({
  t,
  bytesToServer: 0,
  bytesToClient: 0,
  packetsToServer: 0,
  packetsToClient: 0,
  connections: 0,
});

/** one point per step over the aligned range, zeros where the source had nothing */
export function densify(points: readonly SeriesPoint[], range: TimeRange, step: number): SeriesPoint[] {
  const byT = new Map(points.map((p) => [p.t, p]));
  const out: SeriesPoint[] = [];
  for (let t = range.from; t < range.to; t += step) out.push(byT.get(t) ?? zero(t));
  return out;
}

/** a node's series from the edges it serves (`asServer`) and the edges it calls (`asClient`) */
export function inOut(
  asServer: readonly SeriesPoint[],
  asClient: readonly SeriesPoint[],
  range: TimeRange,
  step: number,
): NodeSeriesPoint[] {
  const srv = densify(asServer, range, step);
  const cli = densify(asClient, range, step);
  return srv.map((s, i) => {
    const c = cli[i]!;
    return {
      t: s.t,
      bytesIn: s.bytesToServer + c.bytesToClient,
      bytesOut: s.bytesToClient + c.bytesToServer,
      packetsIn: s.packetsToServer + c.packetsToClient,
      packetsOut: s.packetsToClient + c.packetsToServer,
      connectionsIn: s.connections,
      connectionsOut: c.connections,
    };
  });
}
