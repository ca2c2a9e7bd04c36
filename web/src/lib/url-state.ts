/**
 * The whole view state of the UI and its round trip through the URL query string, so that a link restores
 * exactly what its author saw. Parsing is forgiving: an unreadable value falls back to its default.
 * @module
 */
import type { GroupLevel } from '../../../src/core/edge.js';

export type ViewName = 'map' | 'matrix' | 'externals';

export interface ViewState {
  readonly view: ViewName;
  readonly level: GroupLevel;
  /** live: the last `windowMin` minutes, refreshed every `refreshSec`; otherwise the fixed range [from, to) */
  readonly live: boolean;
  readonly windowMin: number;
  readonly refreshSec: number;
  readonly from?: number;
  readonly to?: number;
  readonly namespaces: readonly string[];
  readonly workloads: readonly string[];
  readonly ports: readonly number[];
  readonly protocols: readonly string[];
  readonly external: boolean;
  readonly nodes: boolean;
  /** minimum traffic of an edge in bytes per second (both directions) */
  readonly minRate: number;
  /** island groups drawn as one node ("namespace:shop", "external", ...) */
  readonly collapsed: readonly string[];
  /** the node the search focused */
  readonly focus?: string;
  /** the node, island or edge whose details are open */
  readonly selected?: string;
  /** the namespace the flow matrix shows */
  readonly matrixNs?: string;
}

export const DEFAULT_STATE: ViewState = {
  view: 'map',
  level: 'workload',
  live: true,
  windowMin: 15,
  refreshSec: 5,
  namespaces: [],
  workloads: [],
  ports: [],
  protocols: [],
  external: true,
  nodes: true,
  minRate: 0,
  collapsed: [],
};

const VIEWS: readonly ViewName[] = ['map', 'matrix', 'externals'];
const LEVELS: readonly GroupLevel[] = ['namespace', 'workload', 'pod'];

function list(params: URLSearchParams, key: string): string[] {
  const raw = params.get(key);
  if (!raw) return [];
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function positive(raw: string | null, fallback: number, min = 0): number {
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  return Number.isFinite(n) && n >= min ? n : fallback;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** reads a query string ("?level=pod&ns=shop") into a full state */
export function parseViewState(search: string): ViewState {
  const p = new URLSearchParams(search);
  const d = DEFAULT_STATE;
  const view = p.get('view') as ViewName | null;
  const level = p.get('level') as GroupLevel | null;
  const from = positive(p.get('from'), Number.NaN);
  const to = positive(p.get('to'), Number.NaN);
  const fixed = Number.isFinite(from) && Number.isFinite(to) && from < to;
  const ports = list(p, 'port')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n >= 0 && n <= 65535);
  return {
    view: view && VIEWS.includes(view) ? view : d.view,
    level: level && LEVELS.includes(level) ? level : d.level,
    live: !fixed,
    windowMin: positive(p.get('win'), d.windowMin, 1),
    refreshSec: positive(p.get('every'), d.refreshSec, 1),
    ...(fixed ? { from, to } : {}),
    namespaces: list(p, 'ns'),
    workloads: list(p, 'wl'),
    ports,
    protocols: list(p, 'proto').map((s) => s.toUpperCase()),
    external: p.get('ext') !== '0',
    nodes: p.get('nodes') !== '0',
    minRate: positive(p.get('min'), d.minRate),
    collapsed: list(p, 'collapse'),
    ...optional('focus', p.get('focus') ?? undefined),
    ...optional('selected', p.get('sel') ?? undefined),
    ...optional('matrixNs', p.get('mns') ?? undefined),
  };
}

/** writes the state as a query string without the leading "?"; defaults are left out */
export function serializeViewState(s: ViewState): string {
  const p = new URLSearchParams();
  const d = DEFAULT_STATE;
  if (s.view !== d.view) p.set('view', s.view);
  if (s.level !== d.level) p.set('level', s.level);
  if (!s.live && s.from !== undefined && s.to !== undefined) {
    p.set('from', String(Math.round(s.from)));
    p.set('to', String(Math.round(s.to)));
  }
  if (s.windowMin !== d.windowMin) p.set('win', String(s.windowMin));
  if (s.refreshSec !== d.refreshSec) p.set('every', String(s.refreshSec));
  if (s.namespaces.length) p.set('ns', s.namespaces.join(','));
  if (s.workloads.length) p.set('wl', s.workloads.join(','));
  if (s.ports.length) p.set('port', s.ports.join(','));
  if (s.protocols.length) p.set('proto', s.protocols.join(','));
  if (!s.external) p.set('ext', '0');
  if (!s.nodes) p.set('nodes', '0');
  if (s.minRate > 0) p.set('min', String(s.minRate));
  if (s.collapsed.length) p.set('collapse', s.collapsed.join(','));
  if (s.focus) p.set('focus', s.focus);
  if (s.selected) p.set('sel', s.selected);
  if (s.matrixNs) p.set('mns', s.matrixNs);
  return p.toString().replace(/%2C/g, ',').replace(/%3A/g, ':').replace(/%2F/g, '/');
}

/** the time range the state asks for, given the current time */
export function resolveRange(s: ViewState, now: number): { from: number; to: number } {
  if (!s.live && s.from !== undefined && s.to !== undefined) return { from: s.from, to: s.to };
  return { from: now - s.windowMin * 60_000, to: now };
}

/** true when any server-side filter narrows the graph */
export function hasFilters(s: ViewState): boolean {
  return (
    s.namespaces.length > 0 ||
    s.workloads.length > 0 ||
    s.ports.length > 0 ||
    s.protocols.length > 0 ||
    !s.external ||
    !s.nodes ||
    s.minRate > 0
  );
}

/** the state with every filter back at its default (time, level and view kept) */
export function clearFilters(s: ViewState): ViewState {
  const { namespaces, workloads, ports, protocols, external, nodes, minRate } = DEFAULT_STATE;
  return { ...s, namespaces, workloads, ports, protocols, external, nodes, minRate };
}

/** sets or removes optional keys: `undefined` deletes the key (exactOptionalPropertyTypes-safe) */
export function patchState(s: ViewState, patch: { [K in keyof ViewState]?: ViewState[K] | undefined }): ViewState {
  const next: Record<string, unknown> = { ...s };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) delete next[key];
    else next[key] = value;
  }
  return next as unknown as ViewState;
}
