/**
 * The whole configuration of `flowmap serve`: one section per component, each validated by the component's own
 * schema with its own defaults. docs/config.md and docs/config.schema.json are generated from it.
 * @module
 */
import * as z from 'zod';
import { apiConfig } from '../api/index.js';
import { collectorConfig } from '../collector/index.js';
import { templateCacheConfig } from '../decode/index.js';
import { enrichConfig } from '../enrich/index.js';
import { flowPipelineConfig } from '../pipeline/index.js';
import { prometheusSinkConfig } from '../sinks/prometheus/index.js';
import { storeConfig } from '../sinks/store/index.js';

export const decodeSectionConfig = z.object({
  templates: templateCacheConfig.prefault({}).describe('the NetFlow v9 / IPFIX template cache'),
  persistTemplates: z
    .boolean()
    .default(true)
    .describe(
      'with the DuckDB store: save templates to <store.dataDir>/templates.json on stop and every minute, and load them at start',
    ),
});

export const flowmapConfig = z.object({
  collector: collectorConfig.prefault({}).describe('UDP/TCP listeners, queues, exporter allow-list'),
  decode: decodeSectionConfig.prefault({}).describe('decoding of NetFlow v5/v9, IPFIX and sFlow'),
  identity: enrichConfig.prefault({}).describe('who is behind an address: Kubernetes, CIDR labels, ASN'),
  pipeline: flowPipelineConfig.prefault({}).describe('direction, dedup, connection counting, edges per bucket'),
  prometheus: prometheusSinkConfig.prefault({}).describe('the /metrics series, including user-defined flow metrics'),
  store: storeConfig.prefault({}).describe('the embedded history store'),
  api: apiConfig.prefault({}).describe('the HTTP server: UI, /api, Grafana Node Graph API, /metrics, probes'),
  flushIntervalMs: z
    .number()
    .int()
    .min(100)
    .max(60_000)
    .default(1_000)
    .describe('how often completed edge buckets move from the pipeline to the store'),
  logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info').describe('least severe log level printed'),
  logFormat: z.enum(['text', 'json']).default('text').describe('log lines as text or as JSON objects'),
});

export type FlowmapConfig = z.infer<typeof flowmapConfig>;
export type FlowmapConfigInput = z.input<typeof flowmapConfig>;
