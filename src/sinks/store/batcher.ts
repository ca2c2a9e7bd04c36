/**
 * The write side every store backend shares: a bounded queue of windows in front of one serialized worker that
 * persists batches, rolls up and applies retention. Callers never wait on I/O: `push` is synchronous and O(1).
 * @module
 */
import type { EdgeWindow } from '../../core/edge.js';
import type { Mutable } from '../../core/mutable.js';
import type { StoreConfig } from './config.js';
import type { StoreStats } from './contracts.js';

/** what a backend implements; the batcher calls these one at a time, never concurrently */
export interface BatchBackend {
  /** persists the windows; returns how long it held the event loop synchronously */
  writeBatch(windows: readonly EdgeWindow[]): Promise<number>;
  /** cheap when there is nothing to do: rolls up completed hours */
  rollup(): Promise<void>;
  /** roll-up plus retention and housekeeping */
  maintain(): Promise<void>;
  rolledUpTo(): number | null;
}

export class Batcher {
  #queue: EdgeWindow[] = [];
  #queuedEdges = 0;
  #tail: Promise<void> = Promise.resolve();
  #flushTimer: ReturnType<typeof setTimeout> | undefined;
  #maintainTimer: ReturnType<typeof setInterval> | undefined;
  #drainScheduled = false;
  #closed = false;
  readonly #stats: Mutable<Omit<StoreStats, 'droppedEdges' | 'queuedWindows' | 'queuedEdges' | 'rolledUpTo'>> = {
    writtenWindows: 0,
    writtenEdges: 0,
    skippedWindows: 0,
    batches: 0,
    maxBlockingMs: 0,
  };
  readonly #dropped = { 'queue-full': 0, 'sink-permanent': 0 };

  constructor(
    private readonly config: Pick<StoreConfig, 'queue' | 'maintenanceIntervalMs'>,
    private readonly backend: BatchBackend,
  ) {}

  /** enqueues windows; refuses (and counts) what does not fit or arrives after close */
  push(windows: readonly EdgeWindow[]): void {
    for (const w of windows) {
      if (w.level === 'namespace') {
        this.#stats.skippedWindows++;
        continue;
      }
      if (this.#closed) {
        this.#dropped['sink-permanent'] += w.edges.length;
        continue;
      }
      if (this.#queuedEdges + w.edges.length > this.config.queue.maxEdges) {
        this.#dropped['queue-full'] += w.edges.length;
        continue;
      }
      this.#queue.push(w);
      this.#queuedEdges += w.edges.length;
    }
    if (this.#queuedEdges >= this.config.queue.batchEdges) this.#scheduleDrain();
    else if (this.#queue.length > 0 && !this.#flushTimer && !this.#drainScheduled) {
      this.#flushTimer = setTimeout(() => {
        this.#flushTimer = undefined;
        this.#scheduleDrain();
      }, this.config.queue.flushIntervalMs);
      this.#flushTimer.unref?.();
    }
  }

  start(): void {
    if (this.#maintainTimer || this.#closed) return;
    this.#maintainTimer = setInterval(() => {
      void this.#enqueue(() => this.backend.maintain());
    }, this.config.maintenanceIntervalMs);
    this.#maintainTimer.unref?.();
  }

  /** resolves once everything queued before the call is persisted */
  flush(): Promise<void> {
    return this.#enqueue(() => this.#drain());
  }

  maintain(): Promise<void> {
    return this.#enqueue(() => this.backend.maintain());
  }

  /** drains and refuses further windows; idempotent */
  async close(): Promise<void> {
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    if (this.#maintainTimer) clearInterval(this.#maintainTimer);
    this.#flushTimer = undefined;
    this.#maintainTimer = undefined;
    await this.flush();
    this.#closed = true;
  }

  stats(): StoreStats {
    return {
      ...this.#stats,
      queuedWindows: this.#queue.length,
      queuedEdges: this.#queuedEdges,
      droppedEdges: { ...this.#dropped },
      rolledUpTo: this.backend.rolledUpTo(),
    };
  }

  #scheduleDrain(): void {
    if (this.#drainScheduled) return;
    this.#drainScheduled = true;
    void this.#enqueue(() => this.#drain());
  }

  /** runs `op` after everything already enqueued; a failing op is recorded and does not poison the chain */
  #enqueue(op: () => Promise<void>): Promise<void> {
    const run = this.#tail.then(op).catch((error: unknown) => {
      this.#stats.lastError = error instanceof Error ? error.message : String(error);
    });
    this.#tail = run;
    return run;
  }

  async #drain(): Promise<void> {
    this.#drainScheduled = false;
    if (this.#flushTimer) {
      clearTimeout(this.#flushTimer);
      this.#flushTimer = undefined;
    }
    while (this.#queue.length > 0) {
      const batch = this.#take();
      const edges = batch.reduce((n, w) => n + w.edges.length, 0);
      try {
        const blocking = await this.backend.writeBatch(batch);
        this.#stats.maxBlockingMs = Math.max(this.#stats.maxBlockingMs, blocking);
        this.#stats.writtenWindows += batch.length;
        this.#stats.writtenEdges += edges;
        this.#stats.batches++;
      } catch (error) {
        this.#dropped['sink-permanent'] += edges;
        this.#stats.lastError = error instanceof Error ? error.message : String(error);
      }
    }
    await this.backend.rollup();
  }

  #take(): EdgeWindow[] {
    const batch: EdgeWindow[] = [];
    let edges = 0;
    while (this.#queue.length > 0) {
      const next = this.#queue[0]!;
      if (batch.length > 0 && edges + next.edges.length > this.config.queue.batchEdges) break;
      batch.push(next);
      edges += next.edges.length;
      this.#queue.shift();
    }
    this.#queuedEdges -= edges;
    return batch;
  }
}

/** the write half of an EdgeStore, delegated to a Batcher the backend creates around itself */
export abstract class BatchedStore {
  protected abstract readonly batcher: Batcher;

  async write(batch: readonly EdgeWindow[]): Promise<void> {
    this.batcher.push(batch);
  }

  flush(): Promise<void> {
    return this.batcher.flush();
  }

  maintain(): Promise<void> {
    return this.batcher.maintain();
  }

  stats(): StoreStats {
    return this.batcher.stats();
  }
}
