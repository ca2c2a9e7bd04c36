/**
 * Test helpers: a strict parser of the Prometheus text exposition format (0.0.4) and builders of OrientedFlows.
 * Never imported by production code.
 * @module
 */
import type { OrientationEvidence, OrientedFlow } from '../../core/conversation.js';
import type { Endpoint } from '../../core/endpoint.js';
import type { FlowRecord, IpAddress } from '../../core/flow.js';

export interface ParsedSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface ParsedExposition {
  /** family name -> TYPE and HELP */
  readonly families: ReadonlyMap<string, { type: string; help: string }>;
  readonly samples: readonly ParsedSample[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(.*)\\})?\\s+(\\S+)(?:\\s+(-?\\d+))?$`);
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(,|$)/y;

function parseLabels(text: string, line: number): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const start = LABEL.lastIndex;
    const m = LABEL.exec(text);
    if (!m) throw new SyntaxError(`Cannot parse labels at line ${line}: "${text.slice(start)}"`);
    if (m[1]! in labels) throw new SyntaxError(`Cannot parse labels at line ${line}: label "${m[1]}" repeated`);
    labels[m[1]!] = m[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
  }
  return labels;
}

/** Go's ParseFloat, which Prometheus uses: Inf/NaN spelled in any case */
function parseValue(text: string, line: number): number {
  if (/^\+?inf(inity)?$/i.test(text)) return Number.POSITIVE_INFINITY;
  if (/^-inf(inity)?$/i.test(text)) return Number.NEGATIVE_INFINITY;
  if (/^nan$/i.test(text)) return Number.NaN;
  const value = Number(text);
  if (Number.isNaN(value)) throw new SyntaxError(`Cannot parse value "${text}" at line ${line}`);
  return value;
}

/** parses exposition text; throws SyntaxError on any malformed line or a sample of an undeclared family */
export function parsePrometheusText(text: string): ParsedExposition {
  const families = new Map<string, { type: string; help: string }>();
  const samples: ParsedSample[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(raw);
    if (meta) {
      const family = families.get(meta[2]!) ?? { type: 'untyped', help: '' };
      if (meta[1] === 'TYPE') family.type = meta[3]!;
      else family.help = meta[3]!;
      families.set(meta[2]!, family);
      return;
    }
    if (raw.startsWith('#')) return;
    const m = SAMPLE.exec(raw);
    if (!m) throw new SyntaxError(`Cannot parse line ${line}: "${raw}"`);
    const name = m[1]!;
    const base = name.replace(/_(bucket|sum|count)$/, '');
    if (!families.has(name) && !families.has(base))
      throw new SyntaxError(`Cannot find TYPE of "${name}" at line ${line}`);
    samples.push({ name, labels: parseLabels(m[2] ?? '', line), value: parseValue(m[3]!, line) });
  });
  return { families, samples };
}

/** the value of the sample `name` whose labels include `labels`; undefined when none; throws when several match */
export function sampleValue(
  parsed: ParsedExposition,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
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

/** an OrientedFlow from `client` to `server` with defaults for everything not given */
export function orientedFlow(
  client: Endpoint,
  server: Endpoint,
  opts: Partial<Omit<OrientedFlow, 'client' | 'server' | 'flow'>> & { record?: Partial<FlowRecord> } = {},
): OrientedFlow {
  const { record, ...rest } = opts;
  const clientAddr: IpAddress = rest.clientAddr ?? 0x0a000001;
  const serverAddr: IpAddress = rest.serverAddr ?? 0x0a000002;
  const base = {
    clientAddr,
    serverAddr,
    clientPort: 40_000,
    serverPort: 8080,
    ipProtocol: 6,
    evidence: 'tcp-handshake' as OrientationEvidence,
    bytesToServer: 100,
    bytesToClient: 1000,
    packetsToServer: 2,
    packetsToClient: 3,
    connections: 1,
    start: 1_000,
    end: 2_000,
    ...rest,
  };
  const flow: FlowRecord = {
    exporter: '192.0.2.1',
    protocol: 'ipfix',
    observationDomainId: 0,
    receivedAt: base.end,
    start: base.start,
    end: base.end,
    srcAddr: clientAddr,
    dstAddr: serverAddr,
    srcPort: base.clientPort,
    dstPort: base.serverPort,
    ipProtocol: base.ipProtocol,
    tcpFlags: 0x1b,
    bytes: base.bytesToServer,
    packets: base.packetsToServer,
    samplingRate: 1,
    ...record,
  };
  return { ...base, client, server, flow };
}
