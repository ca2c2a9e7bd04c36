/**
 * A bounded table of series for one metric family: at most `maxSeries` label sets; a series not updated for
 * `idleTtlMs` is removed at the next sweep (Prometheus sees it disappear; a later update restarts it from zero,
 * which rate() treats as a counter reset). Single-threaded; no timers (sweeps run at scrape time).
 * @module
 */

export interface SeriesBase {
  /** label values in the family's label order */
  readonly values: readonly string[];
  /** clock time of the last update */
  lastSeen: number;
  /** renders started before the series was created (RenderEpoch.renders then) */
  readonly born: number;
  /** clock time the series was created */
  readonly bornAt: number;
}

/**
 * Counts /metrics renders so that a new counter series can show 0 on the first render that holds it: Prometheus'
 * rate() and increase() count only what a counter gained between two samples, so a series whose first sample
 * already holds the traffic that created it (a short-lived edge) would count as nothing. Shared by the sink's tables.
 */
export class RenderEpoch {
  /** renders started */
  renders = 0;
  /** clock time the current render started */
  now = 0;

  /** `holdMs`: keep showing 0 at least this long after creation (several scrapers each see the zero) */
  constructor(
    readonly zeroFirst: boolean,
    readonly holdMs: number,
  ) {}

  /** starts a render */
  begin(now: number): void {
    this.renders++;
    this.now = now;
  }

  /** what a counter series shows in the current render: 0 until a whole render showed it so and holdMs passed */
  value(series: SeriesBase, value: number): number {
    if (!this.zeroFirst) return value;
    return series.born + 1 >= this.renders || this.now - series.bornAt < this.holdMs ? 0 : value;
  }
}

/** what the sink reads of any series table (self-metrics, sweeps) */
export interface SeriesStore {
  readonly size: number;
  readonly refused: number;
  readonly expired: number;
  sweep(now: number): void;
}

export class SeriesTable<S extends SeriesBase> implements SeriesStore {
  readonly #series = new Map<string, S>();
  /** new series refused because the table was full */
  refused = 0;
  /** series removed because they were idle */
  expired = 0;

  constructor(
    readonly maxSeries: number,
    readonly idleTtlMs: number,
    readonly create: (values: readonly string[], now: number) => S,
  ) {}

  get size(): number {
    return this.#series.size;
  }

  /**
   * The series for `key` (created from `values()` when new), stamped `now`; undefined when the table is full and
   * the series is new (the refusal is counted).
   */
  touch(key: string, values: () => readonly string[], now: number): S | undefined {
    let series = this.#series.get(key);
    if (!series) {
      if (this.#series.size >= this.maxSeries) {
        this.refused++;
        return undefined;
      }
      series = this.create(values(), now);
      this.#series.set(key, series);
    }
    series.lastSeen = now;
    return series;
  }

  /** removes series idle for longer than idleTtlMs */
  sweep(now: number): void {
    for (const [key, series] of this.#series) {
      if (now - series.lastSeen > this.idleTtlMs) {
        this.#series.delete(key);
        this.expired++;
      }
    }
  }

  values(): IterableIterator<S> {
    return this.#series.values();
  }
}
