/**
 * One sFlow v5 flow sample (format 1, or 3 = expanded) and its flow records, read into a `FlowSample`.
 * Bounds are checked before every read; a record that runs past its sample makes the whole sample unreadable.
 * @module
 */
import type { IpAddress } from '../../core/flow.js';
import { ipv6FromBytes } from '../../core/ip.js';
import { emptyPacketInfo, type PacketInfo, parseSampledHeader } from './sampled-header.js';

/** the sampled IPv4/IPv6 data record (0:3, 0:4): a summary instead of (or beside) the raw header */
export interface SampledIp {
  readonly version: 4 | 6;
  readonly length: number;
  readonly protocol: number;
  readonly srcAddr: IpAddress;
  readonly dstAddr: IpAddress;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly tcpFlags: number;
  readonly tos: number;
}

export interface FlowSample {
  readonly format: 1 | 3;
  readonly sequence: number;
  readonly sourceIdType: number;
  readonly sourceIdIndex: number;
  readonly samplingRate: number;
  readonly samplePool: number;
  readonly drops: number;
  /** interface format: 0 ifIndex, 1 packet discarded (value = reason), 2 several interfaces (value = count) */
  readonly inputFormat: number;
  readonly input: number;
  readonly outputFormat: number;
  readonly output: number;
  /** raw packet header record (0:1): header protocol, frame length, stripped bytes; -1 when absent */
  headerProtocol: number;
  frameLength: number;
  stripped: number;
  readonly packet: PacketInfo;
  sampledIp: SampledIp | undefined;
  /** sampled Ethernet record (0:2): frame length and offset of its MACs in the datagram */
  ethernet:
    | { readonly length: number; readonly srcMacAt: number; readonly dstMacAt: number; readonly type: number }
    | undefined;
  /** extended switch (0:1001) */
  switch:
    | { readonly srcVlan: number; readonly srcPriority: number; readonly dstVlan: number; readonly dstPriority: number }
    | undefined;
  /** extended router (0:1002) */
  router: { readonly nextHop: IpAddress; readonly srcMask: number; readonly dstMask: number } | undefined;
  /** extended gateway (0:1003); dstAs is the last AS of the path (the router's own AS when the path is empty) */
  gateway:
    | {
        readonly nextHop: IpAddress;
        readonly as: number;
        readonly srcAs: number;
        readonly srcPeerAs: number;
        readonly dstAs: number;
        readonly nextAs: number;
      }
    | undefined;
}

/**
 * Reads the flow sample whose body is `packet[start, end)`; undefined when it is malformed.
 * `expanded` selects format 3 (separate source id and interface format words). `view` spans `packet`.
 */
export function readFlowSample(
  view: DataView,
  packet: Uint8Array,
  start: number,
  end: number,
  expanded: boolean,
): FlowSample | undefined {
  const headerLength = expanded ? 44 : 32;
  if (end - start < headerLength) return undefined;
  const s = start;
  const sample = expanded
    ? newSample(
        3,
        view.getUint32(s),
        view.getUint32(s + 4),
        view.getUint32(s + 8),
        view.getUint32(s + 12),
        view.getUint32(s + 16),
        view.getUint32(s + 20),
        view.getUint32(s + 24),
        view.getUint32(s + 28),
        view.getUint32(s + 32),
        view.getUint32(s + 36),
      )
    : newSample(
        1,
        view.getUint32(s),
        view.getUint32(s + 4) >>> 24,
        view.getUint32(s + 4) & 0xffffff,
        view.getUint32(s + 8),
        view.getUint32(s + 12),
        view.getUint32(s + 16),
        view.getUint32(s + 20) >>> 30,
        view.getUint32(s + 20) & 0x3fffffff,
        view.getUint32(s + 24) >>> 30,
        view.getUint32(s + 24) & 0x3fffffff,
      );
  const count = view.getUint32(s + headerLength - 4);
  let at = s + headerLength;
  for (let i = 0; i < count && at < end; i++) {
    if (at + 8 > end) return undefined;
    const format = view.getUint32(at);
    const bodyEnd = at + 8 + view.getUint32(at + 4);
    if (bodyEnd > end) return undefined;
    if (format >>> 12 === 0 && !readRecord(format & 0xfff, view, packet, at + 8, bodyEnd, sample)) return undefined;
    at = bodyEnd;
  }
  return sample;
}

function newSample(
  format: 1 | 3,
  sequence: number,
  sourceIdType: number,
  sourceIdIndex: number,
  samplingRate: number,
  samplePool: number,
  drops: number,
  inputFormat: number,
  input: number,
  outputFormat: number,
  output: number,
): FlowSample {
  return {
    format,
    sequence,
    sourceIdType,
    sourceIdIndex,
    samplingRate,
    samplePool,
    drops,
    inputFormat,
    input,
    outputFormat,
    output,
    headerProtocol: -1,
    frameLength: -1,
    stripped: -1,
    packet: emptyPacketInfo(),
    sampledIp: undefined,
    ethernet: undefined,
    switch: undefined,
    router: undefined,
    gateway: undefined,
  };
}

