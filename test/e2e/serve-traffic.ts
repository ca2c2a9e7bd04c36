/**
 * The cluster traffic of the serve-* end-to-end tests: conversations between the pods of serve-cluster.ts, what each
 * worker node's exporter sees of them (both nodes for cross-node conversations; the client's node sees a Service
 * ClusterIP before DNAT, the server's node the backing pod after), and the edges they must make, computed from the
 * generator's truth (flowTruth of the packets) and the cluster declaration, never from flowmap's code.
 * @module
 */
import {
  flowKeyText,
  flowTruth,
  mergeTraffic,
  type TrafficPacket,
  tcpConversation,
  udpExchange,
} from '../tools/index.js';
import { mapNodeId, nodeHolding, type ServeCluster, seedLabels, WORKLOADS } from './serve-cluster.js';

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

/** one edge as /api/v1/graph answers it (ids at workload level) */
export interface ExpectedEdge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly port: number;
  readonly protocol: string;
  readonly bytesToServer: number;
  readonly bytesToClient: number;
  readonly packetsToServer: number;
  readonly packetsToClient: number;
  readonly connections: number;
  /** Services the client dialled (namespace/name), when any */
  readonly services?: readonly string[];
}

/** one seed-compatible series (netflow_connection_*), sender -> receiver */
export interface ExpectedSeed {
  readonly labels: { srchost: string; srcnamespace: string; dsthost: string; dstnamespace: string };
  readonly bytes: number;
  readonly packets: number;
  /** flow records after dedup: one per direction and exported part (softflowd reports a direction once per run) */
  readonly count: number;
}

export interface Scenario {
  readonly specs: readonly ConversationSpec[];
  readonly seed: readonly ExpectedSeed[];
  /** packets each exporting node sees, in time order */
  readonly views: ReadonlyMap<string, readonly TrafficPacket[]>;
  /** what each node exports afterwards (the rest of split connections), by the same exporters */
  readonly later: ReadonlyMap<string, readonly TrafficPacket[]>;
  readonly edges: readonly ExpectedEdge[];
  /** first and last packet time (epoch ms) of each edge's conversations, by edge id */
  readonly times: ReadonlyMap<string, { readonly first: number; readonly last: number }>;
}

/** the nodes whose exporters run (control-plane-1 runs no exporter and holds no pod of the scenario) */
export const EXPORTING_NODES = ['worker-1', 'worker-2'] as const;

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

function packetsOf(spec: ConversationSpec, start: number, server: string, serverPort: number): TrafficPacket[] {
  const packets =
    spec.protocol === 'tcp'
      ? tcpConversation({
          client: spec.client,
          clientPort: spec.clientPort,
          server,
          serverPort,
          start,
          exchanges: spec.exchanges,
          close: spec.close ?? 'fin',
        })
      : udpExchange({
          a: spec.client,
          aPort: spec.clientPort,
          b: server,
          bPort: serverPort,
          start,
          messages: spec.exchanges.flatMap((e) => [
            { from: 'a' as const, bytes: e.request },
            { from: 'b' as const, bytes: e.response },
          ]),
        });
  return packets.slice(spec.midStream ?? 0);
}

