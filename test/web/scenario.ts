/**
 * A realistic small cluster's traffic as per-minute EdgeWindows at all three grouping levels, built with core's
 * own `mapNodeOf`, so node ids are exactly what the pipeline produces. Deterministic: the same options give the
 * same windows. Besides steady traffic it has a CronJob that ran once and a workload that went quiet, so past
 * ranges show edges the live view does not.
 * @module
 */
import type { OrientationEvidence } from '../../src/core/conversation.js';
import type { Edge, EdgeWindow, GroupLevel, MapNode } from '../../src/core/edge.js';
import type { Endpoint } from '../../src/core/endpoint.js';
import { parseIpv4 } from '../../src/core/ip.js';
import { mapNodeOf } from '../../src/core/map-node.js';

export interface Party {
  readonly endpoint: Endpoint;
  /** pod names (pods), or one entry for anything else */
  readonly instances: readonly { readonly name: string; readonly ip: string }[];
}

export interface Talk {
  readonly client: Party;
  readonly server: Party;
  readonly port: number;
  readonly ipProtocol: number;
  /** bytes per second client -> server at the mean of the daily wave */
  readonly rate: number;
  /** response bytes per request byte */
  readonly ratio: number;
  readonly connPerMin: number;
  readonly evidence: OrientationEvidence;
  readonly services?: readonly string[];
  /** minutes before `now` when it started / stopped (default: the whole history) */
  readonly activeFrom?: number;
  readonly activeTo?: number;
}

/** hands out addresses "<prefix>.x.y" in order */
export function ipAllocator(): (prefix: string) => string {
  let n = 10;
  return (prefix) => {
    const ip = `${prefix}.${Math.floor(n / 250)}.${(n % 250) + 2}`;
    n++;
    return ip;
  };
}

export function pods(
  ip: (p: string) => string,
  ns: string,
  kind: string,
  name: string,
  names: readonly string[],
): Party {
  return {
    endpoint: { kind: 'pod', namespace: ns, workload: { kind, namespace: ns, name } },
    instances: names.map((n) => ({ name: n, ip: ip('10.244') })),
  };
}

const one = (endpoint: Endpoint, ip: string): Party => ({ endpoint, instances: [{ name: endpoint.name ?? ip, ip }] });
export const service = (ip: string, ns: string, name: string) => one({ kind: 'service', namespace: ns, name }, ip);
export const node = (name: string, ip: string) => one({ kind: 'node', name }, ip);
export const external = (ip: string, ext: Endpoint['external']) =>
  one({ kind: 'external', ...(ext ? { external: ext } : {}) }, ip);
export const unknown = (ip: string) => one({ kind: 'unknown' }, ip);

const TCP = 6;
const UDP = 17;

