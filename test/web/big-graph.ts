/**
 * A synthetic cluster of a given size for the render benchmark: `namespaces` x `perNamespace` workloads plus
 * cluster nodes and external endpoints, and `edges` client -> server edges between distinct pairs (so the map draws
 * exactly that many) (mostly inside a namespace,
 * some across, some to the outside), in one EdgeWindow at workload level. Seeded, so runs compare.
 * @module
 */
import type { Edge, EdgeWindow, MapNode } from '../../src/core/edge.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KINDS = ['Deployment', 'Deployment', 'Deployment', 'StatefulSet', 'DaemonSet', 'CronJob'] as const;
const PORTS = [80, 443, 8080, 9090, 5432, 6379, 7070, 50051, 53] as const;

export interface BigGraphOptions {
  readonly namespaces: number;
  readonly perNamespace: number;
  readonly clusterNodes: number;
  readonly externals: number;
  readonly edges: number;
  readonly start: number;
  readonly seed?: number;
}

/** 40 x 24 workloads + 20 nodes + 20 externals = 1,000 nodes; 5,000 edges */
export const THOUSAND: Omit<BigGraphOptions, 'start'> = {
  namespaces: 40,
  perNamespace: 24,
  clusterNodes: 20,
  externals: 20,
  edges: 5000,
};

export function bigGraphWindow(o: BigGraphOptions): EdgeWindow {
  const random = rng(o.seed ?? 42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const byNs: MapNode[][] = [];
  for (let n = 0; n < o.namespaces; n++) {
    const ns = `team-${String(n).padStart(2, '0')}`;
    const list: MapNode[] = [];
    for (let w = 0; w < o.perNamespace; w++) {
      const kind = KINDS[w % KINDS.length]!;
      const name = `svc-${n}-${w}`;
      list.push({ id: `workload:${ns}/${kind}/${name}`, kind: 'workload', namespace: ns, name, workloadKind: kind });
    }
    byNs.push(list);
  }
  const nodes: MapNode[] = Array.from({ length: o.clusterNodes }, (_, i) => ({
    id: `node:worker-${i}`,
    kind: 'node',
    namespace: '',
    name: `worker-${i}`,
    workloadKind: 'Node',
  }));
  const externals: MapNode[] = Array.from({ length: o.externals }, (_, i) => ({
    id: `external:AS${64500 + i}`,
    kind: 'external',
    namespace: '',
    name: `AS${64500 + i}`,
    workloadKind: '',
    asn: 64500 + i,
  }));
  const edges = new Map<string, Edge>();
  while (edges.size < o.edges) {
    const r = random();
    const home = pick(byNs);
    let client = pick(home);
    let server = pick(home);
    if (r < 0.15) server = pick(pick(byNs));
    else if (r < 0.2) server = pick(externals);
    else if (r < 0.25) client = pick(nodes);
    if (client.id === server.id) continue;
    const port = pick(PORTS);
    const key = `${client.id}|${server.id}`;
    if (edges.has(key)) continue;
    const bytes = Math.round(10 ** (2 + random() * 5));
    edges.set(key, {
      clientId: client.id,
      serverId: server.id,
      port,
      ipProtocol: port === 53 ? 17 : 6,
      client,
      server,
      bytesToServer: bytes,
      bytesToClient: bytes * 3,
      packetsToServer: Math.ceil(bytes / 500),
      packetsToClient: Math.ceil((bytes * 3) / 1000),
      connections: 1 + Math.floor(random() * 50),
      firstSeen: o.start + 1000,
      lastSeen: o.start + 59_000,
      evidence: 'tcp-handshake',
    });
  }
  return { start: o.start, end: o.start + 60_000, level: 'workload', edges: [...edges.values()], dropped: 0 };
}
