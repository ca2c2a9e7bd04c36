/**
 * A deterministic fuzzer for the PacketDecoder: valid NetFlow v5, v9 and IPFIX packets (built with testing.ts, plus
 * any seeds the caller adds, e.g. real captures) mutated by bit flips, byte overwrites, truncation, length-field
 * corruption, splices and insertions, mixed with packets of random templates and random data, and (in flood mode)
 * template announcements from thousands of exporters. It reports what the decoder counted, every exception it
 * threw internally (a bug: bad input must be counted, not thrown) and the largest template cache it saw.
 * Pure: no I/O; fuzz.bench.ts runs it at scale, fuzz.test.ts with a small count.
 * @module
 */
import type { FlowRecord } from '../../core/flow.js';
import type { DecodeStats } from '../contracts.js';
import { createPacketDecoder } from '../decoder.js';
import { concat } from '../testing.js';
import { seedPackets } from './seeds.js';

export type FuzzFormat = 'v5' | 'v9' | 'ipfix';

export interface FuzzOptions {
  readonly format: FuzzFormat;
  readonly packets: number;
  readonly seed?: number;
  /** extra valid packets of this format to mutate (real captures) */
  readonly seeds?: readonly Uint8Array[];
  /** announce random templates from up to 10,000 exporter addresses (memory bound check) */
  readonly flood?: boolean;
  readonly maxTemplates?: number;
  readonly maxTemplatesPerExporter?: number;
  /** called every `sampleEvery` packets (e.g. to sample the heap) */
  readonly onSample?: (packetsDone: number, templatesHeld: number) => void;
  readonly sampleEvery?: number;
}

export interface FuzzReport {
  readonly format: FuzzFormat;
  readonly packets: number;
  readonly stats: DecodeStats;
  /** exceptions thrown inside decode (each also counted as decode-error); must be 0 */
  readonly internalErrors: number;
  readonly firstError?: string;
  /** largest template cache size seen after any packet, and the configured bound */
  readonly maxTemplatesHeld: number;
  readonly templateBound: number;
}

