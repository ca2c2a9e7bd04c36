import { describe, expect, it } from 'vitest';
import { buildClusterSnapshot } from '../../test/fixtures/cluster-snapshot.js';
import type { OrientedFlow } from '../core/conversation.js';
import { parseIp } from '../core/ip.js';
import { type ClusterIndex, createClusterIndex, RESOURCE_KINDS, type ResourceKind } from '../enrich/index.js';
import { createFakeIndex, FLAGS, rec } from '../orient/testing.js';
import { createFlowPipeline } from './flow-pipeline.js';
import { flowPipelineConfig } from './flow-pipeline-config.js';

/** the identity helper's real index, filled from the realistic test cluster snapshot */
function realIndex(): { index: ClusterIndex; podIp: (workload: string) => string } {
  const fixture = buildClusterSnapshot();
  const index = createClusterIndex({ tombstoneGraceMs: 60_000 }, { clock: () => Date.UTC(2024, 4, 1, 12) });
  const objects = fixture.list.items.map((item) => index.slim(item.kind as ResourceKind, item));
  objects.sort((a, b) => RESOURCE_KINDS.indexOf(a.kind) - RESOURCE_KINDS.indexOf(b.kind));
  for (const o of objects) index.apply('ADDED', o);
  const podIp = (workload: string) =>
    fixture.expected.find((e) => e.kind === 'pod' && e.workload === workload && !e.hostNetwork && !e.ip.includes(':'))!
      .ip;
  return { index, podIp };
}

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);

describe('createFlowPipeline() with the real cluster index', () => {
  const { index, podIp } = realIndex();
  const frontend = podIp('Deployment/frontend');
  const cart = podIp('Deployment/cartservice');
  const prometheus = podIp('Prometheus/k8s');
  let now = T0;
  const pipeline = createFlowPipeline(flowPipelineConfig.parse({ orient: { pairingDelayMs: 2_000 } }), {
    index,
    clock: () => now,
  });
  const tapped: OrientedFlow[] = [];
  pipeline.onOriented((batch) => tapped.push(...batch.map((f) => ({ ...f })))); // copies: the flows are reused

  const t = (ms: number) => ({ start: T0 + ms, end: T0 + ms + 500 });
  it('turns records from two nodes, before and after DNAT, into deduplicated workload edges', () => {
    // node 1 (client side) sees the ClusterIP, node 2 (server side) the pod; both export both directions
    pipeline.push([
      rec(`${frontend}:41000`, '10.96.10.11:7070', { exporter: '10.0.0.11', tcpFlags: 0x1b, bytes: 3000, ...t(0) }),
      rec('10.96.10.11:7070', `${frontend}:41000`, { exporter: '10.0.0.11', tcpFlags: 0x1b, bytes: 9000, ...t(1) }),
      rec(`${frontend}:41000`, `${cart}:7070`, { exporter: '10.0.0.12', tcpFlags: 0x1b, bytes: 3000, ...t(0) }),
      rec(`${cart}:7070`, `${frontend}:41000`, { exporter: '10.0.0.12', tcpFlags: 0x1b, bytes: 9000, ...t(1) }),
      // DNS to CoreDNS's ClusterIP, no post-DNAT view exported
      rec(`${frontend}:53001`, '10.96.0.10:53', { ipProtocol: 17, tcpFlags: 0, bytes: 70, packets: 1, ...t(5) }),
      // Prometheus scraping node-exporter (host network) on a node IP, handshake seen
      rec(`${prometheus}:45000`, '10.0.0.11:9100', { tcpFlags: FLAGS.SYN, bytes: 60, packets: 1, ...t(7) }),
      // a reply from an external server; the handshake was not exported
      rec('8.8.8.8:443', `${frontend}:51000`, { tcpFlags: FLAGS.MIDDLE, bytes: 500, ...t(9) }),
    ]);
    expect(pipeline.flush(T0 + 1_000)).toEqual([]);
    now = T0 + 3_000;
    expect(pipeline.flush()).toEqual([]); // pairing decided, the bucket is still open
    now = T0 + 60_000 + 30_000;
    const windows = pipeline.flush();
    expect(windows).toHaveLength(1);
    const edges = windows[0]!.edges.map((e) => ({
      edge: `${e.clientId} -> ${e.serverId}:${e.port}/${e.ipProtocol}`,
      bytes: e.bytesToServer + e.bytesToClient,
      connections: e.connections,
      evidence: e.evidence,
      services: e.services,
    }));
    expect(edges).toEqual([
      {
        edge: 'workload:monitoring/Prometheus/k8s -> workload:monitoring/DaemonSet/node-exporter:9100/6',
        bytes: 60,
        connections: 1,
        evidence: 'tcp-handshake',
        services: undefined,
      },
      {
        edge: 'workload:shop/Deployment/frontend -> unknown:8.8.8.8:443/6',
        bytes: 500,
        connections: 1,
        evidence: 'port-heuristic',
        services: undefined,
      },
      // no post-DNAT view, but every kube-dns endpoint is a CoreDNS pod: the edge goes to CoreDNS
      {
        edge: 'workload:shop/Deployment/frontend -> workload:kube-system/Deployment/coredns:53/17',
        bytes: 70,
        connections: 1,
        evidence: 'service-port',
        services: ['kube-system/kube-dns'],
      },
      {
        edge: 'workload:shop/Deployment/frontend -> workload:shop/Deployment/cartservice:7070/6',
        bytes: 12_000,
        connections: 1,
        evidence: 'flow-pairing',
        services: ['shop/cartservice'],
      },
    ]);
    expect(tapped).toHaveLength(5);
    const stats = pipeline.stats();
    expect(stats.enrich).toMatchObject({ in: 7, out: 7 });
    expect(stats.orient).toMatchObject({ in: 7, out: 5, dropped: { duplicate: 2 }, dnatMerges: 1 });
    expect(stats.aggregate).toMatchObject({ in: 5, out: 4, windows: 1 });
  });
});

