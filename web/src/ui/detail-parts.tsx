/**
 * Building blocks of the detail panel: stat grids, peer lists, evidence explanation, series loaders.
 */

import type { GraphNode } from '../../../src/contract/responses.js';
import type { OrientationEvidence } from '../../../src/core/conversation.js';
import {
  type ApiClient,
  chartPoints,
  displayName,
  explainEvidence,
  formatAgo,
  formatByteRate,
  formatBytes,
  formatRate,
  formatTime,
  type Peer,
  stepFor,
} from '../lib/index.js';
import { type ChartSeries, SeriesChart } from './series-chart.js';
import { useFetch } from './use-fetch.js';

export interface Stat {
  readonly label: string;
  readonly value: string;
  readonly testId: string;
  readonly title?: string;
}

export function StatGrid({ stats }: { readonly stats: readonly Stat[] }) {
  return (
    <dl className="stat-grid">
      {stats.map((s) => (
        <div key={s.testId} title={s.title}>
          <dt>{s.label}</dt>
          <dd data-testid={s.testId}>{s.value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** bytes/s, packets/s and connections/s in both directions */
export function rateStats(
  t: { bytesIn: number; bytesOut: number; packetsIn: number; packetsOut: number; connIn: number; connOut: number },
  seconds: number,
  labels: { in: string; out: string; connIn: string; connOut: string },
): Stat[] {
  return [
    {
      label: labels.in,
      value: formatByteRate(t.bytesIn / seconds),
      testId: 'rate-bytes-in',
      title: formatBytes(t.bytesIn),
    },
    {
      label: labels.out,
      value: formatByteRate(t.bytesOut / seconds),
      testId: 'rate-bytes-out',
      title: formatBytes(t.bytesOut),
    },
    { label: `${labels.in} packets`, value: formatRate(t.packetsIn / seconds, 'pkt'), testId: 'rate-packets-in' },
    { label: `${labels.out} packets`, value: formatRate(t.packetsOut / seconds, 'pkt'), testId: 'rate-packets-out' },
    { label: labels.connIn, value: formatRate(t.connIn / seconds, 'conn'), testId: 'rate-conn-in' },
    { label: labels.connOut, value: formatRate(t.connOut / seconds, 'conn'), testId: 'rate-conn-out' },
  ];
}

export function PeerList(props: {
  readonly title: string;
  readonly peers: readonly Peer[];
  readonly nodes: ReadonlyMap<string, GraphNode>;
  readonly seconds: number;
  readonly onPick: (id: string) => void;
  readonly testId: string;
}) {
  if (props.peers.length === 0) return null;
  const shown = props.peers.slice(0, 8);
  return (
    <section className="panel-section">
      <h4>
        {props.title} <span className="muted">({props.peers.length})</span>
      </h4>
      <ul className="peer-list" data-testid={props.testId}>
        {shown.map((p) => {
          const node = props.nodes.get(p.id);
          return (
            <li key={p.id}>
              <button type="button" className="link" onClick={() => props.onPick(p.id)} title={p.id}>
                {node ? displayName(node) : p.id}
              </button>
              <span className="muted">{p.ports.join(', ')}</span>
              <span className="num">{formatByteRate(p.bytes / props.seconds)}</span>
            </li>
          );
        })}
      </ul>
      {props.peers.length > shown.length && <p className="muted small">and {props.peers.length - shown.length} more</p>}
    </section>
  );
}

export function EvidenceList({ evidence }: { readonly evidence: readonly OrientationEvidence[] }) {
  const distinct = [...new Set(evidence)];
  return (
    <section className="panel-section" data-testid="evidence">
      <h4>Why this direction</h4>
      {distinct.map((ev) => {
        const x = explainEvidence(ev);
        return (
          <div key={ev} className="evidence">
            <span className={`pill strength-${x.strength}`}>{x.strength}</span> <strong>{x.title}</strong>
            <p>{x.text}</p>
          </div>
        );
      })}
    </section>
  );
}

const IN_COLOR = '#2563eb';
const OUT_COLOR = '#ea580c';

export interface SeriesSource {
  readonly kind: 'node' | 'edge';
  readonly params: Readonly<Record<string, string | number | undefined>>;
  readonly labels: readonly [string, string];
}

/** loads and draws a node's or an edge's bytes/s over the range */
export function SeriesSection(props: {
  readonly api: ApiClient;
  readonly source: SeriesSource;
  readonly from: number;
  readonly to: number;
  readonly refreshMs: number | undefined;
  readonly live: boolean;
}) {
  const { api, source, from, to, live } = props;
  const params = { ...source.params, step: stepFor(from, to) };
  const key = JSON.stringify([source.kind, source.params, live ? Math.round((to - from) / 60_000) : [from, to]]);
  const series = useFetch(
    key,
    async (signal) => {
      const p = live ? { ...params, from: Date.now() - (to - from), to: Date.now() } : { ...params, from, to };
      if (source.kind === 'node') {
        const r0 = await api.nodeSeries(p, signal);
        const r = { ...r0, points: chartPoints(r0.points, r0, live, (x) => x.bytesIn + x.bytesOut) };
        const s = r.step / 1000;
        return {
          times: r.points.map((x) => x.t),
          a: r.points.map((x) => x.bytesIn / s),
          b: r.points.map((x) => x.bytesOut / s),
        };
      }
      const r0 = await api.edgeSeries(p, signal);
      const r = { ...r0, points: chartPoints(r0.points, r0, live, (x) => x.bytesToServer + x.bytesToClient) };
      const s = r.step / 1000;
      return {
        times: r.points.map((x) => x.t),
        a: r.points.map((x) => x.bytesToServer / s),
        b: r.points.map((x) => x.bytesToClient / s),
      };
    },
    props.refreshMs,
  );
  const chart: ChartSeries[] = series.data
    ? [
        { name: source.labels[0], color: IN_COLOR, values: series.data.a },
        { name: source.labels[1], color: OUT_COLOR, values: series.data.b },
      ]
    : [];
  return (
    <section className="panel-section">
      <h4>Traffic over time</h4>
      {series.error && <p className="error-text">{series.error.message}</p>}
      {!series.data && !series.error && <p className="muted small">Loading…</p>}
      {series.data && (
        <SeriesChart times={series.data.times} series={chart} format={formatByteRate} testId="series-chart" />
      )}
    </section>
  );
}

export function Seen({ first, last, now }: { first: number | undefined; last: number | undefined; now: number }) {
  if (first === undefined || last === undefined) return null;
  return (
    <dl className="kv">
      <dt>First seen</dt>
      <dd data-testid="first-seen">{formatTime(first)}</dd>
      <dt>Last seen</dt>
      <dd data-testid="last-seen">
        {formatTime(last)} <span className="muted">({formatAgo(last, now)})</span>
      </dd>
    </dl>
  );
}

export function Header(props: { badge: string; title: string; subtitle: string; onClose: () => void }) {
  return (
    <header className="panel-header">
      <span className="badge">{props.badge}</span>
      <div>
        <h3 data-testid="detail-title">{props.title}</h3>
        <p className="muted small">{props.subtitle}</p>
      </div>
      <button type="button" className="icon" aria-label="Close details" onClick={props.onClose}>
        ×
      </button>
    </header>
  );
}
