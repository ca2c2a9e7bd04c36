/**
 * Test helpers: a strict parser of the Prometheus text exposition format (version 0.0.4), written from the format's
 * specification: it throws on anything a conforming scraper could reject or misread (bad names, label syntax or
 * escapes, values, a TYPE after the family's samples, a family split in two, duplicate series, repeated label names,
 * negative counters, histogram buckets that are not cumulative or disagree with _count); and builders of
 * OrientedFlows. Never imported by production code.
 * @module
 */
import type { OrientationEvidence, OrientedFlow } from '../../core/conversation.js';
import type { Endpoint } from '../../core/endpoint.js';
import type { FlowRecord, IpAddress } from '../../core/flow.js';

export interface TextSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface TextFamily {
  readonly name: string;
  type: string;
  help?: string;
  readonly samples: TextSample[];
}

export interface Exposition {
  readonly families: ReadonlyMap<string, TextFamily>;
  readonly samples: readonly TextSample[];
}

const METRIC = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const SUFFIXES: Readonly<Record<string, readonly string[]>> = {
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['_sum', '_count', ''],
};

function fail(line: number, text: string, why: string): never {
  throw new Error(`Cannot parse exposition line ${line} "${text.slice(0, 200)}": ${why}`);
}

/** a value as Go's strconv.ParseFloat reads it (the format's rule): decimal floats, case-insensitive NaN and Inf */
function parseValue(text: string, line: number, raw: string): number {
  const special = /^([-+]?)(inf|infinity|nan)$/i.exec(text);
  if (special) {
    if (special[2]!.toLowerCase() === 'nan') return special[1] ? fail(line, raw, 'signed NaN') : Number.NaN;
    return special[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) fail(line, raw, `bad value "${text}"`);
  return Number(text);
}

/** `{a="x",b="y"}` starting at text[0] === '{'; returns the labels and the rest after '}' */
function parseLabels(text: string, line: number, raw: string): [Record<string, string>, string] {
  const labels: Record<string, string> = {};
  let i = 1;
  for (;;) {
    if (text[i] === '}') return [labels, text.slice(i + 1)];
    const eq = text.indexOf('=', i);
    if (eq < 0) fail(line, raw, 'label without "="');
    const name = text.slice(i, eq);
    if (!LABEL.test(name) || name.startsWith('__')) fail(line, raw, `bad label name "${name}"`);
    if (name in labels) fail(line, raw, `label "${name}" repeated`);
    if (text[eq + 1] !== '"') fail(line, raw, `label "${name}" value not quoted`);
    let value = '';
    let j = eq + 2;
    for (; j < text.length && text[j] !== '"'; j++) {
      if (text[j] === '\n') fail(line, raw, 'raw newline in a label value');
      if (text[j] !== '\\') {
        value += text[j];
        continue;
      }
      const next = text[++j];
      if (next === 'n') value += '\n';
      else if (next === '\\' || next === '"') value += next;
      else fail(line, raw, `bad escape "\\${next}" in label "${name}"`);
    }
    if (j >= text.length) fail(line, raw, `label "${name}" value not closed`);
    labels[name] = value;
    i = j + 1;
    if (text[i] === ',') i++;
    else if (text[i] !== '}') fail(line, raw, `"," or "}" expected after label "${name}"`);
  }
}

/** the family a sample belongs to, given the TYPEs declared so far */
function familyOf(name: string, families: Map<string, TextFamily>): string {
  for (const [type, suffixes] of Object.entries(SUFFIXES)) {
    for (const suffix of suffixes) {
      if (!suffix || !name.endsWith(suffix)) continue;
      const base = name.slice(0, -suffix.length);
      if (families.get(base)?.type === type) return base;
    }
  }
  return name;
}

/** parses and checks an exposition; throws on the first violation */
export function parseExposition(text: string): Exposition {
  if (text.length > 0 && !text.endsWith('\n')) throw new Error('Cannot parse exposition: no final newline');
  const families = new Map<string, TextFamily>();
  const samples: TextSample[] = [];
  const seen = new Set<string>();
  const closed = new Set<string>();
  let current: string | undefined;
  const enter = (family: string, line: number, raw: string) => {
    if (current === family) return;
    if (closed.has(family)) fail(line, raw, `family "${family}" split in two`);
    if (current !== undefined) closed.add(current);
    current = family;
  };
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    const meta = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s(.*))?$/.exec(raw);
    if (meta) {
      const [, kind, name, rest = ''] = meta as unknown as [string, string, string, string?];
      if (!METRIC.test(name)) fail(line, raw, `bad metric name "${name}"`);
      enter(name, line, raw);
      const family = families.get(name) ?? { name, type: 'untyped', samples: [] };
      families.set(name, family);
      if (kind === 'TYPE') {
        if (!TYPES.has(rest.trim())) fail(line, raw, `unknown type "${rest}"`);
        if (family.samples.length > 0 || family.type !== 'untyped') fail(line, raw, 'TYPE repeated or after samples');
        family.type = rest.trim();
      } else {
        if (family.help !== undefined) fail(line, raw, 'HELP repeated');
        if (/\\[^n\\]/.test(rest)) fail(line, raw, 'bad escape in HELP');
        family.help = rest;
      }
      return;
    }
    if (raw.startsWith('#')) return;
    const name = /^[^{\s]+/.exec(raw)?.[0] ?? '';
    if (!METRIC.test(name)) fail(line, raw, `bad metric name "${name}"`);
    let rest = raw.slice(name.length);
    let labels: Record<string, string> = {};
    if (rest.startsWith('{')) [labels, rest] = parseLabels(rest, line, raw);
    const fields = rest.trim().split(/\s+/);
    if (!rest.startsWith(' ') || fields.length < 1 || fields.length > 2)
      fail(line, raw, 'expected " value [timestamp]"');
    const value = parseValue(fields[0]!, line, raw);
    if (fields[1] !== undefined && !/^-?\d+$/.test(fields[1])) fail(line, raw, 'bad timestamp');
    const familyName = familyOf(name, families);
    enter(familyName, line, raw);
    const family = families.get(familyName) ?? { name: familyName, type: 'untyped', samples: [] };
    families.set(familyName, family);
    const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (seen.has(key)) fail(line, raw, 'duplicate series');
    seen.add(key);
    if (family.type === 'counter' && !(value >= 0)) fail(line, raw, 'counter below zero or NaN');
    const sample = { name, labels, value };
    family.samples.push(sample);
    samples.push(sample);
  });
  for (const family of families.values()) if (family.type === 'histogram') checkHistogram(family);
  return { families, samples };
}

