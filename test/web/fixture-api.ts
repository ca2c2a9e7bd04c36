/**
 * A stand-in for /api/v1 over a list of EdgeWindows, answering with the contract's response types and validating
 * queries with the contract's zod schemas (400 + ErrorResponse). Used by the browser tests until the real
 * `createApi` and store exist, and by the render benchmark (which needs a graph of a fixed size).
 * @module
 */
import { Hono } from 'hono';
import type * as z from 'zod';
import {
  edgeSeriesQuery,
  graphQuery,
  matrixQuery,
  nodeSeriesQuery,
  rangeQuery,
  timelineQuery,
} from '../../src/contract/query.js';
import type {
  ErrorResponse,
  GraphEdge,
  GraphNode,
  GraphResponse,
  MatrixRow,
  NodeTotals,
  StatusResponse,
} from '../../src/contract/responses.js';
import type { Edge, EdgeWindow, GroupLevel, MapNode } from '../../src/core/edge.js';

const PROTOCOLS: Record<number, string> = { 1: 'ICMP', 6: 'TCP', 17: 'UDP', 132: 'SCTP' };

export const groupOf = (n: MapNode): string =>
  n.kind === 'node'
    ? 'cluster'
    : n.kind === 'external'
      ? 'external'
      : n.kind === 'unknown'
        ? 'unknown'
        : `namespace:${n.namespace}`;

type Sum = { -readonly [K in keyof Edge]: Edge[K] };

function sumEdges(windows: readonly EdgeWindow[], level: GroupLevel, from: number, to: number): Sum[] {
  const map = new Map<string, Sum>();
  for (const w of windows) {
    if (w.level !== level || w.end <= from || w.start >= to) continue;
    for (const e of w.edges) {
      const key = `${e.clientId}|${e.serverId}|${e.port}|${e.ipProtocol}`;
      const s = map.get(key);
      if (!s) map.set(key, { ...e });
      else {
        s.bytesToServer += e.bytesToServer;
        s.bytesToClient += e.bytesToClient;
        s.packetsToServer += e.packetsToServer;
        s.packetsToClient += e.packetsToClient;
        s.connections += e.connections;
        s.firstSeen = Math.min(s.firstSeen, e.firstSeen);
        s.lastSeen = Math.max(s.lastSeen, e.lastSeen);
      }
    }
  }
  return [...map.values()];
}

type GraphFilters = z.output<typeof graphQuery>;

function keep(e: Edge, q: GraphFilters): boolean {
  const sides = [e.client, e.server];
  if (q.namespace && !sides.some((n) => q.namespace?.includes(n.namespace))) return false;
  if (q.workload && !sides.some((n) => q.workload?.includes(n.name))) return false;
  if (q.kind && !sides.some((n) => q.kind?.includes(n.kind) || q.kind?.includes(n.workloadKind))) return false;
  if (q.port && !q.port.includes(e.port)) return false;
  const proto = PROTOCOLS[e.ipProtocol] ?? String(e.ipProtocol);
  if (q.protocol && !q.protocol.some((p) => p.toUpperCase() === proto || p === String(e.ipProtocol))) return false;
  if (q.external === 'exclude' && sides.some((n) => n.kind === 'external' || n.kind === 'unknown')) return false;
  if (q.nodes === 'exclude' && sides.some((n) => n.kind === 'node')) return false;
  return e.bytesToServer + e.bytesToClient >= q.minBytes;
}

export function toGraphEdge(e: Edge): GraphEdge {
  const protocol = PROTOCOLS[e.ipProtocol] ?? String(e.ipProtocol);
  return {
    id: `${e.clientId}->${e.serverId}:${e.port}/${protocol}`,
    source: e.clientId,
    target: e.serverId,
    port: e.port,
    ipProtocol: e.ipProtocol,
    protocol,
    bytesToServer: e.bytesToServer,
    bytesToClient: e.bytesToClient,
    packetsToServer: e.packetsToServer,
    packetsToClient: e.packetsToClient,
    connections: e.connections,
    firstSeen: e.firstSeen,
    lastSeen: e.lastSeen,
    evidence: e.evidence,
    ...(e.services ? { services: e.services } : {}),
  };
}

type Totals = { -readonly [K in keyof NodeTotals]: number };

