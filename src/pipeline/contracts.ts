/**
 * The contracts every stage of the pipeline implements (collector -> decode -> enrich -> orient -> aggregate -> sinks).
 * @module
 */

/**
 * Lifecycle: create -> start -> run -> stop.
 * `start` resolves quickly; long work runs in the background and ends when `signal` aborts.
 * `stop` is idempotent, safe before `start`, and flushes buffered data downstream before resolving.
 */
export interface Lifecycle {
  start(signal: AbortSignal): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A stateless per-batch transform: synchronous, no I/O, no awaits. It pushes its outputs into `out`;
 * dropping a record means not pushing it (and counting why). It never keeps references to `batch`.
 */
export interface Transform<In, Out> {
  readonly name: string;
  apply(batch: readonly In[], out: Out[]): void;
}

/**
 * A stateful windowed stage (dedup, aggregation). `add` is synchronous; the runner calls `flush(now)` on every
 * tick and once on stop; flush returns what completed windows produced, or undefined when nothing did.
 */
export interface WindowedStage<In, Out> {
  readonly name: string;
  add(batch: readonly In[], now: number): void;
  flush(now: number, final?: boolean): Out | undefined;
}

/**
 * A destination for completed batches. `write` resolves once the batch is handed off; the caller does not reuse
 * `batch` afterwards. Reject with PermanentError to drop the batch; any other rejection is retried with backoff.
 */
export interface Sink<T> extends Lifecycle {
  readonly name: string;
  write(batch: T, signal?: AbortSignal): Promise<void>;
}

/** counters a stage exposes as plain numbers; the metrics sink reads them on scrape (stages never import prom-client) */
export interface StageStats {
  readonly in: number;
  readonly out: number;
  readonly dropped: Readonly<Partial<Record<string, number>>>;
}
