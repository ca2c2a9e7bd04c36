/**
 * What the detail panel shows for a node or a group of nodes (an island), computed from the visible edges:
 * traffic received and sent, connections accepted and opened, ports served and called, peers, first/last seen.
 * @module
 */
import type { GraphEdge, GraphResponse } from '../../../src/contract/responses.js';
import { portLabel } from './format.js';

export interface Peer {
  readonly id: string;
  /** bytes both directions */
  readonly bytes: number;
  readonly ports: readonly string[];
}

export interface NodeDetails {
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly packetsIn: number;
  readonly packetsOut: number;
  /** connections it accepted as a server / opened as a client */
  readonly connectionsIn: number;
  readonly connectionsOut: number;
  readonly servedPorts: readonly string[];
  readonly calledPorts: readonly string[];
  /** who called it, biggest first */
  readonly clients: readonly Peer[];
  /** whom it called, biggest first */
  readonly servers: readonly Peer[];
  readonly services: readonly string[];
  readonly firstSeen: number | undefined;
  readonly lastSeen: number | undefined;
  /** edges with both ends inside (islands only) */
  readonly internalEdges: number;
}

interface PeerAcc {
  bytes: number;
  ports: Set<string>;
}

function addPeer(map: Map<string, PeerAcc>, id: string, e: GraphEdge): void {
  const acc = map.get(id) ?? { bytes: 0, ports: new Set<string>() };
  acc.bytes += e.bytesToServer + e.bytesToClient;
  acc.ports.add(portLabel(e.port, e.protocol));
  map.set(id, acc);
}

const sortedPeers = (map: Map<string, PeerAcc>): Peer[] =>
  [...map]
    .map(([id, p]) => ({ id, bytes: p.bytes, ports: [...p.ports].sort() }))
    .sort((a, b) => b.bytes - a.bytes || a.id.localeCompare(b.id));

/** traffic of the node set `ids` with everything outside it (one id for a node, the members for an island) */
export function detailsOf(graph: GraphResponse, ids: ReadonlySet<string>): NodeDetails {
  let bytesIn = 0;
  let bytesOut = 0;
  let packetsIn = 0;
  let packetsOut = 0;
  let connectionsIn = 0;
  let connectionsOut = 0;
  let firstSeen: number | undefined;
  let lastSeen: number | undefined;
  let internalEdges = 0;
  const served = new Set<string>();
  const called = new Set<string>();
  const services = new Set<string>();
  const clients = new Map<string, PeerAcc>();
  const servers = new Map<string, PeerAcc>();
  for (const e of graph.edges) {
    const isServer = ids.has(e.target);
    const isClient = ids.has(e.source);
    if (!isServer && !isClient) continue;
    if (isServer && isClient) {
      internalEdges++;
      continue;
    }
    firstSeen = firstSeen === undefined ? e.firstSeen : Math.min(firstSeen, e.firstSeen);
    lastSeen = lastSeen === undefined ? e.lastSeen : Math.max(lastSeen, e.lastSeen);
    if (isServer) {
      bytesIn += e.bytesToServer;
      bytesOut += e.bytesToClient;
      packetsIn += e.packetsToServer;
      packetsOut += e.packetsToClient;
      connectionsIn += e.connections;
      served.add(portLabel(e.port, e.protocol));
      for (const s of e.services ?? []) services.add(s);
      addPeer(clients, e.source, e);
    } else {
      bytesIn += e.bytesToClient;
      bytesOut += e.bytesToServer;
      packetsIn += e.packetsToClient;
      packetsOut += e.packetsToServer;
      connectionsOut += e.connections;
      called.add(portLabel(e.port, e.protocol));
      addPeer(servers, e.target, e);
    }
  }
  return {
    bytesIn,
    bytesOut,
    packetsIn,
    packetsOut,
    connectionsIn,
    connectionsOut,
    servedPorts: [...served].sort(),
    calledPorts: [...called].sort(),
    clients: sortedPeers(clients),
    servers: sortedPeers(servers),
    services: [...services].sort(),
    firstSeen,
    lastSeen,
    internalEdges,
  };
}
