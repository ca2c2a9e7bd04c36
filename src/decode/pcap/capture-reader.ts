/**
 * Capture bytes in, UDP datagrams out: pcap/pcapng frames, link layer, IPv4/IPv6 (options, extension headers,
 * fragment reassembly), UDP. Everything that is not UDP is counted and skipped. Pure: the caller reads the file.
 * @module
 */
import { ipv6FromBytes } from '../../core/ip.js';
import { type CaptureConfig, captureConfig } from './config.js';
import { CaptureError } from './errors.js';
import { type CaptureFrame, type FrameReadState, readFrames, type Truncation } from './frames.js';
import { locateNetworkLayer, type NetworkLocation } from './link-layer.js';
import { createReassembler, type ReassemblyDrop } from './reassembler.js';

/** one UDP datagram found in a capture */
export interface UdpDatagram {
  /** number of the frame that completed it (1-based) and that frame's byte offset in the file */
  readonly frame: number;
  readonly offset: number;
  /** capture time, epoch ms */
  readonly timestamp: number;
  /** dotted IPv4 or RFC 5952 IPv6 */
  readonly srcAddr: string;
  readonly srcPort: number;
  readonly dstAddr: string;
  readonly dstPort: number;
  /** a view into the capture bytes (a new buffer for reassembled datagrams) */
  readonly payload: Uint8Array;
}

export type CaptureSkipReason =
  | 'tcp'
  | 'other-protocol'
  | 'not-ip'
  | 'link-type'
  | 'malformed'
  | 'snap-truncated'
  | ReassemblyDrop;

export interface CaptureStats {
  format: 'pcap' | 'pcapng' | undefined;
  frames: number;
  /** UDP datagrams yielded */
  datagrams: number;
  /** IP fragments seen (IPv4 and IPv6) and datagrams rebuilt from them */
  fragments: number;
  reassembled: number;
  /** frames (or, for fragment reasons, datagrams) skipped and why */
  skipped: Partial<Record<CaptureSkipReason, number>>;
  /** the most payload bytes the reassembler held at once */
  peakReassemblyBytes: number;
  /** set when reading stopped before the end of the file: what was read before is still yielded */
  truncated: Truncation | undefined;
}

export interface CaptureReader {
  readonly stats: CaptureStats;
  /** the datagrams in capture order; iterate once */
  datagrams(): Generator<UdpDatagram>;
}

/** opens a capture; throws CaptureError (with the offset) when its header cannot be read at all */
export function openCapture(bytes: Uint8Array, config: Partial<CaptureConfig> = {}): CaptureReader {
  const settings = captureConfig.parse(config);
  const state: FrameReadState = { format: undefined, truncated: undefined };
  const frames = readFrames(bytes, state);
  const first = frames.next();
  const stats: CaptureStats = {
    format: state.format,
    frames: 0,
    datagrams: 0,
    fragments: 0,
    reassembled: 0,
    skipped: {},
    peakReassemblyBytes: 0,
    truncated: undefined,
  };
  if (!state.format) throw new CaptureError('not-a-capture', 'unknown format', { offset: 0 });
  const skip = (reason: CaptureSkipReason) => {
    stats.skipped[reason] = (stats.skipped[reason] ?? 0) + 1;
  };
  const reassembler = createReassembler(settings.reassembly, skip);
  const parser = createPacketParser(stats, skip, reassembler.add);

  return {
    stats,
    *datagrams() {
      let next = first;
      while (!next.done) {
        stats.frames++;
        const datagram = parser(next.value);
        if (datagram) {
          stats.datagrams++;
          yield datagram;
        }
        stats.peakReassemblyBytes = reassembler.peakBufferedBytes;
        next = frames.next();
      }
      reassembler.finish();
      stats.truncated = state.truncated;
    },
  };
}

type Reassemble = (key: string, offset: number, more: boolean, data: Uint8Array, now: number) => Uint8Array | undefined;

