import { describe, expect, it } from 'vitest';
import { TCP_FLAG } from '../../core/flow.js';
import { prometheusSinkConfig } from './config.js';
import { createPrometheusSink } from './sink.js';
import { orientedFlow, parseExposition, pod, sampleValue } from './testing.js';

const frontend = pod('shop', 'frontend-1', 'frontend', { node: 'worker-1' });
const cart = pod('shop', 'cart-1', 'cartservice', { node: 'worker-2' });
const dns = pod('kube-system', 'coredns-1', 'coredns');
const svc = { kind: 'service', namespace: 'shop', name: 'cart' } as const;

function sinkWith(flowMetrics: unknown[], extra: Record<string, unknown> = {}, now = { t: 0 }) {
  const config = prometheusSinkConfig.parse({
    processMetrics: false,
    firstScrapeZero: false,
    edges: { enabled: false },
    seedCompat: { enabled: false },
    flowMetrics,
    ...extra,
  });
  return { now, sink: createPrometheusSink(config, { clock: () => now.t }) };
}

const samplesOf = async (s: { render(): Promise<string> }, name: string) =>
  parseExposition(await s.render()).samples.filter((x) => x.name === name);

describe('user-defined flow metrics', () => {
  it('counts only flows matching every filter (equal, notEqual, regex, notRegex, presence, absence)', async () => {
    const { sink } = sinkWith([
      {
        name: 'shop_bytes_total',
        type: 'counter',
        valueField: 'bytes',
        labels: ['serverName'],
        filters: [
          { field: 'clientNamespace', value: 'shop' },
          { field: 'serverName', match: 'notEqual', value: 'coredns' },
          { field: 'protocol', match: 'regex', value: 'TCP|SCTP' },
          { field: 'serverPort', match: 'notRegex', value: '9\\d+' },
          { field: 'service', match: 'presence' },
          { field: 'flowDirection', match: 'absence' },
        ],
      },
    ]);
    sink.observe([
      orientedFlow(frontend, cart, { service: svc, bytesToServer: 10, bytesToClient: 5 }), // counts 15
      orientedFlow(frontend, cart, { bytesToServer: 1000 }), // no service
      orientedFlow(frontend, dns, { service: svc, bytesToServer: 1000 }), // server coredns
      orientedFlow(frontend, cart, { service: svc, ipProtocol: 17, bytesToServer: 1000 }), // UDP
      orientedFlow(frontend, cart, { service: svc, serverPort: 9090, bytesToServer: 1000 }), // port 9xxx
      orientedFlow(frontend, cart, { service: svc, record: { flowDirection: 'egress' } }), // has direction
      orientedFlow(dns, cart, { service: svc, bytesToServer: 1000 }), // client namespace kube-system
    ]);
    expect(await samplesOf(sink, 'flowmap_user_shop_bytes_total')).toEqual([
      { name: 'flowmap_user_shop_bytes_total', labels: { server_name: 'cartservice' }, value: 15 },
    ]);
  });

  it('flattens TCP flags into one series per flag, filters per flag, and remaps label names', async () => {
    const { sink } = sinkWith([
      {
        name: 'tcp_flags_total',
        type: 'counter',
        labels: ['clientName', 'tcpFlags'],
        flatten: ['tcpFlags'],
        filters: [{ field: 'tcpFlags', match: 'notEqual', value: 'PSH' }],
        remap: { clientName: 'src', tcpFlags: 'flag' },
      },
      {
        name: 'flag_sets_total',
        type: 'counter',
        labels: ['tcpFlags'],
        filters: [{ field: 'tcpFlags', value: 'RST' }],
      },
    ]);
    const { SYN, ACK, PSH, RST } = TCP_FLAG;
    sink.observe([
      orientedFlow(frontend, cart, { record: { tcpFlags: SYN | ACK | PSH } }),
      orientedFlow(frontend, cart, {
        record: { tcpFlags: SYN | RST, reverse: { bytes: 1, packets: 1, tcpFlags: ACK } },
      }),
      orientedFlow(frontend, cart, { ipProtocol: 17, record: { tcpFlags: 0 } }),
    ]);
    const flags = await samplesOf(sink, 'flowmap_user_tcp_flags_total');
    expect(Object.fromEntries(flags.map((x) => [x.labels.flag, x.value]))).toEqual({ SYN: 2, ACK: 2, RST: 1 });
    expect(flags.every((x) => x.labels.src === 'frontend' && !('client_name' in x.labels))).toBe(true);
    // without flatten: one joined value, and the filter holds when any flag matches
    expect(await samplesOf(sink, 'flowmap_user_flag_sets_total')).toEqual([
      { name: 'flowmap_user_flag_sets_total', labels: { tcp_flags: 'SYN,RST,ACK' }, value: 1 },
    ]);
  });

  it('splits flows by direction when direction is a label, with bytes per direction', async () => {
    const { sink } = sinkWith([
      { name: 'dir_bytes_total', type: 'counter', valueField: 'bytes', labels: ['direction', 'serverNode'] },
    ]);
    sink.observe([
      orientedFlow(frontend, cart, { bytesToServer: 10, bytesToClient: 300 }),
      orientedFlow(frontend, cart, { bytesToServer: 5, bytesToClient: 0, packetsToClient: 0 }),
    ]);
    const got = await samplesOf(sink, 'flowmap_user_dir_bytes_total');
    expect(Object.fromEntries(got.map((x) => [`${x.labels.direction}@${x.labels.server_node}`, x.value]))).toEqual({
      'to_server@worker-2': 15,
      'to_client@worker-2': 300,
    });
  });

  it('observes histogram values into cumulative buckets with sum and count, divided as configured', async () => {
    const { sink } = sinkWith([
      {
        name: 'flow_kbytes',
        type: 'histogram',
        valueField: 'bytesToServer',
        divider: 1000,
        buckets: [1, 10, 100],
        labels: ['protocol'],
      },
    ]);
    sink.observe([500, 1_000, 5_000, 50_000, 500_000].map((b) => orientedFlow(frontend, cart, { bytesToServer: b })));
    const m = parseExposition(await sink.render());
    expect(m.families.get('flowmap_user_flow_kbytes')?.type).toBe('histogram');
    const bucket = (le: string) => sampleValue(m, 'flowmap_user_flow_kbytes_bucket', { protocol: 'TCP', le });
    expect([bucket('1'), bucket('10'), bucket('100'), bucket('+Inf')]).toEqual([2, 3, 4, 5]);
    expect(sampleValue(m, 'flowmap_user_flow_kbytes_sum', { protocol: 'TCP' })).toBeCloseTo(556.5);
    expect(sampleValue(m, 'flowmap_user_flow_kbytes_count', { protocol: 'TCP' })).toBe(5);
  });

  it('keeps the latest value in a gauge and counts flows with valueField none', async () => {
    const { sink } = sinkWith([
      { name: 'last_duration_seconds', type: 'gauge', valueField: 'durationSeconds', labels: ['serverName'] },
      { name: 'flows_total', prefix: 'my_', type: 'counter' },
    ]);
    sink.observe([
      orientedFlow(frontend, cart, { start: 0, end: 4_000 }),
      orientedFlow(frontend, cart, { start: 0, end: 1_500 }),
    ]);
    const m = parseExposition(await sink.render());
    expect(sampleValue(m, 'flowmap_user_last_duration_seconds', { server_name: 'cartservice' })).toBe(1.5);
    expect(sampleValue(m, 'my_flows_total')).toBe(2);
  });

  it('removes idle series after their TTL and refuses series beyond the cap, counting both', async () => {
    const { sink, now } = sinkWith([
      { name: 'by_port_total', type: 'counter', labels: ['serverPort'], idleTtlMs: 10_000, maxSeries: 2 },
    ]);
    sink.observe([1, 2, 3].map((p) => orientedFlow(frontend, cart, { serverPort: p })));
    let m = parseExposition(await sink.render());
    expect(m.samples.filter((x) => x.name === 'flowmap_user_by_port_total').map((x) => x.labels.server_port)).toEqual([
      '1',
      '2',
    ]);
    expect(sampleValue(m, 'flowmap_prometheus_series_refused_total', { metric: 'flowmap_user_by_port_total' })).toBe(1);
    now.t = 8_000;
    sink.observe([orientedFlow(frontend, cart, { serverPort: 1 })]);
    now.t = 12_000;
    m = parseExposition(await sink.render());
    expect(m.samples.filter((x) => x.name === 'flowmap_user_by_port_total').map((x) => x.labels.server_port)).toEqual([
      '1',
    ]);
    expect(sampleValue(m, 'flowmap_prometheus_series_expired_total', { metric: 'flowmap_user_by_port_total' })).toBe(1);
    // room again: port 3 is accepted now
    sink.observe([orientedFlow(frontend, cart, { serverPort: 3 })]);
    m = parseExposition(await sink.render());
    expect(sampleValue(m, 'flowmap_user_by_port_total', { server_port: '3' })).toBe(1);
  });
});
