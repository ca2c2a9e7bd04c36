/**
 * flowmap's own metrics, read from components' plain-number stats at scrape time. Components never import
 * prom-client: they expose stats objects and the composition root registers readers here.
 * Scheme: `flowmap_<component>_<what>[_total]`; every drop of every component is also in one family,
 * `flowmap_dropped_total{stage,reason}`, so `sum(rate(flowmap_dropped_total[5m]))` is all loss.
 * @module
 */
import type { CollectorStats } from '../../collector/index.js';
import type { StageStats } from '../../pipeline/contracts.js';
import type { FamilySpec, Sample } from './family.js';

/** what the identity source reports; structurally what the enrich/kubernetes side can expose */
export interface KubernetesStatsView {
  readonly source: 'api' | 'snapshot' | 'none';
  readonly synced: boolean;
  /** epoch ms of the last completed list or watch event */
  readonly lastSyncAt?: number | undefined;
  readonly lastError?: string | undefined;
}

/** what the pipeline reports beside its stages' StageStats */
export interface PipelineStatsView {
  /** edges in the open aggregation bucket */
  readonly openEdges?: number;
  /** now - end of the newest record processed, ms (overrides the sink's own measurement) */
  readonly lagMs?: number;
}

type Reader<T> = () => T;

const counter = (name: string, help: string, collect: () => readonly Sample[]): FamilySpec => ({
  name,
  help,
  type: 'counter',
  collect,
});
const gauge = (name: string, help: string, collect: () => readonly Sample[]): FamilySpec => ({
  name,
  help,
  type: 'gauge',
  collect,
});

function dropSamples(stage: string, dropped: Readonly<Partial<Record<string, number>>>): Sample[] {
  return Object.entries(dropped).map(([reason, value]) => ({ labels: { stage, reason }, value: value ?? 0 }));
}

/** families of one collector (and the decoder it drives) */
export function collectorFamilies(read: Reader<CollectorStats>): FamilySpec[] {
  const perListener = (pick: (l: CollectorStats['listeners'][number]) => number | undefined) => () =>
    read().listeners.flatMap((l) => {
      const value = pick(l);
      return value === undefined ? [] : [{ labels: { listener: l.name, transport: l.transport }, value }];
    });
  const byVersion = (pick: (s: CollectorStats) => Record<string, number>) => () =>
    Object.entries(pick(read())).map(([version, value]) => ({ labels: { version }, value }));
  const scalar = (pick: (s: CollectorStats) => number | undefined) => () => {
    const value = pick(read());
    return value === undefined ? [] : [{ labels: {}, value }];
  };
  const perPort = (pick: (p: CollectorStats['kernel']['byPort'][number]) => number) => () =>
    read().kernel.byPort.map((p) => ({ labels: { port: String(p.port) }, value: pick(p) }));
  return [
    counter(
      'flowmap_collector_packets_total',
      'Export packets received (UDP datagrams, IPFIX messages over TCP)',
      perListener((l) => l.packets),
    ),
    counter(
      'flowmap_collector_bytes_total',
      'Bytes of export packets received',
      perListener((l) => l.bytes),
    ),
    gauge(
      'flowmap_collector_receive_buffer_bytes',
      'Effective SO_RCVBUF of each UDP socket (as the kernel reports it)',
      perListener((l) => l.receiveBufferBytes),
    ),
    gauge(
      'flowmap_collector_queue_packets',
      'Packets waiting to be decoded',
      scalar((s) => s.queue.length),
    ),
    gauge(
      'flowmap_collector_queue_capacity',
      'Capacity of the decode queue',
      scalar((s) => s.queue.capacity),
    ),
    gauge(
      'flowmap_collector_queue_high_water_packets',
      'Most packets ever waiting at once',
      scalar((s) => s.queue.highWater),
    ),
    gauge(
      'flowmap_collector_tcp_connections',
      'Open IPFIX-over-TCP connections',
      scalar((s) => s.tcpConnections),
    ),
    gauge(
      'flowmap_collector_exporters',
      'Exporters seen recently (the /api/v1/status table)',
      scalar((s) => s.exporters),
    ),
    counter(
      'flowmap_collector_kernel_drops_total',
      'Datagrams the kernel dropped on our UDP sockets, per port (/proc/net/udp drops)',
      perPort((p) => p.drops),
    ),
    gauge(
      'flowmap_collector_kernel_queue_bytes',
      "Bytes waiting in our UDP sockets' kernel buffers, per port",
      perPort((p) => p.rxQueueBytes),
    ),
    counter(
      'flowmap_host_udp_rcvbuf_errors_total',
      'UDP receive-buffer errors of the whole network namespace, every process (/proc/net/snmp)',
      scalar((s) => s.kernel.rcvbufErrors),
    ),
    counter(
      'flowmap_decode_packets_total',
      'Packets decoded, by wire version sniffed from the header',
      byVersion((s) => s.packets),
    ),
    counter(
      'flowmap_decode_records_total',
      'Flow records decoded, by wire version',
      byVersion((s) => s.records),
    ),
    gauge(
      'flowmap_decode_templates',
      "Templates in the decoder's cache",
      scalar((s) => s.templatesCached),
    ),
    counter(
      'flowmap_decode_templates_received_total',
      'Template records stored or refreshed',
      scalar((s) => s.decode.templates),
    ),
    counter(
      'flowmap_decode_options_records_total',
      'Options data records (sampling tables, ...) decoded',
      scalar((s) => s.decode.optionsRecords),
    ),
    counter(
      'flowmap_decode_sflow_stats_samples_total',
      'sFlow counter samples seen (counted, not decoded)',
      scalar((s) => s.decode.counterSamples),
    ),
  ];
}

