/**
 * The flow matrix of one namespace: calls it serves (incoming) and calls it makes (outgoing), with server ports.
 * Calls inside the namespace appear in both tables, once from each side.
 */
import type { MatrixResponse, MatrixRow } from '../../../src/contract/responses.js';
import type { MapNode } from '../../../src/core/edge.js';
import {
  type ApiClient,
  badgeOf,
  displayName,
  formatByteRate,
  formatBytes,
  formatClock,
  formatCount,
  formatTime,
  portLabel,
  resolveRange,
  type ViewState,
} from '../lib/index.js';
import { type Column, SortableTable } from './sortable-table.js';
import { ErrorBanner, Loading } from './states.js';
import { useFetch } from './use-fetch.js';
import type { SetViewState } from './use-view-state.js';

function NodeCell({ node }: { node: MapNode }) {
  return (
    <span className="node-cell" title={node.id}>
      <span className="badge small">{badgeOf(node)}</span> {displayName(node)}
      {node.namespace && <span className="muted"> · {node.namespace}</span>}
    </span>
  );
}

function columns(seconds: number, peerTitle: string, localTitle: string): Column<MatrixRow>[] {
  return [
    { key: 'peer', title: peerTitle, value: (r) => displayName(r.peer), render: (r) => <NodeCell node={r.peer} /> },
    { key: 'local', title: localTitle, value: (r) => displayName(r.local), render: (r) => <NodeCell node={r.local} /> },
    { key: 'port', title: 'Server port', value: (r) => r.port, render: (r) => portLabel(r.port, r.protocol) },
    { key: 'bytes', title: 'Bytes', value: (r) => r.bytes, render: (r) => formatBytes(r.bytes), numeric: true },
    {
      key: 'rate',
      title: 'Rate',
      value: (r) => r.bytes,
      render: (r) => formatByteRate(r.bytes / seconds),
      numeric: true,
    },
    { key: 'packets', title: 'Packets', value: (r) => r.packets, render: (r) => formatCount(r.packets), numeric: true },
    {
      key: 'conn',
      title: 'Connections',
      value: (r) => r.connections,
      render: (r) => formatCount(r.connections),
      numeric: true,
    },
    {
      key: 'last',
      title: 'Last seen',
      value: (r) => r.lastSeen,
      render: (r) => <span title={formatTime(r.lastSeen)}>{formatClock(r.lastSeen, true)}</span>,
      numeric: true,
    },
  ];
}

export interface MatrixViewProps {
  readonly api: ApiClient;
  readonly state: ViewState;
  readonly setState: SetViewState;
  readonly namespaces: readonly string[];
  readonly refreshMs: number | undefined;
  readonly onPickNode: (id: string) => void;
}

export function MatrixView({ api, state, setState, namespaces, refreshMs, onPickNode }: MatrixViewProps) {
  const ns = state.matrixNs ?? namespaces[0];
  const key = ns ? JSON.stringify([ns, state.level, state.live ? state.windowMin : [state.from, state.to]]) : undefined;
  const matrix = useFetch<MatrixResponse>(
    key,
    (signal) =>
      api.matrix(
        {
          namespace: ns,
          level: state.level === 'namespace' ? 'workload' : state.level,
          ...resolveRange(state, Date.now()),
        },
        signal,
      ),
    refreshMs,
  );
  const m = matrix.data;
  const seconds = m ? Math.max(1, (m.to - m.from) / 1000) : 1;
  return (
    <section className="table-view" data-testid="matrix-view">
      <header className="view-header">
        <h2>Flow matrix</h2>
        <label>
          Namespace{' '}
          <select
            data-testid="matrix-namespace"
            value={ns ?? ''}
            onChange={(e) => setState((s) => ({ ...s, matrixNs: e.target.value }), { push: true })}
          >
            {[...new Set([...(ns ? [ns] : []), ...namespaces])].sort().map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        {matrix.loading && <Loading inline />}
      </header>
      {!ns && <p className="muted">No namespace has traffic yet.</p>}
      {matrix.error && <ErrorBanner error={matrix.error} />}
      {m && (
        <>
          <h3>
            Incoming{' '}
            <span className="muted">
              — calls served by {m.namespace} ({m.incoming.length})
            </span>
          </h3>
          <SortableTable
            rows={m.incoming}
            columns={columns(seconds, 'Client', 'Server (here)')}
            initialSort="bytes"
            rowKey={(r, i) => `${r.peer.id}>${r.local.id}:${r.port}/${r.protocol}:${i}`}
            testId="matrix-incoming"
            empty="Nothing called this namespace in the range."
            onRowClick={(r) => onPickNode(r.local.id)}
          />
          <h3>
            Outgoing{' '}
            <span className="muted">
              — calls made by {m.namespace} ({m.outgoing.length})
            </span>
          </h3>
          <SortableTable
            rows={m.outgoing}
            columns={columns(seconds, 'Server', 'Client (here)')}
            initialSort="bytes"
            rowKey={(r, i) => `${r.local.id}>${r.peer.id}:${r.port}/${r.protocol}:${i}`}
            testId="matrix-outgoing"
            empty="This namespace called nothing in the range."
            onRowClick={(r) => onPickNode(r.local.id)}
          />
        </>
      )}
    </section>
  );
}
