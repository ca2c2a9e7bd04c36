/**
 * Every logstash-codec-netflow golden (../shared/corpus/logstash-codec-netflow/golden, see its INDEX.md) decoded by
 * one PacketDecoder per test, files fed in the listed order, and compared field by field through the name mapping
 * of logstash-mapping.fixture.ts. Fields derived from the export header rather than the record (`@timestamp`,
 * `flow_seq_num`, `flow_records`) are excluded with the reason below; `version` and `flowset_id` are compared with
 * DecodedFields.version and .templateId.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { corpusPath, describeWithCorpus } from '../../test/corpus.js';
import type { DecodedFields } from './contracts.js';
import { createPacketDecoder, createTemplateCache, type TemplatePacketDecoder } from './index.js';
import {
  ENTERPRISE_NAMES,
  type FieldMapping,
  LOGSTASH_SKIPPED,
  type Norm,
  setsWithoutTemplate,
  V9_NAMES,
} from './logstash-mapping.fixture.js';

interface Golden {
  readonly test_name: string;
  readonly input_files_in_order: readonly string[];
  readonly expected_event_count: number | null;
  readonly events_compared: readonly { decode_index: number; event: Record<string, unknown> }[];
  readonly field_assertions: readonly { decode_index: number; field: string; value: unknown }[];
  readonly expected_template_cache: Record<string, unknown[]> | null;
  readonly codec_config: { cache_save_path?: string } | null;
  readonly expectation?: string;
}

const NOW = Date.UTC(2026, 0, 1);
const EXPORTER = '192.0.2.1';

/** header fields logstash copies into every event; flowmap keeps them out of the record output */
const EXCLUDED: Readonly<Record<string, string>> = {
  '@timestamp': 'export time from the packet header; flowmap records carry flow times and receivedAt instead',
  '@version': 'logstash event schema version',
  flow_seq_num: 'header sequence number, not a record field in flowmap output',
  flow_records: 'NetFlow v5 header record count, never trusted and not printed per record',
};

/** record counts that INDEX.md lists for the groups whose golden asserts no event count ("must not raise") */
const SCANNED_COUNTS: Readonly<Record<string, number>> = {
  'Netflow 5 invalid 01': 30,
  'Netflow 5 invalid 02': 30,
  'Netflow 9 Cisco 1941/K9 release 15.1': 29,
  'Netflow 9 Cisco ASR1001-X': 25,
  'Netflow 9 Cisco WLC 8500 release 8.2': 0,
  'Netflow 9 invalid 01': 3,
  'Netflow 9 macaddress': 30,
  'Netflow 9 options template with scope fields': 1,
};

const dat = (path: string) =>
  new Uint8Array(readFileSync(corpusPath('logstash-codec-netflow/spec/codecs', path.split('/').pop()!)));

function feed(decoder: TemplatePacketDecoder, packets: readonly Uint8Array[], fields: DecodedFields[] = []) {
  for (const packet of packets) decoder.decode(packet, { exporter: EXPORTER, receivedAt: NOW, out: [], fields });
  return fields;
}

/** decodes a golden's files; the Netscaler cache scenario saves the templates and decodes the data with a new decoder */
function decodeGolden(g: Golden): { fields: DecodedFields[]; decoder: TemplatePacketDecoder; saved?: string } {
  const packets = g.input_files_in_order.map(dat);
  const decoder = createPacketDecoder({ clock: () => NOW });
  if (!g.codec_config?.cache_save_path) return { fields: feed(decoder, packets), decoder };
  feed(decoder, packets.slice(0, -1));
  const saved = decoder.templates.save();
  const templates = createTemplateCache({}, { clock: () => NOW });
  templates.load(saved);
  const fresh = createPacketDecoder({ clock: () => NOW, templates });
  return { fields: feed(fresh, packets.slice(-1)), decoder: fresh, saved };
}

function isoMs(text: string): number {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?Z$/.exec(text);
  if (!m) return Number.NaN;
  const ms = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) + ms;
}

const fractionUs = (text: string) => Number((/\.(\d+)Z$/.exec(text)?.[1] ?? '').padEnd(6, '0').slice(0, 6));

const hexBytes = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (h) => Number.parseInt(h, 16));
const hexUint = (hex: string) => (hex.length > 12 ? Number(BigInt(`0x${hex}`)) : Number.parseInt(hex || '0', 16));
const hexStr = (hex: string) => new TextDecoder().decode(hexBytes(hex)).replace(/\0+$/, '');

