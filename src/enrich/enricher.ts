/**
 * The enrich stage: names both addresses of every flow through a MetadataIndex (local and synchronous).
 * @module
 */
import type { EnrichedFlow } from '../core/conversation.js';
import type { FlowRecord } from '../core/flow.js';
import type { Transform } from '../pipeline/contracts.js';
import type { MetadataIndex } from './contracts.js';
import { createEnrichCounters, type EnrichCounters } from './metrics.js';

export interface EnricherDeps {
  /** counters to add to (so they survive a re-created stage); default: fresh ones */
  readonly counters?: EnrichCounters;
}

export interface Enricher extends Transform<FlowRecord, EnrichedFlow> {
  readonly stats: EnrichCounters;
}

/**
 * Every flow goes out, named. Addresses are looked up at the flow's start time with their own port (a reply
 * from a host-network pod comes from nodeIP:port). Each endpoint nothing knows counts one `no-metadata`.
 */
export function createEnricher(index: MetadataIndex, deps: EnricherDeps = {}): Enricher {
  const stats = deps.counters ?? createEnrichCounters();
  return {
    name: 'enrich',
    stats,
    apply(batch, out) {
      let unknown = 0;
      for (const flow of batch) {
        const src = index.lookup(flow.srcAddr, flow.start, flow.srcPort, flow.ipProtocol);
        const dst = index.lookup(flow.dstAddr, flow.start, flow.dstPort, flow.ipProtocol);
        if (src.kind === 'unknown') unknown++;
        if (dst.kind === 'unknown') unknown++;
        out.push({ flow, src, dst });
      }
      stats.in += batch.length;
      stats.out += batch.length;
      if (unknown) stats.dropped['no-metadata'] = (stats.dropped['no-metadata'] ?? 0) + unknown;
    },
  };
}
