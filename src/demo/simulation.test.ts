/**
 * The traffic model's truth against what its exporters report: an independent attribution of every exported record
 * (from the cluster snapshot only, as flowmap would do it) must add up to the truth exactly for unsampled
 * exporters, and approximately (scaled by the rate) for the sampled one.
 */
import { describe, expect, it } from 'vitest';
import { formatIp } from '../core/ip.js';
import type { KubeObject } from './cluster/index.js';
import type { ExportRecord } from './encode/index.js';
import { createSimulation, type ExporterSpec, type Simulation } from './simulation.js';
import type { TruthEdge } from './traffic/index.js';

const START = Date.UTC(2025, 5, 15, 12, 0, 0);

interface Named {
  readonly id: string;
  readonly ports: Set<string>;
}

/** ip -> workload id with its listening ports, ClusterIP:port -> [workload id, targetPort], from objects only */
function indexSnapshot(items: readonly KubeObject[]) {
  const byUid = new Map(items.map((o) => [o.metadata.uid, o]));
  const top = (o: KubeObject): KubeObject => {
    const ref = o.metadata.ownerReferences?.[0];
    const owner = ref ? byUid.get(ref.uid) : undefined;
    return owner ? top(owner) : o;
  };
  const pods = new Map<string, Named>();
  const nodes = new Map<string, string>();
  for (const o of items.filter((x) => x.kind === 'Node')) {
    nodes.set((o.status!.addresses as { address: string }[])[0]!.address, o.metadata.name);
  }
  for (const p of items.filter((o) => o.kind === 'Pod' && (o.status as { phase: string }).phase === 'Running')) {
    const w = top(p);
    const id = `workload:${p.metadata.namespace}/${w.kind}/${w.metadata.name}`;
    const ip = (p.status as { podIP: string }).podIP;
    const containers = (p.spec as { containers: { ports?: { containerPort: number; protocol: string }[] }[] })
      .containers;
    const ports = new Set(containers.flatMap((c) => (c.ports ?? []).map((x) => `${x.containerPort}/${x.protocol}`)));
    const existing = pods.get(ip);
    if (existing && existing.id !== id) for (const port of ports) existing.ports.add(port);
    else if (existing) for (const port of ports) existing.ports.add(port);
    else pods.set(ip, { id: nodes.has(ip) ? `host:${ip}` : id, ports });
    if (nodes.has(ip)) pods.set(`${ip}:${[...ports][0]}`, { id, ports });
  }
  const services = new Map<string, [string, number]>();
  for (const s of items.filter((o) => o.kind === 'Service')) {
    const spec = s.spec as {
      clusterIP: string;
      selector: Record<string, string>;
      ports: { port: number; targetPort: number; protocol: string }[];
    };
    const backend = items.find(
      (p) =>
        p.kind === 'Pod' &&
        p.metadata.namespace === s.metadata.namespace &&
        Object.entries(spec.selector).every(([k, v]) => p.metadata.labels?.[k] === v),
    )!;
    const w = top(backend);
    for (const port of spec.ports)
      services.set(`${spec.clusterIP}:${port.port}/${port.protocol}`, [
        `workload:${s.metadata.namespace}/${w.kind}/${w.metadata.name}`,
        port.targetPort,
      ]);
  }
  return { pods, services, nodes };
}

const LABELS: Record<string, string> = {
  '203.0.113.10': 'external:payment-gateway',
  '52.216.8.5': 'external:s3-backups',
};

/** attributes each record to an edge (client, server, port, protocol) the way a collector with the snapshot would */
function attribute(index: ReturnType<typeof indexSnapshot>, r: ExportRecord) {
  const proto = r.ipProtocol === 6 ? 'TCP' : 'UDP';
  const src = formatIp(r.srcAddr);
  const dst = formatIp(r.dstAddr);
  const name = (ip: string, port: number) => {
    const hostPod = index.pods.get(`${ip}:${port}/${proto}`);
    if (hostPod) return hostPod.id;
    return index.pods.get(ip)?.id ?? LABELS[ip] ?? `external-ip:${ip}`;
  };
  const viaService = (ip: string, port: number) => index.services.get(`${ip}:${port}/${proto}`);
  const listens = (ip: string, port: number) =>
    index.pods.get(ip)?.ports.has(`${port}/${proto}`) || index.pods.has(`${ip}:${port}/${proto}`);
  const toServer =
    viaService(dst, r.dstPort) !== undefined ||
    listens(dst, r.dstPort) ||
    (!listens(src, r.srcPort) && !viaService(src, r.srcPort) && r.dstPort < r.srcPort);
  const [cIp, cPort, sIp, sPort] = toServer ? [src, r.srcPort, dst, r.dstPort] : [dst, r.dstPort, src, r.srcPort];
  const service = viaService(sIp, sPort);
  const server = service ? service[0] : name(sIp, sPort);
  const port = service ? service[1] : sPort;
  return {
    key: `${name(cIp, cPort)}|${server}|${port}|${r.ipProtocol}`,
    toServer,
    tuple: `${cIp}:${cPort}|${sIp}:${sPort}|${r.ipProtocol}`,
    serverIp: sIp,
    r: undefined as ExportRecord | undefined,
  };
}

function run(exporters: readonly ExporterSpec[], minutes: number): { sim: Simulation; records: ExportRecord[][] } {
  const sim = createSimulation({ seed: 11, start: START, intensity: 5, exporters, rolloutEveryMs: 0, cronJobs: false });
  const records: ExportRecord[][] = exporters.map(() => []);
  const keep = (batches: ReturnType<Simulation['step']>['batches']) => {
    for (const [i, b] of batches.entries()) records[i]!.push(...b.records);
  };
  for (let t = START + 250; t <= START + minutes * 60_000; t += 250) keep(sim.step(t).batches);
  keep(sim.finish(START + minutes * 60_000).batches);
  return { sim, records };
}

