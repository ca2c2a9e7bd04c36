/**
 * Query parameters of /api/v1, shared by the server (validation) and the web UI (building URLs).
 * Every list parameter is comma-separated; times are epoch ms (the API also reads now, now-<n><unit> and ISO-8601
 * before this validation: see src/api/params.ts).
 * @module
 */
import * as z from 'zod';

/** a comma-separated list of `item`s (items trimmed, empty ones dropped) */
export const csv = <T extends z.ZodType<unknown, unknown>>(item: T) =>
  z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x !== ''),
    )
    .pipe(z.array(item) as z.ZodType<z.output<T>[], string[]>);

const epochMs = z.coerce.number().int().nonnegative().describe('epoch milliseconds');

/** a time range; the server fills defaults (to = now, from = to - 15 min) and rejects from >= to */
export const rangeQuery = z.object({
  from: epochMs.optional(),
  to: epochMs.optional(),
});

export const groupLevel = z.enum(['namespace', 'workload', 'pod']);

/** filters for graph-shaped answers (graph, top, export) */
export const graphQuery = rangeQuery.extend({
  level: groupLevel.default('workload'),
  namespace: csv(z.string().min(1)).optional().describe('keep edges with either side in these namespaces'),
  workload: csv(z.string().min(1)).optional().describe('keep edges with either side named so (workload, pod, service)'),
  kind: csv(z.string().min(1))
    .optional()
    .describe('keep edges with either side of these kinds (node kind or workload kind)'),
  port: csv(z.coerce.number().int().min(0).max(65535)).optional(),
  protocol: csv(z.string().min(1)).optional().describe('TCP, UDP, SCTP, ICMP or IANA numbers'),
  external: z.enum(['include', 'exclude']).default('include'),
  nodes: z.enum(['include', 'exclude']).default('include'),
  minBytes: z.coerce
    .number()
    .nonnegative()
    .default(0)
    .describe('drop edges with fewer bytes (both directions) in the range'),
});
export type GraphQuery = z.infer<typeof graphQuery>;

/** one edge's time series */
export const edgeSeriesQuery = rangeQuery.extend({
  source: z.string().min(1).describe('client node id'),
  target: z.string().min(1).describe('server node id'),
  port: z.coerce.number().int().min(0).max(65535).optional(),
  protocol: z.string().min(1).optional(),
  step: z.coerce.number().int().min(60_000).optional().describe('bucket width in ms; default chosen from the range'),
});
export type EdgeSeriesQuery = z.infer<typeof edgeSeriesQuery>;

/** one node's time series (all its edges summed, split in/out) */
export const nodeSeriesQuery = rangeQuery.extend({
  id: z.string().min(1),
  level: groupLevel.default('workload'),
  step: z.coerce.number().int().min(60_000).optional(),
});
export type NodeSeriesQuery = z.infer<typeof nodeSeriesQuery>;

export const matrixQuery = rangeQuery.extend({ namespace: z.string().min(1), level: groupLevel.default('workload') });
export type MatrixQuery = z.infer<typeof matrixQuery>;

export const topQuery = graphQuery.extend({
  by: z.enum(['bytes', 'packets', 'connections']).default('bytes'),
  limit: z.coerce.number().int().min(1).max(1000).default(20),
});
export type TopQuery = z.infer<typeof topQuery>;

export const timelineQuery = rangeQuery.extend({ step: z.coerce.number().int().min(60_000).optional() });
export type TimelineQuery = z.infer<typeof timelineQuery>;

export const exportFormat = z.enum(['text', 'json', 'yaml', 'dot', 'networkpolicy', 'intents']);
export const exportQuery = graphQuery.extend({ format: exportFormat.default('json') });
export type ExportQuery = z.infer<typeof exportQuery>;
