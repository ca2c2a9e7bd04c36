/**
 * Summing edges: across time buckets (a range of EdgeWindows) or duplicates within one. Pure functions.
 * @module
 */
import type { Edge, EdgeKey, EdgeWindow, GroupLevel } from '../core/edge.js';
import { ipProtocolName } from '../core/flow.js';
import { sumEdges } from './edge-sum.js';

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

/** sums edges with the same key (see sumEdges); returns new objects in `compareEdges` order */
export function mergeEdges(edges: Iterable<Edge>): Edge[] {
  return sumEdges([edges]).sort(compareEdges);
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
