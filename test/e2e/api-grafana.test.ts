/**
 * deploy/grafana as Grafana would use it: every dashboard parses, every data source a panel, target or variable
 * names is provisioned with the same type, every PromQL expression names series and labels flowmap exports (read
 * from a real sink's /metrics) and runs on a real Prometheus scraping that sink, and every Node Graph API and
 * Infinity query, with Grafana's variables filled in, is answered by the API with the fields the panels read.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { nodeGraphQuery } from '../../src/api/index.js';
import { apiOver, getJson, type TestApi } from '../../src/api/testing.js';
import { createPrometheusSink, type PrometheusSink, prometheusSinkConfig } from '../../src/sinks/prometheus/index.js';
import { orientedFlow, parseExposition, pod } from '../../src/sinks/prometheus/testing.js';
import { sampleCluster } from '../../src/sinks/store/contract-graph.test-suite.js';
import { registerStoreMetrics } from '../../src/sinks/store/index.js';
import { HOUR, makeWindow, T0 } from '../../src/sinks/store/testing.js';
import { type RealPrometheus, startPrometheus, waitForScrapes } from './api-tools.js';
import { describeWithPrograms } from './demo-tools.js';

const ROOT = join(import.meta.dirname, '../../deploy/grafana');

type Json = Record<string, unknown>;
interface Ds {
  type: string;
  uid: string;
}
interface Target extends Json {
  datasource?: Ds;
  expr?: string;
  queryText?: string;
  url?: string;
  url_options?: { params?: { key: string; value: string }[] };
}
interface Panel extends Json {
  title: string;
  datasource?: Ds;
  targets?: Target[];
  panels?: Panel[];
}
interface Variable extends Json {
  name: string;
  type: string;
  datasource?: Ds;
  definition?: string;
}

const dashboards = readdirSync(join(ROOT, 'dashboards'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({ file: f, json: JSON.parse(readFileSync(join(ROOT, 'dashboards', f), 'utf8')) as Json }));
const provisioned = readdirSync(join(ROOT, 'provisioning/datasources')).flatMap(
  (f) =>
    (parseYaml(readFileSync(join(ROOT, 'provisioning/datasources', f), 'utf8')) as { datasources: Ds[] }).datasources,
);

const panelsOf = (d: Json): Panel[] => ((d.panels as Panel[]) ?? []).flatMap((p) => [p, ...(p.panels ?? [])]);
const variablesOf = (d: Json): Variable[] => (d.templating as { list?: Variable[] })?.list ?? [];
const targets = (type: string) =>
  dashboards.flatMap(({ json }) =>
    panelsOf(json).flatMap((p) => (p.targets ?? []).filter((t) => (t.datasource ?? p.datasource)?.type === type)),
  );
const promExprs = () => [
  ...targets('prometheus').map((t) => t.expr!),
  ...dashboards.flatMap(({ json }) =>
    variablesOf(json)
      .filter((v) => v.type === 'query')
      .map((v) => v.definition!),
  ),
];

/** Grafana's variables as a panel query sees them with "All" selected */
function substitute(text: string, now = T0 + HOUR): string {
  const values: Record<string, string> = {
    __from: String(T0),
    __to: String(now),
    level: 'workload',
    external: 'include',
    nodes: 'include',
    'srcnamespace:csv': '.*',
    'dstnamespace:csv': '.*',
  };
  return text
    .replace(/\$\{([\w:]+)\}/g, (whole, name: string) => values[name] ?? whole)
    .replace(/\$(srcnamespace|dstnamespace)\b/g, '.*')
    .replaceAll('$topn', '20')
    .replaceAll('$__rate_interval', '10s')
    .replaceAll('$__range', '1m');
}

describe('deploy/grafana', () => {
  it('has dashboards that parse, with unique uids and panel ids', () => {
    expect(dashboards.map((d) => d.file).sort()).toEqual(['flowmap-service-map.json', 'flowmap-traffic.json']);
    expect(new Set(dashboards.map((d) => d.json.uid)).size).toBe(dashboards.length);
    for (const { json } of dashboards) {
      const ids = panelsOf(json).map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it('provisions every data source a panel, target or variable uses, with the same type', () => {
    const byUid = new Map(provisioned.map((d) => [d.uid, d.type]));
    const used = dashboards.flatMap(({ json }) => [
      ...panelsOf(json).flatMap((p) => [p.datasource, ...(p.targets ?? []).map((t) => t.datasource)]),
      ...variablesOf(json).map((v) => v.datasource),
    ]);
    const named = used.filter((d): d is Ds => d !== undefined);
    expect(named.length).toBeGreaterThan(5);
    for (const ds of named) expect(byUid.get(ds.uid), ds.uid).toBe(ds.type);
    expect(new Set(named.map((d) => d.type))).toEqual(
      new Set(['prometheus', 'hamedkarbasi93-nodegraphapi-datasource', 'yesoreyeram-infinity-datasource']),
    );
  });

  describe('graph API queries', () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await apiOver([makeWindow(T0, sampleCluster())], T0 + HOUR);
    });
    afterAll(() => api.store.stop());
    const known = new Set(Object.keys(nodeGraphQuery.shape));

    it('Node Graph API targets pass only parameters the API reads, and get fields and rows that match', async () => {
      const ng = targets('hamedkarbasi93-nodegraphapi-datasource');
      expect(ng.length).toBeGreaterThan(0);
      for (const t of ng) {
        const qs = substitute(t.queryText!);
        for (const key of new URLSearchParams(qs).keys()) expect(known.has(key), key).toBe(true);
        const fields = await getJson<{ nodes_fields: { field_name: string }[] }>(api.app, `/api/graph/fields?${qs}`);
        const data = await getJson<{ nodes: Json[]; edges: Json[] }>(api.app, `/api/graph/data?${qs}`);
        expect([fields.status, data.status]).toEqual([200, 200]);
        expect(data.body.edges.length).toBeGreaterThan(10);
        for (const f of fields.body.nodes_fields) expect(data.body.nodes[0]).toHaveProperty(f.field_name);
      }
    });

    it('Infinity targets read /api/graph/nodes and /api/graph/edges with known parameters', async () => {
      const inf = targets('yesoreyeram-infinity-datasource');
      expect(inf.map((t) => [t.url, t.format]).sort()).toEqual([
        ['/api/graph/edges', 'node-graph-edges'],
        ['/api/graph/nodes', 'node-graph-nodes'],
      ]);
      for (const t of inf) {
        const params = (t.url_options?.params ?? []).map((p) => [p.key, substitute(p.value)]);
        for (const [key] of params) expect(known.has(key!), key).toBe(true);
        const { status, body } = await getJson<Json[]>(
          api.app,
          `${t.url}?${new URLSearchParams(params as [string, string][])}`,
        );
        expect(status).toBe(200);
        expect(body.length).toBeGreaterThan(10);
        for (const row of body) expect(row).toHaveProperty(t.format === 'node-graph-edges' ? 'source' : 'title');
      }
    });
  });
});

