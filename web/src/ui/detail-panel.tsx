/**
 * The side panel for the selected node, island or edge. Numbers are rates over the shown range, computed from the
 * visible edges; the chart comes from /api/v1/node or /api/v1/edge.
 */
import type { ReactNode } from 'react';
import type { GraphNode, GraphResponse } from '../../../src/contract/responses.js';
import { type ApiClient, badgeOf, detailsOf, displayName, groupLabel, type MapModel } from '../lib/index.js';
import { Header, PeerList, rateStats, Seen, SeriesSection, StatGrid } from './detail-parts.js';
import { EdgeDetail } from './edge-detail.js';

export interface DetailActions {
  readonly select: (id: string | undefined) => void;
  readonly focus: (id: string) => void;
  readonly toggleIsland: (group: string) => void;
  readonly showPods: (node: GraphNode) => void;
  readonly openMatrix: (namespace: string) => void;
  readonly filterNamespace: (namespace: string) => void;
}

export interface DetailPanelProps {
  readonly selected: string;
  readonly graph: GraphResponse;
  readonly model: MapModel;
  readonly api: ApiClient;
  readonly live: boolean;
  readonly now: number;
  readonly actions: DetailActions;
}

function NodeDetail({ node, p }: { node: GraphNode; p: DetailPanelProps }) {
  const { graph, model } = p;
  const d = detailsOf(graph, new Set([node.id]));
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const subtitle = [node.workloadKind || node.kind, node.namespace && `namespace ${node.namespace}`]
    .filter(Boolean)
    .join(' · ');
  const connIn = d.connectionsIn;
  return (
    <>
      <Header
        badge={badgeOf(node)}
        title={displayName(node)}
        subtitle={subtitle}
        onClose={() => p.actions.select(undefined)}
      />
      <dl className="kv">
        {node.ip && (
          <>
            <dt>IP</dt>
            <dd>{node.ip}</dd>
          </>
        )}
        {node.label && (
          <>
            <dt>CIDR label</dt>
            <dd>{node.label}</dd>
          </>
        )}
        {node.asn !== undefined && (
          <>
            <dt>ASN</dt>
            <dd>AS{node.asn}</dd>
          </>
        )}
        {node.org && (
          <>
            <dt>Organisation</dt>
            <dd>{node.org}</dd>
          </>
        )}
        <dt>Id</dt>
        <dd className="small mono">{node.id}</dd>
      </dl>
      <StatGrid
        stats={rateStats({ ...d, connIn, connOut: d.connectionsOut }, model.seconds, {
          in: 'Received',
          out: 'Sent',
          connIn: 'Accepted',
          connOut: 'Opened',
        })}
      />
      <dl className="kv">
        <dt>Serves</dt>
        <dd data-testid="served-ports">{d.servedPorts.join(', ') || '—'}</dd>
        <dt>Calls</dt>
        <dd data-testid="called-ports">{d.calledPorts.join(', ') || '—'}</dd>
        {d.services.length > 0 && (
          <>
            <dt>As Service</dt>
            <dd data-testid="services">{d.services.join(', ')}</dd>
          </>
        )}
      </dl>
      <Seen first={d.firstSeen} last={d.lastSeen} now={p.now} />
      <div className="actions">
        <button type="button" onClick={() => p.actions.focus(node.id)}>
          Focus
        </button>
        {node.kind === 'workload' && (
          <button type="button" onClick={() => p.actions.showPods(node)}>
            Show pods
          </button>
        )}
        {node.namespace && (
          <button type="button" onClick={() => p.actions.openMatrix(node.namespace)}>
            Flow matrix
          </button>
        )}
      </div>
      <SeriesSection
        api={p.api}
        source={{ kind: 'node', params: { id: node.id, level: graph.level }, labels: ['received', 'sent'] }}
        from={graph.from}
        to={graph.to}
        live={p.live}
        refreshMs={p.live ? 30_000 : undefined}
      />
      <Peers titles={['Clients', 'Calls to']} details={d} nodes={nodes} p={p} />
    </>
  );
}

function IslandDetail({ group, p }: { group: string; p: DetailPanelProps }) {
  const { graph, model } = p;
  const island = model.islands.find((i) => i.group === group);
  const members = new Set(graph.nodes.filter((n) => n.group === group).map((n) => n.id));
  const d = detailsOf(graph, members);
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const ns = group.startsWith('namespace:') ? group.slice('namespace:'.length) : undefined;
  return (
    <>
      <Header
        badge={ns ? 'NS' : 'Grp'}
        title={groupLabel(group)}
        subtitle={`${members.size} nodes · ${d.internalEdges} edges inside`}
        onClose={() => p.actions.select(undefined)}
      />
      <StatGrid
        stats={rateStats({ ...d, connIn: d.connectionsIn, connOut: d.connectionsOut }, model.seconds, {
          in: 'Received',
          out: 'Sent',
          connIn: 'Accepted',
          connOut: 'Opened',
        })}
      />
      <Seen first={d.firstSeen} last={d.lastSeen} now={p.now} />
      <div className="actions">
        <button type="button" onClick={() => p.actions.toggleIsland(group)}>
          {island?.collapsed ? 'Expand' : 'Collapse'}
        </button>
        {ns !== undefined && (
          <button type="button" onClick={() => p.actions.openMatrix(ns)}>
            Flow matrix
          </button>
        )}
        {ns !== undefined && (
          <button type="button" onClick={() => p.actions.filterNamespace(ns)}>
            Only this namespace
          </button>
        )}
      </div>
      {ns !== undefined && (
        <SeriesSection
          api={p.api}
          source={{ kind: 'node', params: { id: `namespace:${ns}`, level: 'namespace' }, labels: ['received', 'sent'] }}
          from={graph.from}
          to={graph.to}
          live={p.live}
          refreshMs={p.live ? 30_000 : undefined}
        />
      )}
      <Peers titles={['Clients from outside', 'Calls leaving']} details={d} nodes={nodes} p={p} />
    </>
  );
}

/** who calls the selection and whom it calls, each a clickable list with rates */
function Peers(props: {
  titles: readonly [clients: string, servers: string];
  details: Pick<ReturnType<typeof detailsOf>, 'clients' | 'servers'>;
  nodes: ReadonlyMap<string, GraphNode>;
  p: DetailPanelProps;
}) {
  const { titles, details, nodes, p } = props;
  return (
    <>
      <PeerList
        title={titles[0]}
        peers={details.clients}
        nodes={nodes}
        seconds={p.model.seconds}
        onPick={p.actions.select}
        testId="clients"
      />
      <PeerList
        title={titles[1]}
        peers={details.servers}
        nodes={nodes}
        seconds={p.model.seconds}
        onPick={p.actions.select}
        testId="servers"
      />
    </>
  );
}

export function DetailPanel(p: DetailPanelProps) {
  const { selected, graph, model } = p;
  const node = graph.nodes.find((n) => n.id === selected);
  const edge = model.edges.find((e) => e.id === selected);
  let body: ReactNode;
  if (node) body = <NodeDetail node={node} p={p} />;
  else if (selected.startsWith('grp:')) body = <IslandDetail group={selected.slice(4)} p={p} />;
  else if (edge) body = <EdgeDetail edge={edge} p={p} />;
  else
    body = (
      <>
        <Header badge="?" title="Not in this view" subtitle={selected} onClose={() => p.actions.select(undefined)} />
        <p className="muted">The selection has no traffic in the current range and filters.</p>
      </>
    );
  return (
    <aside className="detail-panel" data-testid="detail-panel">
      {body}
    </aside>
  );
}