function createPacketParser(
  stats: CaptureStats,
  skip: (reason: CaptureSkipReason) => void,
  reassemble: Reassemble,
): (frame: CaptureFrame) => UdpDatagram | undefined {
  const location: NetworkLocation = { offset: 0 };
  /** too short for what its headers announce: cut by the snap length, or simply broken */
  const short = (frame: CaptureFrame) =>
    skip(frame.data.length < frame.originalLength ? 'snap-truncated' : 'malformed');

  const udp = (frame: CaptureFrame, segment: Uint8Array, src: string, dst: string): UdpDatagram | undefined => {
    if (segment.length < 8) return void short(frame);
    const length = (segment[4]! << 8) | segment[5]!;
    if (length !== 0 && length < 8) return void skip('malformed');
    if (length > segment.length) return void short(frame);
    return {
      frame: frame.number,
      offset: frame.offset,
      timestamp: frame.timestamp,
      srcAddr: src,
      srcPort: (segment[0]! << 8) | segment[1]!,
      dstAddr: dst,
      dstPort: (segment[2]! << 8) | segment[3]!,
      payload: segment.subarray(8, length === 0 ? segment.length : length),
    };
  };

  const skipProtocol = (protocol: number) => skip(protocol === 6 ? 'tcp' : 'other-protocol');

  const ipv4 = (frame: CaptureFrame, at: number): UdpDatagram | undefined => {
    const d = frame.data;
    if (d.length < at + 20) return void short(frame);
    const headerLength = (d[at]! & 15) * 4;
    const totalLength = (d[at + 2]! << 8) | d[at + 3]!;
    if (headerLength < 20 || totalLength < headerLength) return void skip('malformed');
    if (at + totalLength > d.length) return void short(frame);
    const protocol = d[at + 9]!;
    if (protocol !== 17) return void skipProtocol(protocol);
    const src = `${d[at + 12]}.${d[at + 13]}.${d[at + 14]}.${d[at + 15]}`;
    const dst = `${d[at + 16]}.${d[at + 17]}.${d[at + 18]}.${d[at + 19]}`;
    const payload = d.subarray(at + headerLength, at + totalLength);
    const flags = (d[at + 6]! << 8) | d[at + 7]!;
    const more = (flags & 0x2000) !== 0;
    const fragmentOffset = (flags & 0x1fff) * 8;
    if (!more && fragmentOffset === 0) return udp(frame, payload, src, dst);
    stats.fragments++;
    const key = `4|${src}|${dst}|${(d[at + 4]! << 8) | d[at + 5]!}`;
    const whole = reassemble(key, fragmentOffset, more, payload, frame.timestamp);
    if (!whole) return undefined;
    stats.reassembled++;
    return udp(frame, whole, src, dst);
  };

  const ipv6 = (frame: CaptureFrame, at: number): UdpDatagram | undefined => {
    const d = frame.data;
    if (d.length < at + 40) return void short(frame);
    const payloadLength = (d[at + 4]! << 8) | d[at + 5]!;
    const end = payloadLength === 0 ? d.length : at + 40 + payloadLength;
    if (end > d.length) return void short(frame);
    const src = String(formatAddress(d, at + 8));
    const dst = String(formatAddress(d, at + 24));
    return ipv6Chain(frame, d.subarray(at + 40, end), d[at + 6]!, src, dst);
  };

  const ipv6Chain = (
    frame: CaptureFrame,
    body: Uint8Array,
    firstHeader: number,
    src: string,
    dst: string,
  ): UdpDatagram | undefined => {
    let next = firstHeader;
    let at = 0;
    for (;;) {
      if (next === 17) return udp(frame, body.subarray(at), src, dst);
      if (next === 0 || next === 43 || next === 60 || next === 51) {
        if (body.length < at + 2) return void short(frame);
        const length = next === 51 ? (body[at + 1]! + 2) * 4 : (body[at + 1]! + 1) * 8;
        next = body[at]!;
        at += length;
        if (at > body.length) return void short(frame);
        continue;
      }
      if (next !== 44) return void skipProtocol(next);
      if (body.length < at + 8) return void short(frame);
      const inner = body[at]!;
      const field = (body[at + 2]! << 8) | body[at + 3]!;
      const offset = field & 0xfff8;
      const more = (field & 1) !== 0;
      if (offset === 0 && !more) {
        next = inner;
        at += 8;
        continue; // atomic fragment (RFC 6946)
      }
      if (inner === 6) return void skip('tcp');
      stats.fragments++;
      const id = ((body[at + 4]! << 24) | (body[at + 5]! << 16) | (body[at + 6]! << 8) | body[at + 7]!) >>> 0;
      const whole = reassemble(`6|${src}|${dst}|${id}`, offset, more, body.subarray(at + 8), frame.timestamp);
      if (!whole) return undefined;
      stats.reassembled++;
      return ipv6Chain(frame, whole, inner, src, dst);
    }
  };

  return (frame) => {
    switch (locateNetworkLayer(frame.data, frame.linkType, location)) {
      case 4:
        return ipv4(frame, location.offset);
      case 6:
        return ipv6(frame, location.offset);
      case 0:
        return void skip('not-ip');
      case -1:
        return void skip('link-type');
      default:
        return void short(frame);
    }
  };
}

/** IPv6 text; IPv4-mapped addresses come out dotted */
function formatAddress(bytes: Uint8Array, at: number): string {
  const ip = ipv6FromBytes(bytes, at);
  return typeof ip === 'string' ? ip : `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}
