/**
 * IPFIX (RFC 7011): one or more messages per datagram, each a 16-byte header and sets: 2 = templates,
 * 3 = options templates, >= 256 = data. The message length drives the walk (a datagram may carry several
 * messages); set padding is tolerated; a template record with no fields withdraws that template (id 2 or 3:
 * every data or options template of the domain). Enterprise fields carry their private enterprise number.
 * @module
 */
import { allZero } from '../cursor.js';
import { announceTemplate, countDrop, decodeDataSetById, type SetDecoding, truncatedOnce } from '../templates/index.js';

export const IPFIX_HEADER_LENGTH = 16;

const ENTERPRISE_BIT = 0x8000;

/** reads `count` field specifiers at `pos`; returns the position after them, or -1 when they overrun `end` */
function readFieldSpecs(
  view: DataView,
  pos: number,
  end: number,
  count: number,
  out: { ids: number[]; enterprises: number[]; lengths: number[] },
): number {
  for (let i = 0; i < count; i++) {
    if (pos + 4 > end) return -1;
    const raw = view.getUint16(pos);
    out.lengths.push(view.getUint16(pos + 2));
    pos += 4;
    if (raw & ENTERPRISE_BIT) {
      if (pos + 4 > end) return -1;
      out.ids.push(raw & ~ENTERPRISE_BIT);
      out.enterprises.push(view.getUint32(pos));
      pos += 4;
    } else {
      out.ids.push(raw);
      out.enterprises.push(0);
    }
  }
  return pos;
}

/** a set of template records (set id 2) or options template records (set id 3) */
function parseTemplateSet(d: SetDecoding, setId: 2 | 3, start: number, end: number): void {
  const { view, ctx } = d;
  const headerLength = setId === 2 ? 4 : 6;
  let pos = start;
  while (end - pos >= 4) {
    const id = view.getUint16(pos);
    const count = view.getUint16(pos + 2);
    if (count === 0 && (id >= 256 || id === setId)) {
      d.cache.withdraw(ctx.exporter, 10, ctx.domain, id);
      pos += 4;
      continue;
    }
    if (id < 256 || end - pos < headerLength) {
      if (!allZero(d.bytes, pos, end)) countDrop(d.stats, 'decode-error');
      return;
    }
    const scopeCount = setId === 3 ? view.getUint16(pos + 4) : 0;
    const fields = { ids: [] as number[], enterprises: [] as number[], lengths: [] as number[] };
    const next = readFieldSpecs(view, pos + headerLength, end, count, fields);
    if (next < 0) {
      countDrop(d.stats, 'truncated');
      return;
    }
    if (scopeCount > count) countDrop(d.stats, 'decode-error');
    else announceTemplate(d, { id, kind: setId === 2 ? 'data' : 'options', scopeCount, ...fields });
    pos = next;
  }
}

/** decodes the sets of one message `[start, end)` */
function decodeSets(d: SetDecoding, start: number, end: number): void {
  const { view, bytes } = d;
  let pos = start;
  while (end - pos >= 4) {
    const id = view.getUint16(pos);
    const setLength = view.getUint16(pos + 2);
    if (setLength < 4) {
      if (!allZero(bytes, pos, end)) countDrop(d.stats, 'decode-error');
      return;
    }
    const setEnd = Math.min(pos + setLength, end);
    truncatedOnce(d.stats, pos + setLength > end, () => {
      if (id === 2 || id === 3) parseTemplateSet(d, id, pos + 4, setEnd);
      else if (id >= 256) decodeDataSetById(d, id, pos + 4, setEnd);
    });
    pos += setLength;
  }
}

/** decodes every IPFIX message of one datagram (`d.view`/`d.bytes`, already bound); never throws on bad input */
export function decodeIpfix(d: SetDecoding): void {
  const { view, bytes, ctx } = d;
  const length = bytes.length;
  ctx.protocol = 'ipfix';
  ctx.version = 10;
  ctx.sysUptime = -1;
  let pos = 0;
  while (length - pos >= IPFIX_HEADER_LENGTH) {
    const messageLength = view.getUint16(pos + 2);
    if (view.getUint16(pos) !== 10 || messageLength < IPFIX_HEADER_LENGTH) {
      if (!allZero(bytes, pos, length)) countDrop(d.stats, 'decode-error');
      return;
    }
    const end = Math.min(pos + messageLength, length);
    ctx.exportMs = view.getUint32(pos + 4) * 1000;
    ctx.domain = view.getUint32(pos + 12);
    ctx.sysInitMs = -1;
    ctx.sampling = undefined;
    truncatedOnce(d.stats, pos + messageLength > length, () => decodeSets(d, pos + IPFIX_HEADER_LENGTH, end));
    pos += messageLength;
  }
  if (pos < length && !allZero(bytes, pos, length)) countDrop(d.stats, 'truncated');
}
