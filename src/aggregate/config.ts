/**
 * Configuration of the aggregate stage: time buckets, lateness, grouping levels and the cardinality cap.
 * @module
 */
import * as z from 'zod';

export const aggregateConfig = z.object({
  bucketMs: z
    .number()
    .int()
    .min(1_000)
    .describe('width of a time bucket in ms; a flow record counts in the bucket of its end time')
    .default(60_000),
  allowedLatenessMs: z
    .number()
    .int()
    .nonnegative()
    .describe(
      'a bucket is emitted once the collector clock passes its end plus this; records for an emitted bucket count ' +
        'in the oldest open bucket instead (counted as late). Exporters report a flow after its inactive timeout, ' +
        'and orient adds its pairing delay, so keep this above both',
    )
    .default(30_000),
  levels: z
    .array(z.enum(['workload', 'pod']))
    .min(1)
    .refine((levels) => new Set(levels).size === levels.length, 'levels must not repeat')
    .describe(
      "grouping levels to aggregate at, one EdgeWindow per level per bucket: ['workload'] or ['workload', 'pod']",
    )
    .default(['workload']),
  maxEdgesPerWindow: z
    .number()
    .int()
    .positive()
    .describe('cardinality cap: distinct edges per bucket and level; flows of further edges are refused and counted')
    .default(50_000),
  maxNodes: z
    .number()
    .int()
    .positive()
    .describe('cap on map nodes remembered between buckets (names cached per endpoint); above it the cache restarts')
    .default(200_000),
});

export type AggregateConfig = z.infer<typeof aggregateConfig>;
