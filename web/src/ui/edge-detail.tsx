/**
 * The detail panel's view of one drawn edge: traffic both ways per port, the evidence for its direction, series.
 */
import {
  displayName,
  edgeBytes,
  formatByteRate,
  formatRate,
  groupLabel,
  portLabel,
  type VisEdge,
} from '../lib/index.js';
import type { DetailPanelProps } from './detail-panel.js';
import { EvidenceList, Header, rateStats, Seen, SeriesSection, StatGrid } from './detail-parts.js';

export function EdgeDetail({ edge, p }: { edge: VisEdge; p: DetailPanelProps }) {
  const { graph, model } = p;
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const name = (id: string) => {
    const n = nodes.get(id);
    if (n) return displayName(n);
    return id.startsWith('grp:') ? groupLabel(id.slice(4)) : id;
  };
  const sum = (f: (e: (typeof edge.edges)[number]) => number) => edge.edges.reduce((s, e) => s + f(e), 0);
  const t = {
    bytesIn: sum((e) => e.bytesToServer),
    bytesOut: sum((e) => e.bytesToClient),
    packetsIn: sum((e) => e.packetsToServer),
    packetsOut: sum((e) => e.packetsToClient),
    connIn: sum((e) => e.connections),
    connOut: 0,
  };
  const stats = rateStats(t, model.seconds, {
    in: 'To server',
    out: 'To client',
    connIn: 'Connections',
    connOut: '',
  }).filter((s) => s.testId !== 'rate-conn-out');
  const services = [...new Set(edge.edges.flatMap((e) => e.services ?? []))].sort();
  const grouped = edge.source.startsWith('grp:') || edge.target.startsWith('grp:');
  const single = edge.edges.length === 1 ? edge.edges[0] : undefined;
  return (
    <>
      <Header
        badge="Edge"
        title={`${name(edge.source)} → ${name(edge.target)}`}
        subtitle={`client → server · ${edge.label}`}
        onClose={() => p.actions.select(undefined)}
      />
      <StatGrid stats={stats} />
      <table className="mini-table" data-testid="edge-ports">
        <thead>
          <tr>
            <th>Port</th>
            <th>→ server</th>
            <th>← client</th>
            <th>conn/s</th>
            {grouped && <th>between</th>}
          </tr>
        </thead>
        <tbody>
          {edge.edges.slice(0, 30).map((e) => (
            <tr key={e.id}>
              <td>{portLabel(e.port, e.protocol)}</td>
              <td className="num">{formatByteRate(e.bytesToServer / model.seconds)}</td>
              <td className="num">{formatByteRate(e.bytesToClient / model.seconds)}</td>
              <td className="num">{formatRate(e.connections / model.seconds, '')}</td>
              {grouped && (
                <td className="small">
                  {name(e.source)} → {name(e.target)}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {services.length > 0 && (
        <dl className="kv">
          <dt>Via Service</dt>
          <dd data-testid="services">{services.join(', ')}</dd>
        </dl>
      )}
      <Seen
        first={Math.min(...edge.edges.map((e) => e.firstSeen))}
        last={Math.max(...edge.edges.map((e) => e.lastSeen))}
        now={p.now}
      />
      <EvidenceList evidence={edge.edges.map((e) => e.evidence)} />
      {grouped ? (
        <p className="muted small">Expand the island to see this edge's history.</p>
      ) : (
        <SeriesSection
          api={p.api}
          source={{
            kind: 'edge',
            params: { source: edge.source, target: edge.target, port: single?.port, protocol: single?.protocol },
            labels: ['to server', 'to client'],
          }}
          from={graph.from}
          to={graph.to}
          live={p.live}
          refreshMs={p.live ? 30_000 : undefined}
        />
      )}
      <p className="muted small">
        {formatByteRate(sum(edgeBytes) / model.seconds)} in total over {edge.edges.length} port(s).
      </p>
    </>
  );
}
