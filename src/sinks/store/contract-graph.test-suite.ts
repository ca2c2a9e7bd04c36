/**
 * The graph half of the EdgeStore contract: the /api/v1 answers built over a backend keep their invariants
 * (every edge's ends are nodes, ids unique, totals consistent) at every level and under every filter.
 * @module
 */
import { describe, expect, it } from 'vitest';
import type { GraphQuery } from '../../contract/query.js';
import type { GraphResponse } from '../../contract/responses.js';
import type { Edge, MapNode } from '../../core/edge.js';
import type { ContractContext } from './contract.test-suite.js';
import type { EdgeStore } from './contracts.js';
import { QueryError } from './errors.js';
import { createGraphService, type GraphRequest } from './query/index.js';
import {
  externalNode,
  HOUR,
  hostNode,
  MIN,
  makeEdge,
  makeWindow,
  podNode,
  serviceNode,
  T0,
  totalBytes,
  unknownNode,
  workloadNode,
} from './testing.js';

/** a deterministic cluster: 4 namespaces × 6 workloads, 2 hosts, 3 externals, 2 unknown addresses */
export function sampleCluster(seed = 7): Edge[] {
  let x = seed >>> 0;
  const rand = (n: number) => {
    x = (x + 0x6d2b79f5) >>> 0;
    let t = Math.imul(x ^ (x >>> 15), 1 | x);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) % n) | 0;
  };
  const workloads = [...Array(4).keys()].flatMap((n) =>
    [...Array(6).keys()].map((w) => workloadNode(`ns${n}`, `w${w}`, w % 3 === 0 ? 'StatefulSet' : 'Deployment')),
  );
  const others: MapNode[] = [
    hostNode('worker-1'),
    hostNode('worker-2'),
    externalNode('Google LLC', 15169),
    externalNode('corp-vpn'),
    externalNode('AS64500', 64500),
    unknownNode('192.0.2.7'),
    unknownNode('192.0.2.8'),
    serviceNode('ns0', 'api'),
  ];
  const all = [...workloads, ...others];
  const edges = new Map<string, Edge>();
  for (let i = 0; i < 120; i++) {
    const client = all[rand(all.length)]!;
    const server = workloads[rand(workloads.length)]!;
    const port = [53, 80, 443, 5432, 8080][rand(5)]!;
    const ipProtocol = port === 53 ? 17 : 6;
    edges.set(
      `${client.id}|${server.id}|${port}`,
      makeEdge(client, server, port, {
        ipProtocol,
        bytesToServer: 100 + rand(10_000),
        bytesToClient: rand(50_000),
        connections: 1 + rand(5),
      }),
    );
  }
  return [...edges.values()];
}

function expectInvariants(g: GraphResponse): void {
  const ids = new Set(g.nodes.map((n) => n.id));
  expect(ids.size).toBe(g.nodes.length);
  expect(new Set(g.edges.map((e) => e.id)).size).toBe(g.edges.length);
  for (const e of g.edges) {
    expect(ids.has(e.source), `${e.id} source`).toBe(true);
    expect(ids.has(e.target), `${e.id} target`).toBe(true);
  }
  const inOut = g.nodes.reduce((n, x) => n + x.totals.bytesIn + x.totals.bytesOut, 0);
  expect(inOut).toBe(2 * totalBytes(g.edges));
  for (const n of g.nodes) expect(g.edges.some((e) => e.source === n.id || e.target === n.id)).toBe(true);
}

const q = (over: Partial<GraphRequest> = {}): GraphRequest => ({
  from: T0,
  to: T0 + HOUR,
  level: 'workload',
  external: 'include',
  nodes: 'include',
  minBytes: 0,
  ...over,
});

