/**
 * Summing edges and matching them against selectors. Pure; shared by backends, live merging and graph building.
 * @module
 */
import type { OrientationEvidence } from '../../core/conversation.js';
import type { Edge, EdgeCounters, MapNode } from '../../core/edge.js';
import { EVIDENCE_BY_RANK } from '../../core/evidence.js';
import type { EdgeSelector } from './contracts.js';

/** strongest first; the rank is what backends store */
export const EVIDENCE_ORDER: readonly OrientationEvidence[] = EVIDENCE_BY_RANK;

const RANK = new Map(EVIDENCE_ORDER.map((e, i) => [e, i]));

export function evidenceRank(evidence: OrientationEvidence): number {
  return RANK.get(evidence) ?? EVIDENCE_ORDER.length - 1;
}

export function evidenceOfRank(rank: number): OrientationEvidence {
  return EVIDENCE_ORDER[rank] ?? 'unknown';
}

/** identity of an edge inside a level: client, server, port, protocol */
export function edgeKeyOf(e: { clientId: string; serverId: string; port: number; ipProtocol: number }): string {
  return `${e.clientId}\u0000${e.serverId}\u0000${e.port}\u0000${e.ipProtocol}`;
}

/** a mutable accumulator for one edge; `toEdge` freezes it */
export interface EdgeAccumulator {
  clientId: string;
  serverId: string;
  port: number;
  ipProtocol: number;
  client: MapNode;
  server: MapNode;
  bytesToServer: number;
  bytesToClient: number;
  packetsToServer: number;
  packetsToClient: number;
  connections: number;
  firstSeen: number;
  lastSeen: number;
  evidence: number;
  services: Set<string> | undefined;
}

export function accumulatorOf(
  edge: Omit<Edge, 'evidence' | 'services'> & { evidence: OrientationEvidence; services?: readonly string[] },
): EdgeAccumulator {
  return {
    clientId: edge.clientId,
    serverId: edge.serverId,
    port: edge.port,
    ipProtocol: edge.ipProtocol,
    client: edge.client,
    server: edge.server,
    bytesToServer: edge.bytesToServer,
    bytesToClient: edge.bytesToClient,
    packetsToServer: edge.packetsToServer,
    packetsToClient: edge.packetsToClient,
    connections: edge.connections,
    firstSeen: edge.firstSeen,
    lastSeen: edge.lastSeen,
    evidence: evidenceRank(edge.evidence),
    services: edge.services?.length ? new Set(edge.services) : undefined,
  };
}

/** adds `edge`'s counters into `acc` (same key assumed) */
export function addInto(
  acc: EdgeAccumulator,
  edge: EdgeCounters & { evidence: OrientationEvidence; services?: readonly string[] },
): void {
  acc.bytesToServer += edge.bytesToServer;
  acc.bytesToClient += edge.bytesToClient;
  acc.packetsToServer += edge.packetsToServer;
  acc.packetsToClient += edge.packetsToClient;
  acc.connections += edge.connections;
  if (edge.firstSeen < acc.firstSeen) acc.firstSeen = edge.firstSeen;
  if (edge.lastSeen > acc.lastSeen) acc.lastSeen = edge.lastSeen;
  const rank = evidenceRank(edge.evidence);
  if (rank < acc.evidence) acc.evidence = rank;
  if (edge.services?.length) {
    acc.services ??= new Set();
    for (const s of edge.services) acc.services.add(s);
  }
}

export function toEdge(acc: EdgeAccumulator): Edge {
  const edge: Edge = {
    clientId: acc.clientId,
    serverId: acc.serverId,
    port: acc.port,
    ipProtocol: acc.ipProtocol,
    client: acc.client,
    server: acc.server,
    bytesToServer: acc.bytesToServer,
    bytesToClient: acc.bytesToClient,
    packetsToServer: acc.packetsToServer,
    packetsToClient: acc.packetsToClient,
    connections: acc.connections,
    firstSeen: acc.firstSeen,
    lastSeen: acc.lastSeen,
    evidence: evidenceOfRank(acc.evidence),
  };
  return acc.services?.size ? { ...edge, services: [...acc.services].sort() } : edge;
}

/** sums edges per key; the result is a new array of new objects */
export function sumEdges(groups: Iterable<readonly Edge[]>): Edge[] {
  const byKey = new Map<string, EdgeAccumulator>();
  for (const edges of groups) {
    for (const edge of edges) {
      const key = edgeKeyOf(edge);
      const acc = byKey.get(key);
      if (acc) addInto(acc, edge);
      else byKey.set(key, accumulatorOf(edge));
    }
  }
  return [...byKey.values()].map(toEdge);
}

/** does `node` answer to `ref` (an id, or `namespace:<ns>` for every node of that namespace) */
export function nodeMatches(ref: string, node: MapNode): boolean {
  if (node.id === ref) return true;
  return ref.startsWith('namespace:') && node.namespace !== '' && ref.slice(10) === node.namespace;
}

export function selectorMatches(
  selector: EdgeSelector,
  edge: { client: MapNode; server: MapNode; port: number; ipProtocol: number },
): boolean {
  if (selector.port !== undefined && selector.port !== edge.port) return false;
  if (selector.ipProtocol !== undefined && selector.ipProtocol !== edge.ipProtocol) return false;
  if (selector.client !== undefined && !nodeMatches(selector.client, edge.client)) return false;
  if (selector.server !== undefined && !nodeMatches(selector.server, edge.server)) return false;
  return true;
}

/** true when the selector matches every edge (no join needed) */
export function selectsAll(selector: EdgeSelector): boolean {
  return (
    selector.client === undefined &&
    selector.server === undefined &&
    selector.port === undefined &&
    selector.ipProtocol === undefined
  );
}
