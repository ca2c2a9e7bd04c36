/**
 * A minimal client of the Prometheus HTTP API (`/api/v1/query`, `/api/v1/query_range`). Failures become
 * SourceErrors: "unavailable" when Prometheus cannot be reached, "bad-answer" when it refuses or answers garbage.
 * @module
 */
import { SourceError } from '../../sinks/store/index.js';
import type { PrometheusSourceConfig } from './config.js';

export interface PromSample {
  readonly metric: Readonly<Record<string, string>>;
  /** [unix seconds, value] pairs; one pair for instant vectors */
  readonly values: readonly (readonly [number, number])[];
}

interface ApiAnswer {
  status?: string;
  errorType?: string;
  error?: string;
  data?: {
    resultType?: string;
    result?: { metric?: Record<string, string>; value?: [number, string]; values?: [number, string][] }[];
  };
}

export interface PrometheusClient {
  /** instant query at `time` (epoch ms) */
  query(promql: string, time: number): Promise<PromSample[]>;
  /** range query evaluated every `step` ms from `start` to `end` (epoch ms, inclusive) */
  queryRange(promql: string, start: number, end: number, step: number): Promise<PromSample[]>;
}

export type Fetch = typeof fetch;

const seconds = (ms: number) => (ms / 1000).toFixed(3);

export function createPrometheusClient(config: PrometheusSourceConfig, fetchImpl: Fetch = fetch): PrometheusClient {
  const base = config.url.replace(/\/+$/, '');

  async function call(path: string, params: Record<string, string>): Promise<PromSample[]> {
    const url = `${base}${path}`;
    let answer: ApiAnswer;
    try {
      const res = await fetchImpl(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...config.headers },
        body: new URLSearchParams(params).toString(),
        signal: AbortSignal.timeout(config.timeoutMs),
      });
      answer = (await res
        .json()
        .catch(() => ({ status: 'error', error: `HTTP ${res.status} without a JSON body` }))) as ApiAnswer;
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new SourceError('unavailable', `Cannot query Prometheus "${base}": ${reason}`, { cause });
    }
    if (answer.status !== 'success' || !Array.isArray(answer.data?.result)) {
      const reason = answer.error ? `${answer.errorType ?? 'error'}: ${answer.error}` : 'the answer has no result';
      throw new SourceError('bad-answer', `Cannot query Prometheus "${base}": ${reason}`);
    }
    return answer.data.result.map((r) => ({
      metric: r.metric ?? {},
      values: (r.values ?? (r.value ? [r.value] : [])).map(([t, v]) => [t, Number(v)] as const),
    }));
  }

  return {
    query: (promql, time) => call('/api/v1/query', { query: promql, time: seconds(time) }),
    queryRange: (promql, start, end, step) =>
      call('/api/v1/query_range', { query: promql, start: seconds(start), end: seconds(end), step: seconds(step) }),
  };
}
