/**
 * The embedded history on DuckDB: one database file in `dataDir`, one write connection owned by the batcher's
 * serialized loop (appends, roll-ups, retention, checkpoints) and a small pool of read connections, so queries
 * run on DuckDB threads while writes continue (MVCC: a query sees the batches committed when it started).
 * @module
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { SeriesPoint } from '../../../contract/responses.js';
import type { Clock } from '../../../core/clock.js';
import type { Edge, EdgeWindow } from '../../../core/edge.js';
import { BatchedStore, Batcher } from '../batcher.js';
import type { StoreConfig } from '../config.js';
import type { EdgeStore, EdgesQuery, SeriesQuery, SourceBounds, StoreInspection } from '../contracts.js';
import { SourceError } from '../errors.js';
import {
  dayOf,
  dayRollupTarget,
  hourOf,
  minuteHorizon,
  type PlanState,
  planRange,
  planSeries,
  rollupTarget,
} from '../plan.js';
import { DimensionCache, LEVEL_CODE } from './dims.js';
import {
  applyRetention,
  DAYS_FROM_HOURS,
  earliestBucket,
  HOURS_FROM_MINUTES,
  latestBucket,
  purgeDimensions,
  rollUp,
} from './maintenance.js';
import { ConnectionPool } from './pool.js';
import { queryEdges, querySeries } from './reader.js';
import { DDL, loadDimensions, readMeta, SCHEMA_VERSION, writeMeta } from './schema.js';
import { appendWindows } from './writer.js';

export const DATABASE_FILE = 'flowmap.duckdb';

export interface DuckDbStoreDeps {
  readonly clock: Clock;
}

export function createDuckDbStore(config: StoreConfig, deps: DuckDbStoreDeps): EdgeStore {
  return new DuckDbStore(config, deps.clock);
}

interface OpenState {
  readonly instance: DuckDBInstance;
  readonly writer: DuckDBConnection;
  readonly readers: ConnectionPool;
}

class DuckDbStore extends BatchedStore implements EdgeStore {
  readonly name = 'store-duckdb';
  readonly #dims = new DimensionCache();
  protected readonly batcher: Batcher;
  #open: OpenState | undefined;
  #opening: Promise<void> | undefined;
  #closed = false;
  #rolledUpTo: number | null = null;
  #daysRolledUpTo: number | null = null;
  #latestEnd = 0;
  #minMinute: number | null = null;
  #minHour: number | null = null;

  constructor(
    private readonly config: StoreConfig,
    private readonly clock: Clock,
  ) {
    super();
    this.batcher = new Batcher(config, {
      writeBatch: (windows) => this.#writeBatch(windows),
      rollup: () => this.#rollup(),
      maintain: () => this.#maintain(),
      rolledUpTo: () => this.#rolledUpTo,
    });
  }

  async start(_signal: AbortSignal): Promise<void> {
    this.#opening ??= this.#openDatabase();
    await this.#opening;
    this.batcher.start();
  }

  async stop(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.batcher.close();
    const open = this.#open;
    this.#open = undefined;
    if (!open) return;
    await open.readers.close();
    open.writer.closeSync();
    open.instance.closeSync();
  }

  async inspect(): Promise<StoreInspection> {
    const rows = await this.#read(async (conn) => {
      const r = await conn.runAndReadAll(
        `SELECT (SELECT count(*) FROM edges_minute)::DOUBLE, (SELECT count(*) FROM edges_hour)::DOUBLE,
          (SELECT count(*) FROM edges_day)::DOUBLE`,
      );
      return r.getRows()[0] as [number, number, number];
    });
    const size = this.#dims.size;
    return { minuteRows: rows[0], hourRows: rows[1], dayRows: rows[2], edgeKeys: size.edges, nodes: size.nodes };
  }

  async edges(query: EdgesQuery): Promise<readonly Edge[]> {
    const plan = planRange(query, this.#planState());
    return this.#read((conn) => queryEdges(conn, this.#dims, plan, LEVEL_CODE[query.level]));
  }

  async series(query: SeriesQuery): Promise<readonly (readonly SeriesPoint[])[]> {
    const plan = planSeries(query, query.step, this.#planState());
    const level = LEVEL_CODE[query.level];
    const out: SeriesPoint[][] = [];
    for (const selector of query.selectors) {
      const ids = this.#dims.select(level, selector);
      out.push(await this.#read((conn) => querySeries(conn, plan, level, query.step, ids)));
    }
    return out;
  }

  async bounds(): Promise<SourceBounds> {
    this.#requireOpen();
    const h = minuteHorizon(this.#minMinute, this.#minHour, this.#rolledUpTo);
    return { earliest: h.earliest, fineFrom: h.minuteFrom };
  }

  #planState(): PlanState {
    return {
      rolledUpTo: this.#rolledUpTo,
      daysRolledUpTo: this.#daysRolledUpTo,
      minuteFrom: minuteHorizon(this.#minMinute, this.#minHour, this.#rolledUpTo).minuteFrom,
    };
  }

  #requireOpen(): OpenState {
    if (this.#open) return this.#open;
    if (this.#closed) throw new SourceError('closed', 'Cannot query the history store: it is closed');
    throw new SourceError('not-started', 'Cannot query the history store: it is not started');
  }

  async #read<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.#requireOpen().readers.use(fn);
  }

  async #openDatabase(): Promise<void> {
    const path = join(this.config.dataDir, DATABASE_FILE);
    let instance: DuckDBInstance;
    try {
      mkdirSync(this.config.dataDir, { recursive: true });
      instance = await DuckDBInstance.create(path, {
        threads: String(this.config.duckdb.threads),
        memory_limit: this.config.duckdb.memoryLimit,
        checkpoint_threshold: this.config.duckdb.checkpointThreshold,
      });
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new SourceError('unavailable', `Cannot open history store "${path}": ${reason}`, { cause });
    }
    const writer = await instance.connect();
    for (const statement of DDL) await writer.run(statement);
    if ((await readMeta(writer, 'schema_version')) === null) await writeMeta(writer, 'schema_version', SCHEMA_VERSION);
    await loadDimensions(writer, this.#dims);
    this.#rolledUpTo = await readMeta(writer, HOURS_FROM_MINUTES.meta);
    this.#daysRolledUpTo = await readMeta(writer, DAYS_FROM_HOURS.meta);
    const latest = await latestBucket(writer);
    this.#latestEnd = latest === null ? 0 : latest + 60_000;
    await this.#refreshEarliest(writer);
    this.#open = { instance, writer, readers: new ConnectionPool(instance, this.config.duckdb.threads + 1) };
  }

  async #refreshEarliest(conn: DuckDBConnection): Promise<void> {
    this.#minMinute = await earliestBucket(conn, 'edges_minute');
    this.#minHour = await earliestBucket(conn, 'edges_hour');
  }

  async #writeBatch(windows: readonly EdgeWindow[]): Promise<number> {
    const { writer } = this.#requireOpen();
    if (this.#rolledUpTo === null && windows[0]) {
      this.#rolledUpTo = hourOf(windows[0].start);
      this.#daysRolledUpTo = dayOf(windows[0].start);
      await writeMeta(writer, HOURS_FROM_MINUTES.meta, this.#rolledUpTo);
      await writeMeta(writer, DAYS_FROM_HOURS.meta, this.#daysRolledUpTo);
    }
    const rolled = { hours: this.#rolledUpTo, days: this.#daysRolledUpTo };
    const blocking = await appendWindows(writer, this.#dims, windows, rolled);
    for (const w of windows) {
      if (w.end > this.#latestEnd) this.#latestEnd = w.end;
      if (this.#minMinute === null || w.start < this.#minMinute) this.#minMinute = w.start;
      if (this.#rolledUpTo !== null && w.start < this.#rolledUpTo) {
        const h = hourOf(w.start);
        if (this.#minHour === null || h < this.#minHour) this.#minHour = h;
      }
    }
    return blocking;
  }

  async #rollup(): Promise<void> {
    const from = this.#rolledUpTo;
    const dayFrom = this.#daysRolledUpTo;
    if (from === null || dayFrom === null || !this.#open) return;
    const { writer } = this.#open;
    const target = rollupTarget(this.clock(), this.#latestEnd, this.config.rollupGraceMs);
    if (target <= from) return;
    await rollUp(writer, HOURS_FROM_MINUTES, from, target);
    this.#rolledUpTo = target;
    const dayTarget = dayRollupTarget(target);
    if (dayTarget > dayFrom) {
      await rollUp(writer, DAYS_FROM_HOURS, dayFrom, dayTarget);
      this.#daysRolledUpTo = dayTarget;
    }
    this.#minHour = await earliestBucket(writer, 'edges_hour');
    await writer.run('CHECKPOINT').catch(() => undefined);
  }

  async #maintain(): Promise<void> {
    if (!this.#open) return;
    await this.#rollup();
    const now = this.clock();
    const { minutes, hours } = this.config.retention;
    const rolled = this.#rolledUpTo ?? Number.NEGATIVE_INFINITY;
    const minuteCut = minutes > 0 && Number.isFinite(rolled) ? Math.min(now - minutes, rolled) : null;
    const hourCut = hours > 0 ? now - hours : null;
    const deleted = await applyRetention(this.#open.writer, { minuteCut, hourCut });
    if (deleted > 0) {
      await purgeDimensions(this.#open.writer, this.#dims);
      await this.#refreshEarliest(this.#open.writer);
      await this.#open.writer.run('CHECKPOINT').catch(() => undefined);
    }
  }
}
