import * as z from 'zod';

export const prometheusSourceConfig = z.object({
  url: z
    .string()
    .url()
    .default('http://localhost:9090')
    .describe('base URL of the Prometheus HTTP API that scrapes the collectors (source: prometheus)'),
  timeoutMs: z.number().int().min(100).default(10_000).describe('timeout of one Prometheus API call'),
  metricPrefix: z
    .string()
    .regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/)
    .default('flowmap_edge')
    .describe('prefix of the edge series: <prefix>_bytes_total, <prefix>_packets_total, <prefix>_connections_total'),
  selector: z
    .string()
    .default('')
    .describe('extra label matchers added to every query, e.g. \'cluster="prod"\' (without braces)'),
  headers: z
    .record(z.string(), z.string())
    .default({})
    .describe('HTTP headers sent with every call (e.g. Authorization for a protected Prometheus)'),
});
export type PrometheusSourceConfig = z.infer<typeof prometheusSourceConfig>;
