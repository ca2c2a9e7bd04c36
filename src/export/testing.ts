/**
 * A small realistic map for the renderer tests: workloads in three namespaces, a node, externals, an unknown
 * address, an unmerged Service, ICMP, and names that need quoting.
 */
import type { OrientationEvidence } from '../core/conversation.js';
import type { Edge } from '../core/edge.js';
import type { Endpoint } from '../core/endpoint.js';
import { parseIp } from '../core/ip.js';
import { mapNodeOf } from '../core/map-node.js';

const workload = (namespace: string, kind: string, name: string): Endpoint => ({
  kind: 'pod',
  namespace,
  name: `${name}-0`,
  workload: { kind, namespace, name },
});

export const ENDPOINTS = {
  frontend: workload('shop', 'Deployment', 'frontend'),
  cart: workload('shop', 'Deployment', 'cart'),
  redis: workload('db', 'StatefulSet', 'redis'),
  coredns: workload('kube-system', 'Deployment', 'coredns'),
  yes: workload('shop', 'CronJob', 'yes'),
  worker: { kind: 'node', name: 'worker-1' } as Endpoint,
  legacy: { kind: 'service', namespace: 'shop', name: 'legacy-svc' } as Endpoint,
  google: { kind: 'external', external: { asn: 15169, org: 'Example "Quoted" Org, Inc.' } } as Endpoint,
  vpn: { kind: 'external', external: { label: 'corp-vpn' } } as Endpoint,
  unknown: { kind: 'unknown' } as Endpoint,
};

let time = Date.UTC(2024, 4, 1, 12, 0, 0);

function edge(
  client: Endpoint,
  clientIp: string,
  server: Endpoint,
  serverIp: string,
  port: number,
  ipProtocol: number,
  bytes: number,
  connections: number,
  evidence: OrientationEvidence = 'tcp-handshake',
  services?: string[],
): Edge {
  const c = mapNodeOf(client, parseIp(clientIp)!, 'workload');
  const s = mapNodeOf(server, parseIp(serverIp)!, 'workload');
  time += 1_001;
  const e: Edge = {
    clientId: c.id,
    serverId: s.id,
    port,
    ipProtocol,
    client: c,
    server: s,
    bytesToServer: Math.round(bytes / 10),
    bytesToClient: bytes - Math.round(bytes / 10),
    packetsToServer: connections * 5,
    packetsToClient: connections * 7,
    connections,
    firstSeen: time,
    lastSeen: time + 59_999,
    evidence,
  };
  return services ? { ...e, services } : e;
}

const E = ENDPOINTS;
export const EDGES: readonly Edge[] = [
  edge(E.frontend, '10.0.1.5', E.cart, '10.0.2.7', 7070, 6, 1_234_567, 42, 'tcp-handshake', ['shop/cartservice']),
  edge(E.frontend, '10.0.1.5', E.redis, '10.0.3.3', 6379, 6, 80_000, 3, 'container-port'),
  edge(E.frontend, '10.0.1.5', E.coredns, '10.0.9.2', 53, 17, 900, 6, 'flow-pairing'),
  edge(E.frontend, '10.0.1.5', E.unknown, '203.0.113.9', 443, 6, 5_000, 1, 'port-heuristic'),
  edge(E.frontend, '10.0.1.5', E.google, '142.250.1.1', 443, 6, 7_000, 2, 'port-heuristic'),
  edge(E.frontend, '10.0.1.5', E.legacy, '10.96.7.7', 80, 6, 700, 1, 'service-port'),
  edge(E.frontend, '10.0.1.5', E.cart, '10.0.2.7', 0, 1, 84, 1, 'unknown'),
  edge(E.worker, '10.0.0.11', E.cart, '10.0.2.7', 7070, 6, 2_000, 12, 'container-port'),
  edge(E.vpn, '192.168.7.7', E.frontend, '10.0.1.5', 8080, 6, 3_000_000_000, 1_000, 'biflow'),
  edge(E.unknown, '198.51.100.7', E.frontend, '10.0.1.5', 8080, 6, 999, 1, 'port-heuristic'),
  edge(E.yes, '10.0.1.9', E.cart, '10.0.2.7', 7070, 6, 10, 1, 'tcp-handshake'),
];
