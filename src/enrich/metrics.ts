/**
 * Counters of the enrich stage as plain numbers; the metrics sink reads them on scrape.
 * @module
 */
import type { DropReason } from '../core/errors.js';
import type { StageStats } from '../pipeline/contracts.js';

/** mutable StageStats; `dropped['no-metadata']` counts endpoints (src or dst) nothing named, not dropped flows */
export interface EnrichCounters extends StageStats {
  in: number;
  out: number;
  dropped: Partial<Record<DropReason, number>>;
}

export function createEnrichCounters(): EnrichCounters {
  return { in: 0, out: 0, dropped: {} };
}