/** the shop cluster: 6 namespaces, ~18 workloads, services, nodes, external endpoints */
export function shopTalks(): Talk[] {
  const ip = ipAllocator();
  const frontend = pods(ip, 'shop', 'Deployment', 'frontend', [
    'frontend-7d9f-abcde',
    'frontend-7d9f-fghij',
    'frontend-7d9f-klmno',
  ]);
  const cart = pods(ip, 'shop', 'Deployment', 'cart', ['cart-5c6b-aaaaa', 'cart-5c6b-bbbbb']);
  const checkout = pods(ip, 'shop', 'Deployment', 'checkout', ['checkout-66f-ccccc', 'checkout-66f-ddddd']);
  const catalog = pods(ip, 'shop', 'Deployment', 'catalog', ['catalog-7b-eeeee', 'catalog-7b-fffff']);
  const payments = pods(ip, 'shop', 'Deployment', 'payments', ['payments-9d-ggggg']);
  const reco = pods(ip, 'shop', 'Deployment', 'recommendation', ['recommendation-4f-hhhhh']);
  const legacy = pods(ip, 'shop', 'Deployment', 'legacy-api', ['legacy-api-1a-iiiii']);
  const postgres = pods(ip, 'data', 'StatefulSet', 'postgres', ['postgres-0', 'postgres-1']);
  const redis = pods(ip, 'data', 'StatefulSet', 'redis', ['redis-0']);
  const kafka = service(ip('10.96'), 'data', 'kafka-bootstrap');
  const prometheus = pods(ip, 'monitoring', 'StatefulSet', 'prometheus', ['prometheus-0']);
  const grafana = pods(ip, 'monitoring', 'Deployment', 'grafana', ['grafana-6c-jjjjj']);
  const nodeExporter = pods(ip, 'monitoring', 'DaemonSet', 'node-exporter', [
    'node-exporter-x1',
    'node-exporter-x2',
    'node-exporter-x3',
  ]);
  const coredns = pods(ip, 'kube-system', 'Deployment', 'coredns', ['coredns-5d-kkkkk', 'coredns-5d-lllll']);
  const report = pods(ip, 'batch', 'CronJob', 'nightly-report', ['nightly-report-28512345-mmmmm']);
  const w1 = node('worker-1', '192.168.10.11');
  const w2 = node('worker-2', '192.168.10.12');
  const stripe = external('54.187.174.169', { label: 'stripe-api', cidr: '54.187.0.0/16' });
  const aws = external('52.216.8.1', { asn: 16509, org: 'Amazon.com, Inc.', cidr: '52.216.0.0/15' });
  const cloudflare = external('1.1.1.1', { asn: 13335, org: 'Cloudflare, Inc.', cidr: '1.1.1.0/24' });
  const stray = unknown('203.0.113.50');
  const t = (c: Party, s: Party, port: number, rate: number, more: Partial<Talk> = {}): Talk => ({
    client: c,
    server: s,
    port,
    ipProtocol: TCP,
    rate,
    ratio: 3,
    connPerMin: 30,
    evidence: 'tcp-handshake',
    ...more,
  });
  return [
    t(w1, frontend, 8080, 60_000, { ratio: 8, connPerMin: 240 }),
    t(w2, frontend, 8080, 45_000, { ratio: 8, connPerMin: 180 }),
    t(frontend, cart, 7070, 25_000, { services: ['shop/cart'], connPerMin: 60 }),
    t(frontend, catalog, 3550, 40_000, { services: ['shop/catalog'], ratio: 6 }),
    t(frontend, checkout, 5050, 8_000, { services: ['shop/checkout'] }),
    t(frontend, reco, 8080, 6_000, { services: ['shop/recommendation'], evidence: 'flow-pairing' }),
    t(checkout, payments, 50051, 3_000, { services: ['shop/payments'], connPerMin: 12 }),
    t(checkout, cart, 7070, 4_000, { services: ['shop/cart'] }),
    t(payments, stripe, 443, 1_500, { ratio: 2, connPerMin: 6 }),
    t(cart, redis, 6379, 30_000, { ratio: 1.5, connPerMin: 4, evidence: 'container-port' }),
    t(catalog, postgres, 5432, 20_000, { ratio: 10, connPerMin: 2, evidence: 'biflow' }),
    t(checkout, postgres, 5432, 5_000, { ratio: 2, connPerMin: 2, evidence: 'biflow' }),
    t(checkout, kafka, 9092, 12_000, { ratio: 0.2, evidence: 'service-port' }),
    t(catalog, aws, 443, 9_000, { ratio: 20, connPerMin: 10 }),
    t(reco, stray, 443, 500, { ratio: 4, connPerMin: 1, evidence: 'port-heuristic' }),
    t(frontend, legacy, 9000, 7_000, { activeFrom: 180, activeTo: 95 }),
    t(report, postgres, 5432, 80_000, { ratio: 30, connPerMin: 4, evidence: 'biflow', activeFrom: 150, activeTo: 130 }),
    t(prometheus, frontend, 9090, 900, { ratio: 12, connPerMin: 4 }),
    t(prometheus, cart, 9090, 900, { ratio: 12, connPerMin: 4 }),
    t(prometheus, nodeExporter, 9100, 1_200, { ratio: 15, connPerMin: 12 }),
    t(prometheus, w1, 10250, 700, { ratio: 20, connPerMin: 4, evidence: 'container-port' }),
    t(grafana, prometheus, 9090, 2_000, { ratio: 25, connPerMin: 6 }),
    ...[frontend, cart, checkout, catalog, reco].map((c) =>
      t(c, coredns, 53, 300, {
        ipProtocol: UDP,
        ratio: 2,
        connPerMin: 40,
        evidence: 'container-port',
        services: ['kube-system/kube-dns'],
      }),
    ),
    t(coredns, cloudflare, 53, 200, { ipProtocol: UDP, ratio: 2, connPerMin: 20, evidence: 'port-heuristic' }),
  ];
}

