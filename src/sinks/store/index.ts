export { type StoreConfig, type StoreConfigInput, storeConfig } from './config.js';
export type {
  EdgeSelector,
  EdgeSource,
  EdgeStore,
  EdgesQuery,
  SeriesQuery,
  SourceBounds,
  StoredLevel,
  StoreInspection,
  StoreStats,
  TimeRange,
} from './contracts.js';
export { createEdgeStore, type EdgeStoreDeps } from './create-store.js';
export { createDuckDbStore, DATABASE_FILE } from './duckdb/index.js';
export { nodeMatches, selectorMatches } from './edge-math.js';
export { QueryError, type QueryErrorCode, SourceError, type SourceErrorCode } from './errors.js';
export { createMemoryStore, createMemoryStoreState, type MemoryStoreState } from './memory/index.js';
export { registerStoreMetrics } from './metrics.js';
export { HOUR_MS, MINUTE_MS, planRange } from './plan.js';
export * from './query/index.js';
