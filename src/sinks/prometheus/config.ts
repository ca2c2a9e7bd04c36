import * as z from 'zod';
import { flowMetricDefaults, flowMetricsConfig } from './user-metrics-config.js';

export const edgeSeriesConfig = z.strictObject({
  enabled: z.boolean().default(true).describe('export flowmap_edge_{bytes,packets,connections}_total'),
  maxSeries: z
    .number()
    .int()
    .min(1)
    .default(50_000)
    .describe('edges (client, server, port, protocol) kept; new ones beyond it are refused and counted'),
  idleTtlMs: z
    .number()
    .int()
    .min(1_000)
    .default(3_600_000)
    .describe('an edge without traffic this long leaves /metrics (its counters restart if it comes back)'),
});

export const seedSeriesConfig = z.strictObject({
  enabled: z.boolean().default(true).describe('export the seed-compatible netflow_connection_{count,bytes,packets}'),
  maxSeries: z
    .number()
    .int()
    .min(1)
    .default(20_000)
    .describe('host pairs kept; new ones beyond it are refused and counted'),
  idleTtlMs: z
    .number()
    .int()
    .min(1_000)
    .default(3_600_000)
    .describe('a host pair without traffic this long leaves /metrics'),
});

export const prometheusSinkConfig = z.strictObject({
  edges: edgeSeriesConfig.prefault({}).describe('flowmap_edge_* series'),
  seedCompat: seedSeriesConfig.prefault({}).describe('netflow_connection_* series'),
  processMetrics: z.boolean().default(true).describe("export prom-client's process_* and nodejs_* metrics"),
  firstScrapeZero: z
    .boolean()
    .default(true)
    .describe(
      'a new flow counter series (edge, seed, user-defined counter or histogram) shows 0 on the first scrape that ' +
        'holds it and its value from the next: rate() and increase() count only gains between samples, so otherwise the ' +
        'traffic that created a series (all of a short-lived edge) is never counted. With two Prometheus servers ' +
        'scraping, set firstScrapeZeroMs',
    ),
  firstScrapeZeroMs: z
    .number()
    .int()
    .min(0)
    .default(0)
    .describe(
      'with firstScrapeZero, keep a new series at 0 for at least this long: set it to the scrape interval when ' +
        'several Prometheus servers (an HA pair) scrape this flowmap, so that each of them sees the zero',
    ),
  flowMetrics: flowMetricsConfig.describe('user-defined flow metrics (docs/metrics.md)'),
  flowMetricDefaults: flowMetricDefaults.prefault({}).describe('defaults for every user-defined flow metric'),
});
export type PrometheusSinkConfig = z.infer<typeof prometheusSinkConfig>;
export type PrometheusSinkConfigInput = z.input<typeof prometheusSinkConfig>;
