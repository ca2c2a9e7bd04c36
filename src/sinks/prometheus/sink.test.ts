import { describe, expect, it } from 'vitest';
import type { CollectorStats } from '../../collector/index.js';
import { UNKNOWN_ENDPOINT } from '../../core/endpoint.js';
import { emptyDecodeStats } from '../../decode/contracts.js';
import { prometheusSinkConfig } from './config.js';
import { createPrometheusSink } from './sink.js';
import { orientedFlow, parseExposition, pod, sampleValue } from './testing.js';

const frontend = pod('shop', 'frontend-7d9f-abcde', 'frontend', { seedName: 'frontend-app' });
const cart = pod('shop', 'cart-5c6d-xyz', 'cartservice');
const kubelet = { kind: 'node', name: 'worker-1' } as const;
const google = { kind: 'external', external: { asn: 15169, org: 'Google LLC' } } as const;

function sink(config: Record<string, unknown> = {}, now = { t: 10_000 }) {
  return {
    now,
    // firstScrapeZero off: these tests read values on the first render (its own test below)
    sink: createPrometheusSink(
      prometheusSinkConfig.parse({ processMetrics: false, firstScrapeZero: false, ...config }),
      {
        clock: () => now.t,
      },
    ),
  };
}

describe('createPrometheusSink() flow series', () => {
  it('sums oriented flows into flowmap_edge_* by client, server, port and protocol, per direction', async () => {
    const { sink: s } = sink();
    s.observe([
      orientedFlow(frontend, cart, {
        bytesToServer: 100,
        bytesToClient: 1000,
        packetsToServer: 2,
        packetsToClient: 3,
        connections: 1,
      }),
      orientedFlow(frontend, cart, {
        bytesToServer: 50,
        bytesToClient: 0,
        packetsToServer: 1,
        packetsToClient: 0,
        connections: 0,
      }),
      orientedFlow(frontend, cart, { serverPort: 9090, ipProtocol: 17, bytesToServer: 7 }),
    ]);
    const m = parseExposition(await s.render());
    const edge = {
      client_namespace: 'shop',
      client_name: 'frontend',
      client_kind: 'Deployment',
      server_name: 'cartservice',
      port: '8080',
      protocol: 'TCP',
    };
    expect(sampleValue(m, 'flowmap_edge_bytes_total', { ...edge, direction: 'to_server' })).toBe(150);
    expect(sampleValue(m, 'flowmap_edge_bytes_total', { ...edge, direction: 'to_client' })).toBe(1000);
    expect(sampleValue(m, 'flowmap_edge_packets_total', { ...edge, direction: 'to_server' })).toBe(3);
    expect(sampleValue(m, 'flowmap_edge_connections_total', edge)).toBe(1);
    expect(sampleValue(m, 'flowmap_edge_bytes_total', { port: '9090', protocol: 'UDP', direction: 'to_server' })).toBe(
      7,
    );
    expect(m.families.get('flowmap_edge_bytes_total')?.type).toBe('counter');
    expect(m.samples.filter((x) => x.name === 'flowmap_edge_connections_total')).toHaveLength(2);
  });

  it('names nodes, externals and unknown addresses as mapNodeLabels does', async () => {
    const { sink: s } = sink();
    s.observe([
      orientedFlow(kubelet, cart),
      orientedFlow(frontend, google),
      orientedFlow(UNKNOWN_ENDPOINT, cart, { clientAddr: 0xc0000207 }),
    ]);
    const m = parseExposition(await s.render());
    const conn = (labels: Record<string, string>) => sampleValue(m, 'flowmap_edge_connections_total', labels);
    expect(conn({ client_namespace: '', client_name: 'worker-1', client_kind: 'Node' })).toBe(1);
    expect(conn({ server_namespace: '', server_name: 'Google LLC', server_kind: 'external' })).toBe(1);
    expect(conn({ client_namespace: '', client_name: '192.0.2.7', client_kind: 'unknown' })).toBe(1);
  });

  it('labels a Service with a known backend as that workload, at the target port', async () => {
    const { sink: s } = sink();
    const svc = {
      kind: 'service',
      namespace: 'shop',
      name: 'cart',
      ports: [{ port: 80, ipProtocol: 6, targetPort: 7070 }],
      backend: { kind: 'Deployment', namespace: 'shop', name: 'cartservice' },
    } as const;
    s.observe([orientedFlow(frontend, svc, { serverPort: 80, bytesToServer: 40 })]);
    const m = parseExposition(await s.render());
    const labels = { server_name: 'cartservice', server_kind: 'Deployment', port: '7070', direction: 'to_server' };
    expect(sampleValue(m, 'flowmap_edge_bytes_total', labels)).toBe(40);
  });

  it('escapes label values that hold quotes, backslashes and newlines', async () => {
    const { sink: s } = sink();
    const odd = 'ACME "Net" \\ Co\nLtd';
    s.observe([orientedFlow(frontend, { kind: 'external', external: { asn: 64_500, org: odd } })]);
    const m = parseExposition(await s.render());
    expect(sampleValue(m, 'flowmap_edge_connections_total', { server_name: odd })).toBe(1);
    expect(sampleValue(m, 'netflow_connection_count', { dsthost: odd, dstnamespace: '' })).toBe(1);
  });

  it('exports the seed-compatible series per sending direction with the seed names', async () => {
    const { sink: s } = sink();
    s.observe([
      orientedFlow(frontend, cart, { bytesToServer: 100, bytesToClient: 1000, packetsToServer: 2, packetsToClient: 3 }),
      orientedFlow(frontend, cart, { bytesToServer: 10, bytesToClient: 0, packetsToServer: 1, packetsToClient: 0 }),
      orientedFlow(UNKNOWN_ENDPOINT, kubelet, {
        bytesToServer: 5,
        bytesToClient: 0,
        packetsToServer: 1,
        packetsToClient: 0,
      }),
    ]);
    const m = parseExposition(await s.render());
    const forward = { srchost: 'frontend-app', srcnamespace: 'shop', dsthost: 'cart-5c6d-xyz', dstnamespace: 'shop' };
    const back = { srchost: 'cart-5c6d-xyz', srcnamespace: 'shop', dsthost: 'frontend-app', dstnamespace: 'shop' };
    expect(sampleValue(m, 'netflow_connection_bytes', forward)).toBe(110);
    expect(sampleValue(m, 'netflow_connection_count', forward)).toBe(2);
    expect(sampleValue(m, 'netflow_connection_packets', forward)).toBe(3);
    expect(sampleValue(m, 'netflow_connection_bytes', back)).toBe(1000);
    expect(sampleValue(m, 'netflow_connection_count', back)).toBe(1);
    expect(
      sampleValue(m, 'netflow_connection_bytes', {
        srchost: 'unknown',
        srcnamespace: 'unknown',
        dsthost: 'worker-1',
        dstnamespace: '',
      }),
    ).toBe(5);
    expect(m.families.get('netflow_connection_bytes')?.type).toBe('counter');
  });

  it('expires idle edges at scrape time and caps the number of edges, counting refusals', async () => {
    const { sink: s, now } = sink({ edges: { maxSeries: 2, idleTtlMs: 5_000 } });
    s.observe([orientedFlow(frontend, cart, { serverPort: 1 }), orientedFlow(frontend, cart, { serverPort: 2 })]);
    s.observe([orientedFlow(frontend, cart, { serverPort: 3 })]);
    let m = parseExposition(await s.render());
    expect(m.samples.filter((x) => x.name === 'flowmap_edge_connections_total').map((x) => x.labels.port)).toEqual([
      '1',
      '2',
    ]);
    expect(sampleValue(m, 'flowmap_prometheus_series_refused_total', { metric: 'flowmap_edge' })).toBe(1);
    expect(sampleValue(m, 'flowmap_dropped_total', { stage: 'prometheus', reason: 'series-cap' })).toBe(1);
    now.t += 4_000;
    s.observe([orientedFlow(frontend, cart, { serverPort: 2 })]);
    now.t += 2_000;
    m = parseExposition(await s.render());
    expect(m.samples.filter((x) => x.name === 'flowmap_edge_connections_total').map((x) => x.labels.port)).toEqual([
      '2',
    ]);
    expect(sampleValue(m, 'flowmap_prometheus_series_expired_total', { metric: 'flowmap_edge' })).toBe(1);
    expect(sampleValue(m, 'flowmap_prometheus_series', { metric: 'flowmap_edge' })).toBe(1);
  });

  it('merges equal labels from distinct endpoint objects into one series, also after the series expired', async () => {
    const { sink: s, now } = sink({ edges: { idleTtlMs: 1_000 }, seedCompat: { idleTtlMs: 1_000 } });
    const replicas = ['a', 'b', 'c'].map((x) =>
      pod('shop', `frontend-7d9f-${x}`, 'frontend', { seedName: 'frontend-app' }),
    );
    s.observe(replicas.map((r) => orientedFlow(r, cart, { bytesToServer: 10 })));
    let m = parseExposition(await s.render());
    expect(m.samples.filter((x) => x.name === 'flowmap_edge_connections_total')).toHaveLength(1);
    expect(sampleValue(m, 'flowmap_edge_bytes_total', { client_name: 'frontend', direction: 'to_server' })).toBe(30);
    expect(sampleValue(m, 'netflow_connection_count', { srchost: 'frontend-app' })).toBe(3);
    now.t += 5_000;
    expect(parseExposition(await s.render()).samples.filter((x) => x.name.startsWith('flowmap_edge_'))).toEqual([]);
    s.observe(replicas.map((r) => orientedFlow(r, cart, { bytesToServer: 1 })));
    m = parseExposition(await s.render());
    expect(sampleValue(m, 'flowmap_edge_bytes_total', { client_name: 'frontend', direction: 'to_server' })).toBe(3);
    expect(sampleValue(m, 'netflow_connection_bytes', { srchost: 'frontend-app' })).toBe(3);
    expect(sampleValue(m, 'flowmap_prometheus_series', { metric: 'flowmap_edge' })).toBe(1);
  });

  it('ignores fragments that count nothing (a Service named after the counted fragments)', async () => {
    const { sink: s } = sink({
      flowMetrics: [{ name: 'flows_total', type: 'counter', labels: ['service'] }],
    });
    const svc = { kind: 'service', namespace: 'shop', name: 'cart' } as const;
    const zero = { bytesToServer: 0, bytesToClient: 0, packetsToServer: 0, packetsToClient: 0, connections: 0 };
    s.observe([orientedFlow(frontend, cart, {}), orientedFlow(frontend, cart, { ...zero, service: svc })]);
    const m = parseExposition(await s.render());
    expect(sampleValue(m, 'flowmap_user_flows_total', { service: '' })).toBe(1);
    expect(m.samples.filter((x) => x.name === 'flowmap_user_flows_total')).toHaveLength(1);
    expect(sampleValue(m, 'flowmap_edge_connections_total', { client_name: 'frontend' })).toBe(1);
  });

  it('shows a new counter series at 0 on its first render and its value from the next (firstScrapeZero)', async () => {
    const { sink: s } = sink({
      firstScrapeZero: true,
      flowMetrics: [
        { name: 'flows_total', type: 'counter', labels: ['serverName'] },
        { name: 'last_bytes', type: 'gauge', valueField: 'bytes', labels: ['serverName'] },
        { name: 'flow_bytes', type: 'histogram', valueField: 'bytes', buckets: [500] },
      ],
    });
    const edge = { client_name: 'frontend', direction: 'to_server' };
    const read = async () => {
      const m = parseExposition(await s.render());
      return [
        sampleValue(m, 'flowmap_edge_bytes_total', edge),
        sampleValue(m, 'flowmap_edge_connections_total', { client_name: 'frontend' }),
        sampleValue(m, 'netflow_connection_bytes', { srchost: 'frontend-app' }),
        sampleValue(m, 'flowmap_user_flows_total', { server_name: 'cartservice' }),
        sampleValue(m, 'flowmap_user_last_bytes', { server_name: 'cartservice' }),
        sampleValue(m, 'flowmap_user_flow_bytes_count', {}),
        sampleValue(m, 'flowmap_user_flow_bytes_bucket', { le: '500' }),
      ];
    };
    s.observe([orientedFlow(frontend, cart, { bytesToServer: 100, bytesToClient: 0 })]);
    expect(await read()).toEqual([0, 0, 0, 0, 100, 0, 0]); // gauges are not counters: shown at once
    s.observe([orientedFlow(frontend, cart, { bytesToServer: 200, bytesToClient: 0, connections: 0 })]);
    expect(await read()).toEqual([300, 1, 300, 2, 200, 2, 2]);
    s.observe([orientedFlow(frontend, kubelet, { bytesToServer: 7 })]);
    const m = parseExposition(await s.render());
    expect(sampleValue(m, 'flowmap_edge_bytes_total', { ...edge, server_name: 'cartservice' })).toBe(300);
    expect(sampleValue(m, 'flowmap_edge_bytes_total', { server_name: 'worker-1', direction: 'to_server' })).toBe(0);
  });

  it('keeps a new series at 0 for firstScrapeZeroMs, across renders (several scrapers)', async () => {
    const { sink: s, now } = sink({ firstScrapeZero: true, firstScrapeZeroMs: 5_000 });
    const bytes = async () =>
      sampleValue(parseExposition(await s.render()), 'flowmap_edge_bytes_total', { direction: 'to_server' });
    s.observe([orientedFlow(frontend, cart, { bytesToServer: 100 })]);
    expect(await bytes()).toBe(0);
    now.t += 1_000;
    expect(await bytes()).toBe(0);
    now.t += 3_999;
    expect(await bytes()).toBe(0);
    now.t += 1;
    expect(await bytes()).toBe(100);
  });

  it('measures pipeline lag from the newest flow end', async () => {
    const { sink: s } = sink({}, { t: 65_000 });
    s.observe([orientedFlow(frontend, cart, { end: 60_000 }), orientedFlow(frontend, cart, { end: 50_000 })]);
    expect(sampleValue(parseExposition(await s.render()), 'flowmap_pipeline_lag_seconds')).toBe(5);
  });
});

