/**
 * The built-in flow series: `flowmap_edge_*` (workload-level edges, client -> server) and the seed-compatible
 * `netflow_connection_*` (sender -> receiver per direction). Both are cumulative counters fed by OrientedFlow
 * batches; counts are already scaled by sampling.
 * @module
 */
import type { OrientedFlow } from '../../core/conversation.js';
import { ipProtocolName } from '../../core/flow.js';
import { mapPortOf } from '../../core/map-node.js';
import type { EndpointLabels } from './endpoint-labels.js';
import type { FamilySpec, Sample } from './family.js';
import { PairTable } from './pair-table.js';
import type { RenderEpoch, SeriesBase } from './series-table.js';

export const EDGE_LABELS = [
  'client_namespace',
  'client_name',
  'client_kind',
  'server_namespace',
  'server_name',
  'server_kind',
  'port',
  'protocol',
] as const;

export const SEED_LABELS = ['srchost', 'srcnamespace', 'dsthost', 'dstnamespace'] as const;

interface EdgeSeries extends SeriesBase {
  bytesToServer: number;
  bytesToClient: number;
  packetsToServer: number;
  packetsToClient: number;
  connections: number;
}

interface SeedSeries extends SeriesBase {
  count: number;
  bytes: number;
  packets: number;
}

function labelsOf(names: readonly string[], values: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (let i = 0; i < names.length; i++) labels[names[i]!] = values[i]!;
  return labels;
}

export interface TableLimits {
  readonly maxSeries: number;
  readonly idleTtlMs: number;
}

/** flowmap_edge_{bytes,packets,connections}_total */
export class EdgeSeriesSet {
  readonly table: PairTable<EdgeSeries>;

  constructor(
    limits: TableLimits,
    readonly labels: EndpointLabels,
    readonly epoch: RenderEpoch,
  ) {
    this.table = new PairTable<EdgeSeries>(limits.maxSeries, limits.idleTtlMs, (values, now) => ({
      values,
      lastSeen: now,
      born: epoch.renders,
      bornAt: now,
      bytesToServer: 0,
      bytesToClient: 0,
      packetsToServer: 0,
      packetsToClient: 0,
      connections: 0,
    }));
  }

  observe(f: OrientedFlow, now: number): void {
    const client = this.labels.node(f.client, f.clientAddr);
    const server = this.labels.node(f.server, f.serverAddr);
    const port = mapPortOf(f.server, f.serverPort, f.ipProtocol, 'workload');
    const series = this.table.touch(
      client,
      server,
      port * 256 + f.ipProtocol,
      () => [
        client.namespace,
        client.name,
        client.kind,
        server.namespace,
        server.name,
        server.kind,
        String(port),
        ipProtocolName(f.ipProtocol),
      ],
      now,
    );
    if (!series) return;
    series.bytesToServer += f.bytesToServer;
    series.bytesToClient += f.bytesToClient;
    series.packetsToServer += f.packetsToServer;
    series.packetsToClient += f.packetsToClient;
    series.connections += f.connections;
  }

  families(): FamilySpec[] {
    const directional = (toServer: (s: EdgeSeries) => number, toClient: (s: EdgeSeries) => number) => () => {
      const out: Sample[] = [];
      for (const s of this.table.values()) {
        const labels = labelsOf(EDGE_LABELS, s.values);
        out.push({ labels: { ...labels, direction: 'to_server' }, value: this.epoch.value(s, toServer(s)) });
        out.push({ labels: { ...labels, direction: 'to_client' }, value: this.epoch.value(s, toClient(s)) });
      }
      return out;
    };
    return [
      {
        name: 'flowmap_edge_bytes_total',
        help: 'Bytes between a client and a server workload on a server port, by direction (scaled by sampling)',
        type: 'counter',
        collect: directional(
          (s) => s.bytesToServer,
          (s) => s.bytesToClient,
        ),
      },
      {
        name: 'flowmap_edge_packets_total',
        help: 'Packets between a client and a server workload on a server port, by direction (scaled by sampling)',
        type: 'counter',
        collect: directional(
          (s) => s.packetsToServer,
          (s) => s.packetsToClient,
        ),
      },
      {
        name: 'flowmap_edge_connections_total',
        help: 'Connections (distinct 5-tuples) a client workload opened to a server workload on a server port',
        type: 'counter',
        collect: () =>
          [...this.table.values()].map((s) => ({
            labels: labelsOf(EDGE_LABELS, s.values),
            value: this.epoch.value(s, s.connections),
          })),
      },
    ];
  }
}

/** netflow_connection_{count,bytes,packets}: the seed's series, one per sending direction */
export class SeedSeriesSet {
  readonly table: PairTable<SeedSeries>;

  constructor(
    limits: TableLimits,
    readonly labels: EndpointLabels,
    readonly epoch: RenderEpoch,
  ) {
    this.table = new PairTable<SeedSeries>(limits.maxSeries, limits.idleTtlMs, (values, now) => ({
      values,
      lastSeen: now,
      born: epoch.renders,
      bornAt: now,
      count: 0,
      bytes: 0,
      packets: 0,
    }));
  }

  observe(f: OrientedFlow, now: number): void {
    const client = this.labels.seed(f.client);
    const server = this.labels.seed(f.server);
    if (f.packetsToServer > 0 || f.bytesToServer > 0)
      this.#add(client, server, f.bytesToServer, f.packetsToServer, now);
    if (f.packetsToClient > 0 || f.bytesToClient > 0)
      this.#add(server, client, f.bytesToClient, f.packetsToClient, now);
  }

  #add(
    src: { key: string; host: string; namespace: string },
    dst: { key: string; host: string; namespace: string },
    bytes: number,
    packets: number,
    now: number,
  ): void {
    const series = this.table.touch(src, dst, 0, () => [src.host, src.namespace, dst.host, dst.namespace], now);
    if (!series) return;
    series.count++;
    series.bytes += bytes;
    series.packets += packets;
  }

  families(): FamilySpec[] {
    const collect = (pick: (s: SeedSeries) => number) => () =>
      [...this.table.values()].map((s) => ({
        labels: labelsOf(SEED_LABELS, s.values),
        value: this.epoch.value(s, pick(s)),
      }));
    const note = '(seed-compatible; sender -> receiver; see docs/metrics.md)';
    return [
      {
        name: 'netflow_connection_count',
        help: `Flow records per direction ${note}`,
        type: 'counter',
        collect: collect((s) => s.count),
      },
      {
        name: 'netflow_connection_bytes',
        help: `Bytes per direction ${note}`,
        type: 'counter',
        collect: collect((s) => s.bytes),
      },
      {
        name: 'netflow_connection_packets',
        help: `Packets per direction ${note}`,
        type: 'counter',
        collect: collect((s) => s.packets),
      },
    ];
  }
}
