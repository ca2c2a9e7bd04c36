/**
 * The Go template built-ins and Sprig/Helm functions the chart may use, with Go's semantics where they matter.
 * @module
 */
import { createHash } from 'node:crypto';
import { stringify } from 'yaml';

/** Go's truth: false, 0, nil, "" and empty lists and maps are false */
export function truthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/** strconv.FormatFloat(f, 'g', -1, 64) as Go prints a float64 value from YAML */
function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e6) return String(n);
  if (n === 0) return '0';
  const exp = Math.floor(Math.log10(Math.abs(n)));
  if (exp < -4 || exp >= 21 || (Number.isInteger(n) && exp >= 6)) {
    const [mantissa, e] = n.toExponential().split('e');
    const sign = e!.startsWith('-') ? '-' : '+';
    const digits = e!.replace(/^[+-]/, '').padStart(2, '0');
    return `${mantissa}e${sign}${digits}`;
  }
  return String(n);
}

/** how {{ value }} prints: "<no value>" for missing values, Go formatting for numbers */
export function formatValue(value: unknown): string {
  if (value === undefined) return '<no value>';
  if (value === null) return '<nil>';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(formatValue).join(' ')}]`;
  return `map[${Object.keys(value as object)
    .sort()
    .map((k) => `${k}:${formatValue((value as Record<string, unknown>)[k])}`)
    .join(' ')}]`;
}

const str = (v: unknown) => (v === undefined || v === null ? '' : formatValue(v));

/** Go's fmt.Sprintf for the verbs charts use: %s %d %v %q %% */
function sprintf(format: string, ...args: unknown[]): string {
  let i = 0;
  return format.replace(/%([sdvq%])/g, (_, verb: string) => {
    if (verb === '%') return '%';
    const arg = args[i++];
    if (verb === 'q') return JSON.stringify(str(arg));
    if (verb === 'd') return typeof arg === 'number' ? String(Math.trunc(arg)) : `%!d(${typeof arg}=${str(arg)})`;
    return formatValue(arg);
  });
}

function eq(a: unknown, ...others: unknown[]): boolean {
  return others.some((b) => a === b);
}

/** Helm's toYaml: sigs.k8s.io/yaml output (keys sorted), without the trailing newline */
function toYaml(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  return stringify(value, { sortMapEntries: true, lineWidth: 0, aliasDuplicateObjects: false }).replace(/\n$/, '');
}

const indentLines = (n: number, s: unknown) =>
  str(s)
    .split('\n')
    .map((line) => ' '.repeat(n) + line)
    .join('\n');

export const FUNCTIONS: Record<string, (...args: unknown[]) => unknown> = {
  default: (d, v) => (truthy(v) ? v : d),
  empty: (v) => !truthy(v),
  required: (message, v) => {
    if (v === undefined || v === null || v === '') throw new Error(String(message));
    return v;
  },
  quote: (...vs) => vs.map((v) => JSON.stringify(str(v))).join(' '),
  squote: (...vs) => vs.map((v) => `'${str(v)}'`).join(' '),
  printf: (format, ...args) => sprintf(String(format), ...args),
  print: (...args) => args.map(str).join(''),
  toString: (v: unknown) => str(v),
  trunc: (n, s) => str(s).slice(0, Number(n)),
  trimSuffix: (suffix, s) =>
    str(s).endsWith(str(suffix)) ? str(s).slice(0, -str(suffix).length || undefined) : str(s),
  trimPrefix: (prefix, s) => (str(s).startsWith(str(prefix)) ? str(s).slice(str(prefix).length) : str(s)),
  trim: (s) => str(s).trim(),
  replace: (from, to, s) => str(s).split(str(from)).join(str(to)),
  lower: (s) => str(s).toLowerCase(),
  upper: (s) => str(s).toUpperCase(),
  contains: (sub, s) => str(s).includes(str(sub)),
  hasPrefix: (prefix, s) => str(s).startsWith(str(prefix)),
  base: (s) => str(s).split('/').pop() ?? '',
  indent: (n, s) => indentLines(Number(n), s),
  nindent: (n, s) => `\n${indentLines(Number(n), s)}`,
  toYaml: (v) => toYaml(v),
  toJson: (v) => JSON.stringify(v ?? null),
  sha256sum: (s) => createHash('sha256').update(str(s)).digest('hex'),
  b64enc: (s) => Buffer.from(str(s)).toString('base64'),
  int: (v) => Math.trunc(Number(v)),
  list: (...vs) => vs,
  dict: (...kv) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i + 1 < kv.length; i += 2) out[str(kv[i])] = kv[i + 1];
    return out;
  },
  hasKey: (m, k) => m !== null && typeof m === 'object' && Object.hasOwn(m, str(k)),
  ternary: (a, b, cond) => (truthy(cond) ? a : b),
  eq: (a, ...b) => eq(a, ...b),
  ne: (a, b) => a !== b,
  lt: (a, b) => (a as number) < (b as number),
  gt: (a, b) => (a as number) > (b as number),
  not: (v) => !truthy(v),
  and: (...vs) => {
    for (const v of vs) if (!truthy(v)) return v;
    return vs[vs.length - 1];
  },
  or: (...vs) => {
    for (const v of vs) if (truthy(v)) return v;
    return vs[vs.length - 1];
  },
  len: (v) => (Array.isArray(v) || typeof v === 'string' ? v.length : Object.keys(v ?? {}).length),
};
