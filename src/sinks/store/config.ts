import * as z from 'zod';

const MINUTE = 60_000;
const DAY = 86_400_000;

export const storeRetentionConfig = z.object({
  minutes: z
    .number()
    .int()
    .min(0)
    .default(7 * DAY)
    .describe('how long per-minute buckets are kept, in ms (0 = forever); older ranges are answered from hours'),
  hours: z
    .number()
    .int()
    .min(0)
    .default(90 * DAY)
    .describe('how long hourly roll-ups are kept, in ms (0 = forever)'),
});

export const storeQueueConfig = z.object({
  maxEdges: z
    .number()
    .int()
    .positive()
    .default(500_000)
    .describe('edges the write queue holds; windows beyond it are dropped and counted as queue-full'),
  batchEdges: z
    .number()
    .int()
    .positive()
    .default(20_000)
    .describe('edges persisted per batch; a full batch is written at once instead of waiting for the timer'),
  flushIntervalMs: z
    .number()
    .int()
    .min(10)
    .default(1_000)
    .describe('longest time a window waits in the queue before it is persisted'),
});

export const duckdbConfig = z.object({
  threads: z.number().int().min(1).max(64).default(2).describe('DuckDB worker threads for queries and roll-ups'),
  memoryLimit: z.string().min(1).default('1GB').describe('DuckDB memory_limit (e.g. "512MB", "2GB")'),
  checkpointThreshold: z
    .string()
    .min(1)
    .default('256MB')
    .describe('WAL size that triggers an automatic checkpoint; the store also checkpoints after each roll-up'),
});

export const storeConfig = z.object({
  backend: z
    .enum(['duckdb', 'memory'])
    .default('duckdb')
    .describe('duckdb persists to dataDir; memory keeps history only while the process runs'),
  dataDir: z.string().min(1).default('./data').describe('directory holding the DuckDB database (flowmap.duckdb)'),
  retention: storeRetentionConfig.prefault({}).describe('how long each resolution is kept (day roll-ups follow hours)'),
  rollupGraceMs: z
    .number()
    .int()
    .min(0)
    .default(2 * MINUTE)
    .describe('how long after an hour ends it is rolled up; windows arriving later are added to the roll-up too'),
  maintenanceIntervalMs: z.number().int().min(1_000).default(MINUTE).describe('how often roll-up and retention run'),
  queue: storeQueueConfig.prefault({}).describe('the bounded write queue between the pipeline and the backend'),
  duckdb: duckdbConfig.prefault({}).describe('DuckDB settings (backend: duckdb)'),
});
export type StoreConfig = z.infer<typeof storeConfig>;
export type StoreConfigInput = z.input<typeof storeConfig>;
