/**
 * What the map should show, computed straight from the EdgeWindows the API serves (not from the UI's code).
 * @module
 */
import { sumEdges } from '../../src/aggregate/edge-sum.js';
import type { Edge, EdgeWindow, GroupLevel } from '../../src/core/edge.js';

/** edges of `level` summed over the windows that start in [from, to) (edge-sum's rules, as the API sums them) */
export function edgesIn(windows: readonly EdgeWindow[], level: GroupLevel, from: number, to: number): Edge[] {
  return sumEdges(windows.filter((w) => w.level === level && w.start >= from && w.start < to).map((w) => w.edges));
}

/** the drawn edge ids ("client->server") and node ids of a set of edges */
export function drawnOf(edges: readonly Edge[]): { nodes: string[]; edges: string[] } {
  const nodes = new Set<string>();
  const pairs = new Set<string>();
  for (const e of edges) {
    nodes.add(e.clientId);
    nodes.add(e.serverId);
    if (e.clientId !== e.serverId) pairs.add(`${e.clientId}->${e.serverId}`);
  }
  return { nodes: [...nodes].sort(), edges: [...pairs].sort() };
}