describe('simulation truth', () => {
  const unsampled: ExporterSpec[] = [
    { node: 'node-1', version: 9 },
    { node: 'node-2', version: 9 },
    { node: 'node-3', version: 10 },
  ];
  const { sim, records } = run(unsampled, 4);
  const truth = sim.truth.edges();
  const index = indexSnapshot(sim.cluster.snapshot().items);

  it('covers the shop call graph, DNS, scrapes, host-network targets and external calls', () => {
    const ids = new Set(truth.map((e) => `${e.clientId} -> ${e.serverId}:${e.port}`));
    for (const expected of [
      'workload:shop/Deployment/loadgenerator -> workload:shop/Deployment/frontend:8080',
      'workload:shop/Deployment/frontend -> workload:shop/Deployment/cartservice:7070',
      'workload:shop/Deployment/checkoutservice -> workload:shop/Deployment/paymentservice:50051',
      'workload:shop/Deployment/cartservice -> workload:shop/StatefulSet/redis-cart:6379',
      'workload:shop/Deployment/frontend -> workload:kube-system/Deployment/coredns:53',
      'workload:monitoring/StatefulSet/prometheus -> workload:monitoring/DaemonSet/node-exporter:9100',
      'workload:shop/Deployment/paymentservice -> external:payment-gateway:443',
    ])
      expect(ids.has(expected), expected).toBe(true);
    const emailEdge = truth.find((e) => e.serverId.endsWith('/emailservice') && e.port === 8080)!;
    expect(emailEdge.services).toEqual(['shop/emailservice']);
    expect(truth.find((e) => e.serverId.endsWith('node-exporter'))!.services).toEqual([]);
  });

  it('records exported by each server-side node add up exactly to the truth, bytes, packets and connections', () => {
    const got = new Map<string, { bs: number; bc: number; ps: number; pc: number; tuples: Set<string> }>();
    const nodeOfIp = (ip: string) =>
      index.nodes.get(ip) ?? sim.cluster.pods().find((p) => p.ip === ip && p.phase === 'Running')?.node.name;
    // a conversation is identified by its client address and port (clients do not reuse ports soon)
    const conversations = new Map<string, Map<string, ReturnType<typeof attribute>[]>>();
    sim.exporters.forEach((exporter, i) => {
      for (const r of records[i]!) {
        const a = attribute(index, r);
        const conv = a.tuple.split('|')[0]! + a.tuple.split('|')[2]!;
        const byExporter = conversations.get(conv) ?? new Map();
        byExporter.set(exporter.options.node, [...(byExporter.get(exporter.options.node) ?? []), { ...a, r }]);
        conversations.set(conv, byExporter);
      }
    });
    for (const byExporter of conversations.values()) {
      let chosen = [...byExporter.values()][0]!;
      if (byExporter.size > 1) {
        const postDnat = [...byExporter.values()]
          .flat()
          .find(
            (a) =>
              !index.services.has(
                `${a.serverIp}:${a.tuple.split('|')[1]!.split(':')[1]}/${a.r!.ipProtocol === 6 ? 'TCP' : 'UDP'}`,
              ),
          );
        chosen = byExporter.get(nodeOfIp(postDnat!.serverIp)!)!;
      }
      for (const a of chosen) {
        const r = a.r!;
        const e = got.get(a.key) ?? { bs: 0, bc: 0, ps: 0, pc: 0, tuples: new Set<string>() };
        if (a.toServer) {
          e.bs += r.bytes;
          e.ps += r.packets;
        } else {
          e.bc += r.bytes;
          e.pc += r.packets;
        }
        e.tuples.add(a.tuple);
        got.set(a.key, e);
      }
    }
    const expected = new Map(truth.map((e: TruthEdge) => [`${e.clientId}|${e.serverId}|${e.port}|${e.ipProtocol}`, e]));
    expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [key, e] of expected) {
      const g = got.get(key)!;
      expect({ key, bs: g.bs, bc: g.bc, ps: g.ps, pc: g.pc, connections: g.tuples.size }).toEqual({
        key,
        bs: e.bytesToServer,
        bc: e.bytesToClient,
        ps: e.packetsToServer,
        pc: e.packetsToClient,
        connections: e.connections,
      });
    }
  });

  it('splits long conversations by the active timeout and sees cross-node traffic from both nodes', () => {
    const all = records.flat();
    expect(all.some((r) => r.flowEndReason === 2)).toBe(true);
    expect(all.some((r) => r.flowEndReason === 1)).toBe(true);
    expect(all.some((r) => r.flowEndReason === 3)).toBe(true);
    for (const r of all) expect(r.end - r.start).toBeLessThanOrEqual(60_000 + 250);
    expect(truth.some((e) => e.observers.length === 2)).toBe(true);
  });

  it('a 1:10 sampled exporter reports about a tenth of the packets', () => {
    const sampled = run([...unsampled.slice(0, 1), { node: 'node-2', version: 9, samplingRate: 10 }, unsampled[2]!], 4);
    const full = records[1]!.reduce((n, r) => n + r.packets, 0);
    const thinned = sampled.records[1]!.reduce((n, r) => n + r.packets, 0);
    expect(thinned * 10).toBeGreaterThan(full * 0.9);
    expect(thinned * 10).toBeLessThan(full * 1.1);
    expect(sampled.records[1]!.length).toBeLessThan(records[1]!.length);
  });
});