export function graphOf(edges: readonly Edge[], from: number, to: number, level: GroupLevel): GraphResponse {
  const nodes = new Map<string, GraphNode & { totals: Totals }>();
  const touch = (n: MapNode): Totals => {
    let g = nodes.get(n.id);
    if (!g) {
      const totals = { bytesIn: 0, bytesOut: 0, packetsIn: 0, packetsOut: 0, connectionsIn: 0, connectionsOut: 0 };
      g = { ...n, group: groupOf(n), totals };
      nodes.set(n.id, g);
    }
    return g.totals;
  };
  for (const e of edges) {
    const s = touch(e.server);
    const c = touch(e.client);
    s.bytesIn += e.bytesToServer;
    s.bytesOut += e.bytesToClient;
    s.packetsIn += e.packetsToServer;
    s.packetsOut += e.packetsToClient;
    s.connectionsIn += e.connections;
    c.bytesIn += e.bytesToClient;
    c.bytesOut += e.bytesToServer;
    c.packetsIn += e.packetsToClient;
    c.packetsOut += e.packetsToServer;
    c.connectionsOut += e.connections;
  }
  return { from, to, level, nodes: [...nodes.values()], edges: edges.map(toGraphEdge), truncated: false };
}

function bad(message: string, issues: { path: string; message: string }[] = []): Response {
  const body: ErrorResponse = { error: 'bad-request', message, issues };
  return Response.json(body, { status: 400 });
}

function parse<T extends z.ZodType>(schema: T, query: Record<string, string>): z.output<T> | Response {
  const r = schema.safeParse(query);
  if (!r.success) {
    const issues = r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    return bad(`Cannot read the query: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`, issues);
  }
  const v = r.data as { from?: number; to?: number };
  if (v.from !== undefined && v.to !== undefined && v.from >= v.to) {
    return bad(`Cannot use the range "${v.from}..${v.to}": from must be before to`, [
      { path: 'from', message: 'must be before to' },
    ]);
  }
  return r.data;
}

export interface FixtureApiOptions {
  readonly windows: readonly EdgeWindow[];
  readonly clock: () => number;
  readonly status?: Partial<StatusResponse>;
}

const range = (q: { from?: number | undefined; to?: number | undefined }, now: number) => {
  const to = q.to ?? now;
  return { from: q.from ?? to - 15 * 60_000, to };
};

/** the level an edge's ids belong to: node and external ids are the same at every level */
const levelOfIds = (a: string, b: string): GroupLevel =>
  [a, b].some((id) => id.startsWith('pod:'))
    ? 'pod'
    : [a, b].some((id) => id.startsWith('namespace:'))
      ? 'namespace'
      : 'workload';

