/**
 * A simulated node exporter: a flow cache fed with what the node sees, and a NetFlow v9 (ipt_NETFLOW layout) or
 * IPFIX encoder for what the cache exports. Produces datagrams; sending them is the caller's business.
 * @module
 */
import {
  createIpfixEncoder,
  createNetflowV9Encoder,
  type ExportRecord,
  type FlowEncoder,
  IPFIX_BIFLOW,
  ipfixSamplingOptions,
  v9SamplingOptions,
} from '../encode/index.js';
import type { Random } from '../random.js';
import type { Observation } from '../traffic/index.js';
import { createFlowCache, type FlowCache } from './flow-cache.js';

export interface SimulatedExporterOptions {
  /** the node this exporter runs on */
  readonly node: string;
  /** 9 = NetFlow v9 with ipt_NETFLOW's templates; 10 = IPFIX */
  readonly version: 9 | 10;
  /** IPFIX only: RFC 5103 biflow records */
  readonly biflow?: boolean;
  /** 1 (default) = unsampled; N = 1-in-N packet sampling, announced in options data */
  readonly samplingRate?: number;
  /** v9 source id / IPFIX observation domain id */
  readonly domainId: number;
  readonly activeTimeoutMs: number;
  readonly inactiveTimeoutMs: number;
  /** epoch ms the node booted (v9 sysUptime origin) */
  readonly bootTime: number;
  readonly maxPacketBytes?: number;
  readonly templateRefreshPackets?: number;
  readonly templateRefreshMs?: number;
}

export interface ExporterStats {
  records: number;
  packets: number;
  bytes: number;
}

export interface SimulatedExporter {
  readonly options: SimulatedExporterOptions;
  readonly encoder: FlowEncoder;
  readonly cache: FlowCache;
  observe(observation: Observation): void;
  /** the scan: encodes what expired at `now`; `sent` sees the records before encoding */
  tick(now: number): ExportBatch;
  /** exports everything still cached (shutdown) */
  flush(now: number): ExportBatch;
  readonly stats: Readonly<ExporterStats>;
}

export interface ExportBatch {
  readonly records: readonly ExportRecord[];
  readonly packets: readonly Uint8Array[];
}

export function createSimulatedExporter(options: SimulatedExporterOptions, random: Random): SimulatedExporter {
  const samplingRate = options.samplingRate ?? 1;
  const common = {
    domainId: options.domainId,
    bootTime: options.bootTime,
    ...(options.maxPacketBytes ? { maxPacketBytes: options.maxPacketBytes } : {}),
    ...(options.templateRefreshPackets ? { templateRefreshPackets: options.templateRefreshPackets } : {}),
    ...(options.templateRefreshMs ? { templateRefreshMs: options.templateRefreshMs } : {}),
  };
  const encoder =
    options.version === 9
      ? createNetflowV9Encoder({
          ...common,
          ...(samplingRate > 1 ? { sampling: v9SamplingOptions(samplingRate) } : {}),
        })
      : createIpfixEncoder({
          ...common,
          ...(options.biflow ? { layout: IPFIX_BIFLOW } : {}),
          ...(samplingRate > 1 ? { sampling: ipfixSamplingOptions(samplingRate) } : {}),
        });
  const cache = createFlowCache(
    {
      activeTimeoutMs: options.activeTimeoutMs,
      inactiveTimeoutMs: options.inactiveTimeoutMs,
      samplingRate,
      biflow: options.version === 10 && options.biflow === true,
    },
    random,
  );
  const stats: ExporterStats = { records: 0, packets: 0, bytes: 0 };
  const encode = (records: ExportRecord[], now: number): ExportBatch => {
    if (records.length === 0) return { records, packets: [] };
    records.sort((a, b) => a.start - b.start);
    const packets = encoder.encode(records, now);
    stats.records += records.length;
    stats.packets += packets.length;
    for (const p of packets) stats.bytes += p.length;
    return { records, packets };
  };
  return {
    options,
    encoder,
    cache,
    stats,
    observe: (o) => cache.add(o),
    tick: (now) => encode(cache.expire(now), now),
    flush: (now) => encode(cache.flush(now), now),
  };
}
