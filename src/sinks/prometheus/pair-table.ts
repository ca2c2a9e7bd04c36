/**
 * A bounded, expiring series table keyed by (a, b, sub): two label objects and a number (port and protocol), for
 * the per-flow hot path. Label objects are cached per endpoint, so the usual lookup is two WeakMap hits and one
 * number-keyed Map hit, with no string building. Two different label objects with the same `key` share one
 * canonical pair (found through a string map on first sight), so equal labels never make two series.
 * Single-threaded; sweeps run at scrape time.
 * @module
 */
import { BoundedSeries, type SeriesBase } from './series-table.js';

interface Pair<S> {
  alive: boolean;
  readonly series: Map<number, S>;
}

export class PairTable<S extends SeriesBase> extends BoundedSeries<S> {
  readonly #canonical = new Map<string, Pair<S>>();
  readonly #fast = new WeakMap<object, WeakMap<object, Pair<S>>>();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** the series for (a, b, sub), created from `values()` when new; undefined (counted) when the table is full */
  touch(
    a: { readonly key: string },
    b: { readonly key: string },
    sub: number,
    values: () => readonly string[],
    now: number,
  ): S | undefined {
    let inner = this.#fast.get(a);
    let pair = inner?.get(b);
    if (!pair?.alive) {
      const key = `${a.key}\u0002${b.key}`;
      pair = this.#canonical.get(key);
      if (!pair) {
        pair = { alive: true, series: new Map() };
        this.#canonical.set(key, pair);
      }
      if (!inner) {
        inner = new WeakMap();
        this.#fast.set(a, inner);
      }
      inner.set(b, pair);
    }
    let series = pair.series.get(sub);
    if (!series) {
      series = this.open(values, now);
      if (!series) return undefined;
      pair.series.set(sub, series);
      this.#size++;
    }
    series.lastSeen = now;
    return series;
  }

  sweep(now: number): void {
    for (const [key, pair] of this.#canonical) {
      for (const [sub, series] of pair.series) {
        if (this.isIdle(series, now)) {
          pair.series.delete(sub);
          this.#size--;
          this.expired++;
        }
      }
      if (pair.series.size === 0) {
        pair.alive = false;
        this.#canonical.delete(key);
      }
    }
  }

  *values(): IterableIterator<S> {
    for (const pair of this.#canonical.values()) yield* pair.series.values();
  }
}