/** logstash RFC 6759 application id text: engine..selector, engine 20 (PEN based) as engine..pen..id */
function appId(hex: string): string {
  const b = hexBytes(hex);
  const uint = (from: number, to: number) => b.subarray(from, to).reduce((v, x) => v * 256 + x, 0);
  if (b[0] === 20 && b.length >= 6) return `20..${uint(1, 5)}..${uint(5, b.length)}`;
  return `${b[0]}..${uint(1, b.length)}`;
}

function normalise(norm: Norm, ours: unknown): unknown {
  if (typeof ours === 'string' && norm.startsWith('hex') && !/^[0-9a-f]*$/.test(ours)) return ours;
  switch (norm) {
    case 'hexUint':
      return typeof ours === 'string' ? hexUint(ours) : ours;
    case 'hexStr':
      return hexStr(ours as string);
    case 'hexIp4':
      return typeof ours === 'string' && ours.length === 8 ? [...hexBytes(ours)].join('.') : ours;
    case 'hexF32':
      return new DataView(hexBytes(ours as string).buffer).getFloat32(0);
    case 'fwdStatus':
      return { status: (ours as number) >> 6, reason: (ours as number) & 63 };
    case 'appId':
      return appId(ours as string);
    case 'acl':
      return (ours as string).match(/.{8}/g)!.join('-');
    case 'mpls': {
      const v = ours as number;
      return { label: v >>> 12, experimental: (v >> 9) & 7, bottom_of_stack: (v >> 8) & 1, ttl: v & 255 };
    }
    default:
      return ours;
  }
}

