/**
 * Appends a batch of windows: new dimension rows first, then fact rows (minute table, plus the hour table for
 * windows older than the roll-up watermark). Appender flushes are synchronous in @duckdb/node-api, so the batch is
 * appended in DuckDB-vector-sized chunks and the time spent holding the event loop is measured and returned.
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
import type { EdgeWindow } from '../../../core/edge.js';
import type { StoredLevel } from '../contracts.js';
import { evidenceRank } from '../edge-math.js';
import { hourOf } from '../plan.js';
import { type DimensionCache, LEVEL_CODE, type PendingDims } from './dims.js';

const CHUNK_ROWS = 2048;
const FACT_TYPES: readonly DuckDBType[] = [
  BIGINT,
  UTINYINT,
  INTEGER,
  DOUBLE,
  DOUBLE,
  DOUBLE,
  DOUBLE,
  DOUBLE,
  DOUBLE,
  DOUBLE,
  UTINYINT,
];

const NODE_TYPES: readonly DuckDBType[] = [
  INTEGER,
  VARCHAR,
  VARCHAR,
  VARCHAR,
  VARCHAR,
  VARCHAR,
  VARCHAR,
  VARCHAR,
  INTEGER,
  VARCHAR,
];

type Columns = unknown[][];

function emptyColumns(count: number): Columns {
  return Array.from({ length: count }, () => []);
}

/** appends column arrays to `table` in vector-sized chunks; returns the ms spent */
async function append(
  conn: DuckDBConnection,
  table: string,
  types: readonly DuckDBType[],
  cols: Columns,
): Promise<number> {
  const rows = cols[0]?.length ?? 0;
  if (rows === 0) return 0;
  const appender = await conn.createAppender(table);
  const t0 = performance.now();
  try {
    for (let start = 0; start < rows; start += CHUNK_ROWS) {
      const end = Math.min(rows, start + CHUNK_ROWS);
      const chunk = DuckDBDataChunk.create(types, end - start);
      chunk.setColumns(cols.map((c) => c.slice(start, end)) as never);
      appender.appendDataChunk(chunk);
    }
    appender.closeSync();
  } catch (error) {
    appender.closeSync();
    throw error;
  }
  return performance.now() - t0;
}

function pushRow(cols: Columns, values: readonly unknown[]): void {
  for (let i = 0; i < values.length; i++) cols[i]!.push(values[i]);
}

function dimensionColumns(dims: DimensionCache, pending: PendingDims) {
  const nodes = emptyColumns(10);
  for (const { id, node } of pending.nodes) {
    const values: unknown[] = [id, node.id, node.kind, node.namespace, node.name, node.workloadKind];
    values.push(node.ip ?? null, node.label ?? null, node.asn ?? null, node.org ?? null);
    pushRow(nodes, values);
  }
  const edges = emptyColumns(6);
  for (const e of pending.edges) {
    const values = [e.id, e.level, dims.nodeId(e.client), dims.nodeId(e.server), e.port, e.ipProtocol];
    pushRow(edges, values);
  }
  const services = emptyColumns(2);
  for (const s of pending.services) {
    services[0]!.push(s.edge);
    services[1]!.push(s.service);
  }
  return { nodes, edges, services };
}

function pushFact(cols: Columns, bucket: number, level: number, id: number, e: EdgeWindow['edges'][number]): void {
  cols[0]!.push(BigInt(bucket));
  cols[1]!.push(level);
  cols[2]!.push(id);
  cols[3]!.push(e.bytesToServer);
  cols[4]!.push(e.bytesToClient);
  cols[5]!.push(e.packetsToServer);
  cols[6]!.push(e.packetsToClient);
  cols[7]!.push(e.connections);
  cols[8]!.push(e.firstSeen);
  cols[9]!.push(e.lastSeen);
  cols[10]!.push(evidenceRank(e.evidence));
}

/**
 * appends `windows`; rows of windows starting before `rolledUpTo` also go to the hour table. Returns the longest
 * stretch (ms) it held the event loop without yielding.
 */
export async function appendWindows(
  conn: DuckDBConnection,
  dims: DimensionCache,
  windows: readonly EdgeWindow[],
  rolledUpTo: number | null,
): Promise<number> {
  const t0 = performance.now();
  const minute = emptyColumns(FACT_TYPES.length);
  const hour = emptyColumns(FACT_TYPES.length);
  for (const w of windows) {
    const level = LEVEL_CODE[w.level as StoredLevel];
    const late = rolledUpTo !== null && w.start < rolledUpTo;
    for (const edge of w.edges) {
      const id = dims.edgeId(level, edge);
      pushFact(minute, w.start, level, id, edge);
      if (late) pushFact(hour, hourOf(w.start), level, id, edge);
    }
  }
  const d = dimensionColumns(dims, dims.takePending());
  const steps = [performance.now() - t0];
  steps.push(await append(conn, 'nodes', NODE_TYPES, d.nodes));
  steps.push(await append(conn, 'edge_keys', [INTEGER, UTINYINT, INTEGER, INTEGER, INTEGER, INTEGER], d.edges));
  steps.push(await append(conn, 'edge_services', [INTEGER, VARCHAR], d.services));
  steps.push(await append(conn, 'edges_minute', FACT_TYPES, minute));
  steps.push(await append(conn, 'edges_hour', FACT_TYPES, hour));
  return Math.max(...steps);
}
