/**
 * Issue 4 and 5, "Must show": the /metrics of a real `flowmap serve`, fed by softflowd on two nodes, parse with a
 * strict text-format parser and pass `promtool check metrics`; a real Prometheus (Debian's) scrapes it every second
 * and its query API returns flowmap_edge_* and netflow_connection_* series with exactly the generator's numbers;
 * a second `flowmap serve` with `api.source: prometheus` answers /api/v1/graph from that Prometheus with the same
 * workload edges.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { GraphResponse } from '../../src/contract/responses.js';
import { type Exposition, parseExposition } from '../../src/sinks/prometheus/testing.js';
import { describeWithTools } from '../tools/index.js';
import { type RealPrometheus, startPrometheus, waitForScrapes } from './api-tools.js';
import { buildServeCluster, configYaml, LIVE_DNAT_WAIT_MS } from './serve-cluster.js';
import { fromGraph } from './serve-edges.js';
import { exportedRecords, exportScenario, waitForEdges } from './serve-feed.js';
import { killAllServes, pollUntil, portRange, type ServeProcess, startServe } from './serve-tools.js';
import { buildScenario, EXPORTING_NODES, type ExpectedEdge, type Scenario } from './serve-traffic.js';

const nextPort = portRange(30_200, 100);

/** the flowmap_* labels of a workload-level node id (docs/metrics.md) */
function nodeLabels(id: string, side: 'client' | 'server'): Record<string, string> {
  const [kind, rest = ''] = [id.slice(0, id.indexOf(':')), id.slice(id.indexOf(':') + 1)];
  const [namespace, name, k] =
    kind === 'workload'
      ? [rest.split('/')[0]!, rest.split('/').slice(2).join('/'), rest.split('/')[1]!]
      : kind === 'service'
        ? [rest.split('/')[0]!, rest.split('/')[1]!, 'Service']
        : ['', rest, kind === 'node' ? 'Node' : kind];
  return { [`${side}_namespace`]: namespace, [`${side}_name`]: name, [`${side}_kind`]: k };
}

function edgeLabels(e: ExpectedEdge): Record<string, string> {
  return {
    ...nodeLabels(e.source, 'client'),
    ...nodeLabels(e.target, 'server'),
    port: String(e.port),
    protocol: e.protocol,
  };
}

type Row = { labels: Record<string, string>; value: number };
/** rows with label names in order, sorted by labels: comparable as JSON text */
const sorted = (rows: Row[]) =>
  rows
    .map((r) => ({
      labels: Object.fromEntries(Object.entries(r.labels).sort(([a], [b]) => a.localeCompare(b))),
      value: r.value,
    }))
    .sort((a, b) => JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels)));

/** the series flowmap_edge_* and netflow_connection_* must hold, by metric name */
function expectedSeries(s: Scenario): Record<string, Row[]> {
  const dir = (e: ExpectedEdge, d: 'to_server' | 'to_client') => ({ ...edgeLabels(e), direction: d });
  return {
    flowmap_edge_bytes_total: sorted(
      s.edges.flatMap((e) => [
        { labels: dir(e, 'to_server'), value: e.bytesToServer },
        { labels: dir(e, 'to_client'), value: e.bytesToClient },
      ]),
    ),
    flowmap_edge_packets_total: sorted(
      s.edges.flatMap((e) => [
        { labels: dir(e, 'to_server'), value: e.packetsToServer },
        { labels: dir(e, 'to_client'), value: e.packetsToClient },
      ]),
    ),
    flowmap_edge_connections_total: sorted(s.edges.map((e) => ({ labels: edgeLabels(e), value: e.connections }))),
    netflow_connection_bytes: sorted(s.seed.map((x) => ({ labels: { ...x.labels }, value: x.bytes }))),
    netflow_connection_packets: sorted(s.seed.map((x) => ({ labels: { ...x.labels }, value: x.packets }))),
    netflow_connection_count: sorted(s.seed.map((x) => ({ labels: { ...x.labels }, value: x.count }))),
  };
}

function seriesIn(m: Exposition, name: string): Row[] {
  return sorted(m.samples.filter((x) => x.name === name).map((x) => ({ labels: { ...x.labels }, value: x.value })));
}

