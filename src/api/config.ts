import * as z from 'zod';
import { prometheusSourceConfig } from './prometheus-source/config.js';

export const corsConfig = z.object({
  origins: z
    .array(z.string().min(1))
    .default(['*'])
    .describe('origins allowed to call /api/* from a browser (Grafana Infinity in browser mode); ["*"] allows any'),
  maxAgeSeconds: z.number().int().min(0).default(600).describe('how long browsers may cache a CORS preflight answer'),
});

export const apiConfig = z.object({
  host: z.string().min(1).default('0.0.0.0').describe('address the HTTP server listens on'),
  port: z
    .number()
    .int()
    .min(0)
    .max(65_535)
    .default(8080)
    .describe('HTTP port for the UI, /api, /metrics and probes (0 = any free port)'),
  nodeLimit: z
    .number()
    .int()
    .min(10)
    .max(100_000)
    .default(1_500)
    .describe(
      'most nodes a graph answer holds; the smallest are grouped into their namespace beyond it (Grafana draws at most 1,500)',
    ),
  defaultRangeMs: z
    .number()
    .int()
    .min(60_000)
    .default(900_000)
    .describe('time range answered when a query gives no "from"'),
  seriesPoints: z
    .number()
    .int()
    .min(10)
    .max(10_000)
    .default(300)
    .describe('points a series aims for when the query names no step'),
  maxSeriesPoints: z
    .number()
    .int()
    .min(100)
    .max(1_000_000)
    .default(10_000)
    .describe('most points one series answer may hold'),
  maxUrlBytes: z.number().int().min(256).default(8_192).describe('longest request URL accepted (longer: 414)'),
  maxBodyBytes: z.number().int().min(0).default(65_536).describe('largest request body accepted (larger: 413)'),
  cors: corsConfig.prefault({}).describe('cross-origin access to /api/* for browser-side clients'),
  source: z
    .enum(['store', 'prometheus'])
    .default('store')
    .describe(
      'where graph answers come from: the embedded history store, or a Prometheus server holding flowmap_edge_* series',
    ),
  prometheus: prometheusSourceConfig
    .prefault({})
    .describe('the Prometheus server answering graph queries (source: prometheus)'),
});
export type ApiConfig = z.infer<typeof apiConfig>;
export type ApiConfigInput = z.input<typeof apiConfig>;
