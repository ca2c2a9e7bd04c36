/**
 * Summing edges of one key (client id, server id, port, protocol): counters add up, firstSeen is the earliest,
 * lastSeen the latest, evidence the strongest, services the union (sorted). Nodes come from the first edge of a
 * key. Pure; shared by the aggregator's range merges, the stores and the live answers.
 * @module
 */
import type { OrientationEvidence } from '../core/conversation.js';
import { type Edge, type EdgeCounters, type MapNode, withServices } from '../core/edge.js';
import { EVIDENCE_BY_RANK, EVIDENCE_RANK } from '../core/evidence.js';

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
    evidence: EVIDENCE_RANK[edge.evidence],
    services: edge.services?.length ? new Set(edge.services) : undefined,
  };
}

/**
 * Adds counts seen between `firstSeen` and `lastSeen` with evidence `evidence` into `acc`: what every sum of an edge
 * does, whether it adds an edge (addInto) or one oriented flow (the aggregator).
 */
export function addCounts(
  acc: EdgeAccumulator,
  counts: Omit<EdgeCounters, 'firstSeen' | 'lastSeen'>,
  firstSeen: number,
  lastSeen: number,
  evidence: OrientationEvidence,
): void {
  acc.bytesToServer += counts.bytesToServer;
  acc.bytesToClient += counts.bytesToClient;
  acc.packetsToServer += counts.packetsToServer;
  acc.packetsToClient += counts.packetsToClient;
  acc.connections += counts.connections;
  if (firstSeen < acc.firstSeen) acc.firstSeen = firstSeen;
  if (lastSeen > acc.lastSeen) acc.lastSeen = lastSeen;
  const rank = EVIDENCE_RANK[evidence];
  if (rank < acc.evidence) acc.evidence = rank;
}

/** adds `edge`'s counters into `acc` (same key assumed) */
export function addInto(
  acc: EdgeAccumulator,
  edge: EdgeCounters & { evidence: OrientationEvidence; services?: readonly string[] },
): void {
  addCounts(acc, edge, edge.firstSeen, edge.lastSeen, edge.evidence);
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
    evidence: EVIDENCE_BY_RANK[acc.evidence]!,
  };
  return withServices(edge, acc.services?.size ? [...acc.services].sort() : undefined);
}

/** sums edges per key; the result is a new array of new objects */
export function sumEdges(groups: Iterable<Iterable<Edge>>): Edge[] {
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
