/**
 * NetFlow v9 (RFC 3954): a 20-byte header, then flowsets: 0 = templates, 1 = options templates, >= 256 = data.
 * The header record count is never trusted (many exporters get it wrong); flowset lengths drive the walk.
 * Zero bytes after the last flowset are padding. A field length of 65535 is read as an IPFIX-style variable
 * length (H3C). Scope fields of options templates keep their RFC 3954 scope types.
 * @module
 */
import { allZero } from '../cursor.js';
import { announceTemplate, countDrop, decodeDataSetById, type SetDecoding, truncatedOnce } from '../templates/index.js';

export const V9_HEADER_LENGTH = 20;

function parseTemplateFlowset(d: SetDecoding, start: number, end: number): void {
  const { view } = d;
  let pos = start;
  while (end - pos >= 4) {
    const id = view.getUint16(pos);
    const count = view.getUint16(pos + 2);
    if (id < 256 || count === 0) {
      if (!allZero(d.bytes, pos, end)) countDrop(d.stats, 'decode-error');
      return;
    }
    if (pos + 4 + count * 4 > end) {
      countDrop(d.stats, 'truncated');
      return;
    }
    const ids: number[] = [];
    const lengths: number[] = [];
    for (let i = 0; i < count; i++) {
      ids.push(view.getUint16(pos + 4 + i * 4));
      lengths.push(view.getUint16(pos + 6 + i * 4));
    }
    const enterprises = ids.map(() => 0);
    announceTemplate(d, { id, kind: 'data', scopeCount: 0, ids, enterprises, lengths });
    pos += 4 + count * 4;
  }
}

function parseOptionsFlowset(d: SetDecoding, start: number, end: number): void {
  const { view } = d;
  let pos = start;
  while (end - pos >= 6) {
    const id = view.getUint16(pos);
    const scopeBytes = view.getUint16(pos + 2);
    const optionBytes = view.getUint16(pos + 4);
    if (id < 256 || scopeBytes % 4 !== 0 || optionBytes % 4 !== 0 || scopeBytes + optionBytes === 0) {
      if (!allZero(d.bytes, pos, end)) countDrop(d.stats, 'decode-error');
      return;
    }
    const fieldsEnd = pos + 6 + scopeBytes + optionBytes;
    if (fieldsEnd > end) {
      countDrop(d.stats, 'truncated');
      return;
    }
    const ids: number[] = [];
    const lengths: number[] = [];
    for (let p = pos + 6; p < fieldsEnd; p += 4) {
      ids.push(view.getUint16(p));
      lengths.push(view.getUint16(p + 2));
    }
    const enterprises = ids.map(() => 0);
    announceTemplate(d, { id, kind: 'options', scopeCount: scopeBytes / 4, ids, enterprises, lengths });
    pos = fieldsEnd;
  }
}

/** decodes one NetFlow v9 export packet (`d.view`/`d.bytes`, already bound); never throws on bad input */
export function decodeNetflowV9(d: SetDecoding): void {
  const { view, bytes, ctx } = d;
  const length = bytes.length;
  if (length < V9_HEADER_LENGTH) {
    countDrop(d.stats, 'truncated');
    return;
  }
  ctx.protocol = 'netflow-v9';
  ctx.version = 9;
  ctx.sysUptime = view.getUint32(4);
  ctx.exportMs = view.getUint32(8) * 1000;
  ctx.domain = view.getUint32(16);
  ctx.sysInitMs = -1;
  ctx.sampling = undefined;
  let pos = V9_HEADER_LENGTH;
  while (length - pos >= 4) {
    const id = view.getUint16(pos);
    const flowsetLength = view.getUint16(pos + 2);
    if (flowsetLength < 4) {
      if (!allZero(bytes, pos, length)) countDrop(d.stats, 'decode-error');
      return;
    }
    const end = Math.min(pos + flowsetLength, length);
    truncatedOnce(d.stats, pos + flowsetLength > length, () => {
      if (id === 0) parseTemplateFlowset(d, pos + 4, end);
      else if (id === 1) parseOptionsFlowset(d, pos + 4, end);
      else if (id >= 256) decodeDataSetById(d, id, pos + 4, end);
    });
    pos += flowsetLength;
  }
  if (pos < length && !allZero(bytes, pos, length)) countDrop(d.stats, 'truncated');
}
