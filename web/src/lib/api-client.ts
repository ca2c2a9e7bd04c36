/**
 * The UI's door to /api/v1. URLs resolve against the page's own location, so the UI works behind a path prefix.
 * Every method rejects with ApiError (status, server message, validation issues) on a non-2xx answer.
 * @module
 */
import type {
  EdgeSeriesResponse,
  ErrorResponse,
  ExternalsResponse,
  GraphResponse,
  MatrixResponse,
  NodeSeriesResponse,
  StatusResponse,
  TimelineResponse,
} from '../../../src/contract/responses.js';
import type { GroupLevel } from '../../../src/core/edge.js';
import { resolveRange, type ViewState } from './url-state.js';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
    readonly body?: ErrorResponse,
  ) {
    super(message);
  }
}

export type Params = Readonly<Record<string, string | number | undefined>>;

export interface ApiClient {
  graph(params: Params, signal?: AbortSignal): Promise<GraphResponse>;
  edgeSeries(params: Params, signal?: AbortSignal): Promise<EdgeSeriesResponse>;
  nodeSeries(params: Params, signal?: AbortSignal): Promise<NodeSeriesResponse>;
  matrix(params: Params, signal?: AbortSignal): Promise<MatrixResponse>;
  externals(params: Params, signal?: AbortSignal): Promise<ExternalsResponse>;
  timeline(params: Params, signal?: AbortSignal): Promise<TimelineResponse>;
  status(signal?: AbortSignal): Promise<StatusResponse>;
}

/** `base` is the URL the API paths resolve against, e.g. document.baseURI */
export function createApiClient(base: string, fetchFn: typeof fetch = (...a) => fetch(...a)): ApiClient {
  const get = async <T>(path: string, params: Params, signal?: AbortSignal): Promise<T> => {
    const url = new URL(path, base);
    for (const [key, value] of Object.entries(params))
      if (value !== undefined) url.searchParams.set(key, String(value));
    const init: RequestInit = signal ? { signal } : {};
    const res = await fetchFn(url.toString(), { ...init, headers: { accept: 'application/json' } });
    if (!res.ok) throw await errorOf(res, url.pathname);
    return (await res.json()) as T;
  };
  return {
    graph: (p, s) => get('api/v1/graph', p, s),
    edgeSeries: (p, s) => get('api/v1/edge', p, s),
    nodeSeries: (p, s) => get('api/v1/node', p, s),
    matrix: (p, s) => get('api/v1/matrix', p, s),
    externals: (p, s) => get('api/v1/externals', p, s),
    timeline: (p, s) => get('api/v1/timeline', p, s),
    status: (s) => get('api/v1/status', {}, s),
  };
}

async function errorOf(res: Response, path: string): Promise<ApiError> {
  let body: ErrorResponse | undefined;
  try {
    body = (await res.json()) as ErrorResponse;
  } catch {
    body = undefined;
  }
  const message = body?.message ?? `Cannot load "${path}": HTTP ${res.status} ${res.statusText}`;
  return new ApiError(res.status, message, body);
}

/** the /api/v1/graph parameters of a view at time `now`; minimum rate becomes bytes over the range */
export function graphParams(s: ViewState, now: number): Params {
  const { from, to } = resolveRange(s, now);
  const minBytes = s.minRate > 0 ? Math.ceil((s.minRate * (to - from)) / 1000) : undefined;
  return {
    from,
    to,
    level: s.level,
    namespace: s.namespaces.length ? s.namespaces.join(',') : undefined,
    workload: s.workloads.length ? s.workloads.join(',') : undefined,
    port: s.ports.length ? s.ports.join(',') : undefined,
    protocol: s.protocols.length ? s.protocols.join(',') : undefined,
    external: s.external ? undefined : 'exclude',
    nodes: s.nodes ? undefined : 'exclude',
    minBytes,
  };
}

/** a series step giving about `buckets` points over [from, to), at least one minute */
export function stepFor(from: number, to: number, buckets = 60): number {
  const raw = Math.max(60_000, (to - from) / buckets);
  return Math.ceil(raw / 60_000) * 60_000;
}

/** parameters of /api/v1/node for a node id */
export function nodeSeriesParams(id: string, level: GroupLevel, from: number, to: number): Params {
  return { id, level, from, to, step: stepFor(from, to) };
}