describe('createFlowPipeline()', () => {
  const index = createFakeIndex({});
  const config = flowPipelineConfig.parse({ aggregate: { levels: ['workload', 'pod'] } });

  it('final flush decides waiting records and emits the open bucket (SIGTERM path)', () => {
    const p = createFlowPipeline(config, { index, clock: () => 5_000 });
    p.push([rec('10.0.0.1:40000', '10.0.0.2:443', { start: 1_000, end: 2_000 })]);
    expect(p.flush()).toEqual([]);
    const windows = p.flush(5_000, true);
    expect(windows.map((w) => [w.start, w.level, w.edges.length])).toEqual([
      [0, 'workload', 1],
      [0, 'pod', 1],
    ]);
    expect(p.stats().orient.pendingRecords).toBe(0);
  });

  it('isolates listener failures and unsubscribes', () => {
    const p = createFlowPipeline(config, { index, clock: () => 0 });
    let calls = 0;
    const off = p.onOriented(() => {
      calls++;
      throw new Error('sink bug');
    });
    p.push([rec('10.0.0.1:40000', '10.0.0.2:443', { tcpFlags: FLAGS.SYN })]);
    off();
    p.push([rec('10.0.0.1:40001', '10.0.0.2:443', { tcpFlags: FLAGS.SYN })]);
    expect(calls).toBe(1);
    expect(p.stats()).toMatchObject({ listenerErrors: 1, lastListenerError: 'sink bug' });
    expect(p.flush(0, true)[0]!.edges[0]!.connections).toBe(2);
  });

  it('uses a given enricher', () => {
    const ip = parseIp('10.0.0.2')!;
    const p = createFlowPipeline(config, {
      index,
      clock: () => 0,
      enricher: {
        name: 'custom',
        apply(batch, out) {
          for (const flow of batch) {
            const server = { kind: 'node', name: 'n1' } as const;
            out.push({
              flow,
              src: index.lookup(flow.srcAddr, 0),
              dst: flow.dstAddr === ip ? server : index.lookup(ip, 0),
            });
          }
        },
      },
    });
    p.push([rec('10.0.0.1:40000', '10.0.0.2:443', { tcpFlags: FLAGS.SYN })]);
    expect(p.flush(0, true)[0]!.edges[0]!.serverId).toBe('node:n1');
  });
});