export function runGraphContract(ctx: ContractContext): void {
  describe('graph answers over the store', () => {
    const edges = sampleCluster();
    const pods = edges
      .slice(0, 30)
      .map((e) =>
        makeEdge(
          podNode(e.client.namespace || 'ns0', `${e.client.name}-a1`),
          podNode(e.server.namespace, `${e.server.name}-b2`),
          e.port,
          e,
        ),
      );
    async function loaded(
      nodeLimit = 1500,
    ): Promise<{ store: EdgeStore; service: ReturnType<typeof createGraphService> }> {
      const store = await ctx.open();
      await store.write([makeWindow(T0, edges), makeWindow(T0 + MIN, edges.slice(0, 40)), makeWindow(T0, pods, 'pod')]);
      await store.flush();
      const service = createGraphService(store, {
        clock: () => T0 + HOUR,
        nodeLimit,
        defaultRangeMs: HOUR,
        targetPoints: 300,
        maxPoints: 10_000,
      });
      return { store, service };
    }
    const expectedBytes = totalBytes(edges) + totalBytes(edges.slice(0, 40));

    it('graph() keeps its invariants at every level and sums every byte', async () => {
      const { service } = await loaded();
      for (const level of ['namespace', 'workload', 'pod'] as const) {
        const g = await service.graph(q({ level }));
        expectInvariants(g);
        expect(g.truncated).toBe(false);
        expect(totalBytes(g.edges)).toBe(level === 'pod' ? totalBytes(pods) : expectedBytes);
      }
      const ns = await service.graph(q({ level: 'namespace' }));
      expect(ns.nodes.filter((n) => n.kind === 'namespace').map((n) => n.id)).toEqual([
        'namespace:ns0',
        'namespace:ns1',
        'namespace:ns2',
        'namespace:ns3',
      ]);
      expect(ns.nodes.find((n) => n.id === 'node:worker-1')?.group ?? 'cluster').toBe('cluster');
      const wl = await service.graph(q());
      expect(new Set(wl.nodes.map((n) => n.group))).toEqual(
        new Set(['namespace:ns0', 'namespace:ns1', 'namespace:ns2', 'namespace:ns3', 'cluster', 'external', 'unknown']),
      );
    });

    it('graph() applies each filter to either side of an edge', async () => {
      const { service } = await loaded();
      const cases: [Partial<GraphQuery>, (e: Edge) => boolean][] = [
        [{ namespace: ['ns1'] }, (e) => e.client.namespace === 'ns1' || e.server.namespace === 'ns1'],
        [{ workload: ['w2'] }, (e) => e.client.name === 'w2' || e.server.name === 'w2'],
        [
          { kind: ['statefulset'] },
          (e) => e.client.workloadKind === 'StatefulSet' || e.server.workloadKind === 'StatefulSet',
        ],
        [{ kind: ['external'] }, (e) => e.client.kind === 'external'],
        [{ port: [53, 443] }, (e) => e.port === 53 || e.port === 443],
        [{ protocol: ['udp'] }, (e) => e.ipProtocol === 17],
        [{ external: 'exclude' }, (e) => e.client.kind !== 'external'],
        [{ nodes: 'exclude' }, (e) => e.client.kind !== 'node'],
        [{ minBytes: 30_000 }, (e) => e.bytesToServer + e.bytesToClient >= 30_000],
      ];
      for (const [filter, keep] of cases) {
        const g = await service.graph(q({ ...filter, from: T0, to: T0 + MIN }));
        expectInvariants(g);
        expect(g.edges.map((e) => e.id).sort(), JSON.stringify(filter)).toEqual(
          edges
            .filter(keep)
            .map((e) => `${e.clientId}->${e.serverId}:${e.port}/${e.ipProtocol === 17 ? 'UDP' : 'TCP'}`)
            .sort(),
        );
      }
      await expect(service.graph(q({ protocol: ['nope'] }))).rejects.toBeInstanceOf(QueryError);
    });

    it('graph() folds the smallest nodes into their group beyond the node limit', async () => {
      const { service } = await loaded(12);
      const g = await service.graph(q());
      expectInvariants(g);
      expect(g.truncated).toBe(true);
      expect(g.nodes.length).toBeLessThanOrEqual(12);
      expect(totalBytes(g.edges)).toBe(expectedBytes);
      const tiny = await (await loaded(3)).service.graph(q());
      expectInvariants(tiny);
      expect(tiny.nodes.length).toBeLessThanOrEqual(3);
    });

    it('top(), matrix() and externals() agree with the graph', async () => {
      const { service } = await loaded();
      const top = await service.top({ ...q(), by: 'connections', limit: 5 });
      const conns = top.edges.map((e) => e.connections);
      expect(conns).toEqual([...conns].sort((a, b) => b - a));
      expect(top.edges).toHaveLength(5);
      for (const e of top.edges)
        expect(top.nodes.some((n) => n.id === e.source) && top.nodes.some((n) => n.id === e.target)).toBe(true);
      const m = await service.matrix({ from: T0, to: T0 + HOUR, namespace: 'ns2', level: 'workload' });
      expect(m.incoming.every((r) => r.local.namespace === 'ns2')).toBe(true);
      expect(m.outgoing.every((r) => r.local.namespace === 'ns2')).toBe(true);
      const into = (await service.graph(q())).edges.filter((e) => e.target.startsWith('workload:ns2/'));
      expect(m.incoming.reduce((n, r) => n + r.bytes, 0)).toBe(totalBytes(into));
      const ext = await service.externals(q());
      expect(ext.endpoints.map((x) => x.node.kind).every((k) => k === 'external' || k === 'unknown')).toBe(true);
      const written = [...edges, ...edges.slice(0, 40)];
      expect(ext.endpoints.length).toBeGreaterThan(0);
      for (const x of ext.endpoints) {
        const sent = written.reduce((n, e) => n + (e.clientId === x.node.id ? e.bytesToServer : 0), 0);
        expect(x.bytesOut, x.node.id).toBe(sent);
        expect(x.peers).toEqual(
          [...new Set(written.filter((e) => e.clientId === x.node.id).map((e) => e.serverId))].sort(),
        );
      }
      expect(ext.endpoints.find((x) => x.node.id === 'external:Google LLC')?.node.asn ?? 15169).toBe(15169);
    });

    it('series answers are dense, step-aligned and add up to the graph', async () => {
      const { service } = await loaded();
      const e = edges[0]!;
      const s = await service.edgeSeries({
        from: T0,
        to: T0 + 5 * MIN,
        source: e.clientId,
        target: e.serverId,
        port: e.port,
      });
      expect(s.step).toBe(MIN);
      expect(s.points.map((p) => p.t)).toEqual([0, 1, 2, 3, 4].map((i) => T0 + i * MIN));
      expect(s.points.slice(0, 2).map((p) => p.bytesToServer)).toEqual([e.bytesToServer, e.bytesToServer]);
      const n = await service.nodeSeries({ from: T0, to: T0 + 5 * MIN, id: 'namespace:ns1', level: 'namespace' });
      expect(n.node?.id).toBe('namespace:ns1');
      expect(n.points.reduce((x, p) => x + p.bytesIn + p.bytesOut, 0)).toBe(
        n.node!.totals.bytesIn + n.node!.totals.bytesOut,
      );
      const t = await service.timeline({ from: T0, to: T0 + HOUR });
      expect(t.earliest).toBe(T0);
      expect(t.points.reduce((x, p) => x + p.bytes, 0)).toBe(expectedBytes);
    });
  });
}
