/**
 * Everything the views load for a view state: the graph (polled when live), the history timeline, the collector
 * status (for the empty state), the map model, and the namespaces seen so far this session.
 * @module
 */
import { useEffect, useMemo, useState } from 'react';
import type { GraphResponse, StatusResponse, TimelineResponse } from '../../../src/contract/responses.js';
import {
  type ApiClient,
  buildMapModel,
  graphParams,
  type MapModel,
  resolveRange,
  type ViewState,
} from '../lib/index.js';
import { spanFor } from './timeline-bar.js';
import { type FetchState, useFetch } from './use-fetch.js';

export interface MapData {
  readonly graph: FetchState<GraphResponse>;
  readonly model: MapModel | undefined;
  readonly timeline: FetchState<TimelineResponse>;
  readonly status: FetchState<StatusResponse>;
  readonly namespaces: readonly string[];
  /** the time the views treat as now: the end of the last live answer, else the browser clock */
  readonly now: number;
  readonly span: number;
  /** a key that changes with filters and level but not with time (the map fits itself when it changes) */
  readonly fitKey: string;
}

export function useMapData(api: ApiClient, state: ViewState): MapData {
  const { from: _f, to: _t, ...filters } = graphParams(state, 0);
  const filterKey = JSON.stringify(filters);
  const timeKey = state.live ? `live:${state.windowMin}` : `${state.from}-${state.to}`;
  const refreshMs = state.live ? state.refreshSec * 1000 : undefined;
  const graph = useFetch(
    `${filterKey}|${timeKey}`,
    (signal) => api.graph(graphParams(state, Date.now()), signal),
    refreshMs,
  );
  const [clock, setClock] = useState(() => Date.now());
  useEffect(() => {
    if (!state.live) return;
    const id = setInterval(() => setClock(Date.now()), 15_000);
    return () => clearInterval(id);
  }, [state.live]);
  const now = state.live ? Math.max(clock, graph.data?.to ?? 0) : clock;
  const { from, to } = resolveRange(state, now);
  const span = spanFor(from, to, now);
  const timeline = useFetch(
    `${span}|${state.live ? 'live' : Math.floor(now / 60_000)}`,
    (signal) => api.timeline({ from: Date.now() - span * 60_000, to: Date.now() }, signal),
    state.live ? 60_000 : undefined,
  );
  const empty = graph.data !== undefined && graph.data.nodes.length === 0;
  const status = useFetch(empty ? 'status' : undefined, (signal) => api.status(signal), empty ? 15_000 : undefined);
  const collapsedKey = state.collapsed.join(',');
  const model = useMemo(() => {
    if (!graph.data) return undefined;
    const collapsed = new Set(collapsedKey ? collapsedKey.split(',') : []);
    return buildMapModel(graph.data, { collapsed, islands: graph.data.level !== 'namespace' });
  }, [graph.data, collapsedKey]);
  const [namespaces, setNamespaces] = useState<readonly string[]>([]);
  useEffect(() => {
    const seen = new Set(namespaces);
    let grew = false;
    for (const n of graph.data?.nodes ?? []) {
      if (n.namespace && !seen.has(n.namespace)) {
        seen.add(n.namespace);
        grew = true;
      }
    }
    for (const ns of state.namespaces) {
      if (seen.has(ns)) continue;
      seen.add(ns);
      grew = true;
    }
    if (grew) setNamespaces([...seen].sort());
  }, [graph.data, state.namespaces, namespaces]);
  return { graph, model, timeline, status, namespaces, now, span, fitKey: `${filterKey}|${state.view}` };
}