function collectorStats(): CollectorStats {
  const decode = emptyDecodeStats();
  decode.dropped['template-missing'] = 4;
  decode.templates = 9;
  return {
    listeners: [
      {
        name: 'udp://[::]:2055',
        transport: 'udp',
        address: '::',
        port: 2055,
        packets: 10,
        bytes: 15_000,
        receiveBufferBytes: 8_388_608,
      },
    ],
    queue: { length: 3, capacity: 100, highWater: 50 },
    packets: { 'netflow-v5': 0, 'netflow-v9': 6, ipfix: 4, sflow: 0, unknown: 0 },
    records: { 'netflow-v5': 0, 'netflow-v9': 60, ipfix: 40, sflow: 0, unknown: 0 },
    dropped: { 'queue-full': 2, 'exporter-not-allowed': 1 },
    tcpConnections: 1,
    tcpIdleClosed: 0,
    exporters: 2,
    exportersUntracked: 0,
    kernel: { byPort: [{ port: 2055, drops: 17, rxQueueBytes: 512 }], rcvbufErrors: 20, readAt: 1 },
    decode,
    templatesCached: 3,
  };
}

describe('createPrometheusSink() self-metrics', () => {
  it('reads registered component stats at scrape time into one drop family and per-component series', async () => {
    const { sink: s, now } = sink();
    const stats = collectorStats();
    s.registerCollector(() => stats);
    s.registerStage('aggregate', () => ({ in: 100, out: 90, dropped: { 'cardinality-cap': 10 } }));
    s.registerKubernetes(() => ({ source: 'snapshot', synced: true, lastSyncAt: now.t - 30_000 }));
    s.registerPipeline(() => ({ openEdges: 42, lagMs: 1_500 }));
    const m = parseExposition(await s.render());
    const drop = (stage: string, reason: string) => sampleValue(m, 'flowmap_dropped_total', { stage, reason });
    expect(drop('collector', 'queue-full')).toBe(2);
    expect(drop('collector', 'exporter-not-allowed')).toBe(1);
    expect(drop('decode', 'template-missing')).toBe(4);
    expect(drop('kernel', 'udp-socket')).toBe(17);
    expect(drop('aggregate', 'cardinality-cap')).toBe(10);
    expect(sampleValue(m, 'flowmap_collector_packets_total', { listener: 'udp://[::]:2055' })).toBe(10);
    expect(sampleValue(m, 'flowmap_collector_receive_buffer_bytes')).toBe(8_388_608);
    expect(sampleValue(m, 'flowmap_collector_kernel_drops_total', { port: '2055' })).toBe(17);
    expect(sampleValue(m, 'flowmap_decode_records_total', { version: 'netflow-v9' })).toBe(60);
    expect(sampleValue(m, 'flowmap_decode_templates')).toBe(3);
    expect(sampleValue(m, 'flowmap_stage_records_in_total', { stage: 'aggregate' })).toBe(100);
    expect(sampleValue(m, 'flowmap_kubernetes_synced', { source: 'snapshot' })).toBe(1);
    expect(sampleValue(m, 'flowmap_kubernetes_last_sync_age_seconds')).toBe(30);
    expect(sampleValue(m, 'flowmap_aggregate_open_edges')).toBe(42);
    expect(sampleValue(m, 'flowmap_pipeline_lag_seconds')).toBe(1.5);
    // live reads: a later scrape sees new numbers
    stats.decode.dropped['template-missing'] = 5;
    expect(
      sampleValue(parseExposition(await s.render()), 'flowmap_dropped_total', {
        stage: 'decode',
        reason: 'template-missing',
      }),
    ).toBe(5);
  });

  it('refuses a second registration of the same kind', () => {
    const { sink: s } = sink();
    s.registerStage('orient', () => ({ in: 0, out: 0, dropped: {} }));
    expect(() => s.registerStage('orient', () => ({ in: 0, out: 0, dropped: {} }))).toThrow(
      'Cannot register stage "orient"',
    );
  });

  it('includes the process metrics when asked', async () => {
    const s = createPrometheusSink(prometheusSinkConfig.parse({}), { clock: Date.now });
    const m = parseExposition(await s.render());
    expect(m.families.has('process_cpu_user_seconds_total')).toBe(true);
    expect(s.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
  });
});
