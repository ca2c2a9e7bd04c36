/**
 * The history store contract: edges per time bucket written in batches, read back summed over ranges.
 * Every backend (in-memory, DuckDB, later ClickHouse) and every other graph source (Prometheus) implements
 * `EdgeSource`; `runEdgeStoreContract` in contract.test-suite.ts is the executable definition.
 * @module
 */

import type { SeriesPoint } from '../../contract/responses.js';
import type { Edge, EdgeWindow } from '../../core/edge.js';
import type { Sink } from '../../pipeline/contracts.js';

/** the levels windows are stored at; namespace answers are derived from workload nodes */
export type StoredLevel = 'workload' | 'pod';

/** a half-open time range [from, to) in epoch ms; a bucket belongs to it when its start does */
export interface TimeRange {
  readonly from: number;
  readonly to: number;
}

export interface EdgesQuery extends TimeRange {
  readonly level: StoredLevel;
}

/**
 * Which edges a series sums. Node references are ids at the query's level (`workload:shop/Deployment/cart`,
 * `pod:shop/cart-1`, `service:shop/cart`, `node:w1`, `external:Google LLC`) or `namespace:<ns>`, which matches
 * every node whose namespace is <ns>. An empty selector matches every edge.
 */
export interface EdgeSelector {
  readonly client?: string;
  readonly server?: string;
  readonly port?: number;
  readonly ipProtocol?: number;
}

export interface SeriesQuery extends TimeRange {
  readonly level: StoredLevel;
  /**
   * bucket width in ms, a multiple of 60 s; steps of 1 h or more are multiples of 1 h and may be answered
   * from the hourly roll-ups. Points are aligned to multiples of `step` since the epoch.
   */
  readonly step: number;
  readonly selectors: readonly EdgeSelector[];
}

/** what a source holds; drives the choice of resolution */
export interface SourceBounds {
  /** the oldest bucket held at any resolution, null when empty */
  readonly earliest: number | null;
  /** series finer than 1 h are exact only from here on (older minutes were rolled up and expired); 0 = no limit */
  readonly fineFrom: number;
}

/**
 * The query side every graph source answers. All methods are read-only, safe to call concurrently with each other
 * and with writes, and never block the caller's event loop for long (backends do their work off-thread or in
 * small slices). They reject with QueryError for queries they cannot answer and SourceError when unavailable.
 */
export interface EdgeSource {
  /**
   * Edges of `level` whose bucket starts in the range, summed per EdgeKey: counters summed, firstSeen the
   * minimum, lastSeen the maximum, evidence the strongest, services the union. Unordered.
   */
  edges(query: EdgesQuery): Promise<readonly Edge[]>;
  /** one sparse, time-ordered series per selector (buckets without traffic are absent) */
  series(query: SeriesQuery): Promise<readonly (readonly SeriesPoint[])[]>;
  bounds(): Promise<SourceBounds>;
}

/** counters of the write path; plain numbers so the metrics sink can read them on scrape */
export interface StoreStats {
  /** windows and edges waiting in the queue */
  readonly queuedWindows: number;
  readonly queuedEdges: number;
  /** windows and edge rows persisted since start */
  readonly writtenWindows: number;
  readonly writtenEdges: number;
  /** edges refused, by reason: queue-full (queue at capacity), sink-permanent (the backend failed the batch) */
  readonly droppedEdges: { readonly 'queue-full': number; readonly 'sink-permanent': number };
  /** windows at a level the store does not keep (namespace: derived at query time) */
  readonly skippedWindows: number;
  readonly batches: number;
  /** the longest a batch held the event loop synchronously (DuckDB appender flush), ms */
  readonly maxBlockingMs: number;
  /** every hour before this instant is rolled up; null before the first write */
  readonly rolledUpTo: number | null;
  readonly lastError?: string;
}

/** row counts per resolution, for tests and the status page */
export interface StoreInspection {
  readonly minuteRows: number;
  readonly hourRows: number;
  /** day roll-ups of the hours (an accelerator for long ranges; same retention as hours) */
  readonly dayRows: number;
  readonly edgeKeys: number;
  readonly nodes: number;
}

/**
 * The embedded history: a Sink of completed windows plus the query side.
 * - `write` only enqueues (bounded; refused windows are counted as queue-full drops) and never rejects; a
 *   background loop persists batches, rolls minutes up into hours and applies retention relative to the clock.
 * - Writes are additive: writing the same bucket and key twice sums them.
 * - `start` opens the backend (queries before it reject); `stop` drains the queue, persists and closes; idempotent.
 */
export interface EdgeStore extends EdgeSource, Sink<readonly EdgeWindow[]> {
  /** resolves once everything enqueued before the call is persisted */
  flush(): Promise<void>;
  /** runs roll-up and retention now (they also run on a timer and after batches) */
  maintain(): Promise<void>;
  stats(): StoreStats;
  inspect(): Promise<StoreInspection>;
}
