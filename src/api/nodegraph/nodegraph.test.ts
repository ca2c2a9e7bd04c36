import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Edge } from '../../core/edge.js';
import { sampleCluster } from '../../sinks/store/contract-graph.test-suite.js';
import { HOUR, MIN, makeEdge, makeWindow, T0, workloadNode } from '../../sinks/store/testing.js';
import { apiOver, getJson, type TestApi } from '../testing.js';
import { formatBytesRate, formatSi } from './format.js';
import type { FieldSpec } from './frames.js';

interface Fields {
  nodes_fields: FieldSpec[];
  edges_fields: FieldSpec[];
}
type Row = Record<string, unknown>;
interface Data {
  nodes: Row[];
  edges: Row[];
}

const NOW = T0 + HOUR;
const edges = sampleCluster();
const range = `from=${T0}&to=${T0 + 10 * MIN}`;

describe('Grafana Node Graph API', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await apiOver([makeWindow(T0, edges)], NOW);
  });
  afterAll(() => api.store.stop());

  it('GET /api/health answers 200 (the plugin\'s "Save & Test")', async () => {
    expect((await api.app.request('/api/health')).status).toBe(200);
  });

  it('GET /api/graph/fields declares every field the rows carry, typed as the plugin reads them', async () => {
    const { status, body } = await getJson<Fields>(api.app, `/api/graph/fields?${range}&query=text1`);
    expect(status).toBe(200);
    const names = (f: FieldSpec[]) => f.map((x) => x.field_name);
    expect(names(body.nodes_fields).slice(0, 5)).toEqual(['id', 'title', 'subTitle', 'mainStat', 'secondaryStat']);
    expect(names(body.edges_fields).slice(0, 5)).toEqual(['id', 'source', 'target', 'mainStat', 'secondaryStat']);
    for (const f of [...body.nodes_fields, ...body.edges_fields]) {
      expect(['string', 'number']).toContain(f.type);
      expect(f.field_name).toMatch(/^(id|title|subTitle|source|target|mainStat|secondaryStat|arc__\w+|detail__\w+)$/);
      if (f.field_name.startsWith('arc__')) {
        expect(f.type).toBe('number');
        expect(f.color).toMatch(/^#[0-9A-Fa-f]{6}$/);
        expect(f.displayName).toBeTruthy();
      } else expect(f.type).toBe('string');
      if (f.field_name.startsWith('detail__')) expect(f.displayName).toBeTruthy();
    }
    expect(body.nodes_fields.filter((f) => f.field_name.startsWith('arc__')).length).toBeGreaterThanOrEqual(2);
    expect(body.edges_fields.some((f) => f.field_name.startsWith('arc__'))).toBe(false);
  });

  it('GET /api/graph/data rows have exactly the declared fields, consistent arcs and formatted stats', async () => {
    const fields = (await getJson<Fields>(api.app, '/api/graph/fields')).body;
    const { status, body } = await getJson<Data>(api.app, `/api/graph/data?${range}&query=text1`);
    expect(status).toBe(200);
    expect(body.nodes.length).toBeGreaterThan(10);
    const ids = new Set(body.nodes.map((n) => n.id));
    expect(ids.size).toBe(body.nodes.length);
    for (const n of body.nodes) {
      expect(Object.keys(n).sort()).toEqual(fields.nodes_fields.map((f) => f.field_name).sort());
      for (const f of fields.nodes_fields) expect(typeof n[f.field_name]).toBe(f.type);
      expect((n.arc__in as number) + (n.arc__out as number)).toBeCloseTo(1, 9);
      expect(n.mainStat).toMatch(/^\d+(\.\d+)? [kMGTP]?B\/s$/);
      expect(n.secondaryStat).toMatch(/^\d+(\.\d+)? k?conn\/(s|min)$/);
    }
    expect(new Set(body.edges.map((e) => e.id)).size).toBe(body.edges.length);
    for (const e of body.edges) {
      expect(Object.keys(e).sort()).toEqual(fields.edges_fields.map((f) => f.field_name).sort());
      expect(ids.has(e.source), `${e.id} source`).toBe(true);
      expect(ids.has(e.target), `${e.id} target`).toBe(true);
      expect(e.secondaryStat).toBe(`${e.detail__port}/${e.detail__protocol}`);
    }
    const first = edges[0]!;
    const row = body.edges.find(
      (e) => e.source === first.clientId && e.target === first.serverId && e.detail__port === String(first.port),
    );
    expect(row?.mainStat).toBe(formatBytesRate((first.bytesToServer + first.bytesToClient) / 600));
  });

  it("filters by the seed dashboard's srcnamespace/dstnamespace in Grafana's multi-value forms", async () => {
    const pick = (keep: (e: Edge) => boolean) => edges.filter(keep).length;
    for (const [qs, keep] of [
      ['srcnamespace=ns1', (e: Edge) => e.client.namespace === 'ns1'],
      ['dstnamespace={ns2,ns3}', (e: Edge) => e.server.namespace === 'ns2' || e.server.namespace === 'ns3'],
      [
        'srcnamespace=(ns0|ns1)&dstnamespace=ns0',
        (e: Edge) => ['ns0', 'ns1'].includes(e.client.namespace) && e.server.namespace === 'ns0',
      ],
      ['srcnamespace=$__all&dstnamespace=All', () => true],
    ] as const) {
      const { status, body } = await getJson<Data>(api.app, `/api/graph/data?${range}&${qs}`);
      expect(status, qs).toBe(200);
      expect(body.edges.length, qs).toBe(pick(keep));
    }
  });

  it('answers a bad panel query with a 400 ErrorResponse', async () => {
    const { status, body } = await getJson<{ error: string; issues: { path: string }[] }>(
      api.app,
      `/api/graph/data?from=${NOW}&to=${T0}`,
    );
    expect(status).toBe(400);
    expect(body.issues.map((i) => i.path)).toEqual(['from']);
  });

  it('GET /api/graph/nodes and /api/graph/edges give Infinity the same rows as arrays', async () => {
    const data = (await getJson<Data>(api.app, `/api/graph/data?${range}`)).body;
    const nodes = (await getJson<Row[]>(api.app, `/api/graph/nodes?${range}`)).body;
    const edgeRows = (await getJson<Row[]>(api.app, `/api/graph/edges?${range}`)).body;
    expect(nodes.map((n) => n.id)).toEqual(data.nodes.map((n) => n.id));
    expect(edgeRows).toEqual(data.edges);
    for (const n of nodes) expect([n.arc__in_color, n.arc__out_color]).toEqual(['#5794F2', '#FF9830']);
  });
});

