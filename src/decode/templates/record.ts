/**
 * Turns the scratch of one decoded record into a FlowRecord (data records) or into sampling and clock state
 * (options records). Time, counter and sampling precedence rules live here, shared by NetFlow v9 and IPFIX.
 * @module
 */
import type { ExportProtocol, FlowRecord, ReverseCounters } from '../../core/flow.js';
import type { Mutable } from '../../core/mutable.js';
import type { Scratch } from './scratch.js';

/** what the packet header says, needed to resolve relative times; one mutable instance per decoder */
export class PacketContext {
  exporter = '';
  protocol: ExportProtocol = 'ipfix';
  version: 9 | 10 = 10;
  domain = 0;
  receivedAt = 0;
  /** header export time, epoch ms */
  exportMs = 0;
  /** NetFlow v9 header sysUptime (ms); -1 for IPFIX */
  sysUptime = -1;
  /** IPFIX: the exporter's systemInitTimeMilliseconds learnt from options data; -1 when unknown */
  sysInitMs = -1;
  /** sampling rates learnt from options data, by sampler id (-1: the rate without a sampler id) */
  sampling: ReadonlyMap<number, number> | undefined = undefined;
}

/** uint32 distance back from the header uptime, as int32 so that an uptime wrap and small clock skew both work */
function uptimeToEpoch(ctx: PacketContext, s: Scratch, uptime: number): number {
  if (ctx.sysUptime >= 0) return ctx.exportMs - ((ctx.sysUptime - uptime) | 0);
  const init = s.sysInitMs >= 0 ? s.sysInitMs : ctx.sysInitMs;
  return init >= 0 ? init + uptime : -1;
}

function startOf(s: Scratch, ctx: PacketContext): number {
  if (s.startMs >= 0) return s.startMs;
  if (s.startUptime >= 0) return uptimeToEpoch(ctx, s, s.startUptime);
  if (s.startDeltaUs >= 0) return ctx.exportMs - Math.floor(s.startDeltaUs / 1000);
  return -1;
}

function endOf(s: Scratch, ctx: PacketContext): number {
  if (s.endMs >= 0) return s.endMs;
  if (s.endUptime >= 0) return uptimeToEpoch(ctx, s, s.endUptime);
  if (s.endDeltaUs >= 0) return ctx.exportMs - Math.floor(s.endDeltaUs / 1000);
  return s.observationMs;
}

/** the rate carried by a record itself (IE 34, 50 or 305/306); -1 when it carries none */
export function recordSamplingRate(s: Scratch): number {
  if (s.samplingInterval > 0) return s.samplingInterval;
  if (s.samplerRandomInterval > 0) return s.samplerRandomInterval;
  if (s.samplingPacketInterval > 0) {
    const space = Math.max(s.samplingPacketSpace, 0);
    return (s.samplingPacketInterval + space) / s.samplingPacketInterval;
  }
  return -1;
}

function samplingRateOf(s: Scratch, ctx: PacketContext): number {
  const own = recordSamplingRate(s);
  if (own > 0) return own;
  const table = ctx.sampling;
  if (!table) return 1;
  return (s.samplerId >= 0 ? table.get(s.samplerId) : undefined) ?? table.get(-1) ?? 1;
}

/** IN counter, else the same direction counted after the exporter (OUT_BYTES, 23/24) for egress-only exporters */
function counter(delta: number, total: number, post: number, initiator: number): number {
  const primary = delta >= 0 ? delta : total >= 0 ? total : initiator;
  if (primary > 0) return primary;
  if (post > 0) return post;
  return Math.max(primary, 0);
}

function reverseOf(s: Scratch): ReverseCounters | undefined {
  const bytes = s.revBytes >= 0 ? s.revBytes : s.revBytesTotal >= 0 ? s.revBytesTotal : s.responderOctets;
  const packets = s.revPackets >= 0 ? s.revPackets : s.revPacketsTotal >= 0 ? s.revPacketsTotal : s.responderPackets;
  const flags = orFlags(s.revFlags, s.revInitialFlags, s.revUnionFlags);
  if (bytes < 0 && packets < 0 && flags < 0) return undefined;
  return { bytes: Math.max(bytes, 0), packets: Math.max(packets, 0), tcpFlags: Math.max(flags, 0) };
}

/** OR of the flag fields that are present; -1 when none is */
function orFlags(a: number, b: number, c: number): number {
  if (a < 0 && b < 0 && c < 0) return -1;
  return Math.max(a, 0) | Math.max(b, 0) | Math.max(c, 0);
}

const FLOW_DIRECTIONS = ['ingress', 'egress'] as const;
const BIFLOW_DIRECTIONS = ['arbitrary', 'initiator', 'reverse-initiator', 'perimeter'] as const;

/** the FlowRecord of a data record whose scratch holds a source and a destination address */
export function buildFlowRecord(s: Scratch, ctx: PacketContext): FlowRecord {
  let start = startOf(s, ctx);
  let end = endOf(s, ctx);
  if (start < 0 && end < 0 && (s.startUptime >= 0 || s.endUptime >= 0)) {
    // IPFIX sysUpTime-relative times while the exporter's systemInitTime is unknown: end at the export time,
    // keep the duration the exporter measured
    end = ctx.exportMs;
    if (s.startUptime >= 0 && s.endUptime >= 0) start = end - Math.max(0, (s.endUptime - s.startUptime) | 0);
  }
  if (start < 0 && end >= 0 && s.durationMs >= 0) start = end - s.durationMs;
  if (end < 0 && start >= 0 && s.durationMs >= 0) end = start + s.durationMs;
  if (start < 0) start = end >= 0 ? end : ctx.receivedAt;
  if (end < 0) end = start;
  const flags = orFlags(s.tcpFlags, s.initialFlags, s.unionFlags);
  const record: Mutable<FlowRecord> = {
    exporter: ctx.exporter,
    protocol: ctx.protocol,
    observationDomainId: ctx.domain,
    receivedAt: ctx.receivedAt,
    start,
    end,
    srcAddr: s.src,
    dstAddr: s.dst,
    srcPort: s.srcPort,
    dstPort: s.dstPort,
    ipProtocol: s.proto,
    tcpFlags: Math.max(flags, 0),
    bytes: counter(s.bytes, s.bytesTotal, s.bytesPost, s.initiatorOctets),
    packets: counter(s.packets, s.packetsTotal, s.packetsPost, s.initiatorPackets),
    samplingRate: samplingRateOf(s, ctx),
  };
  if (s.initialFlags >= 0) record.initialTcpFlags = s.initialFlags;
  if (s.flowDirection >= 0 && s.flowDirection < 2) record.flowDirection = FLOW_DIRECTIONS[s.flowDirection]!;
  if (s.biflowDirection >= 0 && s.biflowDirection < 4) record.biflowDirection = BIFLOW_DIRECTIONS[s.biflowDirection]!;
  const reverse = reverseOf(s);
  if (reverse) record.reverse = reverse;
  if (s.natSrc !== -1) record.postNatSrcAddr = s.natSrc;
  if (s.natDst !== -1) record.postNatDstAddr = s.natDst;
  if (s.natSrcPort >= 0) record.postNatSrcPort = s.natSrcPort;
  if (s.natDstPort >= 0) record.postNatDstPort = s.natDstPort;
  return record;
}