/** xorshift32: a small deterministic generator */
function random(seed: number): () => number {
  let x = seed >>> 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

const BOUNDARY_LENGTHS = [0, 1, 2, 3, 4, 5, 15, 16, 19, 20, 23, 24, 0xff, 0x100, 0x7fff, 0x8000, 0xfffe, 0xffff];

/** applies 1 to 3 random mutations to a copy of `packet` */
function mutate(packet: Uint8Array, next: () => number, other: Uint8Array): Uint8Array {
  let bytes: Uint8Array = packet.slice();
  const rounds = 1 + (next() % 3);
  for (let r = 0; r < rounds && bytes.length > 0; r++) {
    const at = next() % bytes.length;
    switch (next() % 7) {
      case 0:
        for (let i = 0, n = 1 + (next() % 8); i < n; i++) bytes[next() % bytes.length]! ^= 1 << (next() % 8);
        break;
      case 1:
        bytes[at] = next() & 0xff;
        break;
      case 2:
        bytes = bytes.subarray(0, at);
        break;
      case 3: {
        const value = BOUNDARY_LENGTHS[next() % BOUNDARY_LENGTHS.length]!;
        const pos = at & ~1;
        if (pos + 1 < bytes.length) {
          bytes[pos] = value >> 8;
          bytes[pos + 1] = value & 0xff;
        }
        break;
      }
      case 4: {
        const insert = Uint8Array.from({ length: 1 + (next() % 16) }, () => next() & 0xff);
        bytes = concat(bytes.subarray(0, at), insert, bytes.subarray(at));
        break;
      }
      case 5:
        bytes = concat(bytes.subarray(0, at), other.subarray(next() % Math.max(1, other.length)));
        break;
      default:
        bytes = concat(bytes, bytes.subarray(at));
    }
  }
  return bytes;
}

/** runs the fuzzer; never throws for decoder misbehaviour: the report says what happened */
export function runFuzz(options: FuzzOptions): FuzzReport {
  const next = random(options.seed ?? 1);
  const maxTemplates = options.maxTemplates ?? 2_048;
  const decoder = createPacketDecoder({
    clock: () => 0,
    templateConfig: { maxTemplates, maxTemplatesPerExporter: options.maxTemplatesPerExporter ?? 256 },
    onError: (error) => {
      internalErrors++;
      firstError ??= error instanceof Error ? (error.stack ?? error.message) : String(error);
    },
  });
  let internalErrors = 0;
  let firstError: string | undefined;
  let maxTemplatesHeld = 0;
  const seeds = [...seedPackets(options.format), ...(options.seeds ?? [])];
  const out: FlowRecord[] = [];
  for (let i = 0; i < options.packets; i++) {
    const exporter = options.flood ? `10.${next() % 40}.${next() % 250}.1` : `192.0.2.${i % 3}`;
    const kind = next() % 10;
    const base = seeds[next() % seeds.length]!;
    const packet =
      kind < 2
        ? randomTemplatePacket(options.format, next)
        : kind < 3
          ? base
          : mutate(base, next, seeds[next() % seeds.length]!);
    out.length = 0;
    decoder.decode(packet, { exporter, receivedAt: 0, out });
    if (decoder.templates.size > maxTemplatesHeld) maxTemplatesHeld = decoder.templates.size;
    if (options.onSample && (i + 1) % (options.sampleEvery ?? 100_000) === 0)
      options.onSample(i + 1, decoder.templates.size);
  }
  return {
    format: options.format,
    packets: options.packets,
    stats: decoder.stats,
    internalErrors,
    ...(firstError ? { firstError } : {}),
    maxTemplatesHeld,
    templateBound: maxTemplates,
  };
}

/** a packet announcing 1-3 random templates (random ids, lengths incl. 0 and variable, enterprise bits) plus data */
function randomTemplatePacket(format: FuzzFormat, next: () => number): Uint8Array {
  if (format === 'v5') return Uint8Array.from({ length: next() % 1500 }, () => next() & 0xff);
  const ipfix = format === 'ipfix';
  const parts: number[] = [];
  const u16 = (v: number) => parts.push((v >> 8) & 0xff, v & 0xff);
  const u32 = (v: number) => {
    u16(v >>> 16);
    u16(v & 0xffff);
  };
  const setStart = parts.length;
  u16(next() % 4 === 0 ? (ipfix ? 3 : 1) : ipfix ? 2 : 0);
  u16(0);
  for (let t = 0, templates = 1 + (next() % 3); t < templates; t++) {
    const fields = next() % 24;
    u16(256 + (next() % (next() % 4 === 0 ? 65280 : 16)));
    u16(fields);
    if (ipfix && next() % 4 === 0) u16(next() % (fields + 1));
    for (let f = 0; f < fields; f++) {
      const enterprise = ipfix && next() % 5 === 0;
      u16((next() % 600) | (enterprise ? 0x8000 : 0));
      u16([0, 1, 2, 3, 4, 6, 8, 16, 0xffff, next() % 300][next() % 10]!);
      if (enterprise) u32([29305, 6871, 5951, next()][next() % 4]!);
    }
  }
  const setLength = parts.length - setStart;
  parts[setStart + 2] = setLength >> 8;
  parts[setStart + 3] = setLength & 0xff;
  for (let d = 0, sets = next() % 3; d < sets; d++) {
    const length = 4 + (next() % 200);
    u16(256 + (next() % 16));
    u16(length);
    for (let i = 4; i < length; i++) parts.push(next() & 0xff);
  }
  const header: number[] = [];
  const h16 = (v: number) => header.push((v >> 8) & 0xff, v & 0xff);
  const h32 = (v: number) => {
    h16(v >>> 16);
    h16(v & 0xffff);
  };
  if (ipfix) {
    h16(10);
    h16(16 + parts.length);
    h32(1_700_000_000);
    h32(0);
    h32(next() % 3);
  } else {
    h16(9);
    h16(next() % 30);
    h32(next());
    h32(1_700_000_000);
    h32(0);
    h32(next() % 3);
  }
  return Uint8Array.from([...header, ...parts]);
}