/** the multiplier of the mean rate at minute `m` (a one-hour wave, always positive) */
export const wave = (m: number): number => 1 + 0.5 * Math.sin((2 * Math.PI * m) / 60);

function edgeOf(talk: Talk, c: MapNode, s: MapNode, start: number, share: number): Edge {
  const m = Math.floor(start / 60_000);
  const toServer = Math.round(talk.rate * 60 * wave(m) * share);
  const toClient = Math.round(toServer * talk.ratio);
  return {
    clientId: c.id,
    serverId: s.id,
    port: talk.port,
    ipProtocol: talk.ipProtocol,
    client: c,
    server: s,
    bytesToServer: toServer,
    bytesToClient: toClient,
    packetsToServer: Math.max(1, Math.round(toServer / 400)),
    packetsToClient: Math.max(1, Math.round(toClient / 900)),
    connections: Math.max(1, Math.round(talk.connPerMin * share)),
    firstSeen: start + 1_000,
    lastSeen: start + 59_000,
    evidence: talk.evidence,
    ...(talk.services ? { services: talk.services } : {}),
  };
}

function add(map: Map<string, Edge>, e: Edge): void {
  const key = `${e.clientId}|${e.serverId}|${e.port}|${e.ipProtocol}`;
  const old = map.get(key);
  if (!old) {
    map.set(key, e);
    return;
  }
  map.set(key, {
    ...old,
    bytesToServer: old.bytesToServer + e.bytesToServer,
    bytesToClient: old.bytesToClient + e.bytesToClient,
    packetsToServer: old.packetsToServer + e.packetsToServer,
    packetsToClient: old.packetsToClient + e.packetsToClient,
    connections: old.connections + e.connections,
    firstSeen: Math.min(old.firstSeen, e.firstSeen),
    lastSeen: Math.max(old.lastSeen, e.lastSeen),
  });
}

const named = (e: Endpoint, name: string): Endpoint =>
  e.kind === 'pod' || e.kind === 'node' || e.kind === 'service' ? { ...e, name } : e;

/** per-minute windows for [now - minutes, now) at every level; `now` is rounded down to a minute */
export function scenarioWindows(talks: readonly Talk[], now: number, minutes: number): EdgeWindow[] {
  const end = Math.floor(now / 60_000) * 60_000;
  const out: EdgeWindow[] = [];
  for (const level of ['namespace', 'workload', 'pod'] as GroupLevel[]) {
    for (let i = minutes; i >= 1; i--) {
      const start = end - i * 60_000;
      const edges = new Map<string, Edge>();
      for (const talk of talks) {
        if (i > (talk.activeFrom ?? Number.POSITIVE_INFINITY) || i <= (talk.activeTo ?? 0)) continue;
        const share = 1 / (talk.client.instances.length * talk.server.instances.length);
        for (const ci of talk.client.instances) {
          const c = mapNodeOf(named(talk.client.endpoint, ci.name), parseIpv4(ci.ip) ?? ci.ip, level);
          for (const si of talk.server.instances) {
            const s = mapNodeOf(named(talk.server.endpoint, si.name), parseIpv4(si.ip) ?? si.ip, level);
            add(edges, edgeOf(talk, c, s, start, share));
          }
        }
      }
      out.push({ start, end: start + 60_000, level, edges: [...edges.values()], dropped: 0 });
    }
  }
  return out;
}
