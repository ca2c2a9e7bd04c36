/**
 * Appends a batch of windows: dimension rows for new nodes and edge keys, fact rows into the minute table, and
 * into the hour table for windows older than the roll-up watermark. Appender flushes are synchronous in
 * @duckdb/node-api, so facts go out in slices of SLICE_ROWS with a yield to the event loop between slices; the
 * longest synchronous stretch is measured and returned. A slice is one commit: a query may see part of a batch.
 * @module
 */
import {
  BIGINT,
  DOUBLE,
  type DuckDBConnection,
  DuckDBDataChunk,
  type DuckDBType,
  INTEGER,
  UTINYINT,
  VARCHAR,
} from '@duckdb/node-api';
import type { Edge, EdgeWindow } from '../../../core/edge.js';
import type { StoredLevel } from '../contracts.js';
import { evidenceRank } from '../edge-math.js';
import { dayOf, hourOf } from '../plan.js';
import { type DimensionCache, LEVEL_CODE } from './dims.js';

/** rows per DuckDB data chunk (its vector size) */
const CHUNK_ROWS = 2048;
/** rows appended between two yields to the event loop */
const SLICE_ROWS = 4096;

const FACT_TYPES: readonly DuckDBType[] = [BIGINT, UTINYINT, INTEGER, ...Array(7).fill(DOUBLE), UTINYINT];
const NODE_TYPES: readonly DuckDBType[] = [INTEGER, ...Array(7).fill(VARCHAR), INTEGER, VARCHAR];
const EDGE_KEY_TYPES: readonly DuckDBType[] = [INTEGER, UTINYINT, INTEGER, INTEGER, INTEGER, INTEGER];
const SERVICE_TYPES: readonly DuckDBType[] = [INTEGER, VARCHAR];

type Columns = unknown[][];

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** column buffers for one table, appended (and committed) on `flush` */
class TableBuffer {
  cols: Columns;
  constructor(
    readonly table: string,
    readonly types: readonly DuckDBType[],
  ) {
    this.cols = types.map(() => []);
  }

  get rows(): number {
    return this.cols[0]!.length;
  }

  push(values: readonly unknown[]): void {
    for (let i = 0; i < values.length; i++) this.cols[i]!.push(values[i]);
  }

  /** appends and commits the buffered rows; returns the ms spent synchronously */
  async flush(conn: DuckDBConnection): Promise<number> {
    const rows = this.rows;
    if (rows === 0) return 0;
    const cols = this.cols;
    this.cols = this.types.map(() => []);
    const appender = await conn.createAppender(this.table);
    const t0 = performance.now();
    try {
      for (let start = 0; start < rows; start += CHUNK_ROWS) {
        const end = Math.min(rows, start + CHUNK_ROWS);
        const chunk = DuckDBDataChunk.create(this.types, end - start);
        chunk.setColumns(cols.map((c) => c.slice(start, end)) as never);
        appender.appendDataChunk(chunk);
      }
    } finally {
      appender.closeSync();
    }
    return performance.now() - t0;
  }
}

/** appends one fact row to the column buffers without a per-row array (the writer's hot loop) */
function pushFact(buffer: TableBuffer, bucket: bigint, level: number, id: number, e: Edge): void {
  const c = buffer.cols;
  c[0]!.push(bucket);
  c[1]!.push(level);
  c[2]!.push(id);
  c[3]!.push(e.bytesToServer);
  c[4]!.push(e.bytesToClient);
  c[5]!.push(e.packetsToServer);
  c[6]!.push(e.packetsToClient);
  c[7]!.push(e.connections);
  c[8]!.push(e.firstSeen);
  c[9]!.push(e.lastSeen);
  c[10]!.push(evidenceRank(e.evidence));
}

class BatchWriter {
  readonly nodes = new TableBuffer('nodes', NODE_TYPES);
  readonly edgeKeys = new TableBuffer('edge_keys', EDGE_KEY_TYPES);
  readonly services = new TableBuffer('edge_services', SERVICE_TYPES);
  readonly minute = new TableBuffer('edges_minute', FACT_TYPES);
  readonly hour = new TableBuffer('edges_hour', FACT_TYPES);
  readonly day = new TableBuffer('edges_day', FACT_TYPES);
  maxBlocking = 0;
  #sliceStart = performance.now();

  constructor(
    readonly conn: DuckDBConnection,
    readonly dims: DimensionCache,
  ) {}

  /** dimension rows first, so that persisted facts never reference unknown ids */
  async flush(): Promise<void> {
    this.#takeDimensions();
    const sync = performance.now() - this.#sliceStart;
    for (const buffer of [this.nodes, this.edgeKeys, this.services, this.minute, this.hour, this.day]) {
      this.#blocked(await buffer.flush(this.conn));
    }
    this.#blocked(sync);
    await yieldToLoop();
    this.#sliceStart = performance.now();
  }

  #blocked(ms: number): void {
    if (ms > this.maxBlocking) this.maxBlocking = ms;
  }

  #takeDimensions(): void {
    const pending = this.dims.takePending();
    for (const { id, node } of pending.nodes) {
      this.nodes.push([
        id,
        node.id,
        node.kind,
        node.namespace,
        node.name,
        node.workloadKind,
        node.ip ?? null,
        node.label ?? null,
        node.asn ?? null,
        node.org ?? null,
      ]);
    }
    for (const e of pending.edges) {
      this.edgeKeys.push([e.id, e.level, this.dims.nodeId(e.client), this.dims.nodeId(e.server), e.port, e.ipProtocol]);
    }
    for (const s of pending.services) this.services.push([s.edge, s.service]);
  }
}

/** the roll-up watermarks at the time of the write */
export interface Watermarks {
  readonly hours: number | null;
  readonly days: number | null;
}

/**
 * appends `windows`; rows of windows older than a roll-up watermark also go to that roll-up. Returns the longest
 * stretch (ms) it held the event loop without yielding.
 */
export async function appendWindows(
  conn: DuckDBConnection,
  dims: DimensionCache,
  windows: readonly EdgeWindow[],
  rolled: Watermarks,
): Promise<number> {
  const w = new BatchWriter(conn, dims);
  for (const window of windows) {
    const level = LEVEL_CODE[window.level as StoredLevel];
    const lateHour = rolled.hours !== null && window.start < rolled.hours;
    const lateDay = rolled.days !== null && window.start < rolled.days;
    const minute = BigInt(window.start);
    const hour = BigInt(hourOf(window.start));
    const day = BigInt(dayOf(window.start));
    for (const edge of window.edges) {
      const id = dims.edgeId(level, edge);
      pushFact(w.minute, minute, level, id, edge);
      if (lateHour) pushFact(w.hour, hour, level, id, edge);
      if (lateDay) pushFact(w.day, day, level, id, edge);
      if (w.minute.rows + w.hour.rows + w.day.rows >= SLICE_ROWS) await w.flush();
    }
  }
  await w.flush();
  return w.maxBlocking;
}
