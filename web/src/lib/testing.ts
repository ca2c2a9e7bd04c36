/**
 * Small hand-made GraphResponses for the UI's unit tests.
 * @module
 */
import type { GraphEdge, GraphNode, GraphResponse } from '../../../src/contract/responses.js';
import type { MapNode } from '../../../src/core/edge.js';

const ZERO = { bytesIn: 0, bytesOut: 0, packetsIn: 0, packetsOut: 0, connectionsIn: 0, connectionsOut: 0 };

export function workload(ns: string, name: string, kind = 'Deployment'): GraphNode {
  return {
    id: `workload:${ns}/${kind}/${name}`,
    kind: 'workload',
    namespace: ns,
    name,
    workloadKind: kind,
    group: `namespace:${ns}`,
    totals: ZERO,
  };
}

export function externalNode(name: string, extra: Partial<MapNode> = {}): GraphNode {
  return {
    id: `external:${name}`,
    kind: 'external',
    namespace: '',
    name,
    workloadKind: '',
    group: 'external',
    totals: ZERO,
    ...extra,
  };
}

export function clusterNode(name: string): GraphNode {
  return {
    id: `node:${name}`,
    kind: 'node',
    namespace: '',
    name,
    workloadKind: 'Node',
    group: 'cluster',
    totals: ZERO,
  };
}

export function edge(
  source: GraphNode,
  target: GraphNode,
  port: number,
  bytes: number,
  more: Partial<GraphEdge> = {},
): GraphEdge {
  const protocol = more.protocol ?? 'TCP';
  return {
    id: `${source.id}->${target.id}:${port}/${protocol}`,
    source: source.id,
    target: target.id,
    port,
    ipProtocol: protocol === 'UDP' ? 17 : 6,
    protocol,
    bytesToServer: bytes,
    bytesToClient: bytes * 2,
    packetsToServer: bytes / 100,
    packetsToClient: bytes / 50,
    connections: 10,
    firstSeen: 1_000,
    lastSeen: 50_000,
    evidence: 'tcp-handshake',
    ...more,
  };
}

/** shop (frontend, cart, checkout), data (postgres), a node and an external; 60 s range */
export function sampleGraph(): GraphResponse {
  const frontend = workload('shop', 'frontend');
  const cart = workload('shop', 'cart');
  const checkout = workload('shop', 'checkout');
  const postgres = workload('data', 'postgres', 'StatefulSet');
  const worker = clusterNode('worker-1');
  const stripe = externalNode('stripe-api', { label: 'stripe-api' });
  return {
    from: 0,
    to: 60_000,
    level: 'workload',
    truncated: false,
    nodes: [frontend, cart, checkout, postgres, worker, stripe],
    edges: [
      edge(worker, frontend, 8080, 6_000),
      edge(frontend, cart, 7070, 3_000, { services: ['shop/cart'] }),
      edge(frontend, cart, 9090, 600),
      edge(frontend, checkout, 5050, 1_200),
      edge(checkout, postgres, 5432, 2_400, { evidence: 'biflow' }),
      edge(cart, postgres, 5432, 1_800),
      edge(checkout, stripe, 443, 300),
    ],
  };
}
