/**
 * Reads the tshark reference decodes of the corpus (`_reference-tshark/**.tshark.json`, see its SOURCE.md): one
 * record per decoded data/options record (NetFlow/IPFIX) or per sample (sFlow), with flattened Wireshark fields.
 * @module
 */
import { readFileSync } from 'node:fs';
import { corpusPath } from '../corpus.js';

export interface TsharkRecord {
  readonly frame: number;
  readonly exporter: string;
  readonly version?: string;
  readonly domain?: string;
  readonly set_id?: number;
  /** sFlow only: "Flow sample", "Expanded flow sample", "Counters sample", ... */
  readonly sample_type?: string;
  readonly fields: Readonly<Record<string, string | string[]>>;
}

export interface TsharkReference {
  readonly inputs: readonly string[];
  readonly record_count: number;
  readonly records: readonly TsharkRecord[];
}

/** the reference at `_reference-tshark/<relative>` */
export function loadTsharkReference(relative: string): TsharkReference {
  return JSON.parse(readFileSync(corpusPath('_reference-tshark', relative), 'utf8')) as TsharkReference;
}

/** a field's value, the first one when Wireshark lists several (nested headers, label stacks) */
export function first(record: TsharkRecord, name: string): string | undefined {
  const value = record.fields[name];
  return Array.isArray(value) ? value[0] : value;
}

/** sFlow flow samples (compact or expanded) only */
export function isFlowSample(record: TsharkRecord): boolean {
  return /flow sample/i.test(record.sample_type ?? '');
}
