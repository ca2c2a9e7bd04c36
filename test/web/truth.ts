/**
 * What the map should show, computed straight from the EdgeWindows the API serves (not from the UI's code).
 * @module
 */
import type { Edge, EdgeWindow, GroupLevel } from '../../src/core/edge.js';

/** edges of `level` summed over the windows that start in [from, to) */
export function edgesIn(windows: readonly EdgeWindow[], level: GroupLevel, from: number, to: number): Edge[] {
  const sums = new Map<string, Edge>();
  for (const w of windows) {
    if (w.level !== level || w.start < from || w.start >= to) continue;
    for (const e of w.edges) {
      const key = `${e.clientId}|${e.serverId}|${e.port}|${e.ipProtocol}`;
      const s = sums.get(key);
      sums.set(
        key,
        s
          ? {
              ...s,
              bytesToServer: s.bytesToServer + e.bytesToServer,
              bytesToClient: s.bytesToClient + e.bytesToClient,
              packetsToServer: s.packetsToServer + e.packetsToServer,
              packetsToClient: s.packetsToClient + e.packetsToClient,
              connections: s.connections + e.connections,
            }
          : e,
      );
    }
  }
  return [...sums.values()];
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
