/**
 * /metrics as real Prometheus tooling sees it: Debian's `promtool check metrics` lints the exposition, and a real
 * `prometheus` scrapes an HTTP endpoint serving the sink's registry every second; its query API must return the
 * flowmap_edge_*, netflow_connection_*, user-defined and self-metrics series with the values we fed in.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Collector, collectorConfig, createCollector } from '../../src/collector/index.js';
import { TCP_FLAG } from '../../src/core/flow.js';
import { createPacketDecoder } from '../../src/decode/index.js';
import { createNetflowV9Encoder } from '../../src/demo/encode/index.js';
import { createPrometheusSink, type PrometheusSink, prometheusSinkConfig } from '../../src/sinks/prometheus/index.js';
import { orientedFlow, pod } from '../../src/sinks/prometheus/testing.js';
import { exportRecords, waitFor } from './collector-tools.js';
import { describeWithPrograms } from './demo-tools.js';

/** a free TCP port in this suite's range (26900-26999) */
async function freePort(): Promise<number> {
  for (let port = 26_900 + Math.floor(Math.random() * 50); port < 27_000; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = createNetServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('Cannot find a free port in 26900-26999');
}

interface Vector {
  metric: Record<string, string>;
  value: [number, string];
}

describeWithPrograms(['prometheus', 'promtool'], 'Prometheus scrapes the sink', () => {
  const frontend = pod('shop', 'frontend-7d9f-abcde', 'frontend', { seedName: 'frontend-app' });
  const cart = pod('shop', 'cart-5c6d-xyz', 'cartservice');
  const coredns = pod('kube-system', 'coredns-abc', 'coredns', { seedName: 'kube-dns' });
  const { SYN, ACK, FIN } = TCP_FLAG;
  let sink: PrometheusSink;
  let collector: Collector;
  let server: Server;
  let prometheus: ChildProcess | undefined;
  let promPort = 0;
  let dir = '';
  let log = '';

  async function query(expr: string): Promise<Vector[]> {
    const res = await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await res.json()) as { status: string; data: { result: Vector[] } };
    if (body.status !== 'success') throw new Error(`Cannot query "${expr}": ${JSON.stringify(body)}`);
    return body.data.result;
  }
  const value = async (expr: string) => {
    const result = await query(expr);
    if (result.length !== 1) throw new Error(`Cannot read one value of "${expr}": ${result.length} series`);
    return Number(result[0]!.value[1]);
  };

  beforeAll(async () => {
    sink = createPrometheusSink(
      prometheusSinkConfig.parse({
        flowMetrics: [
          {
            name: 'dns_queries_total',
            type: 'counter',
            labels: ['clientName'],
            filters: [
              { field: 'serverPort', value: 53 },
              { field: 'protocol', value: 'UDP' },
            ],
          },
          {
            name: 'tcp_flags_total',
            type: 'counter',
            labels: ['tcpFlags'],
            flatten: ['tcpFlags'],
            remap: { tcpFlags: 'flag' },
          },
          { name: 'flow_bytes', type: 'histogram', valueField: 'bytes', buckets: [100, 1000, 10000] },
        ],
      }),
      { clock: Date.now },
    );
    // a real collector and decoder, so the self-metrics come from real counters
    collector = createCollector(
      collectorConfig.parse({ udp: { addresses: ['127.0.0.1'], ports: [0] }, tcp: { enabled: false } }),
      {
        clock: Date.now,
        decoder: createPacketDecoder({ clock: Date.now }),
        consume: () => {},
      },
    );
    await collector.start(new AbortController().signal);
    sink.registerCollector(() => collector.stats());
    const now = Date.now();
    const packets = createNetflowV9Encoder({ domainId: 1 }).encode(exportRecords(50, now), now);
    const { createSocket } = await import('node:dgram');
    const udp = createSocket('udp4');
    const port = collector.listeners()[0]!.port;
    await new Promise<void>((r) => udp.connect(port, '127.0.0.1', () => r()));
    for (const p of packets) udp.send(p);
    await waitFor(() => collector.stats().records['netflow-v9'] === 50);
    udp.close();

    sink.observe([
      orientedFlow(frontend, cart, {
        bytesToServer: 300,
        bytesToClient: 5_000,
        packetsToServer: 4,
        packetsToClient: 6,
        connections: 1,
        record: { tcpFlags: SYN | ACK },
      }),
      orientedFlow(frontend, cart, {
        bytesToServer: 200,
        bytesToClient: 0,
        packetsToServer: 2,
        packetsToClient: 0,
        connections: 0,
        record: { tcpFlags: ACK | FIN },
      }),
      ...[1, 2, 3].map(() =>
        orientedFlow(frontend, coredns, {
          serverPort: 53,
          ipProtocol: 17,
          bytesToServer: 60,
          bytesToClient: 120,
          packetsToServer: 1,
          packetsToClient: 1,
          record: { tcpFlags: 0 },
        }),
      ),
    ]);

    server = createServer((req, res) => {
      if (req.url !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      sink.render().then((body) => res.writeHead(200, { 'content-type': sink.contentType }).end(body));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const target = `127.0.0.1:${(server.address() as { port: number }).port}`;

    dir = mkdtempSync(join(tmpdir(), 'flowmap-prom-'));
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: flowmap\n    static_configs:\n      - targets: ['${target}']\n`,
    );
    promPort = await freePort();
    prometheus = spawn('prometheus', [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
    ]);
    prometheus.stderr?.on('data', (d: Buffer) => {
      log += d.toString();
    });
    await waitFor(() => log.includes('Server is ready to receive web requests'), 30_000, 'prometheus to start');
  }, 60_000);

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((r) => prometheus?.once('exit', r));
      prometheus.kill('SIGTERM');
      await exited;
    }
    await new Promise((r) => server?.close(r));
    await collector?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('passes promtool check metrics, apart from the seed names it lints on purpose', async () => {
    const body = await sink.render();
    const result = spawnSync('promtool', ['check', 'metrics'], { input: body, encoding: 'utf8' });
    const problems = `${result.stdout}${result.stderr}`.split('\n').filter(Boolean);
    expect(problems.filter((p) => /error|pars/i.test(p))).toEqual([]);
    // prom-client's own nodejs_* gauges end in _total; the seed's counters lack it (names kept for dashboards)
    const ours = problems.filter((p) => !p.startsWith('nodejs_'));
    expect(ours.sort()).toEqual([
      'netflow_connection_bytes counter metrics should have "_total" suffix',
      'netflow_connection_count counter metrics should have "_total" suffix',
      'netflow_connection_count non-histogram and non-summary metrics should not have "_count" suffix',
      'netflow_connection_packets counter metrics should have "_total" suffix',
    ]);
  });

  it('is scraped by a real Prometheus with the values fed in', async () => {
    await waitFor(() => log.includes('Server is ready'), 1_000);
    let ready = false;
    const until = Date.now() + 30_000;
    while (!ready && Date.now() < until) {
      // a new series shows 0 on its first scrape (prometheus.firstScrapeZero): wait for the value
      ready = (await query('flowmap_user_flow_bytes_count'))[0]?.value[1] === '5';
      if (!ready) await new Promise((r) => setTimeout(r, 250));
    }
    expect(ready, `no sample scraped; prometheus log:\n${log.slice(-2000)}`).toBe(true);
    expect(await value('up{job="flowmap"}')).toBe(1);

    const edge =
      'client_namespace="shop",client_name="frontend",client_kind="Deployment",server_name="cartservice",port="8080",protocol="TCP"';
    expect(await value(`flowmap_edge_bytes_total{${edge},direction="to_server"}`)).toBe(500);
    expect(await value(`flowmap_edge_bytes_total{${edge},direction="to_client"}`)).toBe(5_000);
    expect(await value(`flowmap_edge_packets_total{${edge},direction="to_server"}`)).toBe(6);
    expect(await value(`flowmap_edge_connections_total{${edge}}`)).toBe(1);
    expect(
      await value(
        'flowmap_edge_bytes_total{server_name="coredns",server_namespace="kube-system",port="53",protocol="UDP",direction="to_client"}',
      ),
    ).toBe(360);

    expect(
      await value(
        'netflow_connection_bytes{srchost="frontend-app",srcnamespace="shop",dsthost="cart-5c6d-xyz",dstnamespace="shop"}',
      ),
    ).toBe(500);
    expect(await value('netflow_connection_count{srchost="cart-5c6d-xyz",dsthost="frontend-app"}')).toBe(1);
    expect(
      await value('netflow_connection_packets{srchost="kube-dns",srcnamespace="kube-system",dsthost="frontend-app"}'),
    ).toBe(3);

    expect(await value('flowmap_user_dns_queries_total{client_name="frontend"}')).toBe(3);
    const flags = await query('flowmap_user_tcp_flags_total');
    expect(Object.fromEntries(flags.map((v) => [v.metric.flag, Number(v.value[1])]))).toEqual({
      FIN: 1,
      SYN: 1,
      ACK: 2,
    });
    expect(await value('flowmap_user_flow_bytes_bucket{le="1000"}')).toBe(4);
    expect(await value('flowmap_user_flow_bytes_count')).toBe(5);

    expect(await value('flowmap_decode_records_total{version="netflow-v9"}')).toBe(50);
    expect(await value('sum(flowmap_collector_packets_total)')).toBe(collector.stats().listeners[0]!.packets);
    expect(await value('flowmap_dropped_total{stage="kernel",reason="udp-socket"}')).toBe(0);
  });

  it('sees counters grow on later scrapes', async () => {
    const edge = 'client_name="frontend",server_name="cartservice",direction="to_server"';
    sink.observe([orientedFlow(frontend, cart, { bytesToServer: 1_000, bytesToClient: 0, connections: 1 })]);
    let seen = 0;
    const until = Date.now() + 15_000;
    while (seen !== 1_500 && Date.now() < until) {
      seen = await value(`flowmap_edge_bytes_total{${edge}}`);
      if (seen !== 1_500) await new Promise((r) => setTimeout(r, 250));
    }
    expect(seen).toBe(1_500);
    expect(await value(`flowmap_edge_connections_total{client_name="frontend",server_name="cartservice"}`)).toBe(2);
  });
});
