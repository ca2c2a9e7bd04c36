/**
 * Precomputed export packets for replay: records from the traffic model, encoded once per exporter, then sent
 * again and again with fresh headers (export time, sequence numbers) and, for IPFIX, absolute flow times shifted
 * so every pass looks current. Owns its buffers; `stamp` patches a packet in place just before it is sent.
 * @module
 */
import { createIpfixEncoder, createNetflowV9Encoder, type ExportRecord, type FlowEncoder } from './encode/index.js';
import { createSimulation } from './simulation.js';

export interface PoolPacket {
  readonly bytes: Uint8Array;
  /** index of the exporter that sends it */
  readonly exporter: number;
  /** data records (v9: data + options; counted the way the header sequence needs) */
  readonly records: number;
  /** byte offsets of 8-byte absolute millisecond fields (IPFIX flowStart/EndMilliseconds) */
  readonly timeOffsets: readonly number[];
  /** the delta already applied to those fields */
  applied: number;
}

export interface ReplayPool {
  readonly version: 9 | 10;
  readonly packets: readonly PoolPacket[];
  readonly records: number;
  /** when the packets were encoded (epoch ms) */
  readonly encodedAt: number;
  readonly exporters: number;
}

const TIME_FIELDS = new Set([152, 153]);

/** data records and offsets of absolute time fields in an IPFIX message, using the templates announced so far */
function scanIpfix(bytes: Uint8Array, templates: Map<number, { id: number; length: number }[]>) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: number[] = [];
  let records = 0;
  let at = 16;
  while (at + 4 <= bytes.length) {
    const setId = view.getUint16(at);
    const setLength = view.getUint16(at + 2);
    if (setLength < 4) break;
    const end = at + setLength;
    if (setId === 2) {
      let p = at + 4;
      while (p + 4 <= end) {
        const id = view.getUint16(p);
        const count = view.getUint16(p + 2);
        if (count === 0) break;
        p += 4;
        const fields: { id: number; length: number }[] = [];
        for (let i = 0; i < count; i++) {
          const raw = view.getUint16(p);
          fields.push({ id: raw & 0x7fff, length: view.getUint16(p + 2) });
          p += raw & 0x8000 ? 8 : 4;
        }
        templates.set(id, fields);
      }
    } else if (setId >= 256) {
      const fields = templates.get(setId);
      const size = fields?.reduce((n, f) => n + f.length, 0) ?? 0;
      if (fields && size > 0) {
        for (let p = at + 4; p + size <= end; p += size) {
          records++;
          let o = p;
          for (const f of fields) {
            if (TIME_FIELDS.has(f.id) && f.length === 8) out.push(o);
            o += f.length;
          }
        }
      }
    }
    at = end;
  }
  return { timeOffsets: out, records };
}

/** simulates the demo cluster quickly until `records` flow records exist, and encodes them for `exporters` */
export function buildReplayPool(options: {
  version: 9 | 10;
  records: number;
  exporters: number;
  seed: number;
  now: number;
}): ReplayPool {
  const start = options.now - 600_000;
  const sim = createSimulation({
    seed: options.seed,
    start,
    intensity: 300,
    exporters: [
      { node: 'node-1', version: 9 },
      { node: 'node-2', version: 9 },
      { node: 'node-3', version: 9 },
    ],
    activeTimeoutMs: 10_000,
    inactiveTimeoutMs: 2_000,
  });
  const records: ExportRecord[] = [];
  for (let t = start + 1000; records.length < options.records && t < options.now; t += 1000) {
    for (const batch of sim.step(t).batches) records.push(...batch.records);
  }
  records.length = Math.min(records.length, options.records);
  const encoders: FlowEncoder[] = [];
  for (let i = 0; i < options.exporters; i++) {
    const common = { domainId: 100 + i, bootTime: options.now - 86_400_000 };
    encoders.push(options.version === 9 ? createNetflowV9Encoder(common) : createIpfixEncoder(common));
  }
  const packets: PoolPacket[] = [];
  const templates = encoders.map(() => new Map<number, { id: number; length: number }[]>());
  const chunk = 500;
  for (let i = 0; i * chunk < records.length; i++) {
    const exporter = i % options.exporters;
    const encoder = encoders[exporter]!;
    const before = encoder.stats.dataRecords + encoder.stats.optionsRecords;
    let counted = 0;
    for (const bytes of encoder.encode(records.slice(i * chunk, (i + 1) * chunk), options.now)) {
      const scan = options.version === 10 ? scanIpfix(bytes, templates[exporter]!) : undefined;
      const timeOffsets = scan?.timeOffsets ?? [];
      const n = scan ? scan.records : v9DataRecords(bytes);
      counted += n;
      packets.push({ bytes, exporter, records: n, timeOffsets, applied: 0 });
    }
    const written = encoder.stats.dataRecords + encoder.stats.optionsRecords - before;
    if (counted !== written)
      throw new Error(`Cannot build the replay pool: counted ${counted} records, the encoder wrote ${written}`);
  }
  return {
    version: options.version,
    packets,
    records: records.length,
    encodedAt: options.now,
    exporters: options.exporters,
  };
}

/** data records in one of our own v9 packets: the header count minus the template flowsets (one template each) */
function v9DataRecords(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 20;
  let templates = 0;
  while (at + 4 <= bytes.length) {
    const setLength = view.getUint16(at + 2);
    if (setLength < 4) break;
    if (view.getUint16(at) < 256) templates++;
    at += setLength;
  }
  return view.getUint16(2) - templates;
}

/** patches a pool packet for sending at `now`: header time and sequence, shifted absolute times */
export function stamp(pool: ReplayPool, packet: PoolPacket, now: number, sequence: number): void {
  const view = new DataView(packet.bytes.buffer, packet.bytes.byteOffset, packet.bytes.byteLength);
  const seconds = Math.floor(now / 1000);
  if (pool.version === 9) {
    view.setUint32(8, seconds);
    view.setUint32(12, sequence >>> 0);
    return;
  }
  view.setUint32(4, seconds);
  view.setUint32(8, sequence >>> 0);
  const delta = now - pool.encodedAt - packet.applied;
  if (delta === 0) return;
  for (const o of packet.timeOffsets) {
    const value = view.getUint32(o) * 0x1_0000_0000 + view.getUint32(o + 4) + delta;
    view.setUint32(o, Math.floor(value / 0x1_0000_0000));
    view.setUint32(o + 4, value >>> 0);
  }
  packet.applied += delta;
}
