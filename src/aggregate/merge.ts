/**
 * Summing edges: across time buckets (a range of EdgeWindows) or duplicates within one. Pure functions.
 * @module
 */
import type { Edge, EdgeKey, EdgeWindow, GroupLevel } from '../core/edge.js';
import { ipProtocolName } from '../core/flow.js';
import { EVIDENCE_RANK } from '../orient/index.js';

/** `${clientId}->${serverId}:${port}/${protocol}`, the edge id the API uses (protocol by name: TCP, UDP, ...) */
export function edgeId(key: EdgeKey): string {
  return `${key.clientId}->${key.serverId}:${key.port}/${ipProtocolName(key.ipProtocol)}`;
}

/** edges in a stable order: client id, server id, port, protocol */
export function compareEdges(a: EdgeKey, b: EdgeKey): number {
  if (a.clientId !== b.clientId) return a.clientId < b.clientId ? -1 : 1;
  if (a.serverId !== b.serverId) return a.serverId < b.serverId ? -1 : 1;
  return a.port - b.port || a.ipProtocol - b.ipProtocol;
}

type Sum = { -readonly [K in keyof Edge]: Edge[K] };

/**
 * Sums edges with the same key (client id, server id, port, protocol): counters add up, firstSeen is the earliest,
 * lastSeen the latest, evidence the strongest, services the union. Nodes come from the first edge of a key.
 * Returns new objects in `compareEdges` order; never mutates its input.
 */
export function mergeEdges(edges: Iterable<Edge>): Edge[] {
  const byKey = new Map<string, Sum>();
  for (const e of edges) {
    const key = `${e.clientId}\u0000${e.serverId}\u0000${e.port}\u0000${e.ipProtocol}`;
    const sum = byKey.get(key);
    if (sum === undefined) {
      byKey.set(key, { ...e, ...(e.services ? { services: [...e.services] } : {}) });
      continue;
    }
    sum.bytesToServer += e.bytesToServer;
    sum.bytesToClient += e.bytesToClient;
    sum.packetsToServer += e.packetsToServer;
    sum.packetsToClient += e.packetsToClient;
    sum.connections += e.connections;
    if (e.firstSeen < sum.firstSeen) sum.firstSeen = e.firstSeen;
    if (e.lastSeen > sum.lastSeen) sum.lastSeen = e.lastSeen;
    if (EVIDENCE_RANK[e.evidence] < EVIDENCE_RANK[sum.evidence]) sum.evidence = e.evidence;
    if (e.services) sum.services = [...new Set([...(sum.services ?? []), ...e.services])].sort();
  }
  return [...byKey.values()].sort(compareEdges);
}

export interface WindowRange {
  /** keep windows starting at or after this (epoch ms) */
  readonly from?: number;
  /** keep windows starting before this (epoch ms) */
  readonly to?: number;
  /** keep windows of this level; default 'workload' */
  readonly level?: GroupLevel;
}

/** sums the edges of the windows of one level whose start lies in [from, to) into one Edge[] */
export function mergeWindows(windows: readonly EdgeWindow[], range: WindowRange = {}): Edge[] {
  const level = range.level ?? 'workload';
  const from = range.from ?? Number.NEGATIVE_INFINITY;
  const to = range.to ?? Number.POSITIVE_INFINITY;
  const picked = windows.filter((w) => w.level === level && w.start >= from && w.start < to);
  return mergeEdges(picked.flatMap((w) => w.edges));
}
