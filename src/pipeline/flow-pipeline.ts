/**
 * The per-flow path after decoding, composed once for `serve` and `map`: enrich -> orient -> aggregate.
 * Synchronous and single-threaded: `push` runs every stage on the batch before it returns, and `flush` emits the
 * completed EdgeWindows. Time comes from `deps.clock` (the collector clock; offline runs pass a clock at or after
 * the capture's last record, or the wall clock).
 * @module
 */
import { type AggregateStats, createAggregator } from '../aggregate/index.js';
import type { Clock } from '../core/clock.js';
import type { EnrichedFlow, OrientedFlow } from '../core/conversation.js';
import type { EdgeWindow } from '../core/edge.js';
import type { FlowRecord } from '../core/flow.js';
import type { MetadataIndex } from '../enrich/contracts.js';
import { createEnricher } from '../enrich/index.js';
import { createOrienter, type OrientStats } from '../orient/index.js';
import type { StageStats, Transform } from './contracts.js';
import type { FlowPipelineConfig } from './flow-pipeline-config.js';

export interface FlowPipelineDeps {
  readonly index: MetadataIndex;
  readonly clock: Clock;
  /** default: the enrich stage's `createEnricher(index)` */
  readonly enricher?: Transform<FlowRecord, EnrichedFlow>;
}

/**
 * Called with every batch of OrientedFlows before aggregation; must not throw or mutate the batch, nor keep its
 * flows past the call (the orient stage rewrites them for its next batch: copy what must be kept)
 */
export type OrientedListener = (batch: readonly OrientedFlow[]) => void;

export interface FlowPipelineStats {
  readonly enrich: StageStats;
  readonly orient: OrientStats;
  readonly aggregate: AggregateStats;
  /** exceptions thrown by onOriented listeners (caught so the flow path keeps running) */
  readonly listenerErrors: number;
  readonly lastListenerError: string | undefined;
}

export interface FlowPipeline {
  /** enriches, orients and aggregates `records` (decoded, unscaled); keeps no reference to the array */
  push(records: readonly FlowRecord[]): void;
  /**
   * Moves records whose pairing delay passed into aggregation and returns the EdgeWindows completed at `now`
   * (default: the clock), oldest first; `final` also decides every waiting record and emits every open bucket
   * (the SIGTERM path and the end of `map`).
   */
  flush(now?: number, final?: boolean): EdgeWindow[];
  /** taps every OrientedFlow batch (the Prometheus sink's per-flow series); returns the unsubscribe function */
  onOriented(listener: OrientedListener): () => void;
  /** the aggregation buckets still open, as windows (not emitted; `flush` emits them later); for live answers */
  openWindows(): EdgeWindow[];
  stats(): FlowPipelineStats;
}

interface EnrichCountersLike {
  readonly stats?: StageStats;
}

/** composes the stages; `config` as parsed by `flowPipelineConfig` */
export function createFlowPipeline(config: FlowPipelineConfig, deps: FlowPipelineDeps): FlowPipeline {
  const enricher = deps.enricher ?? createEnricher(deps.index);
  const orienter = createOrienter(config.orient, { index: deps.index });
  const aggregator = createAggregator(config.aggregate);
  const listeners = new Set<OrientedListener>();
  const scratch: EnrichedFlow[] = [];
  const enrichCounts = { in: 0, out: 0 };
  let listenerErrors = 0;
  let lastListenerError: string | undefined;

  const deliver = (now: number, final: boolean) => {
    const batch = orienter.flush(now, final);
    if (batch === undefined) return;
    for (const listener of listeners) {
      try {
        listener(batch);
      } catch (error) {
        listenerErrors++;
        lastListenerError = error instanceof Error ? error.message : String(error);
      }
    }
    aggregator.add(batch, now);
  };

  return {
    push(records) {
      if (records.length === 0) return;
      const now = deps.clock();
      enricher.apply(records, scratch);
      enrichCounts.in += records.length;
      enrichCounts.out += scratch.length;
      orienter.add(scratch, now);
      scratch.length = 0;
      deliver(now, false);
    },
    flush(now = deps.clock(), final = false) {
      deliver(now, final);
      return aggregator.flush(now, final) ?? [];
    },
    openWindows: () => aggregator.peek(),
    onOriented(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stats() {
      const own = (enricher as EnrichCountersLike).stats;
      return {
        enrich: { in: enrichCounts.in, out: enrichCounts.out, dropped: { ...(own?.dropped ?? {}) } },
        orient: orienter.stats(),
        aggregate: aggregator.stats(),
        listenerErrors,
        lastListenerError,
      };
    },
  };
}
