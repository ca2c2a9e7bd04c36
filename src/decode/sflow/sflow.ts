/**
 * sFlow v5 datagrams (sflow.org/sflow_version_5.txt) to FlowRecords: one record per flow sample whose sampled
 * packet is IP (from the raw header record, else the sampled IPv4/IPv6 record). Counter samples are counted and
 * skipped. Never throws: malformed parts are counted in `stats.dropped` and the rest of the datagram is kept.
 * @module
 */
import type { FlowRecord, IpAddress } from '../../core/flow.js';
import { ipv6FromBytes } from '../../core/ip.js';
import type { DecodeCall, DecodeStats, SubDecoder } from '../contracts.js';
import { type DatagramHeader, sampleFields } from './fields.js';
import { type FlowSample, readFlowSample } from './flow-sample.js';

const FLOW_SAMPLE = 1;
const COUNTER_SAMPLE = 2;
const EXPANDED_FLOW_SAMPLE = 3;
const EXPANDED_COUNTER_SAMPLE = 4;

function drop(stats: DecodeStats, reason: 'truncated' | 'decode-error' | 'unknown-version'): void {
  stats.dropped[reason] = (stats.dropped[reason] ?? 0) + 1;
}

/** decodes one sFlow v5 datagram; the caller (the PacketDecoder) has counted it in `stats.packets` */
export const decodeSflow: SubDecoder = function decodeSflow(packet, call, stats) {
  try {
    decodeDatagram(packet, call, stats);
  } catch {
    // bounds are checked before every read; this only guards the never-throw contract against a bug
    drop(stats, 'decode-error');
  }
};

/** the sFlow v5 datagram header, where its samples start, or why it cannot be read */
export type DatagramHeading =
  | { readonly header: DatagramHeader; readonly samples: number; readonly samplesAt: number }
  | { readonly error: 'truncated' | 'decode-error' | 'unknown-version' };

/** reads the datagram header (agent, sub-agent id, sequence, uptime, sample count) */
export function readDatagramHeader(packet: Uint8Array): DatagramHeading {
  const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  if (packet.length < 28) return { error: 'truncated' };
  if (view.getUint32(0) !== 5) return { error: 'unknown-version' };
  const addressType = view.getUint32(4);
  if (addressType !== 1 && addressType !== 2) return { error: 'decode-error' };
  const at = addressType === 1 ? 12 : 24;
  if (packet.length < at + 16) return { error: 'truncated' };
  const header: DatagramHeader = {
    agent: addressType === 1 ? view.getUint32(8) : ipv6FromBytes(packet, 8),
    subAgentId: view.getUint32(at),
    sequence: view.getUint32(at + 4),
    uptime: view.getUint32(at + 8),
  };
  return { header, samples: view.getUint32(at + 12), samplesAt: at + 16 };
}

function decodeDatagram(packet: Uint8Array, call: DecodeCall, stats: DecodeStats): void {
  const heading = readDatagramHeader(packet);
  if ('error' in heading) {
    drop(stats, heading.error);
    return;
  }
  const { header, samples } = heading;
  const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  let p = heading.samplesAt;
  for (let i = 0; i < samples; i++) {
    const end = p + 8 > packet.length ? -1 : p + 8 + view.getUint32(p + 4);
    if (end < 0 || end > packet.length) {
      drop(stats, 'truncated');
      return;
    }
    const format = view.getUint32(p);
    if (format >>> 12 === 0) {
      const kind = format & 0xfff;
      if (kind === FLOW_SAMPLE || kind === EXPANDED_FLOW_SAMPLE) {
        const sample = readFlowSample(view, packet, p + 8, end, kind === EXPANDED_FLOW_SAMPLE);
        if (sample) emit(sample, header, packet, call, stats);
        else drop(stats, 'truncated');
      } else if (kind === COUNTER_SAMPLE || kind === EXPANDED_COUNTER_SAMPLE) {
        stats.counterSamples++;
      }
    }
    p = end;
  }
}

function emit(
  sample: FlowSample,
  header: DatagramHeader,
  packet: Uint8Array,
  call: DecodeCall,
  stats: DecodeStats,
): void {
  const record = toFlowRecord(sample, header, call);
  if (record) {
    call.out.push(record);
    stats.records++;
  } else {
    stats.nonFlowRecords = (stats.nonFlowRecords ?? 0) + 1;
  }
  if (!call.fields) return;
  call.fields.push({
    exporter: call.exporter,
    version: 'sflow5',
    observationDomainId: header.subAgentId,
    templateId: sample.format,
    recordKind: 'data',
    fields: sampleFields(header, sample, packet),
    ...(record ? { record } : {}),
  });
}

/** undefined when the sampled packet is not IP (ARP, LLDP, ...): nothing to map */
function toFlowRecord(sample: FlowSample, header: DatagramHeader, call: DecodeCall): FlowRecord | undefined {
  const p = sample.packet;
  if (p.ipVersion !== 0) {
    return record(
      sample,
      header,
      call,
      p.srcAddr,
      p.dstAddr,
      p.srcPort,
      p.dstPort,
      p.protocol,
      p.tcpFlags,
      sample.frameLength - p.encapsulation,
    );
  }
  const ip = sample.sampledIp;
  if (!ip) return undefined;
  return record(
    sample,
    header,
    call,
    ip.srcAddr,
    ip.dstAddr,
    ip.srcPort,
    ip.dstPort,
    ip.protocol,
    ip.tcpFlags & 0xff,
    ip.length,
  );
}

/** one object literal with every field in the same order: records share a hidden class */
function record(
  sample: FlowSample,
  header: DatagramHeader,
  call: DecodeCall,
  srcAddr: IpAddress,
  dstAddr: IpAddress,
  srcPort: number,
  dstPort: number,
  ipProtocol: number,
  tcpFlags: number,
  bytes: number,
): FlowRecord {
  return {
    exporter: call.exporter,
    protocol: 'sflow',
    observationDomainId: header.subAgentId,
    receivedAt: call.receivedAt,
    start: call.receivedAt,
    end: call.receivedAt,
    srcAddr,
    dstAddr,
    srcPort,
    dstPort,
    ipProtocol,
    tcpFlags,
    bytes,
    packets: 1,
    samplingRate: sample.samplingRate || 1,
  };
}
