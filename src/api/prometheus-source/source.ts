/**
 * An EdgeSource answering from Prometheus instead of the local store, for clusters where several collectors feed
 * one Prometheus. Workload level only (the series carry workload-level nodes). What Prometheus cannot know:
 * first/last seen (reported as the range bounds), direction evidence ("unknown"), Services; and `increase()`
 * misses what a series counted before its first scrape (the sink shows new series at 0 first, firstScrapeZero).
 * @module
 */

import type { SeriesPoint } from '../../contract/responses.js';
import type { Edge } from '../../core/edge.js';
import { parseIpProtocol } from '../../core/flow.js';
import { mapNodeFromLabels } from '../../core/map-node.js';
import type { Mutable } from '../../core/mutable.js';
import { EDGE_LABELS } from '../../sinks/prometheus/index.js';
import {
  type EdgeSelector,
  type EdgeSource,
  type EdgesQuery,
  QueryError,
  type SeriesQuery,
  type SourceBounds,
  type StoredLevel,
} from '../../sinks/store/index.js';
import { createPrometheusClient, type Fetch, type PrometheusClient, type PromSample } from './client.js';
import type { PrometheusSourceConfig } from './config.js';
import { type Counter, increaseBy, matchersOf } from './promql.js';

export interface PrometheusSourceDeps {
  /** for tests; the global fetch otherwise */
  readonly fetch?: Fetch;
}

type MutableEdge = Mutable<Edge>;

const label = (s: PromSample, name: string) => s.metric[name] ?? '';
const sampleValue = (s: PromSample) => Math.round(s.values[0]?.[1] ?? 0);

function requireWorkload(level: StoredLevel): void {
  if (level !== 'workload') {
    throw new QueryError(
      'unsupported',
      `Cannot answer level "${level}" from Prometheus: flowmap_edge_* series are workload level`,
      'level',
    );
  }
}

function edgeOf(s: PromSample, range: EdgesQuery): MutableEdge {
  const client = mapNodeFromLabels({
    namespace: label(s, 'client_namespace'),
    name: label(s, 'client_name'),
    kind: label(s, 'client_kind'),
  });
  const server = mapNodeFromLabels({
    namespace: label(s, 'server_namespace'),
    name: label(s, 'server_name'),
    kind: label(s, 'server_kind'),
  });
  return {
    clientId: client.id,
    serverId: server.id,
    port: Number(label(s, 'port')) || 0,
    ipProtocol: parseIpProtocol(label(s, 'protocol')) ?? 0,
    client,
    server,
    bytesToServer: 0,
    bytesToClient: 0,
    packetsToServer: 0,
    packetsToClient: 0,
    connections: 0,
    firstSeen: range.from,
    lastSeen: range.to,
    evidence: 'unknown',
  };
}

const keyOf = (s: PromSample) => EDGE_LABELS.map((l) => label(s, l)).join('\u0000');

export function createPrometheusSource(config: PrometheusSourceConfig, deps: PrometheusSourceDeps = {}): EdgeSource {
  const client: PrometheusClient = createPrometheusClient(config, deps.fetch);
  const prefix = config.metricPrefix;
  const by = [...EDGE_LABELS, 'direction'];

  async function edges(query: EdgesQuery): Promise<readonly Edge[]> {
    requireWorkload(query.level);
    const matchers = matchersOf({}, config.selector);
    const window = query.to - query.from;
    const [bytes, packets, connections] = await Promise.all(
      (['bytes', 'packets', 'connections'] as const).map((c) =>
        client.query(increaseBy(prefix, c, matchers, window, by), query.to),
      ),
    );
    const byKey = new Map<string, MutableEdge>();
    const edgeFor = (s: PromSample) => {
      const key = keyOf(s);
      const known = byKey.get(key);
      if (known) return known;
      const e = edgeOf(s, query);
      byKey.set(key, e);
      return e;
    };
    for (const s of bytes!)
      edgeFor(s)[label(s, 'direction') === 'to_client' ? 'bytesToClient' : 'bytesToServer'] += sampleValue(s);
    for (const s of packets!)
      edgeFor(s)[label(s, 'direction') === 'to_client' ? 'packetsToClient' : 'packetsToServer'] += sampleValue(s);
    for (const s of connections!) edgeFor(s).connections += sampleValue(s);
    return [...byKey.values()].filter(
      (e) => e.bytesToServer + e.bytesToClient + e.packetsToServer + e.packetsToClient + e.connections > 0,
    );
  }

  async function oneSeries(query: SeriesQuery, selector: EdgeSelector): Promise<SeriesPoint[]> {
    const matchers = matchersOf(selector, config.selector);
    const run = (c: Counter) =>
      client.queryRange(
        increaseBy(prefix, c, matchers, query.step, ['direction']),
        query.from + query.step,
        query.to,
        query.step,
      );
    const [bytes, packets, connections] = await Promise.all([run('bytes'), run('packets'), run('connections')]);
    type P = Mutable<SeriesPoint>;
    const points = new Map<number, P>();
    const add = (samples: readonly PromSample[], field: (s: PromSample) => keyof Omit<P, 't'>) => {
      for (const s of samples) {
        for (const [sec, v] of s.values) {
          const t = Math.round(sec * 1000) - query.step;
          const p = points.get(t) ?? {
            t,
            bytesToServer: 0,
            bytesToClient: 0,
            packetsToServer: 0,
            packetsToClient: 0,
            connections: 0,
          };
          points.set(t, p);
          p[field(s)] += Math.round(v);
        }
      }
    };
    add(bytes, (s) => (label(s, 'direction') === 'to_client' ? 'bytesToClient' : 'bytesToServer'));
    add(packets, (s) => (label(s, 'direction') === 'to_client' ? 'packetsToClient' : 'packetsToServer'));
    add(connections, () => 'connections');
    return [...points.values()].sort((a, b) => a.t - b.t);
  }

  return {
    edges,
    async series(query) {
      requireWorkload(query.level);
      return Promise.all(query.selectors.map((s) => oneSeries(query, s)));
    },
    async bounds(): Promise<SourceBounds> {
      return { earliest: null, fineFrom: 0 };
    },
  };
}
