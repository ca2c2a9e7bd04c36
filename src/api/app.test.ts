import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  EdgeSeriesResponse,
  ErrorResponse,
  ExternalsResponse,
  GraphResponse,
  MatrixResponse,
  NodeSeriesResponse,
  StatusResponse,
  TimelineResponse,
  TopResponse,
} from '../contract/responses.js';
import { parseEdgesDocument } from '../export/index.js';
import { sampleCluster } from '../sinks/store/contract-graph.test-suite.js';
import { createMemoryStore } from '../sinks/store/index.js';
import {
  edgeAt,
  externalNode,
  HOUR,
  MIN,
  makeEdge,
  makeWindow,
  T0,
  testStoreConfig,
  totalBytes,
  workloadNode,
} from '../sinks/store/testing.js';
import { createApi } from './app.js';
import { apiConfig } from './config.js';
import { apiOver, getJson, READY, STATUS, type TestApi } from './testing.js';

const NOW = T0 + HOUR;
const front = workloadNode('shop', 'frontend');
const cart = workloadNode('shop', 'cart');
const google = externalNode('Google LLC', 15169);
const edges = sampleCluster();
const windows = [
  makeWindow(T0, edges),
  ...[0, 1, 2, 3, 4].map((m) =>
    makeWindow(T0 + m * MIN, [
      edgeAt(makeEdge(front, cart, 8080), T0 + m * MIN, m + 1),
      edgeAt(makeEdge(cart, google, 443), T0 + m * MIN),
    ]),
  ),
];
const range = `from=${T0}&to=${NOW}`;