describe('Grafana Node Graph API beyond 1,500 nodes', () => {
  it('groups the smallest nodes so that at most 1,500 remain and no edge dangles', async () => {
    const many = [...Array(2400).keys()].map((i) =>
      makeEdge(workloadNode(`ns${i % 30}`, `client-${i}`), workloadNode(`ns${(i * 7) % 30}`, `server-${i % 900}`), 80, {
        bytesToServer: 100 + i,
      }),
    );
    const { app, store } = await apiOver([makeWindow(T0, many)], NOW, { nodeLimit: 5000 });
    const full = (await getJson<{ nodes: unknown[] }>(app, `/api/v1/graph?${range}`)).body;
    expect(full.nodes.length).toBeGreaterThan(1500);
    const { body } = await getJson<Data>(app, `/api/graph/data?${range}`);
    expect(body.nodes.length).toBeLessThanOrEqual(1500);
    const ids = new Set(body.nodes.map((n) => n.id));
    for (const e of body.edges) expect(ids.has(e.source) && ids.has(e.target)).toBe(true);
    expect(body.nodes.some((n) => String(n.id).startsWith('namespace:'))).toBe(true);
    await store.stop();
  });
});

describe('formatSi()', () => {
  it.each([
    [0, '0 B'],
    [0.5, '0.5 B'],
    [950, '950 B'],
    [999.6, '1 kB'],
    [1234, '1.23 kB'],
    [56_789_000, '56.8 MB'],
    [3.2e12, '3.2 TB'],
  ])('formatSi(%d) is %s', (value, text) => {
    expect(formatSi(value, 'B')).toBe(text);
  });
});
