/**
 * A bounded pool of read connections. A DuckDB connection runs one statement at a time; several connections on
 * one instance run concurrently on DuckDB's threads. Callers beyond `max` wait in FIFO order.
 * @module
 */
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { SourceError } from '../errors.js';

export class ConnectionPool {
  readonly #idle: DuckDBConnection[] = [];
  readonly #waiting: ((conn: DuckDBConnection) => void)[] = [];
  readonly #inFlight = new Set<Promise<unknown>>();
  #created = 0;
  #closed = false;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly max: number,
  ) {}

  async use<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    if (this.#closed) throw new SourceError('closed', 'Cannot query the history store: it is closed');
    const conn = await this.#acquire();
    const run = fn(conn);
    this.#inFlight.add(run);
    try {
      return await run;
    } finally {
      this.#inFlight.delete(run);
      this.#release(conn);
    }
  }

  /** waits for running queries, then disconnects everything */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.allSettled([...this.#inFlight]);
    for (const conn of this.#idle.splice(0)) conn.closeSync();
  }

  async #acquire(): Promise<DuckDBConnection> {
    const idle = this.#idle.pop();
    if (idle) return idle;
    if (this.#created < this.max) {
      this.#created++;
      return this.instance.connect();
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  #release(conn: DuckDBConnection): void {
    const next = this.#waiting.shift();
    if (next) next(conn);
    else if (this.#closed) conn.closeSync();
    else this.#idle.push(conn);
  }
}
