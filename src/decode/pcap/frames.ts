/**
 * The frames of a classic pcap or a pcapng file, in file order. Bytes in, views out: frame data are subarrays of
 * the input, never copies.
 * @module
 */
import { CaptureError } from './errors.js';

/** one captured link-layer frame */
export interface CaptureFrame {
  /** 1-based frame number, as tshark and tcpdump count */
  readonly number: number;
  /** byte offset of the frame's record (pcap) or block (pcapng) in the file */
  readonly offset: number;
  /** capture time, epoch ms (the fraction keeps micro/nanosecond precision) */
  readonly timestamp: number;
  readonly linkType: number;
  /** captured bytes; shorter than `originalLength` when the capture used a snap length */
  readonly data: Uint8Array;
  readonly originalLength: number;
}

/** where and why reading stopped before the end of the file */
export interface Truncation {
  readonly offset: number;
  readonly reason: string;
}

/** filled while the frame generator runs */
export interface FrameReadState {
  format: 'pcap' | 'pcapng' | undefined;
  truncated: Truncation | undefined;
}

const PCAP_MICRO = 0xa1b2c3d4;
const PCAP_NANO = 0xa1b23c4d;
const PCAPNG_SHB = 0x0a0d0d0a;

/** which container the first bytes announce, or undefined */
export function sniffCaptureFormat(bytes: Uint8Array): 'pcap' | 'pcapng' | undefined {
  if (bytes.length < 4) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const be = view.getUint32(0, false);
  const le = view.getUint32(0, true);
  if (be === PCAPNG_SHB) return 'pcapng';
  if (be === PCAP_MICRO || be === PCAP_NANO || le === PCAP_MICRO || le === PCAP_NANO) return 'pcap';
  return undefined;
}

/**
 * Yields every frame. Throws CaptureError when the file header cannot be read; later damage stops the iteration
 * and is recorded in `state.truncated`.
 */
export function* readFrames(bytes: Uint8Array, state: FrameReadState): Generator<CaptureFrame> {
  const format = sniffCaptureFormat(bytes);
  state.format = format;
  if (format === 'pcap') yield* readClassic(bytes, state);
  else if (format === 'pcapng') yield* readPcapng(bytes, state);
  else {
    const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join('');
    throw new CaptureError(
      'not-a-capture',
      `Cannot read capture at offset 0: magic "${head}" is neither pcap nor pcapng`,
      {
        offset: 0,
      },
    );
  }
}

function* readClassic(bytes: Uint8Array, state: FrameReadState): Generator<CaptureFrame> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 24) {
    throw new CaptureError(
      'truncated',
      `Cannot read capture at offset 0: pcap header needs 24 bytes, file has ${bytes.length}`,
      {
        offset: 0,
      },
    );
  }
  const magicBe = view.getUint32(0, false);
  const little = !(magicBe === PCAP_MICRO || magicBe === PCAP_NANO);
  const nano = view.getUint32(0, little) === PCAP_NANO;
  const fractionPerMs = nano ? 1e6 : 1e3;
  const linkType = view.getUint32(20, little) & 0xffff;
  let offset = 24;
  let number = 0;
  while (offset < bytes.length) {
    if (offset + 16 > bytes.length) {
      state.truncated = { offset, reason: `record header needs 16 bytes, ${bytes.length - offset} left` };
      return;
    }
    const seconds = view.getUint32(offset, little);
    const fraction = view.getUint32(offset + 4, little);
    const capLength = view.getUint32(offset + 8, little);
    const originalLength = view.getUint32(offset + 12, little);
    if (offset + 16 + capLength > bytes.length) {
      state.truncated = { offset, reason: `record of ${capLength} bytes runs past the end of the file` };
      return;
    }
    const data = bytes.subarray(offset + 16, offset + 16 + capLength);
    number++;
    yield { number, offset, timestamp: seconds * 1000 + fraction / fractionPerMs, linkType, data, originalLength };
    offset += 16 + capLength;
  }
}

interface NgInterface {
  readonly linkType: number;
  readonly snapLength: number;
  /** timestamp units per millisecond */
  readonly unitsPerMs: number;
  /** seconds added to every timestamp (if_tsoffset) */
  readonly offsetSeconds: number;
}

interface NgSection {
  little: boolean;
  interfaces: NgInterface[];
}

