/**
 * Edges → the response shapes of src/contract (GraphNode with totals, GraphEdge with its id).
 * @module
 */

import { edgeId } from '../../../aggregate/index.js';
import type { GraphEdge, GraphNode, NodeTotals } from '../../../contract/responses.js';
import { type Edge, type MapNode, withServices } from '../../../core/edge.js';
import { ipProtocolName } from '../../../core/flow.js';
import type { Mutable } from '../../../core/mutable.js';
import { groupOf } from './grouping.js';

type MutableTotals = Mutable<NodeTotals>;

const zeroTotals = (): MutableTotals => ({
  bytesIn: 0,
  bytesOut: 0,
  packetsIn: 0,
  packetsOut: 0,
  connectionsIn: 0,
  connectionsOut: 0,
});

/** every node the edges touch, with its traffic summed over them; sorted by id */
export function graphNodes(edges: readonly Edge[]): GraphNode[] {
  const nodes = new Map<string, { node: MapNode; totals: MutableTotals }>();
  const totalsOf = (node: MapNode) => {
    let entry = nodes.get(node.id);
    if (!entry) {
      entry = { node, totals: zeroTotals() };
      nodes.set(node.id, entry);
    }
    return entry.totals;
  };
  for (const e of edges) {
    const s = totalsOf(e.server);
    s.bytesIn += e.bytesToServer;
    s.bytesOut += e.bytesToClient;
    s.packetsIn += e.packetsToServer;
    s.packetsOut += e.packetsToClient;
    s.connectionsIn += e.connections;
    const c = totalsOf(e.client);
    c.bytesOut += e.bytesToServer;
    c.bytesIn += e.bytesToClient;
    c.packetsOut += e.packetsToServer;
    c.packetsIn += e.packetsToClient;
    c.connectionsOut += e.connections;
  }
  return [...nodes.values()]
    .map(({ node, totals }) => Object.assign({}, node, { group: groupOf(node), totals })) // shared hidden class
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function graphEdge(e: Edge): GraphEdge {
  const edge: GraphEdge = {
    id: edgeId(e),
    source: e.clientId,
    target: e.serverId,
    port: e.port,
    ipProtocol: e.ipProtocol,
    protocol: ipProtocolName(e.ipProtocol),
    bytesToServer: e.bytesToServer,
    bytesToClient: e.bytesToClient,
    packetsToServer: e.packetsToServer,
    packetsToClient: e.packetsToClient,
    connections: e.connections,
    firstSeen: e.firstSeen,
    lastSeen: e.lastSeen,
    evidence: e.evidence,
  };
  return withServices(edge, e.services);
}

/** graph edges sorted by id */
export function graphEdges(edges: readonly Edge[]): GraphEdge[] {
  return edges.map(graphEdge).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
