/**
 * The verbose view of one record: every field by registry name (slow path, only when the caller asks for fields).
 * NetFlow v9 options scope fields are named after RFC 3954 scope types (scopeSystem, scopeInterface, ...), not
 * after information elements: their type numbers are a different namespace.
 * @module
 */
import { hexOf, readUint } from '../cursor.js';
import { elementKey, formatValue, lookupElement } from '../elements/index.js';
import { type CompiledTemplate, VARLEN } from './template.js';

const V9_SCOPE_NAMES: readonly string[] = [
  '',
  'scopeSystem',
  'scopeInterface',
  'scopeLineCard',
  'scopeCache',
  'scopeTemplate',
];

function v9ScopeField(bytes: Uint8Array, view: DataView, pos: number, type: number, len: number): [string, unknown] {
  const key = V9_SCOPE_NAMES[type] || `scope:${type}`;
  return [key, len >= 1 && len <= 8 ? readUint(view, pos, len) : hexOf(bytes, pos, len)];
}

/** every field of the record at `[pos, end)` except those a template declares with length 0; repeated names get a `#2`, `#3`, ... suffix */
export function recordFields(
  view: DataView,
  bytes: Uint8Array,
  pos: number,
  end: number,
  t: CompiledTemplate,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const { ids, enterprises, lengths, scopeCount } = t.def;
  for (let i = 0; i < ids.length && pos <= end; i++) {
    let len = lengths[i]!;
    if (len === 0) continue;
    if (len === VARLEN) {
      len = bytes[pos]!;
      pos++;
      if (len === 255) {
        len = view.getUint16(pos);
        pos += 2;
      }
    }
    if (pos + len > end) break;
    const [key, value] =
      t.version === 9 && i < scopeCount
        ? v9ScopeField(bytes, view, pos, ids[i]!, len)
        : [
            elementKey(enterprises[i]!, ids[i]!),
            formatValue(bytes, view, pos, len, lookupElement(enterprises[i]!, ids[i]!)),
          ];
    let name = key;
    for (let n = 2; name in out; n++) name = `${key}#${n}`;
    out[name] = value;
    pos += len;
  }
  return out;
}
