/**
 * Read queries. They return only numeric columns (edge id, sums); nodes come from the dimension cache, so result
 * conversion stays small. All numbers inlined into SQL are integers this module computed, never user text.
 * @module
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { SeriesPoint } from '../../../contract/responses.js';
import { type Edge, withServices } from '../../../core/edge.js';
import type { TimeRange } from '../contracts.js';
import { evidenceOfRank } from '../edge-math.js';
import type { RangePlan } from '../plan.js';
import type { DimensionCache } from './dims.js';

const int = (n: number): string => {
  if (!Number.isSafeInteger(n)) throw new TypeError(`Cannot inline "${n}" into SQL: it is not a safe integer`);
  return String(n);
};

const span = (r: TimeRange) => `(bucket >= ${int(r.from)} AND bucket < ${int(r.to)})`;

/** the fact rows a plan reads, as one relation */
function factsOf(plan: RangePlan, level: number): string {
  const parts: string[] = [];
  const from = (table: string, spans: readonly TimeRange[]) => {
    if (spans.length > 0)
      parts.push(`SELECT * FROM ${table} WHERE level = ${int(level)} AND (${spans.map(span).join(' OR ')})`);
  };
  from('edges_day', plan.days ? [plan.days] : []);
  from('edges_hour', plan.hours);
  from('edges_minute', plan.minutes);
  return parts.join(' UNION ALL ');
}

const SUMS = `sum(bytes_to_server), sum(bytes_to_client), sum(packets_to_server), sum(packets_to_client), sum(connections)`;

export async function queryEdges(
  conn: DuckDBConnection,
  dims: DimensionCache,
  plan: RangePlan,
  level: number,
): Promise<Edge[]> {
  const sql = `SELECT edge, ${SUMS}, min(first_seen), max(last_seen), min(evidence)
    FROM (${factsOf(plan, level)}) GROUP BY edge`;
  const cols = (await conn.runAndReadAll(sql)).getColumns() as number[][];
  const [ids, bts, btc, pts, ptc, conns, first, last, evidence] = cols;
  const out: Edge[] = [];
  for (let i = 0; i < (ids?.length ?? 0); i++) {
    const dim = dims.edge(ids![i]!);
    if (!dim) continue;
    const edge: Edge = {
      clientId: dim.client.id,
      serverId: dim.server.id,
      port: dim.port,
      ipProtocol: dim.ipProtocol,
      client: dim.client,
      server: dim.server,
      bytesToServer: bts![i]!,
      bytesToClient: btc![i]!,
      packetsToServer: pts![i]!,
      packetsToClient: ptc![i]!,
      connections: conns![i]!,
      firstSeen: first![i]!,
      lastSeen: last![i]!,
      evidence: evidenceOfRank(evidence![i]!),
    };
    out.push(withServices(edge, dim.services?.size ? [...dim.services].sort() : undefined));
  }
  return out;
}

/** one series over the edges `ids` (all edges of the level when undefined) */
export async function querySeries(
  conn: DuckDBConnection,
  plan: RangePlan,
  level: number,
  step: number,
  ids: readonly number[] | undefined,
): Promise<SeriesPoint[]> {
  if (ids && ids.length === 0) return [];
  const facts = factsOf(plan, level);
  const source = ids
    ? `(${facts}) f SEMI JOIN (SELECT unnest([${ids.map(int).join(',')}]::INTEGER[]) AS edge) s ON f.edge = s.edge`
    : `(${facts}) f`;
  const sql = `SELECT (bucket // ${int(step)}) * ${int(step)} AS t, ${SUMS} FROM ${source} GROUP BY t ORDER BY t`;
  const cols = (await conn.runAndReadAll(sql)).getColumns() as unknown[][];
  const [t, bts, btc, pts, ptc, conns] = cols as [bigint[], number[], number[], number[], number[], number[]];
  return (t ?? []).map((bucket, i) => ({
    t: Number(bucket),
    bytesToServer: bts[i]!,
    bytesToClient: btc[i]!,
    packetsToServer: pts[i]!,
    packetsToClient: ptc[i]!,
    connections: conns[i]!,
  }));
}
