/**
 * Decodes the records of one NetFlow v9 data flowset or IPFIX data set with a compiled template. Shared by both
 * formats: records follow each other until fewer bytes remain than the smallest record (padding, zero or not).
 * @module
 */
import type { DropReason } from '../../core/errors.js';
import type { FlowRecord } from '../../core/flow.js';
import type { DecodeCall, DecodeStats } from '../contracts.js';
import { allZero } from '../cursor.js';
import type { TemplateCache } from './cache.js';
import { recordFields } from './fields.js';
import { buildFlowRecord, type PacketContext, recordSamplingRate } from './record.js';
import { applyField, type Scratch } from './scratch.js';
import { type CompiledTemplate, type TemplateDefinition, VARLEN } from './template.js';

/**
 * Everything a set needs besides its bounds: one instance per decoder, its packet-level fields (view, bytes,
 * call, now) rebound for every packet.
 */
export interface SetDecoding {
  view: DataView;
  bytes: Uint8Array;
  call: DecodeCall;
  /** clock reading for this packet (template expiry) */
  now: number;
  readonly ctx: PacketContext;
  readonly scratch: Scratch;
  readonly stats: DecodeStats;
  readonly cache: TemplateCache;
}

/** adds one to a drop counter */
export function countDrop(stats: DecodeStats, reason: DropReason): void {
  stats.dropped[reason] = (stats.dropped[reason] ?? 0) + 1;
}

/** runs `decode`; when `overran`, counts one `truncated` unless `decode` already counted the damage itself */
export function truncatedOnce(stats: DecodeStats, overran: boolean, decode: () => void): void {
  const before = stats.dropped.truncated ?? 0;
  decode();
  if (overran && (stats.dropped.truncated ?? 0) === before) countDrop(stats, 'truncated');
}

/** reads a variable-length record into the scratch; returns its end, or -1 when it overruns `end` */
function walkVariableRecord(d: SetDecoding, t: CompiledTemplate, pos: number, end: number): number {
  const { bytes, view, scratch } = d;
  const lengths = t.def.lengths;
  for (let i = 0; i < lengths.length; i++) {
    let len = lengths[i]!;
    if (len === VARLEN) {
      if (pos >= end) return -1;
      len = bytes[pos]!;
      pos++;
      if (len === 255) {
        if (pos + 2 > end) return -1;
        len = view.getUint16(pos);
        pos += 2;
      }
    } else if (t.actions[i] !== 0 && pos + len <= end) {
      applyField(view, bytes, pos, len, t.actions[i]!, scratch);
    }
    pos += len;
    if (pos > end) return -1;
  }
  return pos;
}

/** what one decoded record becomes: a FlowRecord, options state, and (on request) its named fields */
function emit(d: SetDecoding, t: CompiledTemplate, pos: number, recordEnd: number): void {
  const { scratch: s, ctx, stats, call } = d;
  let record: FlowRecord | undefined;
  if (t.def.kind === 'options') {
    stats.optionsRecords++;
    learnOptions(d);
  } else if (t.hasAddresses && s.src !== -1 && s.dst !== -1) {
    record = buildFlowRecord(s, ctx);
    call.out.push(record);
    stats.records++;
  } else {
    stats.nonFlowRecords = (stats.nonFlowRecords ?? 0) + 1;
  }
  if (call.fields) {
    call.fields.push({
      exporter: ctx.exporter,
      version: ctx.version,
      observationDomainId: ctx.domain,
      templateId: t.def.id,
      recordKind: t.def.kind,
      fields: recordFields(d.view, d.bytes, pos, recordEnd, t),
      ...(record ? { record } : {}),
    });
  }
}

/** options data: remember sampling rates (by sampler id) and the exporter's system init time */
function learnOptions(d: SetDecoding): void {
  const { scratch: s, ctx, cache } = d;
  const rate = recordSamplingRate(s);
  if (rate > 0) cache.setSamplingRate(ctx.exporter, ctx.version, ctx.domain, s.samplerId >= 0 ? s.samplerId : -1, rate);
  if (s.sysInitMs >= 0) {
    cache.setSystemInit(ctx.exporter, ctx.version, ctx.domain, s.sysInitMs);
    ctx.sysInitMs = s.sysInitMs;
  }
  ctx.sampling = cache.find(ctx.exporter, ctx.version, ctx.domain)?.sampling;
}

/** decodes every record of the data set `[start, end)` (the set header already skipped) */
export function decodeDataSet(d: SetDecoding, t: CompiledTemplate, start: number, end: number): void {
  const { view, bytes, scratch } = d;
  const fixed = t.fixedLength;
  if (fixed === 0) {
    countDrop(d.stats, 'decode-error');
    return;
  }
  let pos = start;
  if (fixed > 0) {
    const ops = t.ops;
    for (; pos + fixed <= end; pos += fixed) {
      scratch.reset();
      for (let i = 0; i < ops.length; i += 3) applyField(view, bytes, pos + ops[i + 1]!, ops[i + 2]!, ops[i]!, scratch);
      emit(d, t, pos, pos + fixed);
    }
    return;
  }
  while (end - pos >= t.minLength) {
    scratch.reset();
    const recordEnd = walkVariableRecord(d, t, pos, end);
    if (recordEnd < 0) {
      if (!allZero(bytes, pos, end)) countDrop(d.stats, 'truncated');
      return;
    }
    emit(d, t, pos, recordEnd);
    pos = recordEnd;
  }
}

/** decodes data set `setId` spanning `[start, end)`; counts `template-missing` when its template is unknown */
export function decodeDataSetById(d: SetDecoding, setId: number, start: number, end: number): void {
  const { ctx, cache } = d;
  const scope = cache.find(ctx.exporter, ctx.version, ctx.domain);
  const template = scope ? cache.get(scope, setId, d.now) : undefined;
  if (!scope || !template) {
    countDrop(d.stats, 'template-missing');
    return;
  }
  ctx.sampling = scope.sampling;
  ctx.sysInitMs = scope.sysInitMs;
  decodeDataSet(d, template, start, end);
}

/** stores a parsed template: counts it, or counts `template-limit` when a cache bound refused it */
export function announceTemplate(d: SetDecoding, def: TemplateDefinition): void {
  const { ctx } = d;
  if (d.cache.put(ctx.exporter, ctx.version, ctx.domain, def, d.now) === 'stored') d.stats.templates++;
  else countDrop(d.stats, 'template-limit');
}
