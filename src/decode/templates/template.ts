/**
 * A template as it arrived (the definition) and as the fast path runs it (the compiled read plan).
 * Compilation happens once per template announcement; records never look at the definition on the fast path.
 * @module
 */
import { Action, actionOf } from './actions.js';

/** field length that announces a variable-length field (IPFIX RFC 7011 §7; also used in NetFlow v9 by H3C) */
export const VARLEN = 0xffff;

/** the wire description of one template, enough to rebuild it (this is what `save()` stores) */
export interface TemplateDefinition {
  readonly id: number;
  readonly kind: 'data' | 'options';
  /** number of leading scope fields (options templates); 0 for data templates */
  readonly scopeCount: number;
  /** per field: element id (without the enterprise bit), enterprise number (0 for IANA), length (VARLEN) */
  readonly ids: readonly number[];
  readonly enterprises: readonly number[];
  readonly lengths: readonly number[];
}

/** a compiled template: the definition plus the read plan */
export interface CompiledTemplate {
  readonly def: TemplateDefinition;
  /** 9 or 10: decides v9 scope-field semantics and v9-only vendor ids */
  readonly version: 9 | 10;
  /** record length when every field has a fixed length, else -1 */
  readonly fixedLength: number;
  /** smallest possible record (each variable-length field counted as its 1-byte length prefix) */
  readonly minLength: number;
  /** fixed templates: [action, offset, length] triples for the fields the fast path reads */
  readonly ops: Int32Array;
  /** per field action, used when walking variable-length records */
  readonly actions: Uint8Array;
  /** true when the plan reads a source and a destination address: its records become FlowRecords */
  readonly hasAddresses: boolean;
}

/** true for fields that v9 options templates list as scope fields: their types are scope types, not elements */
function isV9Scope(version: number, def: TemplateDefinition, index: number): boolean {
  return version === 9 && index < def.scopeCount;
}

/** builds the read plan of a template; never throws (odd lengths simply get no action) */
export function compileTemplate(def: TemplateDefinition, version: 9 | 10): CompiledTemplate {
  const count = def.ids.length;
  const actions = new Uint8Array(count);
  const ops: number[] = [];
  let offset = 0;
  let minLength = 0;
  let variable = false;
  let src = false;
  let dst = false;
  for (let i = 0; i < count; i++) {
    const length = def.lengths[i]!;
    const action =
      length === VARLEN || isV9Scope(version, def, i)
        ? Action.NONE
        : actionOf(def.enterprises[i]!, def.ids[i]!, length, version);
    actions[i] = action;
    if (action === Action.SRC_V4 || action === Action.SRC_V6) src = true;
    if (action === Action.DST_V4 || action === Action.DST_V6) dst = true;
    if (length === VARLEN) {
      variable = true;
      minLength += 1;
      continue;
    }
    if (action !== Action.NONE) ops.push(action, offset, length);
    offset += length;
    minLength += length;
  }
  return {
    def,
    version,
    fixedLength: variable ? -1 : offset,
    minLength,
    ops: Int32Array.from(ops),
    actions,
    hasAddresses: src && dst && def.kind === 'data',
  };
}