describe('createApi() /api/v1', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await apiOver(windows, NOW);
  });
  afterAll(() => api.store.stop());

  it('GET /api/v1/graph answers a GraphResponse summing every byte of the range', async () => {
    const { status, body } = await getJson<GraphResponse>(api.app, `/api/v1/graph?${range}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ from: T0, to: NOW, level: 'workload', truncated: false });
    expect(totalBytes(body.edges)).toBe(totalBytes(windows.flatMap((w) => w.edges)));
    const fc = body.edges.find((e) => e.id === `${front.id}->${cart.id}:8080/TCP`);
    expect(fc).toMatchObject({
      source: front.id,
      target: cart.id,
      port: 8080,
      protocol: 'TCP',
      ipProtocol: 6,
      bytesToServer: 15_000,
      connections: 15,
    });
    expect(body.nodes.find((n) => n.id === google.id)).toMatchObject({
      group: 'external',
      asn: 15169,
      org: 'Google LLC',
    });
  });

  it('defaults the range to the last 15 minutes and joins repeated list parameters', async () => {
    const recent = await getJson<GraphResponse>(api.app, '/api/v1/graph');
    expect([recent.body.from, recent.body.to]).toEqual([NOW - 15 * MIN, NOW]);
    expect(recent.body.edges).toEqual([]);
    const ports = await getJson<GraphResponse>(api.app, `/api/v1/graph?${range}&port=8080&port=443`);
    expect(new Set(ports.body.edges.map((e) => e.port))).toEqual(new Set([8080, 443]));
  });

  it('reads now, now-<n><unit> and ISO-8601 times as well as epoch ms, on /api/v1 and the Node Graph API', async () => {
    const iso = new Date(T0).toISOString();
    const paths = [
      `/api/v1/graph?from=now-60m&to=now`,
      `/api/v1/graph?from=${encodeURIComponent(iso)}&to=now`,
      `/api/v1/graph?from=now-3600s`,
      `/api/v1/graph?from=now-1h&to=now-0m`,
    ];
    for (const path of paths) {
      const { status, body } = await getJson<GraphResponse>(api.app, path);
      expect(status, path).toBe(200);
      expect([body.from, body.to], path).toEqual([T0, NOW]);
      expect(totalBytes(body.edges), path).toBe(totalBytes(windows.flatMap((w) => w.edges)));
    }
    const grafana = await getJson<{ nodes: unknown[] }>(api.app, '/api/graph/data?from=now-1h&to=now');
    expect(grafana.body.nodes.length).toBeGreaterThan(0);
    const week = await getJson<GraphResponse>(api.app, '/api/v1/graph?from=now-1w');
    expect(week.body.from).toBe(NOW - 7 * 24 * HOUR);
  });

  it.each(['now-5x', 'now+1h', 'tomorrow', '2026-13-45T00:00:00Z'])(
    'answers 400 naming from for from=%s',
    async (v) => {
      const { status, body } = await getJson<ErrorResponse>(api.app, `/api/v1/graph?from=${encodeURIComponent(v)}`);
      expect(status).toBe(400);
      expect(body.message).toContain(`from="${v}"`);
      expect(body.issues?.map((i) => i.path)).toEqual(['from']);
    },
  );

  it.each([
    ['/api/v1/graph?from=10&to=5', 'bad-range', 'from'],
    ['/api/v1/graph?level=cluster', 'bad-request', 'level'],
    ['/api/v1/graph?port=70000', 'bad-request', 'port.0'],
    ['/api/v1/graph?protocol=carrier-pigeon', 'bad-filter', 'protocol'],
    ['/api/v1/graph?from=yesterday', 'bad-request', 'from'],
    ['/api/v1/graph?minBytes=-1', 'bad-request', 'minBytes'],
    ['/api/v1/edge?target=x', 'bad-request', 'source'],
    [`/api/v1/edge?source=a&target=b&step=1000&${range}`, 'bad-request', 'step'],
    [`/api/v1/edge?source=a&target=b&step=60000&from=0&to=${NOW}`, 'too-many-points', 'step'],
    ['/api/v1/matrix', 'bad-request', 'namespace'],
    ['/api/v1/top?limit=0', 'bad-request', 'limit'],
    ['/api/v1/export?format=pdf', 'bad-request', 'format'],
  ])('GET %s answers 400 %s naming %s', async (path, error, issuePath) => {
    const { status, body } = await getJson<ErrorResponse>(api.app, path);
    expect(status).toBe(400);
    expect(body.error).toBe(error);
    expect(body.message).toMatch(/^Cannot /);
    expect(body.issues?.map((i) => i.path)).toContain(issuePath);
    for (const issue of body.issues ?? []) expect(issue.message.length).toBeGreaterThan(0);
  });

  it('GET /api/v1/edge and /node answer dense series that add up', async () => {
    const e = await getJson<EdgeSeriesResponse>(
      api.app,
      `/api/v1/edge?source=${front.id}&target=${cart.id}&port=8080&protocol=TCP&from=${T0}&to=${T0 + 10 * MIN}`,
    );
    expect(e.status).toBe(200);
    expect(e.body.step).toBe(MIN);
    expect(e.body.points.map((p) => p.bytesToServer)).toEqual([1000, 2000, 3000, 4000, 5000, 0, 0, 0, 0, 0]);
    const n = await getJson<NodeSeriesResponse>(
      api.app,
      `/api/v1/node?id=${encodeURIComponent(cart.id)}&from=${T0}&to=${T0 + 10 * MIN}&step=300000`,
    );
    expect(n.body.step).toBe(5 * MIN);
    expect(n.body.node?.id).toBe(cart.id);
    expect(n.body.points[0]).toMatchObject({
      t: T0,
      bytesIn: 15_000 + 5 * 500,
      bytesOut: 7_500 + 5 * 1000,
      connectionsIn: 15,
      connectionsOut: 5,
    });
  });

  it('GET /api/v1/matrix, /top, /externals and /timeline answer their contract shapes', async () => {
    const m = await getJson<MatrixResponse>(api.app, `/api/v1/matrix?namespace=shop&${range}`);
    expect(m.body.incoming.map((r) => [r.local.id, r.peer.id, r.port, r.protocol])).toEqual([
      [cart.id, front.id, 8080, 'TCP'],
    ]);
    expect(m.body.outgoing.map((r) => r.peer.id).sort()).toEqual([cart.id, google.id].sort());
    const top = await getJson<TopResponse>(api.app, `/api/v1/top?by=bytes&limit=3&${range}`);
    expect(top.body.edges).toHaveLength(3);
    expect(top.body.by).toBe('bytes');
    const ext = await getJson<ExternalsResponse>(api.app, `/api/v1/externals?${range}`);
    const g = ext.body.endpoints.find((x) => x.node.id === google.id);
    expect(g?.peers).toContain(cart.id);
    const t = await getJson<TimelineResponse>(api.app, `/api/v1/timeline?${range}`);
    expect(t.body.earliest).toBe(T0);
    expect(t.body.points.reduce((n, p) => n + p.bytes, 0)).toBe(totalBytes(windows.flatMap((w) => w.edges)));
    const s = await getJson<StatusResponse>(api.app, '/api/v1/status');
    expect(s.body).toEqual(STATUS);
  });

  it('GET /api/v1/export renders the filtered edges with the export renderers', async () => {
    const json = await api.app.request(`/api/v1/export?format=json&namespace=shop&${range}`);
    expect(json.headers.get('content-type')).toContain('application/json');
    const doc = parseEdgesDocument(JSON.parse(await json.text()));
    expect(doc.map((e) => `${e.clientId}>${e.serverId}`).sort()).toEqual([
      `${cart.id}>${google.id}`,
      `${front.id}>${cart.id}`,
    ]);
    const dot = await api.app.request(`/api/v1/export?format=dot&namespace=shop&${range}`);
    expect(dot.headers.get('content-type')).toContain('text/vnd.graphviz');
    expect(await dot.text()).toMatch(/^digraph/);
  });

  it('answers unknown API paths with a JSON 404', async () => {
    const { status, body } = await getJson<ErrorResponse>(api.app, '/api/v1/nope');
    expect(status).toBe(404);
    expect(body.error).toBe('not-found');
  });
});

describe('createApi() around the API', () => {
  it('serves probes and /metrics from its deps', async () => {
    let ready = false;
    const { app, store } = await apiOver(
      [],
      NOW,
      {},
      {
        ready: () => ({ ready, checks: { kubernetes: { ok: ready, message: 'initial list pending' } } }),
        metrics: { contentType: 'text/plain; version=0.0.4', render: async () => 'flowmap_up 1\n' },
      },
    );
    expect((await app.request('/healthz')).status).toBe(200);
    const notReady = await getJson<{ ready: boolean; checks: Record<string, { message?: string }> }>(app, '/readyz');
    expect(notReady.status).toBe(503);
    expect(notReady.body.checks.kubernetes?.message).toBe('initial list pending');
    ready = true;
    expect((await app.request('/readyz')).status).toBe(200);
    const metrics = await app.request('/metrics');
    expect(metrics.headers.get('content-type')).toBe('text/plain; version=0.0.4');
    expect(await metrics.text()).toBe('flowmap_up 1\n');
    await store.stop();
  });

  it('merges the live windows into ranges that cover them', async () => {
    const open = makeWindow(NOW - MIN, [makeEdge(front, cart, 9999, { bytesToServer: 42, bytesToClient: 0 })]);
    const { app, store } = await apiOver([], NOW, {}, { live: () => [open] });
    const g = await getJson<GraphResponse>(app, '/api/v1/graph');
    expect(g.body.edges.map((e) => [e.port, e.bytesToServer])).toEqual([[9999, 42]]);
    const old = await getJson<GraphResponse>(app, `/api/v1/graph?from=${T0}&to=${T0 + MIN}`);
    expect(old.body.edges).toEqual([]);
    await store.stop();
  });

  it('applies CORS, URL and body limits', async () => {
    const { app, store } = await apiOver([], NOW, {
      cors: { origins: ['https://grafana.example'] },
      maxUrlBytes: 300,
      maxBodyBytes: 10,
    });
    const cors = await app.request('/api/v1/graph', { headers: { Origin: 'https://grafana.example' } });
    expect(cors.headers.get('access-control-allow-origin')).toBe('https://grafana.example');
    const other = await app.request('/api/v1/graph', { headers: { Origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const long = await getJson<ErrorResponse>(app, `/api/v1/graph?namespace=${'x'.repeat(400)}`);
    expect([long.status, long.body.error]).toEqual([414, 'uri-too-long']);
    const big = await getJson<ErrorResponse>(app, '/api/v1/graph', { method: 'POST', body: 'x'.repeat(100) });
    expect([big.status, big.body.error]).toEqual([413, 'payload-too-large']);
    await store.stop();
  });

  it('answers 503 while the store is not started', async () => {
    const store = createMemoryStore(testStoreConfig(), { clock: () => NOW });
    const app = createApi(apiConfig.parse({}), { store, ready: () => READY, status: () => STATUS, clock: () => NOW });
    const { status, body } = await getJson<ErrorResponse>(app, '/api/v1/graph');
    expect([status, body.error]).toEqual([503, 'not-started']);
  });

  it('serves the web UI from staticDir with index.html for client-side routes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowmap-ui-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>flowmap</title>');
    writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
    const { app, store } = await apiOver([], NOW, {}, { staticDir: dir });
    expect(await (await app.request('/')).text()).toContain('<title>flowmap</title>');
    const js = await app.request('/assets/app.js');
    expect([js.status, await js.text()]).toEqual([200, 'console.log(1)']);
    expect(await (await app.request('/map/shop')).text()).toContain('<title>flowmap</title>');
    expect((await app.request('/api/v1/missing')).status).toBe(404);
    await store.stop();
    rmSync(dir, { recursive: true, force: true });
  });
});
