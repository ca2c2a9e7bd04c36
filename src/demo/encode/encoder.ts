/**
 * The template-based export encoder shared by NetFlow v9 (RFC 3954) and IPFIX (RFC 7011): packs records into
 * packets of at most `maxPacketBytes`, sends each data template before its first data set and again every
 * `templateRefreshPackets` packets or `templateRefreshMs` (ipt_NETFLOW's refresh_rate / timeout_rate), and sends the
 * sampling options template and data at the same pace. Stateful per exporter; not shared between exporters.
 * @module
 */
import { type FieldContext, recordLength, recordValue, writeField, writeUnsigned } from './fields.js';
import type { TemplateField } from './ie.js';
import type { DataLayout, OptionsLayout } from './layouts.js';
import type { ExportRecord } from './record.js';

export interface EncoderOptions {
  /** NetFlow v9 source id / IPFIX observation domain id */
  readonly domainId: number;
  readonly layout: DataLayout;
  /** announced in an options record when set (the records must already be thinned) */
  readonly sampling?: OptionsLayout;
  /** default 1400 (bytes of export payload per UDP datagram) */
  readonly maxPacketBytes?: number;
  /** resend templates after this many packets (default 20, ipt_NETFLOW refresh_rate) */
  readonly templateRefreshPackets?: number;
  /** resend templates after this long (default 30 minutes, ipt_NETFLOW timeout_rate) */
  readonly templateRefreshMs?: number;
  /** first data template id (default 256) */
  readonly firstTemplateId?: number;
  /** NetFlow v9: epoch ms at which sysUptime was 0 (default: the first encode call's `now` minus one hour) */
  readonly bootTime?: number;
  /** first sequence number (default 0) */
  readonly initialSequence?: number;
}

export interface EncoderStats {
  packets: number;
  dataRecords: number;
  templateRecords: number;
  optionsRecords: number;
  bytes: number;
}

/** turns flow records into complete export datagrams */
export interface FlowEncoder {
  readonly version: 9 | 10;
  readonly domainId: number;
  /** encodes `records` as of `now` (epoch ms) and returns the packets; every call ends with a flushed packet */
  encode(records: readonly ExportRecord[], now: number): Uint8Array[];
  /** forces templates and options to be resent in the next packet */
  resendTemplates(): void;
  readonly stats: Readonly<EncoderStats>;
}

/** the parts of the wire format that differ between v9 and IPFIX */
export interface WireFormat {
  readonly version: 9 | 10;
  readonly headerLength: number;
  readonly templateSetId: number;
  readonly optionsTemplateSetId: number;
  /** bytes of one field specifier (v9: 4; IPFIX: 4, or 8 with an enterprise number) */
  fieldSpecLength(field: TemplateField): number;
  writeFieldSpec(view: DataView, offset: number, field: TemplateField): number;
  /** length of the options template record header after the template id */
  readonly optionsHeaderLength: number;
  writeOptionsHeader(view: DataView, offset: number, scope: readonly TemplateField[], all: number): void;
  /** fills the header; `recordCount` = all records in the packet, `dataRecords` = data+options records */
  writeHeader(view: DataView, packet: HeaderInfo): void;
  /** next sequence after a packet */
  nextSequence(sequence: number, dataRecords: number): number;
}

export interface HeaderInfo {
  readonly length: number;
  readonly recordCount: number;
  readonly sequence: number;
  readonly domainId: number;
  readonly now: number;
  readonly bootTime: number;
}

interface TemplateState {
  readonly id: number;
  readonly fields: readonly TemplateField[];
  readonly recordLength: number;
  /** packet index / time when last sent; -1 when never */
  sentPacket: number;
  sentAt: number;
}