/** builds the captures of each node and the expected edges for conversations starting at `t0` (epoch ms) */
export function buildScenario(cluster: ServeCluster, t0: number): Scenario {
  const specs = conversations(cluster);
  const views = new Map<string, TrafficPacket[][]>(EXPORTING_NODES.map((n) => [n, []]));
  const later = new Map<string, TrafficPacket[][]>(EXPORTING_NODES.map((n) => [n, []]));
  const edges = new Map<string, ExpectedEdge>();
  const seed = new Map<string, ExpectedSeed>();
  const times = new Map<string, { first: number; last: number }>();
  const addSeed = (
    from: [string, number],
    to: [string, number],
    proto: number,
    t: { bytes: number; packets: number } | undefined,
    records: number,
  ) => {
    if (!t) return;
    const src = seedLabels(cluster, from[0], from[1], proto);
    const dst = seedLabels(cluster, to[0], to[1], proto);
    const labels = { srchost: src.host, srcnamespace: src.namespace, dsthost: dst.host, dstnamespace: dst.namespace };
    const key = JSON.stringify(labels);
    const prev = seed.get(key);
    seed.set(key, {
      labels,
      bytes: (prev?.bytes ?? 0) + t.bytes,
      packets: (prev?.packets ?? 0) + t.packets,
      count: (prev?.count ?? 0) + records,
    });
  };
  for (const spec of specs) {
    const start = t0 + spec.at;
    const post = packetsOf(spec, start, spec.server, spec.serverPort);
    const clientNode = nodeHolding(cluster, spec.client);
    const serverNode = nodeHolding(cluster, spec.server);
    if (spec.via && clientNode === serverNode) throw new Error(`${spec.label}: DNAT views need two nodes`);
    const pre = spec.via ? packetsOf(spec, start, spec.via.ip, spec.via.port) : post;
    const split = spec.splitAt ?? Number.POSITIVE_INFINITY;
    const exportOn = (node: string | undefined, packets: TrafficPacket[]) => {
      if (!node) return;
      views.get(node)?.push(packets.slice(0, split));
      if (packets.length > split) later.get(node)?.push(packets.slice(split));
    };
    exportOn(clientNode, pre);
    if (serverNode !== clientNode) exportOn(serverNode, post);

    const proto = spec.protocol === 'tcp' ? 6 : 17;
    const truth = flowTruth(post);
    const key = (src: string, dst: string, sp: number, dp: number) =>
      truth.get(flowKeyText({ srcAddr: src, dstAddr: dst, srcPort: sp, dstPort: dp, protocol: proto }));
    const up = key(spec.client, spec.server, spec.clientPort, spec.serverPort);
    const down = key(spec.server, spec.client, spec.serverPort, spec.clientPort);
    // one record per exported part holding packets of that direction (the owning exporter's; others are dropped)
    const parts = [post.slice(0, split), post.slice(split)];
    const records = (from: string) => parts.filter((p) => p.some((x) => x.flow.srcAddr === from)).length;
    addSeed([spec.client, spec.clientPort], [spec.server, spec.serverPort], proto, up, records(spec.client));
    addSeed([spec.server, spec.serverPort], [spec.client, spec.clientPort], proto, down, records(spec.server));
    const source = mapNodeId(cluster, spec.client, spec.clientPort, proto);
    const target = mapNodeId(cluster, spec.server, spec.serverPort, proto);
    const protocol = spec.protocol.toUpperCase();
    const id = `${source}->${target}:${spec.serverPort}/${protocol}`;
    const seen = times.get(id);
    times.set(id, {
      first: Math.min(seen?.first ?? Number.POSITIVE_INFINITY, post[0]!.timestamp),
      last: Math.max(seen?.last ?? 0, post[post.length - 1]!.timestamp),
    });
    const prev = edges.get(id);
    const service = spec.via && WORKLOADS.find((w) => w.service?.clusterIP === spec.via?.ip);
    edges.set(id, {
      id,
      source,
      target,
      port: spec.serverPort,
      protocol,
      bytesToServer: (prev?.bytesToServer ?? 0) + (up?.bytes ?? 0),
      bytesToClient: (prev?.bytesToClient ?? 0) + (down?.bytes ?? 0),
      packetsToServer: (prev?.packetsToServer ?? 0) + (up?.packets ?? 0),
      packetsToClient: (prev?.packetsToClient ?? 0) + (down?.packets ?? 0),
      connections: (prev?.connections ?? 0) + 1,
      ...(service ? { services: [`${service.namespace}/${service.service!.name}`] } : {}),
    });
  }
  return {
    specs,
    seed: [...seed.values()],
    times,
    views: new Map([...views].map(([node, lists]) => [node, mergeTraffic(...lists)])),
    later: new Map([...later].map(([node, lists]) => [node, mergeTraffic(...lists)])),
    edges: [...edges.values()].sort((a, b) => a.id.localeCompare(b.id)),
  };
}
