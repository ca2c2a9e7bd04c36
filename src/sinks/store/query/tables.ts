/**
 * The namespace flow matrix and the external-endpoints table, from level edges.
 * @module
 */

import type { ExternalEndpoint, MatrixRow } from '../../../contract/responses.js';
import type { Edge, MapNode } from '../../../core/edge.js';
import { ipProtocolName } from '../../../core/flow.js';
import { edgeBytes } from './filters.js';

function row(local: MapNode, peer: MapNode, e: Edge): MatrixRow {
  return {
    local,
    peer,
    port: e.port,
    protocol: ipProtocolName(e.ipProtocol),
    bytes: edgeBytes(e),
    packets: e.packetsToServer + e.packetsToClient,
    connections: e.connections,
    lastSeen: e.lastSeen,
  };
}

const byBytesDesc = (a: MatrixRow, b: MatrixRow) => b.bytes - a.bytes || a.port - b.port;

/**
 * incoming: edges whose server is in the namespace (local = server, with its port); outgoing: edges whose client
 * is. Calls inside the namespace appear in both, once from each side.
 */
export function matrixOf(edges: readonly Edge[], namespace: string): { incoming: MatrixRow[]; outgoing: MatrixRow[] } {
  const incoming: MatrixRow[] = [];
  const outgoing: MatrixRow[] = [];
  for (const e of edges) {
    if (e.server.namespace === namespace) incoming.push(row(e.server, e.client, e));
    if (e.client.namespace === namespace) outgoing.push(row(e.client, e.server, e));
  }
  return { incoming: incoming.sort(byBytesDesc), outgoing: outgoing.sort(byBytesDesc) };
}

const OUTSIDE = new Set<MapNode['kind']>(['external', 'unknown']);

interface Accumulated {
  node: MapNode;
  bytesIn: number;
  bytesOut: number;
  connections: number;
  peers: Set<string>;
  firstSeen: number;
  lastSeen: number;
}

/** endpoints outside the cluster (external by CIDR label/ASN, and unknown addresses), busiest first */
export function externalsOf(edges: readonly Edge[]): ExternalEndpoint[] {
  const byId = new Map<string, Accumulated>();
  const touch = (node: MapNode, peer: MapNode, e: Edge, bytesIn: number, bytesOut: number) => {
    if (!OUTSIDE.has(node.kind)) return;
    let a = byId.get(node.id);
    if (!a) {
      a = {
        node,
        bytesIn: 0,
        bytesOut: 0,
        connections: 0,
        peers: new Set(),
        firstSeen: e.firstSeen,
        lastSeen: e.lastSeen,
      };
      byId.set(node.id, a);
    }
    a.bytesIn += bytesIn;
    a.bytesOut += bytesOut;
    a.connections += e.connections;
    a.peers.add(peer.id);
    a.firstSeen = Math.min(a.firstSeen, e.firstSeen);
    a.lastSeen = Math.max(a.lastSeen, e.lastSeen);
  };
  for (const e of edges) {
    touch(e.server, e.client, e, e.bytesToServer, e.bytesToClient);
    touch(e.client, e.server, e, e.bytesToClient, e.bytesToServer);
  }
  return [...byId.values()]
    .map((a) => Object.assign({}, a, { peers: [...a.peers].sort() })) // not a spread: rows share a hidden class
    .sort((x, y) => y.bytesIn + y.bytesOut - (x.bytesIn + x.bytesOut) || (x.node.id < y.node.id ? -1 : 1));
}