export function createEncoder(format: WireFormat, options: EncoderOptions): FlowEncoder {
  const maxBytes = options.maxPacketBytes ?? 1400;
  const refreshPackets = options.templateRefreshPackets ?? 20;
  const refreshMs = options.templateRefreshMs ?? 30 * 60_000;
  const templates = new Map<string, TemplateState>();
  let nextTemplateId = options.firstTemplateId ?? 256;
  const optionsTemplate: TemplateState | undefined = options.sampling
    ? {
        id: nextTemplateId++,
        fields: [...options.sampling.scope, ...options.sampling.fields],
        recordLength: recordLength([...options.sampling.scope, ...options.sampling.fields]),
        sentPacket: -1,
        sentAt: 0,
      }
    : undefined;
  let bootTime = options.bootTime;
  let sequence = options.initialSequence ?? 0;
  const stats: EncoderStats = { packets: 0, dataRecords: 0, templateRecords: 0, optionsRecords: 0, bytes: 0 };

  const buffer = new Uint8Array(Math.max(maxBytes, 256));
  const view = new DataView(buffer.buffer);
  let offset = 0;
  let recordCount = 0;
  let dataCount = 0;
  let setStart = -1;
  let setTemplate = -1;
  const out: Uint8Array[] = [];

  const due = (t: TemplateState, now: number) =>
    t.sentPacket < 0 || stats.packets > t.sentPacket + refreshPackets || now - t.sentAt >= refreshMs;

  const closeSet = () => {
    if (setStart < 0) return;
    while ((offset - setStart) % 4 !== 0) buffer[offset++] = 0;
    view.setUint16(setStart + 2, offset - setStart);
    setStart = -1;
    setTemplate = -1;
  };

  const flush = (now: number) => {
    closeSet();
    if (recordCount === 0) return;
    const ctx = { length: offset, recordCount, sequence, domainId: options.domainId, now, bootTime: bootTime! };
    format.writeHeader(view, ctx);
    out.push(buffer.slice(0, offset));
    sequence = format.nextSequence(sequence, dataCount);
    stats.packets++;
    stats.bytes += offset;
    offset = format.headerLength;
    recordCount = 0;
    dataCount = 0;
  };

  const templateSetLength = (t: TemplateState, isOptions: boolean): number => {
    let n = 4 + 4 + (isOptions ? format.optionsHeaderLength : 0);
    for (const field of t.fields) n += format.fieldSpecLength(field);
    return (n + 3) & ~3;
  };

  const writeTemplate = (t: TemplateState, now: number, isOptions: boolean) => {
    const start = offset;
    view.setUint16(offset, isOptions ? format.optionsTemplateSetId : format.templateSetId);
    view.setUint16(offset + 4, t.id);
    offset += 6;
    if (isOptions) {
      format.writeOptionsHeader(view, offset, options.sampling!.scope, t.fields.length);
      offset += format.optionsHeaderLength;
    } else {
      view.setUint16(offset, t.fields.length);
      offset += 2;
    }
    for (const field of t.fields) offset += format.writeFieldSpec(view, offset, field);
    while ((offset - start) % 4 !== 0) buffer[offset++] = 0;
    view.setUint16(start + 2, offset - start);
    t.sentPacket = stats.packets;
    t.sentAt = now;
    recordCount++;
    stats.templateRecords++;
  };

  const writeOptions = (now: number) => {
    const t = optionsTemplate!;
    const need = templateSetLength(t, true) + ((4 + t.recordLength + 3) & ~3);
    if (offset + need > maxBytes) flush(now);
    writeTemplate(t, now, true);
    const start = offset;
    view.setUint16(offset, t.id);
    offset += 4;
    const values = options.sampling!.values(options.domainId);
    for (const field of t.fields) {
      writeUnsigned(view, offset, field.length, values.get(field.id) ?? 0);
      offset += field.length;
    }
    while ((offset - start) % 4 !== 0) buffer[offset++] = 0;
    view.setUint16(start + 2, offset - start);
    recordCount++;
    dataCount++;
    stats.optionsRecords++;
  };

  const stateFor = (record: ExportRecord): TemplateState => {
    const { key, fields } = options.layout.select(record);
    let t = templates.get(key);
    if (!t) {
      t = { id: nextTemplateId++, fields, recordLength: recordLength(fields), sentPacket: -1, sentAt: 0 };
      templates.set(key, t);
    }
    return t;
  };

  const openSet = (t: TemplateState, now: number) => {
    closeSet();
    const optionsDue = optionsTemplate !== undefined && due(optionsTemplate, now);
    const optionsBytes = optionsDue ? templateSetLength(optionsTemplate, true) + optionsTemplate.recordLength + 7 : 0;
    const templateBytes = due(t, now) ? templateSetLength(t, false) : 0;
    if (offset + optionsBytes + templateBytes + 4 + t.recordLength + 3 > maxBytes) flush(now);
    if (optionsTemplate && due(optionsTemplate, now)) writeOptions(now);
    if (due(t, now)) writeTemplate(t, now, false);
    setStart = offset;
    setTemplate = t.id;
    view.setUint16(offset, t.id);
    offset += 4;
  };

  return {
    version: format.version,
    domainId: options.domainId,
    stats,
    resendTemplates() {
      for (const t of templates.values()) t.sentPacket = -1;
      if (optionsTemplate) optionsTemplate.sentPacket = -1;
    },
    encode(records, now) {
      bootTime ??= now - 3_600_000;
      const ctx: FieldContext = { bootTime };
      offset = format.headerLength;
      out.length = 0;
      for (const record of records) {
        const t = stateFor(record);
        if (setTemplate !== t.id || offset + t.recordLength + 3 > maxBytes) openSet(t, now);
        for (const field of t.fields) {
          const value = recordValue(field, record, ctx);
          writeField(buffer, view, offset, field, value ?? 0);
          offset += field.length;
        }
        recordCount++;
        dataCount++;
        stats.dataRecords++;
      }
      if (records.length === 0 && optionsTemplate && due(optionsTemplate, now)) writeOptions(now);
      flush(now);
      return out.splice(0);
    },
  };
}
