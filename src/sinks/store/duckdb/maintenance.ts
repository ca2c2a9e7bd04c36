/**
 * Roll-up and retention. Runs on the store's write connection, serialized with appends, as async statements
 * (DuckDB's own threads do the work; the event loop stays free).
 * @module
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { DAY_MS, HOUR_MS } from '../plan.js';
import type { DimensionCache } from './dims.js';
import { FACT_COLUMN_NAMES, writeMeta } from './schema.js';

const int = (n: number) => String(Math.trunc(n));

export type FactTable = 'edges_minute' | 'edges_hour' | 'edges_day';

export interface RollUpStep {
  readonly from: FactTable;
  readonly into: FactTable;
  /** bucket width of `into` */
  readonly unit: number;
  /** the meta key holding the watermark */
  readonly meta: string;
}

export const HOURS_FROM_MINUTES: RollUpStep = {
  from: 'edges_minute',
  into: 'edges_hour',
  unit: HOUR_MS,
  meta: 'rolled_up_to',
};
export const DAYS_FROM_HOURS: RollUpStep = {
  from: 'edges_hour',
  into: 'edges_day',
  unit: DAY_MS,
  meta: 'days_rolled_up_to',
};

/** sums the rows of [from, to) into the coarser table and moves the watermark, in one transaction */
export async function rollUp(conn: DuckDBConnection, step: RollUpStep, from: number, to: number): Promise<void> {
  await conn.run('BEGIN TRANSACTION');
  try {
    await conn.run(`INSERT INTO ${step.into} (${FACT_COLUMN_NAMES})
      SELECT (bucket // ${step.unit}) * ${step.unit} AS unit, level, edge,
        sum(bytes_to_server), sum(bytes_to_client), sum(packets_to_server), sum(packets_to_client),
        sum(connections), min(first_seen), max(last_seen), min(evidence)
      FROM ${step.from} WHERE bucket >= ${int(from)} AND bucket < ${int(to)}
      GROUP BY unit, level, edge ORDER BY unit, edge`);
    await writeMeta(conn, step.meta, to);
    await conn.run('COMMIT');
  } catch (error) {
    await conn.run('ROLLBACK');
    throw error;
  }
}

export interface RetentionCuts {
  /** minute rows with bucket < minuteCut go */
  readonly minuteCut: number | null;
  /** hour (and day) rows ending at or before hourCut go */
  readonly hourCut: number | null;
}

/** deletes expired facts; returns how many rows went */
export async function applyRetention(conn: DuckDBConnection, cuts: RetentionCuts): Promise<number> {
  let deleted = 0;
  if (cuts.minuteCut !== null) {
    const r = await conn.run(`DELETE FROM edges_minute WHERE bucket < ${int(cuts.minuteCut)}`);
    deleted += r.rowsChanged;
  }
  if (cuts.hourCut !== null) {
    const hours = await conn.run(`DELETE FROM edges_hour WHERE bucket <= ${int(cuts.hourCut - HOUR_MS)}`);
    const days = await conn.run(`DELETE FROM edges_day WHERE bucket <= ${int(cuts.hourCut - DAY_MS)}`);
    deleted += hours.rowsChanged + days.rowsChanged;
  }
  return deleted;
}

/** drops edge keys and nodes no fact references any more, in the tables and the cache */
export async function purgeDimensions(conn: DuckDBConnection, dims: DimensionCache): Promise<void> {
  const edges = await conn.runAndReadAll(`SELECT id FROM edge_keys WHERE id NOT IN
    (SELECT edge FROM edges_minute UNION SELECT edge FROM edges_hour UNION SELECT edge FROM edges_day)`);
  const edgeIds = (edges.getColumns()[0] ?? []) as number[];
  if (edgeIds.length > 0) {
    await conn.run(`DELETE FROM edge_keys WHERE id IN (SELECT unnest([${edgeIds.join(',')}]::INTEGER[]))`);
    await conn.run(`DELETE FROM edge_services WHERE edge IN (SELECT unnest([${edgeIds.join(',')}]::INTEGER[]))`);
    dims.forgetEdges(edgeIds);
  }
  const nodes = await conn.runAndReadAll(`SELECT id FROM nodes WHERE id NOT IN
    (SELECT client FROM edge_keys UNION SELECT server FROM edge_keys)`);
  const nodeIds = (nodes.getColumns()[0] ?? []) as number[];
  if (nodeIds.length > 0) {
    await conn.run(`DELETE FROM nodes WHERE id IN (SELECT unnest([${nodeIds.join(',')}]::INTEGER[]))`);
    dims.forgetNodes(nodeIds);
  }
}

/** earliest bucket of a fact table, or null when empty */
export async function earliestBucket(
  conn: DuckDBConnection,
  table: 'edges_minute' | 'edges_hour',
): Promise<number | null> {
  const r = await conn.runAndReadAll(`SELECT min(bucket)::DOUBLE, max(bucket)::DOUBLE FROM ${table}`);
  const v = r.getColumns()[0]?.[0];
  return typeof v === 'number' ? v : null;
}

export async function latestBucket(conn: DuckDBConnection): Promise<number | null> {
  const r = await conn.runAndReadAll(
    `SELECT greatest((SELECT max(bucket) FROM edges_minute), (SELECT max(bucket) FROM edges_hour))::DOUBLE`,
  );
  const v = r.getColumns()[0]?.[0];
  return typeof v === 'number' ? v : null;
}
