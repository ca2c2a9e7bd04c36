/**
 * The answers of /api/v1 built over any EdgeSource (a store, the live windows, Prometheus). Filtering, the
 * namespace level, node limits and series densification happen here, once, for every source.
 * @module
 */

import type {
  EdgeSeriesQuery,
  GraphQuery,
  MatrixQuery,
  NodeSeriesQuery,
  TimelineQuery,
  TopQuery,
} from '../../../contract/query.js';
import type {
  EdgeSeriesResponse,
  ExternalsResponse,
  GraphResponse,
  MatrixResponse,
  NodeSeriesResponse,
  TimelineResponse,
  TopResponse,
} from '../../../contract/responses.js';
import type { Clock } from '../../../core/clock.js';
import type { Edge, GroupLevel } from '../../../core/edge.js';
import type { EdgeSelector, EdgeSource, SeriesQuery, StoredLevel, TimeRange } from '../contracts.js';
import { graphEdges, graphNodes } from './build.js';
import { edgeBytes, edgeFilterOf, filterEdges, type GraphRequest, protocolOf } from './filters.js';
import { limitNodes, regroup, toNamespaceLevel } from './grouping.js';
import { alignRange, chooseStep, resolveRange } from './range.js';
import { densify, inOut } from './series.js';
import { externalsOf, matrixOf } from './tables.js';

export interface GraphServiceOptions {
  readonly clock: Clock;
  /** most nodes a graph answer holds; beyond it the smallest are grouped (Grafana draws at most 1,500) */
  readonly nodeLimit: number;
  /** range length when `from` is absent */
  readonly defaultRangeMs: number;
  /** points a series aims for when no step is given */
  readonly targetPoints: number;
  readonly maxPoints: number;
}

/** filtered edges at the requested level, summed over the range */
export interface LevelEdges {
  readonly range: TimeRange;
  readonly level: GroupLevel;
  readonly edges: readonly Edge[];
}

export interface GraphService {
  edges(q: GraphRequest): Promise<LevelEdges>;
  graph(q: GraphRequest): Promise<GraphResponse>;
  top(q: TopQuery): Promise<TopResponse>;
  matrix(q: MatrixQuery): Promise<MatrixResponse>;
  externals(q: GraphQuery): Promise<ExternalsResponse>;
  edgeSeries(q: EdgeSeriesQuery): Promise<EdgeSeriesResponse>;
  nodeSeries(q: NodeSeriesQuery): Promise<NodeSeriesResponse>;
  timeline(q: TimelineQuery): Promise<TimelineResponse>;
}

const storedLevel = (level: GroupLevel): StoredLevel => (level === 'pod' ? 'pod' : 'workload');

type Counters = Pick<Edge, 'bytesToServer' | 'bytesToClient' | 'packetsToServer' | 'packetsToClient' | 'connections'>;

const METRIC: Record<TopQuery['by'], (e: Counters) => number> = {
  bytes: edgeBytes,
  packets: (e) => e.packetsToServer + e.packetsToClient,
  connections: (e) => e.connections,
};

export function createGraphService(source: EdgeSource, options: GraphServiceOptions): GraphService {
  const rangeOf = (q: { from?: number | undefined; to?: number | undefined }) =>
    resolveRange(q, { now: options.clock(), defaultRangeMs: options.defaultRangeMs });

  async function levelEdges(q: GraphRequest): Promise<LevelEdges> {
    const range = rangeOf(q);
    const filter = edgeFilterOf(q);
    const stored = await source.edges({ ...range, level: storedLevel(q.level) });
    let edges = filterEdges(stored, filter);
    if (q.level === 'namespace') edges = regroup(edges, toNamespaceLevel);
    if (q.minBytes > 0) edges = edges.filter((e) => edgeBytes(e) >= q.minBytes);
    return { range, level: q.level, edges };
  }

  async function series(range: TimeRange, step: number | undefined, level: StoredLevel, selectors: EdgeSelector[]) {
    const effective = chooseStep(range, step, await source.bounds(), options);
    const aligned = alignRange(range, effective);
    const query: SeriesQuery = { ...aligned, level, step: effective, selectors };
    return { step: effective, aligned, series: await source.series(query) };
  }

  async function graph(q: GraphRequest): Promise<GraphResponse> {
    const { range, edges } = await levelEdges(q);
    const limited = limitNodes(edges, options.nodeLimit);
    return {
      ...range,
      level: q.level,
      nodes: graphNodes(limited.edges),
      edges: graphEdges(limited.edges),
      truncated: limited.truncated,
    };
  }

  return {
    edges: levelEdges,
    graph,

    async top(q) {
      const { range, edges } = await levelEdges(q);
      const metric = METRIC[q.by];
      const top = [...edges].sort((a, b) => metric(b) - metric(a)).slice(0, q.limit);
      const ids = new Set(top.flatMap((e) => [e.clientId, e.serverId]));
      const nodes = graphNodes(edges).filter((n) => ids.has(n.id));
      return { ...range, by: q.by, edges: graphEdges(top).sort((a, b) => metric(b) - metric(a)), nodes };
    },

    async matrix(q) {
      const { range, edges } = await levelEdges(everything(q));
      return { namespace: q.namespace, ...range, ...matrixOf(edges, q.namespace) };
    },

    async externals(q) {
      const { range, edges } = await levelEdges({ ...q, external: 'include' });
      return { ...range, endpoints: externalsOf(edges) };
    },

    async edgeSeries(q) {
      const range = rangeOf(q);
      const level: StoredLevel = q.source.startsWith('pod:') || q.target.startsWith('pod:') ? 'pod' : 'workload';
      const selector: EdgeSelector = { client: q.source, server: q.target };
      if (q.port !== undefined) Object.assign(selector, { port: q.port });
      if (q.protocol !== undefined) Object.assign(selector, { ipProtocol: protocolOf(q.protocol) });
      const s = await series(range, q.step, level, [selector]);
      return { ...range, step: s.step, points: densify(s.series[0] ?? [], s.aligned, s.step) };
    },

    async nodeSeries(q) {
      const range = rangeOf(q);
      const s = await series(range, q.step, storedLevel(q.level), [{ server: q.id }, { client: q.id }]);
      const { edges } = await levelEdges(everything({ ...range, level: q.level }));
      const node = graphNodes(edges).find((n) => n.id === q.id) ?? null;
      return { ...range, step: s.step, node, points: inOut(s.series[0] ?? [], s.series[1] ?? [], s.aligned, s.step) };
    },

    async timeline(q) {
      const range = rangeOf(q);
      const s = await series(range, q.step, 'workload', [{}]);
      const { earliest } = await source.bounds();
      const points = densify(s.series[0] ?? [], s.aligned, s.step).map((p) => ({
        t: p.t,
        bytes: p.bytesToServer + p.bytesToClient,
        connections: p.connections,
      }));
      return { ...range, step: s.step, earliest, points };
    },
  };
}

/** a request without filters over a range and level */
function everything(q: { from?: number | undefined; to?: number | undefined; level: GroupLevel }): GraphRequest {
  return { from: q.from, to: q.to, level: q.level, external: 'include', nodes: 'include', minBytes: 0 };
}
