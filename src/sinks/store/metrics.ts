/**
 * flowmap_store_* self-metrics, read from `store.stats()` on every scrape.
 * @module
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { EdgeStore, StoreStats } from './contracts.js';

function counter(
  registry: Registry,
  name: string,
  help: string,
  read: (s: StoreStats) => number,
  stats: () => StoreStats,
) {
  return new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(read(stats()));
    },
  });
}

/** registers the store's metrics in `registry` (once per registry) */
export function registerStoreMetrics(registry: Registry, store: Pick<EdgeStore, 'stats'>): void {
  const stats = () => store.stats();
  new Gauge({
    name: 'flowmap_store_queued_edges',
    help: 'Edges waiting in the history store write queue',
    registers: [registry],
    collect() {
      this.set(stats().queuedEdges);
    },
  });
  counter(
    registry,
    'flowmap_store_written_edges_total',
    'Edge rows persisted by the history store',
    (s) => s.writtenEdges,
    stats,
  );
  counter(
    registry,
    'flowmap_store_written_windows_total',
    'Windows persisted by the history store',
    (s) => s.writtenWindows,
    stats,
  );
  counter(registry, 'flowmap_store_batches_total', 'Write batches the history store ran', (s) => s.batches, stats);
  new Counter({
    name: 'flowmap_store_dropped_edges_total',
    help: 'Edges the history store refused, by reason (queue-full, sink-permanent)',
    labelNames: ['reason'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [reason, n] of Object.entries(stats().droppedEdges)) this.inc({ reason }, n);
    },
  });
  new Gauge({
    name: 'flowmap_store_max_blocking_seconds',
    help: 'Longest time one write batch held the event loop synchronously',
    registers: [registry],
    collect() {
      this.set(stats().maxBlockingMs / 1000);
    },
  });
  new Gauge({
    name: 'flowmap_store_rolled_up_to_seconds',
    help: 'Every hour before this Unix time is rolled up',
    registers: [registry],
    collect() {
      this.set((stats().rolledUpTo ?? 0) / 1000);
    },
  });
}
