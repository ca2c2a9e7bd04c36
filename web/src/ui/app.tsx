/**
 * The single-page app: toolbar, filters, the map (or the matrix / externals table), details, time bar.
 * All view state lives in the URL (see url-state.ts); `window.__flowmap` exposes the map for tests and debugging.
 */
import { useEffect, useRef, useState } from 'react';
import {
  type ApiClient,
  clearFilters,
  DEFAULT_STATE,
  edgesAsJson,
  edgesAsText,
  hasFilters,
  patchState,
} from '../lib/index.js';
import { type DetailActions, DetailPanel } from './detail-panel.js';
import { ExternalsView } from './externals-view.js';
import { FilterPanel } from './filter-panel.js';
import { MapCanvas, type MapHandle, type RenderTimings } from './map-canvas.js';
import { MatrixView } from './matrix-view.js';
import { EmptyState, ErrorBanner, Loading } from './states.js';
import { TimelineBar } from './timeline-bar.js';
import { download, type ExportKind, Toolbar } from './toolbar.js';
import { useMapData } from './use-map-data.js';
import { useViewState } from './use-view-state.js';

export interface DebugHook {
  cy?: unknown;
  state?: unknown;
  graph?: unknown;
  model?: unknown;
  timings: RenderTimings[];
}

declare global {
  interface Window {
    __flowmap?: DebugHook;
  }
}

const stamp = () => new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);

export function App({ api }: { readonly api: ApiClient }) {
  const [state, setState] = useViewState();
  const data = useMapData(api, state);
  const { graph, model } = data;
  const mapRef = useRef<MapHandle>(null);
  const [hook] = useState<DebugHook>(() => ({ timings: [] }));
  useEffect(() => {
    window.__flowmap = hook;
  }, [hook]);
  hook.state = state;
  hook.graph = graph.data;
  hook.model = model;

  const actions: DetailActions = {
    select: (id) =>
      setState((s) => patchState(s, { selected: id, focus: id !== undefined && id === s.focus ? s.focus : undefined })),
    focus: (id) => {
      const node = graph.data?.nodes.find((n) => n.id === id);
      setState((s) =>
        patchState(s, {
          focus: id,
          selected: id,
          view: 'map',
          collapsed: node ? s.collapsed.filter((g) => g !== node.group) : s.collapsed,
        }),
      );
    },
    toggleIsland: (group) =>
      setState((s) => ({
        ...s,
        collapsed: s.collapsed.includes(group) ? s.collapsed.filter((g) => g !== group) : [...s.collapsed, group],
      })),
    showPods: (node) =>
      setState(
        (s) => patchState(s, { level: 'pod', namespaces: [node.namespace], selected: undefined, focus: undefined }),
        { push: true },
      ),
    openMatrix: (ns) => setState((s) => ({ ...s, view: 'matrix', matrixNs: ns }), { push: true }),
    filterNamespace: (ns) => setState((s) => ({ ...s, namespaces: [ns] }), { push: true }),
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement;
      if (e.key === '/' && !typing) {
        e.preventDefault();
        document.querySelector<HTMLInputElement>('[data-testid="search"]')?.focus();
      } else if (e.key === 'Escape' && !typing)
        setState((s) => patchState(s, { selected: undefined, focus: undefined }));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [setState]);

  const onExport = async (kind: ExportKind) => {
    document.querySelector('details.menu')?.removeAttribute('open');
    const g = graph.data;
    if (kind === 'png' && mapRef.current) download(`flowmap-${stamp()}.png`, await mapRef.current.png(), 'image/png');
    else if (kind === 'svg' && mapRef.current)
      download(`flowmap-${stamp()}.svg`, mapRef.current.svg(`flowmap ${stamp()}`), 'image/svg+xml');
    else if (kind === 'json' && g)
      download(`flowmap-edges-${stamp()}.json`, edgesAsJson(g, g.edges), 'application/json');
    else if (kind === 'text' && g) download(`flowmap-edges-${stamp()}.txt`, edgesAsText(g, g.edges), 'text/plain');
  };

  const g = graph.data;
  const empty = g !== undefined && g.nodes.length === 0;
  const emptyReason =
    data.timeline.data?.earliest === null ? 'no-data' : hasFilters(state) ? 'filtered' : 'quiet-range';
  const refreshMs = state.live ? state.refreshSec * 1000 : undefined;
  return (
    <div className={`app ${state.view !== 'map' ? 'tables' : state.selected ? 'with-detail' : ''}`}>
      <Toolbar
        state={state}
        setState={setState}
        nodes={g?.nodes ?? []}
        onFocus={actions.focus}
        onExport={(k) => void onExport(k)}
        onFit={() => mapRef.current?.fit()}
        onRelayout={() => mapRef.current?.relayout()}
        loading={graph.loading}
      />
      {state.view === 'map' && (
        <FilterPanel state={state} setState={setState} namespaces={data.namespaces} islands={model?.islands ?? []} />
      )}
      <main className="main">
        {graph.error && (
          <ErrorBanner error={graph.error} onRetry={() => setState(() => DEFAULT_STATE, { push: true })} />
        )}
        {g?.truncated && state.view === 'map' && (
          <div className="warn-banner" data-testid="truncated">
            The answer was cut by the server's limits: some nodes are grouped or edges dropped. Narrow the filters to
            see everything.
          </div>
        )}
        <div className={state.view === 'map' ? 'map-wrap' : 'map-wrap hidden'}>
          <MapCanvas
            model={model}
            selected={state.selected}
            focus={state.focus}
            fitKey={data.fitKey}
            onSelect={actions.select}
            onToggleIsland={actions.toggleIsland}
            onRendered={(t) => {
              hook.timings.push(t);
              hook.cy = mapRef.current?.core();
            }}
            handleRef={mapRef}
          />
          {!g && graph.loading && (
            <div className="overlay">
              <Loading />
            </div>
          )}
          {empty && (
            <div className="overlay">
              <EmptyState
                reason={emptyReason}
                status={data.status.data}
                onClearFilters={() => setState(clearFilters, { push: true })}
                onGoLive={() => setState((s) => ({ ...s, live: true }), { push: true })}
              />
            </div>
          )}
          {g && model && !empty && (
            <div className="map-stats" data-testid="map-stats">
              {model.nodes.length} nodes · {model.edges.length} edges
              {graph.updatedAt ? ` · updated ${new Date(graph.updatedAt).toLocaleTimeString()}` : ''}
            </div>
          )}
        </div>
        {state.view === 'matrix' && (
          <MatrixView
            api={api}
            state={state}
            setState={setState}
            namespaces={data.namespaces}
            refreshMs={refreshMs}
            onPickNode={actions.focus}
          />
        )}
        {state.view === 'externals' && (
          <ExternalsView
            api={api}
            state={state}
            refreshMs={refreshMs}
            nodes={new Map((g?.nodes ?? []).map((n) => [n.id, n]))}
            onPickNode={actions.focus}
          />
        )}
      </main>
      {state.view === 'map' && state.selected && g && model && (
        <DetailPanel
          selected={state.selected}
          graph={g}
          model={model}
          api={api}
          live={state.live}
          now={data.now}
          actions={actions}
        />
      )}
      <TimelineBar state={state} setState={setState} now={data.now} timeline={data.timeline.data} span={data.span} />
    </div>
  );
}