function checkHistogram(family: TextFamily): void {
  const groups = new Map<string, { buckets: [number, number][]; count?: number }>();
  for (const s of family.samples) {
    const { le, ...rest } = s.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    const g = groups.get(key) ?? { buckets: [] };
    groups.set(key, g);
    if (s.name.endsWith('_bucket')) {
      if (le === undefined) throw new Error(`Cannot accept histogram "${family.name}": a bucket without "le"`);
      g.buckets.push([le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le), s.value]);
    } else if (s.name.endsWith('_count')) g.count = s.value;
  }
  for (const g of groups.values()) {
    g.buckets.sort((a, b) => a[0] - b[0]);
    const inf = g.buckets[g.buckets.length - 1];
    if (inf?.[0] !== Number.POSITIVE_INFINITY || inf[1] !== g.count) {
      throw new Error(`Cannot accept histogram "${family.name}": +Inf bucket missing or unequal to _count`);
    }
    g.buckets.forEach(([, v], i) => {
      if (i > 0 && v < g.buckets[i - 1]![1])
        throw new Error(`Cannot accept histogram "${family.name}": not cumulative`);
    });
  }
}

/** the sum of the samples `name` whose labels include `labels` (0 when none) */
export function sampleSum(m: Exposition, name: string, labels: Readonly<Record<string, string>> = {}): number {
  return m.samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((n, s) => n + s.value, 0);
}

/** the value of the sample `name` whose labels include `labels`; undefined when none; throws when several match */
export function sampleValue(parsed: Exposition, name: string, labels: Record<string, string> = {}): number | undefined {
  const found = parsed.samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  if (found.length > 1)
    throw new Error(`Cannot pick one "${name}" sample: ${found.length} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}

export function pod(namespace: string, name: string, workload: string, extra: Partial<Endpoint> = {}): Endpoint {
  return { kind: 'pod', namespace, name, workload: { kind: 'Deployment', namespace, name: workload }, ...extra };
}

/**
 * An OrientedFlow from `client` to `server` with defaults for everything not given. Built as the orient stage's
 * flows are (one literal with every field, then assignments), so flows share a hidden class: a spread would give
 * each its own, and benchmarks would measure V8's megamorphic lookups instead of the sink.
 */
export function orientedFlow(
  client: Endpoint,
  server: Endpoint,
  opts: Partial<Omit<OrientedFlow, 'client' | 'server' | 'flow'>> & { record?: Partial<FlowRecord> } = {},
): OrientedFlow {
  const { record, ...rest } = opts;
  const f = {
    flow: undefined as unknown as FlowRecord,
    client,
    server,
    clientAddr: 0x0a000001 as IpAddress,
    serverAddr: 0x0a000002 as IpAddress,
    clientPort: 40_000,
    serverPort: 8080,
    ipProtocol: 6,
    service: undefined as Endpoint | undefined,
    evidence: 'tcp-handshake' as OrientationEvidence,
    bytesToServer: 100,
    bytesToClient: 1000,
    packetsToServer: 2,
    packetsToClient: 3,
    connections: 1,
    start: 1_000,
    end: 2_000,
  };
  Object.assign(f, rest);
  const flow = {
    exporter: '192.0.2.1',
    protocol: 'ipfix',
    observationDomainId: 0,
    receivedAt: f.end,
    start: f.start,
    end: f.end,
    srcAddr: f.clientAddr,
    dstAddr: f.serverAddr,
    srcPort: f.clientPort,
    dstPort: f.serverPort,
    ipProtocol: f.ipProtocol,
    tcpFlags: 0x1b,
    bytes: f.bytesToServer,
    packets: f.packetsToServer,
    samplingRate: 1,
  } as FlowRecord;
  f.flow = Object.assign(flow, record);
  return f;
}
