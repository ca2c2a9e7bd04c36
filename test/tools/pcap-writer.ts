/**
 * Writes classic pcap and pcapng files from frames, for tests that need captures (the reader's own tests, and
 * end-to-end tests that feed softflowd or tshark). Every byte order, timestamp resolution and block kind the
 * reader supports can be produced.
 * @module
 */
import { writeFileSync } from 'node:fs';

/** one frame to write */
export interface PcapRecord {
  /** capture time, epoch ms (fractions are kept to the file's resolution) */
  readonly timestamp: number;
  /** the link-layer frame (Ethernet unless `linkType` says otherwise) */
  readonly data: Uint8Array;
  /** the frame's length on the wire; defaults to data.length (set it larger to mimic a snap length) */
  readonly originalLength?: number;
}

export interface PcapOptions {
  readonly format?: 'pcap' | 'pcapng';
  /** LINKTYPE_* (1 Ethernet, 101 raw IP, 113/276 Linux cooked, 0/108 loopback); default 1 */
  readonly linkType?: number;
  readonly byteOrder?: 'little' | 'big';
  /** nanosecond timestamps (pcap magic a1b23c4d, pcapng if_tsresol 9) instead of microseconds */
  readonly nanosecond?: boolean;
  readonly snapLength?: number;
  /** pcapng: write Simple Packet Blocks (no timestamps) instead of Enhanced Packet Blocks */
  readonly simplePackets?: boolean;
  /** pcapng: put a block of an unknown type before every packet (readers must skip it) */
  readonly unknownBlocks?: boolean;
}

/** the bytes of a capture file holding `records` */
export function encodePcap(records: readonly PcapRecord[], options: PcapOptions = {}): Uint8Array {
  return options.format === 'pcapng' ? encodePcapng(records, options) : encodeClassic(records, options);
}

/** writes `records` to `path` as a pcap (or pcapng) file */
export function writePcap(path: string, records: readonly PcapRecord[], options: PcapOptions = {}): void {
  writeFileSync(path, encodePcap(records, options));
}

class ByteWriter {
  private buffer = new Uint8Array(4096);
  private view = new DataView(this.buffer.buffer);
  length = 0;
  constructor(private readonly little: boolean) {}

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const next = new Uint8Array(Math.max(this.buffer.length * 2, this.length + extra));
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
    this.view = new DataView(next.buffer);
  }
  u16(value: number): this {
    this.ensure(2);
    this.view.setUint16(this.length, value, this.little);
    this.length += 2;
    return this;
  }
  u32(value: number): this {
    this.ensure(4);
    this.view.setUint32(this.length, value >>> 0, this.little);
    this.length += 4;
    return this;
  }
  bytes(data: Uint8Array, padTo = 1): this {
    const padded = Math.ceil(data.length / padTo) * padTo;
    this.ensure(padded);
    this.buffer.set(data, this.length);
    this.buffer.fill(0, this.length + data.length, this.length + padded);
    this.length += padded;
    return this;
  }
  patchU32(at: number, value: number): void {
    this.view.setUint32(at, value >>> 0, this.little);
  }
  result(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

function splitTime(timestamp: number, nanosecond: boolean): [number, number] {
  const seconds = Math.floor(timestamp / 1000);
  const fraction = Math.round((timestamp - seconds * 1000) * (nanosecond ? 1e6 : 1e3));
  return [seconds, fraction];
}

function encodeClassic(records: readonly PcapRecord[], options: PcapOptions): Uint8Array {
  const nano = options.nanosecond ?? false;
  const w = new ByteWriter(options.byteOrder !== 'big');
  w.u32(nano ? 0xa1b23c4d : 0xa1b2c3d4)
    .u16(2)
    .u16(4)
    .u32(0)
    .u32(0)
    .u32(options.snapLength ?? 262_144)
    .u32(options.linkType ?? 1);
  for (const record of records) {
    const [seconds, fraction] = splitTime(record.timestamp, nano);
    w.u32(seconds)
      .u32(fraction)
      .u32(record.data.length)
      .u32(record.originalLength ?? record.data.length);
    w.bytes(record.data);
  }
  return w.result();
}

/** writes one pcapng block: type, total length, body (padded to 4), total length */
function block(w: ByteWriter, type: number, body: (w: ByteWriter) => void): void {
  const start = w.length;
  w.u32(type).u32(0);
  body(w);
  const total = w.length - start + 4;
  w.u32(total);
  w.patchU32(start + 4, total);
}

function encodePcapng(records: readonly PcapRecord[], options: PcapOptions): Uint8Array {
  const nano = options.nanosecond ?? false;
  const w = new ByteWriter(options.byteOrder !== 'big');
  block(w, 0x0a0d0d0a, (b) => {
    b.u32(0x1a2b3c4d).u16(1).u16(0).u32(0xffffffff).u32(0xffffffff); // section length unknown (-1)
  });
  block(w, 1, (b) => {
    b.u16(options.linkType ?? 1)
      .u16(0)
      .u32(options.snapLength ?? 0);
    b.u16(9)
      .u16(1)
      .bytes(Uint8Array.of(nano ? 9 : 6), 4); // if_tsresol
    b.u16(0).u16(0); // opt_endofopt
  });
  for (const record of records) {
    if (options.unknownBlocks) block(w, 0x00000bad, (b) => b.bytes(Uint8Array.of(1, 2, 3), 4));
    if (options.simplePackets) {
      block(w, 3, (b) => b.u32(record.originalLength ?? record.data.length).bytes(record.data, 4));
      continue;
    }
    const [seconds, fraction] = splitTime(record.timestamp, nano);
    const units = BigInt(seconds) * (nano ? 1_000_000_000n : 1_000_000n) + BigInt(fraction);
    block(w, 6, (b) => {
      b.u32(0)
        .u32(Number(units >> 32n))
        .u32(Number(units & 0xffffffffn))
        .u32(record.data.length)
        .u32(record.originalLength ?? record.data.length)
        .bytes(record.data, 4);
    });
  }
  return w.result();
}
