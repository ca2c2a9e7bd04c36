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
import { type ConversationSpec, conversations } from './serve-conversations.js';

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
