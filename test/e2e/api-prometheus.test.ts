/**
 * The Prometheus-backed graph source against a real Prometheus (Debian's `prometheus`): it scrapes, every second,
 * an endpoint serving flowmap_edge_* counters that grow at known rates; the API answers graph, series and node
 * graph queries from Prometheus and the numbers match those rates.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { apiConfig, createApi, createPrometheusSource, prometheusSourceConfig } from '../../src/api/index.js';
import { READY, STATUS } from '../../src/api/testing.js';
import type { ErrorResponse, GraphResponse } from '../../src/contract/responses.js';
import type { EdgeSource } from '../../src/sinks/store/index.js';
import { freePort, type RealPrometheus, startPrometheus, waitForScrapes } from './api-tools.js';
import { describeWithPrograms } from './demo-tools.js';

interface Series {
  readonly labels: Record<string, string>;
  /** per second: bytes to server / to client, packets to server / to client, connections */
  readonly rates: readonly [number, number, number, number, number];
}

const SERIES: readonly Series[] = [
  {
    labels: {
      client_namespace: 'shop',
      client_name: 'frontend',
      client_kind: 'Deployment',
      server_namespace: 'shop',
      server_name: 'cart',
      server_kind: 'Deployment',
      port: '8080',
      protocol: 'TCP',
    },
    rates: [1000, 4000, 10, 20, 2],
  },
  {
    labels: {
      client_namespace: 'shop',
      client_name: 'cart',
      client_kind: 'Deployment',
      server_namespace: '',
      server_name: 'Google LLC',
      server_kind: 'external',
      port: '443',
      protocol: 'TCP',
    },
    rates: [500, 100, 5, 1, 1],
  },
  {
    labels: {
      client_namespace: '',
      client_name: 'worker-1',
      client_kind: 'Node',
      server_namespace: 'kube-system',
      server_name: 'coredns',
      server_kind: 'DaemonSet',
      port: '53',
      protocol: 'UDP',
    },
    rates: [60, 120, 1, 1, 1],
  },
  {
    labels: {
      client_namespace: 'shop',
      client_name: 'frontend',
      client_kind: 'Deployment',
      server_namespace: 'shop',
      server_name: 'cart',
      server_kind: 'Service',
      port: '80',
      protocol: 'TCP',
    },
    rates: [10, 10, 1, 1, 1],
  },
];

const ID = {
  frontend: 'workload:shop/Deployment/frontend',
  cart: 'workload:shop/Deployment/cart',
  google: 'external:Google LLC',
  worker: 'node:worker-1',
  coredns: 'workload:kube-system/DaemonSet/coredns',
  cartService: 'service:shop/cart',
};

/** exposition text of counters that grew at SERIES' rates since `start` */
function exposition(start: number): string {
  const s = (Date.now() - start) / 1000;
  const labels = (l: Record<string, string>) =>
    Object.entries(l)
      .map(([k, v]) => `${k}="${v}"`)
      .join(',');
  const lines: string[] = [
    '# TYPE flowmap_edge_bytes_total counter',
    '# TYPE flowmap_edge_packets_total counter',
    '# TYPE flowmap_edge_connections_total counter',
  ];
  for (const {
    labels: l,
    rates: [bs, bc, ps, pc, c],
  } of SERIES) {
    lines.push(`flowmap_edge_bytes_total{${labels({ ...l, direction: 'to_server' })}} ${Math.floor(bs * s)}`);
    lines.push(`flowmap_edge_bytes_total{${labels({ ...l, direction: 'to_client' })}} ${Math.floor(bc * s)}`);
    lines.push(`flowmap_edge_packets_total{${labels({ ...l, direction: 'to_server' })}} ${Math.floor(ps * s)}`);
    lines.push(`flowmap_edge_packets_total{${labels({ ...l, direction: 'to_client' })}} ${Math.floor(pc * s)}`);
    lines.push(`flowmap_edge_connections_total{${labels(l)}} ${Math.floor(c * s)}`);
  }
  return `${lines.join('\n')}\n`;
}