/** drops every registered component reports; `kernel` = the UDP sockets' kernel drops summed over ports */
export function collectorDropSamples(s: CollectorStats): Sample[] {
  const kernel = s.kernel.byPort.reduce((n, p) => n + p.drops, 0);
  return [
    ...dropSamples('collector', s.dropped),
    ...dropSamples('decode', s.decode.dropped),
    { labels: { stage: 'kernel', reason: 'udp-socket' }, value: kernel },
  ];
}

export function stageFamilies(stages: ReadonlyMap<string, Reader<StageStats>>): FamilySpec[] {
  const each = (pick: (s: StageStats) => number) => () =>
    [...stages].map(([stage, read]) => ({ labels: { stage }, value: pick(read()) }));
  return [
    counter(
      'flowmap_stage_records_in_total',
      'Records a pipeline stage received',
      each((s) => s.in),
    ),
    counter(
      'flowmap_stage_records_out_total',
      'Records a pipeline stage passed on',
      each((s) => s.out),
    ),
  ];
}

export function stageDropSamples(stages: ReadonlyMap<string, Reader<StageStats>>): Sample[] {
  return [...stages].flatMap(([stage, read]) => dropSamples(stage, read().dropped));
}

export function kubernetesFamilies(read: Reader<KubernetesStatsView>, clock: () => number): FamilySpec[] {
  const one = (value: (k: KubernetesStatsView) => number | undefined) => () => {
    const k = read();
    const v = value(k);
    return v === undefined ? [] : [{ labels: { source: k.source }, value: v }];
  };
  return [
    gauge(
      'flowmap_kubernetes_synced',
      '1 when the cluster metadata finished its initial sync',
      one((k) => (k.synced ? 1 : 0)),
    ),
    gauge(
      'flowmap_kubernetes_last_sync_age_seconds',
      'Seconds since the cluster metadata last changed or was confirmed',
      one((k) => (k.lastSyncAt === undefined ? undefined : Math.max(0, clock() - k.lastSyncAt) / 1000)),
    ),
    gauge(
      'flowmap_kubernetes_error',
      '1 while talking to the metadata source fails',
      one((k) => (k.lastError ? 1 : 0)),
    ),
  ];
}

export function pipelineFamilies(read: Reader<PipelineStatsView>): FamilySpec[] {
  return [
    gauge('flowmap_aggregate_open_edges', 'Edges in the open aggregation bucket', () => {
      const v = read().openEdges;
      return v === undefined ? [] : [{ labels: {}, value: v }];
    }),
  ];
}
