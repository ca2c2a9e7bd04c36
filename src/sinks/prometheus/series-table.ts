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

/**
 * What every series table shares: at most `maxSeries` series, created by `create`; new ones past the bound are
 * refused and counted; a series not updated for `idleTtlMs` is idle and goes at the next sweep (counted).
 */
export abstract class BoundedSeries<S extends SeriesBase> implements SeriesStore {
  /** new series refused because the table was full */
  refused = 0;
  /** series removed because they were idle */
  expired = 0;

  constructor(
    readonly maxSeries: number,
    readonly idleTtlMs: number,
    readonly create: (values: readonly string[], now: number) => S,
  ) {}

  abstract get size(): number;
  /** removes series idle for longer than idleTtlMs */
  abstract sweep(now: number): void;
  abstract values(): IterableIterator<S>;

  /** a new series from `values()`, or undefined (counted as refused) when the table is full */
  protected open(values: () => readonly string[], now: number): S | undefined {
    if (this.size >= this.maxSeries) {
      this.refused++;
      return undefined;
    }
    return this.create(values(), now);
  }

  protected isIdle(series: S, now: number): boolean {
    return now - series.lastSeen > this.idleTtlMs;
  }
}

/** series keyed by a string (the label values joined) */
export class SeriesTable<S extends SeriesBase> extends BoundedSeries<S> {
  readonly #series = new Map<string, S>();

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
      series = this.open(values, now);
      if (!series) return undefined;
      this.#series.set(key, series);
    }
    series.lastSeen = now;
    return series;
  }

  sweep(now: number): void {
    for (const [key, series] of this.#series) {
      if (this.isIdle(series, now)) {
        this.#series.delete(key);
        this.expired++;
      }
    }
  }

  values(): IterableIterator<S> {
    return this.#series.values();
  }
}