function* readPcapng(bytes: Uint8Array, state: FrameReadState): Generator<CaptureFrame> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const section: NgSection = { little: true, interfaces: [] };
  let offset = 0;
  let number = 0;
  let lastTimestamp = 0;
  while (offset < bytes.length) {
    if (offset + 12 > bytes.length) {
      state.truncated = { offset, reason: `block header needs 12 bytes, ${bytes.length - offset} left` };
      return;
    }
    if (view.getUint32(offset, false) === PCAPNG_SHB) {
      const order = view.getUint32(offset + 8, false);
      if (order !== 0x1a2b3c4d && order !== 0x4d3c2b1a) {
        const reason = `section header byte-order magic 0x${order.toString(16)} is invalid`;
        if (offset === 0) throw new CaptureError('bad-block', reason, { offset });
        state.truncated = { offset, reason };
        return;
      }
      section.little = order === 0x4d3c2b1a;
      section.interfaces = [];
    }
    const type = view.getUint32(offset, section.little);
    const length = view.getUint32(offset + 4, section.little);
    if (length < 12 || length % 4 !== 0 || offset + length > bytes.length) {
      const reason = `block length ${length} is invalid or runs past the end of the file`;
      if (offset === 0) throw new CaptureError('bad-block', reason, { offset });
      state.truncated = { offset, reason };
      return;
    }
    const body = bytes.subarray(offset + 8, offset + length - 4);
    const frame = readNgBlock(type, body, section, offset, lastTimestamp, number + 1);
    if (typeof frame === 'string') {
      state.truncated = { offset, reason: frame };
      return;
    }
    if (frame) {
      number++;
      lastTimestamp = frame.timestamp;
      yield frame;
    }
    offset += length;
  }
}

/** a frame, undefined for blocks without one, or the reason the block is unreadable */
function readNgBlock(
  type: number,
  body: Uint8Array,
  section: NgSection,
  offset: number,
  lastTimestamp: number,
  number: number,
): CaptureFrame | undefined | string {
  const little = section.little;
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  if (type === 1) {
    if (body.length < 8) return 'interface description block is shorter than 8 bytes';
    section.interfaces.push(readInterface(view, body, little));
    return undefined;
  }
  if (type === 6 || type === 2) {
    if (body.length < 20) return 'packet block is shorter than 20 bytes';
    const id = type === 6 ? view.getUint32(0, little) : view.getUint16(0, little);
    const iface = section.interfaces[id];
    if (!iface) return `packet block names interface ${id}, which no interface description block declared`;
    const capLength = view.getUint32(12, little);
    if (20 + capLength > body.length) return `packet data of ${capLength} bytes runs past its block`;
    const timestamp = ngTimestamp(view.getUint32(4, little), view.getUint32(8, little), iface);
    return {
      number,
      offset,
      timestamp,
      linkType: iface.linkType,
      data: body.subarray(20, 20 + capLength),
      originalLength: view.getUint32(16, little),
    };
  }
  if (type === 3) {
    if (body.length < 4) return 'simple packet block is shorter than 4 bytes';
    const iface = section.interfaces[0];
    if (!iface) return 'simple packet block before any interface description block';
    const originalLength = view.getUint32(0, little);
    let capLength = Math.min(originalLength, body.length - 4);
    if (iface.snapLength > 0) capLength = Math.min(capLength, iface.snapLength);
    const data = body.subarray(4, 4 + capLength);
    return { number, offset, timestamp: lastTimestamp, linkType: iface.linkType, data, originalLength };
  }
  return undefined;
}

function readInterface(view: DataView, body: Uint8Array, little: boolean): NgInterface {
  let unitsPerMs = 1e3;
  let offsetSeconds = 0;
  let at = 8;
  while (at + 4 <= body.length) {
    const code = view.getUint16(at, little);
    const length = view.getUint16(at + 2, little);
    if (code === 0 || at + 4 + length > body.length) break;
    if (code === 9 && length >= 1) {
      const resol = body[at + 4]!;
      const perSecond = resol & 0x80 ? 2 ** (resol & 0x7f) : 10 ** resol;
      unitsPerMs = perSecond / 1000;
    } else if (code === 14 && length >= 8) {
      // a 64-bit integer in the section's byte order
      const high = view.getUint32(at + (little ? 8 : 4), little);
      const low = view.getUint32(at + (little ? 4 : 8), little);
      offsetSeconds = high * 2 ** 32 + low;
    }
    at += 4 + length + ((4 - (length % 4)) % 4);
  }
  return { linkType: view.getUint16(0, little), snapLength: view.getUint32(4, little), unitsPerMs, offsetSeconds };
}

/** 64-bit timestamp in interface units to epoch ms, without exceeding 2^53 in intermediate values */
function ngTimestamp(high: number, low: number, iface: NgInterface): number {
  return high * (4294967296 / iface.unitsPerMs) + low / iface.unitsPerMs + iface.offsetSeconds * 1000;
}