describeWithPrograms(['prometheus'], 'Prometheus-backed graph source', () => {
  let server: Server;
  let prom: RealPrometheus | undefined;
  let source: EdgeSource;
  const start = Date.now();
  const app = () =>
    createApi(apiConfig.parse({}), { store: source, ready: () => READY, status: () => STATUS, clock: Date.now });

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url !== '/metrics') res.writeHead(404).end();
      else res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(exposition(start));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    prom = await startPrometheus([`127.0.0.1:${(server.address() as { port: number }).port}`], 24_100);
    await waitForScrapes(prom, 'flowmap_edge_connections_total', 10);
    source = createPrometheusSource(prometheusSourceConfig.parse({ url: prom.url, selector: 'job="flowmap"' }));
  }, 90_000);

  afterAll(async () => {
    await prom?.stop();
    await new Promise((r) => server?.close(r));
  });

  it('answers /api/v1/graph with the edges, nodes and byte counts of the series', async () => {
    const to = Date.now() - 1_000;
    const from = to - 6_000;
    const res = await app().request(`/api/v1/graph?from=${from}&to=${to}`);
    expect(res.status).toBe(200);
    const g = (await res.json()) as GraphResponse;
    expect(g.edges.map((e) => e.id).sort()).toEqual(
      [
        `${ID.frontend}->${ID.cart}:8080/TCP`,
        `${ID.cart}->${ID.google}:443/TCP`,
        `${ID.worker}->${ID.coredns}:53/UDP`,
        `${ID.frontend}->${ID.cartService}:80/TCP`,
      ].sort(),
    );
    const groups = Object.fromEntries(g.nodes.map((n) => [n.id, n.group]));
    expect(groups).toMatchObject({
      [ID.google]: 'external',
      [ID.worker]: 'cluster',
      [ID.coredns]: 'namespace:kube-system',
      [ID.cartService]: 'namespace:shop',
    });
    const fc = g.edges.find((e) => e.port === 8080)!;
    expect(fc.bytesToServer).toBeGreaterThan(1000 * 6 * 0.7);
    expect(fc.bytesToServer).toBeLessThan(1000 * 6 * 1.3);
    expect(fc.bytesToClient / fc.bytesToServer).toBeCloseTo(4, 0);
    expect(fc.packetsToClient / fc.packetsToServer).toBeCloseTo(2, 0);
    expect(fc.connections).toBeGreaterThan(2 * 6 * 0.6);
    expect(fc.protocol).toBe('TCP');
  });

  it('answers namespace-level graphs and seed-style filters from the workload series', async () => {
    const to = Date.now();
    const g = (await (
      await app().request(`/api/v1/graph?from=${to - 8_000}&to=${to}&level=namespace&nodes=exclude`)
    ).json()) as GraphResponse;
    expect(g.edges.map((e) => `${e.source}->${e.target}:${e.port}`).sort()).toEqual(
      [
        'namespace:shop->namespace:shop:8080',
        'namespace:shop->namespace:shop:80',
        `namespace:shop->${ID.google}:443`,
      ].sort(),
    );
    const data = (await (
      await app().request(`/api/graph/data?from=${to - 8_000}&to=${to}&srcnamespace=shop&dstnamespace=shop`)
    ).json()) as { edges: { id: string }[] };
    expect(data.edges.map((e) => e.id).sort()).toEqual(
      [`${ID.frontend}->${ID.cart}:8080/TCP`, `${ID.frontend}->${ID.cartService}:80/TCP`].sort(),
    );
  });

  it('answers series from query_range, split by direction', async () => {
    const to = Math.floor((Date.now() - 1_000) / 1000) * 1000;
    const [fc, intoShop] = await source.series({
      from: to - 8_000,
      to,
      level: 'workload',
      step: 2_000,
      selectors: [{ client: ID.frontend, server: ID.cart, port: 8080, ipProtocol: 6 }, { server: 'namespace:shop' }],
    });
    expect(fc?.map((p) => p.t)).toEqual([0, 1, 2, 3].map((i) => to - 8_000 + i * 2_000));
    const sum = (k: 'bytesToServer' | 'bytesToClient') => fc!.reduce((n, p) => n + p[k], 0);
    expect(sum('bytesToServer')).toBeGreaterThan(8 * 1000 * 0.7);
    expect(sum('bytesToClient') / sum('bytesToServer')).toBeCloseTo(4, 0);
    expect(intoShop!.reduce((n, p) => n + p.bytesToServer, 0)).toBeGreaterThan(sum('bytesToServer'));
    const res = await app().request(
      `/api/v1/edge?source=${encodeURIComponent(ID.cart)}&target=${encodeURIComponent(ID.google)}&from=${Date.now() - 180_000}`,
    );
    expect(res.status).toBe(200);
    const points = ((await res.json()) as { points: { bytesToServer: number; bytesToClient: number }[] }).points;
    const total = points.reduce((n, p) => n + p.bytesToServer, 0);
    expect(total).toBeGreaterThan(0);
    expect(points.reduce((n, p) => n + p.bytesToClient, 0) / total).toBeCloseTo(0.2, 1);
  });

  it('refuses pod-level queries with a 400 and an unreachable Prometheus with a 502', async () => {
    const pods = await app().request('/api/v1/graph?level=pod');
    expect(pods.status).toBe(400);
    expect(((await pods.json()) as ErrorResponse).error).toBe('unsupported');
    const gone = createPrometheusSource(
      prometheusSourceConfig.parse({ url: `http://127.0.0.1:${await freePort(24_200)}`, timeoutMs: 2_000 }),
    );
    const res = await createApi(apiConfig.parse({}), {
      store: gone,
      ready: () => READY,
      status: () => STATUS,
      clock: Date.now,
    }).request('/api/v1/graph');
    expect(res.status).toBe(502);
    expect((await res.json()) as ErrorResponse).toMatchObject({
      error: 'unavailable',
      message: expect.stringMatching(/^Cannot query Prometheus "http:\/\/127\.0\.0\.1:\d+": /),
    });
  });
});
