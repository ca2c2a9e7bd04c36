/**
 * An sFlow v5 datagram encoder for tests (ours and other components'): agents, flow and counter samples, and the
 * flow records the decoder reads. Not used by production code.
 * @module
 */
import { ipv6ToBytes, parseIpv4 } from '../../core/ip.js';

/** one flow record: enterprise 0 format number and its XDR body */
export interface SflowRecord {
  readonly format: number;
  readonly body: Uint8Array;
}

export interface SflowFlowSampleSpec {
  readonly expanded?: boolean;
  readonly sequence?: number;
  readonly sourceIdType?: number;
  readonly sourceIdIndex?: number;
  readonly samplingRate?: number;
  readonly samplePool?: number;
  readonly drops?: number;
  readonly input?: number;
  readonly inputFormat?: number;
  readonly output?: number;
  readonly outputFormat?: number;
  readonly records: readonly SflowRecord[];
}

export interface SflowDatagramSpec {
  /** IPv4 or IPv6 text */
  readonly agent: string;
  readonly subAgentId?: number;
  readonly sequence?: number;
  readonly uptime?: number;
  readonly flowSamples?: readonly SflowFlowSampleSpec[];
  /** counter samples (format 2, or 4 when expanded) with an empty record list */
  readonly counterSamples?: number;
  readonly expandedCounters?: boolean;
}

class Xdr {
  private parts: number[] = [];
  u32(value: number): this {
    const v = value >>> 0;
    this.parts.push(v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255);
    return this;
  }
  bytes(data: Uint8Array): this {
    this.parts.push(...data);
    while (this.parts.length % 4) this.parts.push(0);
    return this;
  }
  opaque(data: Uint8Array): this {
    return this.u32(data.length).bytes(data);
  }
  address(text: string): this {
    if (text.includes(':')) return this.u32(2).bytes(ipv6ToBytes(text)!);
    return this.u32(1).u32(parseIpv4(text)!);
  }
  done(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

/** raw packet header record (0:1); `protocol` 1 Ethernet, 11 IPv4, 12 IPv6 */
export function headerRecord(
  header: Uint8Array,
  options: { protocol?: number; frameLength?: number; stripped?: number } = {},
): SflowRecord {
  const body = new Xdr()
    .u32(options.protocol ?? 1)
    .u32(options.frameLength ?? header.length + 4)
    .u32(options.stripped ?? 4)
    .opaque(header)
    .done();
  return { format: 1, body };
}

/** sampled IPv4 (0:3) or IPv6 (0:4) record, chosen by the address form */
export function sampledIpRecord(spec: {
  length: number;
  protocol: number;
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  tcpFlags?: number;
  tos?: number;
}): SflowRecord {
  const v6 = spec.src.includes(':');
  const w = new Xdr().u32(spec.length).u32(spec.protocol);
  if (v6) w.bytes(ipv6ToBytes(spec.src)!).bytes(ipv6ToBytes(spec.dst)!);
  else w.u32(parseIpv4(spec.src)!).u32(parseIpv4(spec.dst)!);
  w.u32(spec.srcPort)
    .u32(spec.dstPort)
    .u32(spec.tcpFlags ?? 0)
    .u32(spec.tos ?? 0);
  return { format: v6 ? 4 : 3, body: w.done() };
}

/** extended switch record (0:1001) */
export function switchRecord(srcVlan: number, dstVlan: number, srcPriority = 0, dstPriority = 0): SflowRecord {
  return { format: 1001, body: new Xdr().u32(srcVlan).u32(srcPriority).u32(dstVlan).u32(dstPriority).done() };
}

/** extended router record (0:1002) */
export function routerRecord(nextHop: string, srcMask: number, dstMask: number): SflowRecord {
  return { format: 1002, body: new Xdr().address(nextHop).u32(srcMask).u32(dstMask).done() };
}

/** extended gateway record (0:1003) with one AS_SEQUENCE segment, no communities */
export function gatewayRecord(
  nextHop: string,
  as: number,
  srcAs: number,
  srcPeerAs: number,
  path: readonly number[],
): SflowRecord {
  const w = new Xdr().address(nextHop).u32(as).u32(srcAs).u32(srcPeerAs);
  w.u32(path.length ? 1 : 0);
  if (path.length) {
    w.u32(2).u32(path.length);
    for (const asn of path) w.u32(asn);
  }
  return { format: 1003, body: w.u32(0).u32(100).done() };
}

function flowSample(spec: SflowFlowSampleSpec): Uint8Array {
  const w = new Xdr().u32(spec.sequence ?? 1);
  const inFormat = spec.inputFormat ?? 0;
  const outFormat = spec.outputFormat ?? 0;
  if (spec.expanded) w.u32(spec.sourceIdType ?? 0).u32(spec.sourceIdIndex ?? 1);
  else w.u32(((spec.sourceIdType ?? 0) << 24) | (spec.sourceIdIndex ?? 1));
  w.u32(spec.samplingRate ?? 1)
    .u32(spec.samplePool ?? 1)
    .u32(spec.drops ?? 0);
  if (spec.expanded)
    w.u32(inFormat)
      .u32(spec.input ?? 0)
      .u32(outFormat)
      .u32(spec.output ?? 0);
  else w.u32((inFormat << 30) | (spec.input ?? 0)).u32((outFormat << 30) | (spec.output ?? 0));
  w.u32(spec.records.length);
  for (const record of spec.records) w.u32(record.format).opaque(record.body);
  return w.done();
}

/** the bytes of one sFlow v5 datagram */
export function encodeSflowDatagram(spec: SflowDatagramSpec): Uint8Array {
  const samples: [number, Uint8Array][] = (spec.flowSamples ?? []).map((s) => [s.expanded ? 3 : 1, flowSample(s)]);
  for (let i = 0; i < (spec.counterSamples ?? 0); i++) {
    const body = spec.expandedCounters
      ? new Xdr()
          .u32(i)
          .u32(0)
          .u32(i + 1)
          .u32(0)
          .done()
      : new Xdr()
          .u32(i)
          .u32(i + 1)
          .u32(0)
          .done();
    samples.push([spec.expandedCounters ? 4 : 2, body]);
  }
  const w = new Xdr()
    .u32(5)
    .address(spec.agent)
    .u32(spec.subAgentId ?? 0)
    .u32(spec.sequence ?? 1)
    .u32(spec.uptime ?? 1000)
    .u32(samples.length);
  for (const [format, body] of samples) w.u32(format).opaque(body);
  return w.done();
}
