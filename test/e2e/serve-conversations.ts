/**
 * The conversations of the serve-* end-to-end tests, between the pods of serve-cluster.ts: handshakes, mid-stream
 * starts, client ports below server ports, DNS by pod IP and ClusterIP, host network, a node as client, externals,
 * a long connection exported in two records.
 * @module
 */
import type { ServeCluster } from './serve-cluster.js';

export interface ConversationSpec {
  readonly label: string;
  readonly client: string;
  readonly clientPort: number;
  /** the address that really serves (after DNAT) */
  readonly server: string;
  readonly serverPort: number;
  /** the Service ClusterIP the client dialled; its node's exporter sees this address, the server's node the pod */
  readonly via?: { readonly ip: string; readonly port: number };
  readonly protocol: 'tcp' | 'udp';
  /** request/response payload sizes; UDP: one datagram each way per exchange */
  readonly exchanges: readonly { readonly request: number; readonly response: number }[];
  /** leave the first N packets out of every capture (a connection that started before the capture) */
  readonly midStream?: number;
  /**
   * a long connection the exporters report in two records, as at an active timeout: the packets from this index on
   * are exported by a second softflowd run of each node, from the same exporter port
   */
  readonly splitAt?: number;
  readonly close?: 'fin' | 'rst' | 'none';
  /** ms after the scenario's start */
  readonly at: number;
}

/** the conversations: handshakes, mid-stream starts, a low client port, DNS, host network, node, externals */
export function conversations(c: ServeCluster): ConversationSpec[] {
  const lg = c.podIp('loadgenerator');
  const frontend = c.podIp('frontend');
  const checkout = c.podIp('checkout');
  const cart = c.podIp('cart');
  const payment = c.podIp('payment');
  const dns = c.podIp('coredns');
  const prom = c.podIp('prometheus');
  const redis = c.podIp('redis-cart');
  const worker2 = '10.0.0.12';
  const frontendSvc = { ip: '10.96.10.10', port: 80 };
  const kubeDns = { ip: '10.96.0.10', port: 53 };
  const tcp = 'tcp' as const;
  const udp = 'udp' as const;
  const one = (request: number, response: number) => [{ request, response }];
  return [
    {
      label: 'loadgenerator -> frontend via its Service (DNAT 80 -> 8080)',
      ...{ client: lg, clientPort: 41_000, server: frontend, serverPort: 8080, via: frontendSvc, protocol: tcp },
      ...{ exchanges: [...one(300, 5_000), ...one(120, 2_600)], at: 0 },
    },
    {
      label: 'loadgenerator -> frontend via its Service, second connection, reset',
      ...{ client: lg, clientPort: 41_002, server: frontend, serverPort: 8080, via: frontendSvc, protocol: tcp },
      ...{ exchanges: one(200, 1_500), close: 'rst' as const, at: 40 },
    },
    {
      label: 'frontend -> cart on the same node (only worker-2 sees it)',
      ...{ client: frontend, clientPort: 43_000, server: cart, serverPort: 7070, protocol: tcp, at: 80 },
      exchanges: [...one(420, 1_800), ...one(90, 12_000)],
    },
    {
      label: 'frontend -> checkout across nodes, by pod IP',
      ...{ client: frontend, clientPort: 43_100, server: checkout, serverPort: 5050, protocol: tcp, at: 160 },
      exchanges: one(800, 2_400),
    },
    {
      label: 'checkout -> payment mid-stream (server speaks first in the capture; server port 50051 looks ephemeral)',
      ...{ client: checkout, clientPort: 45_000, server: payment, serverPort: 50_051, protocol: tcp, at: 200 },
      ...{ exchanges: [...one(100, 3_000), ...one(100, 3_000)], midStream: 4, close: 'none' as const },
    },
    {
      label: 'checkout:1000 -> frontend:8080 mid-stream (client port below the server port)',
      ...{ client: checkout, clientPort: 1000, server: frontend, serverPort: 8080, protocol: tcp, at: 240 },
      ...{ exchanges: one(150, 900), midStream: 3 },
    },
    {
      label: 'loadgenerator:999 -> cart:7070 with a handshake (client port below the server port)',
      ...{ client: lg, clientPort: 999, server: cart, serverPort: 7070, protocol: tcp, at: 270 },
      exchanges: one(64, 640),
    },
    {
      label: 'checkout -> cart, a long connection exported in two records by each node (active timeout)',
      ...{ client: checkout, clientPort: 45_500, server: cart, serverPort: 7070, protocol: tcp, at: 280 },
      ...{ exchanges: [...one(300, 9_000), ...one(300, 9_000), ...one(200, 100)], splitAt: 12 },
    },
    {
      label: 'DNS to the kube-dns ClusterIP (DNAT to the CoreDNS pod on the other node)',
      ...{ client: lg, clientPort: 53_001, server: dns, serverPort: 53, via: kubeDns, protocol: udp, at: 300 },
      exchanges: one(45, 180),
    },
    {
      label: 'DNS to the kube-dns ClusterIP, another query',
      ...{ client: lg, clientPort: 53_004, server: dns, serverPort: 53, via: kubeDns, protocol: udp, at: 310 },
      exchanges: one(47, 230),
    },
    {
      label: 'DNS to the CoreDNS pod IP across nodes',
      ...{ client: checkout, clientPort: 53_002, server: dns, serverPort: 53, protocol: udp, at: 320 },
      exchanges: one(40, 120),
    },
    {
      label: 'DNS to the CoreDNS pod IP on the same node',
      ...{ client: frontend, clientPort: 53_003, server: dns, serverPort: 53, protocol: udp, at: 340 },
      exchanges: one(50, 200),
    },
    {
      label: 'prometheus -> node-exporter (host network) on the node IP of worker-2',
      ...{ client: prom, clientPort: 46_000, server: worker2, serverPort: 9100, protocol: tcp, at: 400 },
      exchanges: one(200, 30_000),
    },
    {
      label: 'prometheus -> kubelet on worker-2 (no host-network pod declares 10250)',
      ...{ client: prom, clientPort: 46_001, server: worker2, serverPort: 10_250, protocol: tcp, at: 450 },
      exchanges: one(150, 4_000),
    },
    {
      label: 'prometheus -> alertmanager via its Service; its node exports nothing, so no record shows the DNAT',
      ...{ client: prom, clientPort: 46_500, server: c.podIp('alertmanager'), serverPort: 9093, protocol: tcp },
      ...{ via: { ip: '10.96.20.12', port: 80 }, exchanges: one(700, 90), at: 470 },
    },
    {
      label: 'worker-2 (node) -> prometheus web',
      ...{ client: worker2, clientPort: 47_000, server: prom, serverPort: 9090, protocol: tcp, at: 500 },
      exchanges: one(180, 9_000),
    },
    {
      label: 'checkout -> corp-db (a configured CIDR label)',
      ...{ client: checkout, clientPort: 48_000, server: '172.20.5.5', serverPort: 5432, protocol: tcp, at: 550 },
      exchanges: one(500, 700),
    },
    {
      label: 'cart -> 8.8.8.8:443 (named by ASN)',
      ...{ client: cart, clientPort: 49_000, server: '8.8.8.8', serverPort: 443, protocol: tcp, at: 600 },
      exchanges: one(600, 4_200),
    },
    {
      label: 'cart -> redis-cart (StatefulSet) on the same node',
      ...{ client: cart, clientPort: 49_500, server: redis, serverPort: 6379, protocol: tcp, at: 650 },
      exchanges: [...one(50, 20), ...one(60, 2_000)],
    },
  ];
}