describeWithPrograms(['prometheus'], 'deploy/grafana PromQL on a real Prometheus', () => {
  let sink: PrometheusSink;
  let server: Server;
  let prom: RealPrometheus | undefined;

  beforeAll(async () => {
    sink = createPrometheusSink(prometheusSinkConfig.parse({}), { clock: Date.now });
    registerStoreMetrics(sink.registry, {
      stats: () => ({
        queuedWindows: 0,
        queuedEdges: 3,
        writtenWindows: 1,
        writtenEdges: 3,
        droppedEdges: { 'queue-full': 1, 'sink-permanent': 0 },
        skippedWindows: 0,
        batches: 1,
        maxBlockingMs: 2,
        rolledUpTo: T0,
      }),
    });
    const frontend = pod('shop', 'frontend-1', 'frontend');
    const cart = pod('shop', 'cart-1', 'cart');
    const dns = pod('kube-system', 'coredns-1', 'coredns');
    const feed = () =>
      sink.observe([
        orientedFlow(frontend, cart, { bytesToServer: 300, bytesToClient: 5_000, connections: 1 }),
        orientedFlow(frontend, dns, {
          serverPort: 53,
          ipProtocol: 17,
          bytesToServer: 60,
          bytesToClient: 120,
          connections: 1,
        }),
      ]);
    feed();
    server = createServer((_req, res) => {
      feed();
      void sink.render().then((body) => res.writeHead(200, { 'content-type': sink.contentType }).end(body));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    prom = await startPrometheus([`127.0.0.1:${(server.address() as { port: number }).port}`], 24_300);
    await waitForScrapes(prom, 'flowmap_edge_connections_total', 12);
  }, 90_000);

  afterAll(async () => {
    await prom?.stop();
    await new Promise((r) => server?.close(r));
  });

  it('names only series and labels the sink and the store export', async () => {
    const exposition = parseExposition(await sink.render());
    const labels = new Map<string, Set<string>>();
    for (const s of exposition.samples) {
      const set = labels.get(s.name) ?? new Set<string>();
      for (const l of Object.keys(s.labels)) set.add(l);
      labels.set(s.name, set);
    }
    const exprs = promExprs();
    expect(exprs.length).toBeGreaterThan(6);
    for (const expr of exprs) {
      const metrics = [...expr.matchAll(/\b(flowmap_\w+|netflow_connection_\w+)\b/g)].map((m) => m[1]!);
      expect(metrics.length, expr).toBeGreaterThan(0);
      const allowed = new Set(metrics.flatMap((m) => [...(labels.get(m) ?? [])]));
      for (const m of metrics) expect(labels.has(m), `${m} in ${expr}`).toBe(true);
      const used = [
        ...[...expr.matchAll(/\bby \(([^)]*)\)/g)].flatMap((m) => m[1]!.split(',').map((l) => l.trim())),
        ...[...expr.matchAll(/\b([a-z_]+)\s*(?:=~|!=|=)\s*"/g)].map((m) => m[1]!),
        ...[...expr.matchAll(/label_values\(\w+,\s*(\w+)\)/g)].map((m) => m[1]!),
      ];
      for (const l of used) expect(allowed.has(l), `label ${l} in ${expr}`).toBe(true);
    }
  });

  it('runs every dashboard expression, and the edge panels find data', async () => {
    for (const expr of targets('prometheus').map((t) => substitute(t.expr!, Date.now()))) {
      const result = await prom!.query(expr);
      if (/flowmap_edge|netflow_connection|flowmap_store/.test(expr)) expect(result.length, expr).toBeGreaterThan(0);
    }
    const ns = await prom!.query('count by (client_namespace) (flowmap_edge_bytes_total)');
    expect(ns.map((r) => r.metric.client_namespace)).toEqual(['shop']);
  });
});
