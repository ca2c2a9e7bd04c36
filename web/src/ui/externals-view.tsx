/**
 * External endpoints the cluster talked to, named by CIDR label, organisation/ASN or IP, with their cluster peers.
 */
import { useState } from 'react';
import type { ExternalEndpoint, ExternalsResponse, GraphNode } from '../../../src/contract/responses.js';
import {
  type ApiClient,
  badgeOf,
  displayName,
  formatByteRate,
  formatBytes,
  formatClock,
  formatCount,
  formatTime,
  resolveRange,
  type ViewState,
} from '../lib/index.js';
import { type Column, SortableTable } from './sortable-table.js';
import { ErrorBanner, Loading } from './states.js';
import { useFetch } from './use-fetch.js';

export interface ExternalsViewProps {
  readonly api: ApiClient;
  readonly state: ViewState;
  readonly refreshMs: number | undefined;
  /** nodes of the current graph, to name peers */
  readonly nodes: ReadonlyMap<string, GraphNode>;
  readonly onPickNode: (id: string) => void;
}

export function ExternalsView({ api, state, refreshMs, nodes, onPickNode }: ExternalsViewProps) {
  const [filter, setFilter] = useState('');
  const key = JSON.stringify(state.live ? state.windowMin : [state.from, state.to]);
  const res = useFetch<ExternalsResponse>(
    key,
    (signal) => api.externals(resolveRange(state, Date.now()), signal),
    refreshMs,
  );
  const seconds = res.data ? Math.max(1, (res.data.to - res.data.from) / 1000) : 1;
  const q = filter.trim().toLowerCase();
  const rows = (res.data?.endpoints ?? []).filter(
    (e) =>
      !q ||
      [displayName(e.node), e.node.ip ?? '', e.node.org ?? '', String(e.node.asn ?? '')].some((s) =>
        s.toLowerCase().includes(q),
      ),
  );
  const peerName = (id: string) => {
    const n = nodes.get(id);
    return n ? (n.namespace ? `${n.namespace}/${displayName(n)}` : displayName(n)) : id.replace(/^[a-z]+:/, '');
  };
  const columns: Column<ExternalEndpoint>[] = [
    {
      key: 'name',
      title: 'Endpoint',
      value: (e) => displayName(e.node),
      render: (e) => (
        <span className="node-cell" title={e.node.id}>
          <span className="badge small">{badgeOf(e.node)}</span> {displayName(e.node)}
        </span>
      ),
    },
    {
      key: 'how',
      title: 'Named by',
      value: (e) => (e.node.label ? 'CIDR label' : e.node.asn !== undefined ? 'ASN' : 'IP'),
    },
    {
      key: 'asn',
      title: 'ASN / org',
      value: (e) => (e.node.asn !== undefined ? `AS${e.node.asn} ${e.node.org ?? ''}` : (e.node.org ?? '—')),
    },
    { key: 'in', title: 'Received', value: (e) => e.bytesIn, render: (e) => formatBytes(e.bytesIn), numeric: true },
    { key: 'out', title: 'Sent', value: (e) => e.bytesOut, render: (e) => formatBytes(e.bytesOut), numeric: true },
    {
      key: 'rate',
      title: 'Rate',
      value: (e) => e.bytesIn + e.bytesOut,
      render: (e) => formatByteRate((e.bytesIn + e.bytesOut) / seconds),
      numeric: true,
    },
    {
      key: 'conn',
      title: 'Connections',
      value: (e) => e.connections,
      render: (e) => formatCount(e.connections),
      numeric: true,
    },
    {
      key: 'peers',
      title: 'Cluster peers',
      value: (e) => e.peers.length,
      render: (e) => (
        <span className="peers" title={e.peers.map(peerName).join('\n')}>
          {e.peers.slice(0, 3).map(peerName).join(', ')}
          {e.peers.length > 3 ? ` +${e.peers.length - 3}` : ''}
        </span>
      ),
    },
    {
      key: 'first',
      title: 'First seen',
      value: (e) => e.firstSeen,
      render: (e) => <span title={formatTime(e.firstSeen)}>{formatClock(e.firstSeen, true)}</span>,
      numeric: true,
    },
    {
      key: 'last',
      title: 'Last seen',
      value: (e) => e.lastSeen,
      render: (e) => <span title={formatTime(e.lastSeen)}>{formatClock(e.lastSeen, true)}</span>,
      numeric: true,
    },
  ];
  return (
    <section className="table-view" data-testid="externals-view">
      <header className="view-header">
        <h2>External endpoints</h2>
        <input
          type="search"
          placeholder="Filter by name, IP, ASN…"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          data-testid="externals-filter"
        />
        {res.loading && <Loading inline />}
      </header>
      {res.error && <ErrorBanner error={res.error} />}
      {res.data && (
        <SortableTable
          rows={rows}
          columns={columns}
          initialSort="rate"
          rowKey={(e) => e.node.id}
          testId="externals-table"
          empty="No external endpoints in this range."
          onRowClick={(e) => onPickNode(e.node.id)}
        />
      )}
    </section>
  );
}