export function createFixtureApi(o: FixtureApiOptions): Hono {
  const app = new Hono();
  const stepOf = (from: number, to: number, step?: number) =>
    step ?? Math.max(60_000, Math.ceil((to - from) / 60 / 60_000) * 60_000);
  app.get('/api/v1/graph', (c) => {
    const q = parse(graphQuery, c.req.query());
    if (q instanceof Response) return q;
    const { from, to } = range(q, o.clock());
    const edges = sumEdges(o.windows, q.level, from, to).filter((e) => keep(e, q));
    return c.json(graphOf(edges, from, to, q.level));
  });
  app.get('/api/v1/edge', (c) => {
    const q = parse(edgeSeriesQuery, c.req.query());
    if (q instanceof Response) return q;
    const { from, to } = range(q, o.clock());
    const step = stepOf(from, to, q.step);
    const points = [];
    for (let t = Math.floor(from / step) * step; t < to; t += step) {
      const es = sumEdges(o.windows, levelOfIds(q.source, q.target), t, t + step).filter(
        (e) =>
          e.clientId === q.source &&
          e.serverId === q.target &&
          (q.port === undefined || e.port === q.port) &&
          (q.protocol === undefined || (PROTOCOLS[e.ipProtocol] ?? '') === q.protocol.toUpperCase()),
      );
      points.push({
        t,
        bytesToServer: es.reduce((s, e) => s + e.bytesToServer, 0),
        bytesToClient: es.reduce((s, e) => s + e.bytesToClient, 0),
        packetsToServer: es.reduce((s, e) => s + e.packetsToServer, 0),
        packetsToClient: es.reduce((s, e) => s + e.packetsToClient, 0),
        connections: es.reduce((s, e) => s + e.connections, 0),
      });
    }
    return c.json({ from, to, step, points });
  });
  app.get('/api/v1/node', (c) => {
    const q = parse(nodeSeriesQuery, c.req.query());
    if (q instanceof Response) return q;
    const { from, to } = range(q, o.clock());
    const step = stepOf(from, to, q.step);
    const whole = graphOf(sumEdges(o.windows, q.level, from, to), from, to, q.level);
    const points = [];
    for (let t = Math.floor(from / step) * step; t < to; t += step) {
      const g = graphOf(sumEdges(o.windows, q.level, t, t + step), t, t + step, q.level);
      const n = g.nodes.find((x) => x.id === q.id);
      const zero = { bytesIn: 0, bytesOut: 0, packetsIn: 0, packetsOut: 0, connectionsIn: 0, connectionsOut: 0 };
      points.push({ t, ...(n?.totals ?? zero) });
    }
    return c.json({ from, to, step, node: whole.nodes.find((x) => x.id === q.id) ?? null, points });
  });
  app.get('/api/v1/matrix', (c) => {
    const q = parse(matrixQuery, c.req.query());
    if (q instanceof Response) return q;
    const { from, to } = range(q, o.clock());
    const row = (local: MapNode, peer: MapNode, e: Edge): MatrixRow => ({
      local,
      peer,
      port: e.port,
      protocol: PROTOCOLS[e.ipProtocol] ?? String(e.ipProtocol),
      bytes: e.bytesToServer + e.bytesToClient,
      packets: e.packetsToServer + e.packetsToClient,
      connections: e.connections,
      lastSeen: e.lastSeen,
    });
    const edges = sumEdges(o.windows, q.level, from, to);
    const inside = (n: MapNode) => n.namespace === q.namespace && n.kind !== 'node';
    const incoming = edges.filter((e) => inside(e.server) && !inside(e.client)).map((e) => row(e.server, e.client, e));
    const outgoing = edges.filter((e) => inside(e.client) && !inside(e.server)).map((e) => row(e.client, e.server, e));
    return c.json({ namespace: q.namespace, from, to, incoming, outgoing });
  });
  app.get('/api/v1/externals', (c) => {
    const q = parse(rangeQuery, c.req.query());
    if (q instanceof Response) return q;
    const { from, to } = range(q, o.clock());
    const byId = new Map<
      string,
      {
        node: MapNode;
        bytesIn: number;
        bytesOut: number;
        connections: number;
        peers: Set<string>;
        firstSeen: number;
        lastSeen: number;
      }
    >();
    for (const e of sumEdges(o.windows, 'workload', from, to)) {
      for (const [ext, peer, sent, received] of [
        [e.server, e.client, e.bytesToClient, e.bytesToServer],
        [e.client, e.server, e.bytesToServer, e.bytesToClient],
      ] as const) {
        if (ext.kind !== 'external' && ext.kind !== 'unknown') continue;
        const x = byId.get(ext.id) ?? {
          node: ext,
          bytesIn: 0,
          bytesOut: 0,
          connections: 0,
          peers: new Set<string>(),
          firstSeen: e.firstSeen,
          lastSeen: e.lastSeen,
        };
        x.bytesIn += received;
        x.bytesOut += sent;
        x.connections += e.connections;
        x.peers.add(peer.id);
        x.firstSeen = Math.min(x.firstSeen, e.firstSeen);
        x.lastSeen = Math.max(x.lastSeen, e.lastSeen);
        byId.set(ext.id, x);
      }
    }
    const endpoints = [...byId.values()].map((x) => ({ ...x, peers: [...x.peers].sort() }));
    return c.json({ from, to, endpoints });
  });
  app.get('/api/v1/timeline', (c) => {
    const q = parse(timelineQuery, c.req.query());
    if (q instanceof Response) return q;
    const { from, to } = range(q, o.clock());
    const step = stepOf(from, to, q.step);
    const workload = o.windows.filter((w) => w.level === 'workload');
    const points = [];
    for (let t = Math.floor(from / step) * step; t < to; t += step) {
      const ws = workload.filter((w) => w.start >= t && w.start < t + step);
      if (ws.length === 0) continue;
      const es = ws.flatMap((w) => w.edges);
      points.push({
        t,
        bytes: es.reduce((s, e) => s + e.bytesToServer + e.bytesToClient, 0),
        connections: es.reduce((s, e) => s + e.connections, 0),
      });
    }
    const earliest = workload.length ? Math.min(...workload.map((w) => w.start)) : null;
    return c.json({ from, to, step, earliest, points });
  });
  app.get('/api/v1/status', (c) => {
    const status: StatusResponse = {
      version: '0.1.0-fixture',
      startedAt: o.clock() - 3600_000,
      exporters: [],
      recordsPerSecond: 0,
      kubernetes: { source: 'snapshot', synced: true },
      liveEdges: 0,
      ...o.status,
    };
    return c.json(status);
  });
  return app;
}