function stable(value: unknown): string {
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${k}:${stable(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * logstash turns sysUptime-relative times into absolute ones with two arithmetic slips that the expected value
 * undoes: NetFlow v9 adds one second (`micros = 1000000 - (millis % 1000) * 1000`); NetFlow v5 adds one second when
 * the sub-second part borrows (its `seconds--` is not a decrement in Ruby), which shows as a fraction larger than the
 * header's, and does not wrap the uptime difference to 32 bits (softflowd's first_switched 0xffffffff).
 */
function logstashSwitchedToEpoch(version: number, text: string, header: string, ours: number): number {
  let ms = isoMs(text);
  if (version === 9) return ms - 1000;
  if (fractionUs(text) > fractionUs(header)) ms -= 1000;
  if (Math.abs(ms - ours) > 2 ** 31) ms -= 2 ** 32;
  return ms;
}

interface Mismatch {
  readonly index: number;
  readonly field: string;
  readonly expected: unknown;
  readonly actual: unknown;
}

function mappingFor(name: string, version: number): FieldMapping {
  return (version !== 10 ? V9_NAMES[name] : undefined) ?? ENTERPRISE_NAMES[name] ?? { keys: [name], norm: 'eq' };
}

/** compares one golden field with the decoded record; records which of our keys it accounts for */
function compareField(
  name: string,
  expected: unknown,
  d: DecodedFields,
  event: Record<string, unknown>,
  used: Set<string>,
) {
  if (name in EXCLUDED) return undefined;
  if (name === 'version') return d.version === expected ? undefined : d.version;
  if (name === 'flowset_id') return d.templateId === expected ? undefined : d.templateId;
  if (name === 'first_switched' || name === 'last_switched') {
    const start = name === 'first_switched';
    used.add(start ? 'flowStartSysUpTime' : 'flowEndSysUpTime');
    const ours = start ? d.record?.start : d.record?.end;
    const header = String(event['@timestamp']);
    const want = logstashSwitchedToEpoch(Number(d.version), String(expected), header, ours ?? 0);
    return ours === want ? undefined : { ours, want };
  }
  const mapping = mappingFor(name, Number(d.version));
  const key = mapping.keys.find((k) => k in d.fields);
  if (key === undefined) return '(absent)';
  used.add(key);
  const ours = d.fields[key];
  if (typeof expected === 'string' && typeof ours === 'number' && /Z$/.test(expected)) {
    return isoMs(expected) === ours ? undefined : ours;
  }
  if (mapping.norm === 'sec') return ours === (expected as number) * 1000 ? undefined : ours;
  const actual = normalise(mapping.norm, ours);
  return stable(actual) === stable(expected) ? undefined : actual;
}

function compareEvents(g: Golden, fields: readonly DecodedFields[]): Mismatch[] {
  const mismatches: Mismatch[] = [];
  const check = (index: number, name: string, expected: unknown, event: Record<string, unknown>, used: Set<string>) => {
    const d = fields[index];
    const actual = d ? compareField(name, expected, d, event, used) : '(no record)';
    if (actual !== undefined) mismatches.push({ index, field: name, expected, actual });
  };
  for (const { decode_index: index, event } of g.events_compared) {
    const used = new Set<string>();
    for (const [name, value] of Object.entries(event)) if (name !== 'netflow') check(index, name, value, event, used);
    for (const [name, value] of Object.entries(event.netflow as object)) check(index, name, value, event, used);
    for (const key of Object.keys(fields[index]?.fields ?? {})) {
      if (!used.has(key) && !LOGSTASH_SKIPPED.test(key)) {
        mismatches.push({ index, field: key, expected: '(not in golden)', actual: fields[index]!.fields[key] });
      }
    }
  }
  for (const { decode_index: index, field, value } of g.field_assertions) {
    const event = g.events_compared.find((e) => e.decode_index === index)?.event ?? {};
    check(index, field.replace(/^netflow\./, ''), value, event, new Set());
  }
  return mismatches;
}

/** events the reference decodes: only the first IPFIX message of ipfix.dat, only the first v5 PDU of netflow5.dat */
function referenceScope(g: Golden): Uint8Array | undefined {
  if (g.input_files_in_order.length !== 1) return undefined;
  const bytes = dat(g.input_files_in_order[0]!);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint16(0) === 10) return bytes.subarray(0, view.getUint16(2));
  if (view.getUint16(0) === 5) return bytes.subarray(0, 24 + 48 * view.getUint16(2));
  return undefined;
}

const goldens: [string, Golden][] = [];
describeWithCorpus('logstash-codec-netflow goldens', () => {
  const dir = corpusPath('logstash-codec-netflow/golden');
  for (const file of readdirSync(dir).sort()) goldens.push([file, JSON.parse(readFileSync(`${dir}/${file}`, 'utf8'))]);

  it('covers all 52 goldens', () => {
    expect(goldens).toHaveLength(52);
  });

  it('counts data sets that arrive before or without their template as template-missing', () => {
    const counts = goldens.map(([file, g]) => {
      const { decoder } = decodeGolden(g);
      const packets = g.input_files_in_order.map(dat);
      return [
        file,
        decoder.stats.dropped['template-missing'] ?? 0,
        g.codec_config?.cache_save_path ? 1 : setsWithoutTemplate(packets),
      ];
    });
    expect(counts.filter(([, got, want]) => got !== want)).toEqual([]);
    const missingOnly = counts.find(([file]) => String(file).includes('missing-templates'));
    expect(missingOnly?.[1]).toBeGreaterThan(0);
  });

  it('decodes the Netscaler data with a new decoder whose cache was loaded from the saved templates', () => {
    const g = goldens.find(([, golden]) => golden.codec_config?.cache_save_path)![1];
    const { saved, fields } = decodeGolden(g);
    const scopes = JSON.parse(saved!).scopes as { domain: number; templates: { id: number; fields: unknown[] }[] }[];
    const ours = Object.fromEntries(
      scopes.flatMap((s) => s.templates.map((t) => [`${s.domain}|${t.id}`, t.fields.length])),
    );
    const theirs = Object.fromEntries(Object.entries(g.expected_template_cache!).map(([k, v]) => [k, v.length]));
    expect(ours).toEqual(theirs);
    expect(fields).toHaveLength(g.expected_event_count!);
  });

  for (const [file, g] of goldens) {
    it(`${file.replace('.expected.json', '')}: ${g.expectation ? 'survives' : `${g.expected_event_count} events, field for field`}`, () => {
      const { fields, decoder } = decodeGolden(g);
      const scanned = SCANNED_COUNTS[g.test_name];
      if (scanned !== undefined) expect(fields).toHaveLength(scanned);
      if (g.expected_event_count !== null) {
        const first = referenceScope(g);
        const reference = first ? feed(createPacketDecoder({ clock: () => NOW }), [first]) : fields;
        expect(reference).toHaveLength(g.expected_event_count);
      }
      expect(compareEvents(g, fields)).toEqual([]);
      expect(decoder.stats.records + decoder.stats.optionsRecords + (decoder.stats.nonFlowRecords ?? 0)).toBe(
        fields.length,
      );
    });
  }
});