/** reads one enterprise-0 flow record into `sample`; false when it is malformed; unknown formats are skipped */
function readRecord(
  format: number,
  view: DataView,
  packet: Uint8Array,
  at: number,
  end: number,
  sample: FlowSample,
): boolean {
  const size = end - at;
  switch (format) {
    case 1: {
      if (size < 16) return false;
      const length = view.getUint32(at + 12);
      if (16 + length > size) return false;
      sample.headerProtocol = view.getUint32(at);
      sample.frameLength = view.getUint32(at + 4);
      sample.stripped = view.getUint32(at + 8);
      parseSampledHeader(sample.headerProtocol, packet.subarray(at + 16, at + 16 + length), sample.packet);
      return true;
    }
    case 2:
      if (size < 24) return false;
      sample.ethernet = {
        length: view.getUint32(at),
        srcMacAt: at + 4,
        dstMacAt: at + 12,
        type: view.getUint32(at + 20),
      };
      return true;
    case 3:
      if (size < 32) return false;
      sample.sampledIp = {
        version: 4,
        length: view.getUint32(at),
        protocol: view.getUint32(at + 4),
        srcAddr: view.getUint32(at + 8),
        dstAddr: view.getUint32(at + 12),
        srcPort: view.getUint32(at + 16),
        dstPort: view.getUint32(at + 20),
        tcpFlags: view.getUint32(at + 24),
        tos: view.getUint32(at + 28),
      };
      return true;
    case 4:
      if (size < 56) return false;
      sample.sampledIp = {
        version: 6,
        length: view.getUint32(at),
        protocol: view.getUint32(at + 4),
        srcAddr: ipv6FromBytes(packet, at + 8),
        dstAddr: ipv6FromBytes(packet, at + 24),
        srcPort: view.getUint32(at + 40),
        dstPort: view.getUint32(at + 44),
        tcpFlags: view.getUint32(at + 48),
        tos: view.getUint32(at + 52),
      };
      return true;
    case 1001:
      if (size < 16) return false;
      sample.switch = {
        srcVlan: view.getUint32(at),
        srcPriority: view.getUint32(at + 4),
        dstVlan: view.getUint32(at + 8),
        dstPriority: view.getUint32(at + 12),
      };
      return true;
    case 1002:
      return readRouter(view, packet, at, end, sample);
    case 1003:
      return readGateway(view, packet, at, end, sample);
    default:
      return true;
  }
}

/** an sFlow address (type 1 IPv4, 2 IPv6) at `at`; [address, bytes read] or undefined */
export function readAddress(
  view: DataView,
  packet: Uint8Array,
  at: number,
  end: number,
): [IpAddress, number] | undefined {
  if (at + 4 > end) return undefined;
  const type = view.getUint32(at);
  if (type === 1 && at + 8 <= end) return [view.getUint32(at + 4), 8];
  if (type === 2 && at + 20 <= end) return [ipv6FromBytes(packet, at + 4), 20];
  return undefined;
}

function readRouter(view: DataView, packet: Uint8Array, at: number, end: number, sample: FlowSample): boolean {
  const address = readAddress(view, packet, at, end);
  if (!address || at + address[1] + 8 > end) return false;
  const next = at + address[1];
  sample.router = { nextHop: address[0], srcMask: view.getUint32(next), dstMask: view.getUint32(next + 4) };
  return true;
}

function readGateway(view: DataView, packet: Uint8Array, at: number, end: number, sample: FlowSample): boolean {
  const address = readAddress(view, packet, at, end);
  if (!address) return false;
  let p = at + address[1];
  if (p + 16 > end) return false;
  const as = view.getUint32(p);
  const srcAs = view.getUint32(p + 4);
  const srcPeerAs = view.getUint32(p + 8);
  const segments = view.getUint32(p + 12);
  p += 16;
  let dstAs = as;
  let nextAs = 0;
  for (let i = 0; i < segments; i++) {
    if (p + 8 > end) return false;
    const length = view.getUint32(p + 4);
    if (length > (end - p - 8) / 4) return false;
    if (length > 0) {
      if (nextAs === 0) nextAs = view.getUint32(p + 8);
      dstAs = view.getUint32(p + 8 + (length - 1) * 4);
    }
    p += 8 + length * 4;
  }
  // communities and local preference follow; nothing here needs them
  sample.gateway = { nextHop: address[0], as, srcAs, srcPeerAs, dstAs, nextAs };
  return true;
}
