/**
 * The schema of user-defined flow metrics (in the spirit of NetObserv's FlowMetric API): every mistake is reported
 * with the path of the field at fault (unknown keys, unknown flow fields, bad regexes, duplicate names, ...).
 * @module
 */
import * as z from 'zod';
import { defaultLabelName, FLOW_FIELD_NAMES, FLOW_FIELDS, LIST_FIELDS, VALUE_FIELD_NAMES } from './flow-fields.js';

const METRIC_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** names and prefixes users cannot take: our own series and prom-client's process metrics */
const RESERVED_PREFIXES = ['netflow_connection_', 'process_', 'nodejs_'];

const flowField = z.enum(FLOW_FIELD_NAMES, {
  error: (issue) => `Cannot use flow field "${String(issue.input)}": expected one of ${FLOW_FIELD_NAMES.join(', ')}`,
});

function compiles(pattern: string): string | undefined {
  try {
    new RegExp(`^(?:${pattern})$`, 'u');
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

export const flowFilterConfig = z
  .strictObject({
    field: flowField.describe('the flow field tested'),
    match: z
      .enum(['equal', 'notEqual', 'regex', 'notRegex', 'presence', 'absence'])
      .default('equal')
      .describe(
        'equal / notEqual compare text; regex / notRegex must match the whole value (as PromQL =~); presence / absence test that the field has a non-empty value',
      ),
    value: z
      .union([z.string(), z.number()])
      .transform(String)
      .optional()
      .describe('the text (or regular expression) compared; required except for presence / absence'),
  })
  .superRefine((filter, ctx) => {
    const needsValue = filter.match !== 'presence' && filter.match !== 'absence';
    if (needsValue && filter.value === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: `Cannot filter "${filter.field}" with ${filter.match}: value is required`,
      });
    }
    if (!needsValue && filter.value !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: `Cannot filter "${filter.field}" with ${filter.match}: it takes no value`,
      });
    }
    if ((filter.match === 'regex' || filter.match === 'notRegex') && filter.value !== undefined) {
      const problem = compiles(filter.value);
      if (problem)
        ctx.addIssue({
          code: 'custom',
          path: ['value'],
          message: `Cannot compile regex "${filter.value}": ${problem}`,
        });
    }
  });
export type FlowFilterConfig = z.infer<typeof flowFilterConfig>;

const metricShape = z.strictObject({
  name: z
    .string()
    .regex(METRIC_NAME, { error: 'Cannot use this metric name: expected [a-zA-Z_][a-zA-Z0-9_]*' })
    .describe('metric name, appended to `prefix`; end counters with _total'),
  prefix: z
    .string()
    .regex(/^([a-zA-Z_][a-zA-Z0-9_]*)?$/)
    .default('flowmap_user_')
    .describe('prepended to `name`; "" uses the name as is'),
  help: z.string().default('').describe('the HELP text'),
  type: z
    .enum(['counter', 'gauge', 'histogram'])
    .describe(
      "counter adds the value of every matching flow; gauge holds the latest flow's value; histogram observes each flow's value",
    ),
  valueField: z
    .enum(VALUE_FIELD_NAMES)
    .default('none')
    .describe('what each matching flow contributes (see docs/metrics.md); none = 1 per flow'),
  divider: z.number().positive().default(1).describe('the value is divided by this (e.g. 1000000 for megabytes)'),
  labels: z
    .array(flowField)
    .default([])
    .describe(`flow fields that become labels: ${FLOW_FIELD_NAMES.join(', ')}`),
  filters: z.array(flowFilterConfig).default([]).describe('all must hold for a flow to count (AND)'),
  flatten: z
    .array(z.enum(LIST_FIELDS))
    .default([])
    .describe('list fields (tcpFlags) producing one series per element instead of one joined value'),
  remap: z
    .record(
      z.string(),
      z.string().regex(LABEL_NAME, { error: 'Cannot use this label name: expected [a-zA-Z_][a-zA-Z0-9_]*' }),
    )
    .default({})
    .describe(
      'label names by flow field, e.g. { clientNamespace: src_ns } (default: the field in snake_case, client_namespace)',
    ),
  buckets: z
    .array(z.number())
    .min(1)
    .optional()
    .describe('histogram bucket upper bounds, increasing (default: powers of ten 1 .. 1e9)'),
  idleTtlMs: z
    .number()
    .int()
    .min(1_000)
    .optional()
    .describe('a series not updated this long is removed (default: flowMetricDefaults.idleTtlMs)'),
  maxSeries: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('series kept; new label sets beyond it are refused and counted (default: flowMetricDefaults.maxSeries)'),
});

type Issue = (path: (string | number)[], message: string) => void;

/** cross-field rules of one metric; every issue names the field at fault */
function checkMetric(m: z.output<typeof metricShape>, issue: Issue): void {
  const full = `${m.prefix}${m.name}`;
  if (
    RESERVED_PREFIXES.some((p) => full.startsWith(p)) ||
    (full.startsWith('flowmap_') && !full.startsWith('flowmap_user_'))
  ) {
    issue(
      ['name'],
      `Cannot define flow metric "${full}": names starting with flowmap_ (other than flowmap_user_), netflow_connection_, process_ or nodejs_ are reserved`,
    );
  }
  const labels = new Set(m.labels);
  m.labels.forEach((l, i) => {
    if (m.labels.indexOf(l) !== i) issue(['labels', i], `Cannot use label "${l}" twice`);
  });
  m.flatten.forEach((f, i) => {
    if (!labels.has(f)) issue(['flatten', i], `Cannot flatten "${f}": it is not in labels`);
  });
  const names = new Map<string, string>();
  for (const field of m.labels) {
    const label = m.remap[field] ?? defaultLabelName(field);
    const other = names.get(label);
    if (other) issue(['remap'], `Cannot name both "${other}" and "${field}" label "${label}"`);
    names.set(label, field);
    if (m.type === 'histogram' && label === 'le') issue(['remap', field], 'Cannot use label name "le" on a histogram');
  }
  for (const key of Object.keys(m.remap)) {
    if (!(key in FLOW_FIELDS)) issue(['remap', key], `Cannot remap "${key}": it is not a flow field`);
    else if (!labels.has(key)) issue(['remap', key], `Cannot remap "${key}": it is not in labels`);
  }
  if (m.buckets && m.type !== 'histogram') issue(['buckets'], `Cannot use buckets on a ${m.type}`);
  m.buckets?.forEach((b, i) => {
    if (i > 0 && b <= m.buckets![i - 1]!) issue(['buckets', i], 'Cannot use these buckets: bounds must increase');
  });
}

export const flowMetricConfig = metricShape.superRefine((m, ctx) =>
  checkMetric(m, (path, message) => ctx.addIssue({ code: 'custom', path, message })),
);
export type FlowMetricConfig = z.infer<typeof flowMetricConfig>;

export const flowMetricDefaults = z.strictObject({
  idleTtlMs: z.number().int().min(1_000).default(900_000).describe('default idle expiry of user-defined series'),
  maxSeries: z.number().int().min(1).default(10_000).describe('default series cap per user-defined metric'),
});

/** the list of user metrics; names (prefix + name) must be unique */
export const flowMetricsConfig = z
  .array(flowMetricConfig)
  .default([])
  .superRefine((metrics, ctx) => {
    const seen = new Map<string, number>();
    metrics.forEach((m, i) => {
      const full = `${m.prefix}${m.name}`;
      const first = seen.get(full);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'name'],
          message: `Cannot define flow metric "${full}" twice: also defined at index ${first}`,
        });
      } else seen.set(full, i);
    });
  });