describeWithTools(['softflowd', 'softflowctl', 'prometheus', 'promtool'], 'flowmap serve and Prometheus', () => {
  let dir = '';
  let serve: ServeProcess;
  let prom: RealPrometheus | undefined;
  let scenario: Scenario;
  let records = 0;
  let t0 = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flowmap-serve-prom-'));
    const cluster = buildServeCluster();
    writeFileSync(join(dir, 'cluster.json'), JSON.stringify(cluster.list));
    // this test reads /metrics too: new series stay 0 for 3 s so that Prometheus (1 s scrapes) sees each at 0
    const config = configYaml({ addressPort: true, dnatWaitMs: LIVE_DNAT_WAIT_MS, firstScrapeZeroMs: 3_000 });
    writeFileSync(join(dir, 'flowmap.yaml'), config);
    const httpPort = await nextPort();
    const flowPort = await nextPort();
    serve = await startServe({
      args: ['--config', join(dir, 'flowmap.yaml'), '--cluster', join(dir, 'cluster.json'), '--store', 'memory'].concat(
        ['--http-port', String(httpPort), '--flow-ports', String(flowPort), '--ipfix-tcp-port', 'off'],
      ),
      httpPort,
    });
    prom = await startPrometheus([`127.0.0.1:${httpPort}`], 30_300);
    await waitForScrapes(prom, 'flowmap_collector_packets_total', 2);
    t0 = Date.now() - 3_000;
    scenario = buildScenario(cluster, t0);
    const runs = await exportScenario(serve, flowPort, scenario, { version: 10, nodes: EXPORTING_NODES, dir });
    records = runs.reduce((n, r) => n + exportedRecords(r), 0);
    const graph = await waitForEdges(serve, `from=${t0 - 60_000}&to=${Date.now() + 60_000}`, scenario.edges);
    expect(fromGraph(graph.edges)).toEqual(scenario.edges);
  }, 90_000);

  afterAll(async () => {
    await killAllServes();
    await prom?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('/metrics parses strictly, passes promtool and holds the generator numbers', async () => {
    const want = expectedSeries(scenario);
    const edgeBytes = (x: Exposition) => JSON.stringify(seriesIn(x, 'flowmap_edge_bytes_total'));
    const read = async () => {
      const text = await serve.text('/metrics');
      return { text, m: parseExposition(text) };
    };
    const { text, m } = await pollUntil(
      read,
      (x) => edgeBytes(x.m) === JSON.stringify(want.flowmap_edge_bytes_total),
      10_000,
    );
    for (const [name, rows] of Object.entries(want)) {
      expect(m.families.get(name)?.type, name).toBe('counter');
      expect(seriesIn(m, name), name).toEqual(rows);
    }
    const decoded = m.samples.find((x) => x.name === 'flowmap_decode_records_total' && x.labels.version === 'ipfix');
    expect(decoded?.value).toBe(records);
    // the only drops: records of the second node for conversations the first node already reported
    const counted = scenario.seed.reduce((n, x) => n + x.count, 0);
    const drops = m.samples.filter((x) => x.name === 'flowmap_dropped_total' && x.value > 0);
    expect(drops).toEqual([
      { name: 'flowmap_dropped_total', labels: { stage: 'orient', reason: 'duplicate' }, value: records - counted },
    ]);
    expect(records - counted).toBeGreaterThan(10);

    const lint = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    const problems = `${lint.stdout}${lint.stderr}`.split('\n').filter(Boolean);
    expect(problems.filter((p) => /error|pars/i.test(p))).toEqual([]);
    // prom-client's nodejs_* gauges end in _total; the seed's counters keep their names for existing dashboards
    expect(problems.filter((p) => !p.startsWith('nodejs_')).sort()).toEqual([
      'netflow_connection_bytes counter metrics should have "_total" suffix',
      'netflow_connection_count counter metrics should have "_total" suffix',
      'netflow_connection_count non-histogram and non-summary metrics should not have "_count" suffix',
      'netflow_connection_packets counter metrics should have "_total" suffix',
    ]);
  });

  it('a real Prometheus scrapes the same series and values', async () => {
    // Prometheus stores an empty label value as no label
    const want = Object.fromEntries(
      Object.entries(expectedSeries(scenario)).map(([name, rows]) => [
        name,
        sorted(rows.map((r) => ({ ...r, labels: Object.fromEntries(Object.entries(r.labels).filter(([, v]) => v)) }))),
      ]),
    );
    for (const name of ['flowmap_edge_bytes_total', 'flowmap_edge_connections_total', 'netflow_connection_bytes']) {
      const read = async () =>
        sorted(
          (await prom!.query(name)).map((v) => {
            const { __name__: _n, job: _j, instance: _i, ...labels } = v.metric;
            return { labels, value: Number(v.value[1]) };
          }),
        );
      const got = await pollUntil(read, (rows) => JSON.stringify(rows) === JSON.stringify(want[name]));
      expect(got, name).toEqual(want[name]);
    }
  }, 30_000);

  it('a serve with api.source prometheus answers the same workload edges', async () => {
    const httpPort = await nextPort();
    writeFileSync(
      join(dir, 'from-prometheus.yaml'),
      `api:\n  host: 127.0.0.1\n  source: prometheus\n  prometheus:\n    url: ${prom!.url}\n    selector: 'job="flowmap"'\n`,
    );
    const reader = await startServe({
      args: [
        '--config',
        join(dir, 'from-prometheus.yaml'),
        '--store',
        'memory',
        '--http-port',
        String(httpPort),
      ].concat(['--flow-ports', String(await nextPort()), '--ipfix-tcp-port', 'off']),
      httpPort,
    });
    // increase() is exact here: the range ends on a scrape (no extrapolation to its end) and every series' first
    // sample in it is 0 (prometheus.firstScrapeZero; no extrapolation before a zero), so Prometheus' answer is the
    // last sample minus 0: the counted traffic itself
    const scrapedAt = await prom!.query('timestamp(up{job="flowmap"})');
    const to = Math.round(Number(scrapedAt[0]!.value[1]) * 1000);
    const g = await reader.json<GraphResponse>(`/api/v1/graph?from=${t0 - 30_000}&to=${to}`);
    const withoutServices = scenario.edges.map(({ services: _s, ...e }) => e); // Prometheus series carry no Services
    expect(fromGraph(g.edges)).toEqual(withoutServices);
    expect(new Set(g.edges.map((e) => e.evidence))).toEqual(new Set(['unknown']));
    await reader.stop();
  }, 30_000);
});
