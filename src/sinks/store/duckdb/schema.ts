/**
 * The DuckDB schema. Fact tables hold one row per (bucket, edge) with numeric columns only and are appended in
 * time order, so DuckDB's per-row-group min/max (zonemaps) on `bucket` prune range scans without an index.
 * Counters are DOUBLE: exact for integers below 2^53 and read back as JS numbers without BigInt.
 * @module
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { MapNode } from '../../../core/edge.js';
import type { DimensionCache } from './dims.js';

export const SCHEMA_VERSION = 1;

const FACT_COLUMNS = `bucket BIGINT NOT NULL, level UTINYINT NOT NULL, edge INTEGER NOT NULL,
  bytes_to_server DOUBLE NOT NULL, bytes_to_client DOUBLE NOT NULL,
  packets_to_server DOUBLE NOT NULL, packets_to_client DOUBLE NOT NULL,
  connections DOUBLE NOT NULL, first_seen DOUBLE NOT NULL, last_seen DOUBLE NOT NULL, evidence UTINYINT NOT NULL`;

export const DDL: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS meta (key VARCHAR NOT NULL, value DOUBLE)`,
  `CREATE TABLE IF NOT EXISTS nodes (id INTEGER NOT NULL, node_id VARCHAR NOT NULL, kind VARCHAR NOT NULL,
    namespace VARCHAR NOT NULL, name VARCHAR NOT NULL, workload_kind VARCHAR NOT NULL,
    ip VARCHAR, label VARCHAR, asn INTEGER, org VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS edge_keys (id INTEGER NOT NULL, level UTINYINT NOT NULL, client INTEGER NOT NULL,
    server INTEGER NOT NULL, port INTEGER NOT NULL, ip_protocol INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS edge_services (edge INTEGER NOT NULL, service VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS edges_minute (${FACT_COLUMNS})`,
  `CREATE TABLE IF NOT EXISTS edges_hour (${FACT_COLUMNS})`,
  `CREATE TABLE IF NOT EXISTS edges_day (${FACT_COLUMNS})`,
];

/** the column list of both fact tables, in order */
export const FACT_COLUMN_NAMES =
  'bucket, level, edge, bytes_to_server, bytes_to_client, packets_to_server, packets_to_client, connections, first_seen, last_seen, evidence';

export async function readMeta(conn: DuckDBConnection, key: string): Promise<number | null> {
  const reader = await conn.runAndReadAll(`SELECT value FROM meta WHERE key = $1`, [key]);
  const value = reader.getColumns()[0]?.[0];
  return typeof value === 'number' ? value : null;
}

export async function writeMeta(conn: DuckDBConnection, key: string, value: number): Promise<void> {
  await conn.run(`DELETE FROM meta WHERE key = $1`, [key]);
  await conn.run(`INSERT INTO meta VALUES ($1, $2)`, [key, value]);
}

function nodeFromRow(row: readonly unknown[]): MapNode {
  const [nodeId, kind, namespace, name, workloadKind, ip, label, asn, org] = row as [
    string,
    MapNode['kind'],
    string,
    string,
    string,
    string | null,
    string | null,
    number | null,
    string | null,
  ];
  return {
    id: nodeId,
    kind,
    namespace,
    name,
    workloadKind,
    ...(ip !== null && { ip }),
    ...(label !== null && { label }),
    ...(asn !== null && { asn }),
    ...(org !== null && { org }),
  };
}

/** fills the dimension cache from the tables (at open) */
export async function loadDimensions(conn: DuckDBConnection, dims: DimensionCache): Promise<void> {
  const nodes = await conn.runAndReadAll(
    `SELECT id, node_id, kind, namespace, name, workload_kind, ip, label, asn, org FROM nodes`,
  );
  for (const row of nodes.getRows()) dims.loadNode(row[0] as number, nodeFromRow(row.slice(1)));
  const edges = await conn.runAndReadAll(`SELECT id, level, client, server, port, ip_protocol FROM edge_keys`);
  for (const r of edges.getRows()) {
    dims.loadEdge(r[0] as number, r[1] as number, r[2] as number, r[3] as number, r[4] as number, r[5] as number);
  }
  const services = await conn.runAndReadAll(`SELECT edge, service FROM edge_services`);
  for (const r of services.getRows()) dims.loadService(r[0] as number, r[1] as string);
}
