/**
 * Query strings → validated query objects.
 * @module
 */
import type * as z from 'zod';
import { issuesOf, RequestError } from './errors.js';

/** the query string as one value per key; repeated keys (port=1&port=2) join with commas like a list */
export function queryRecord(url: string): Record<string, string> {
  const params = new URL(url).searchParams;
  const out: Record<string, string> = {};
  for (const key of new Set(params.keys())) out[key] = params.getAll(key).join(',');
  return out;
}

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
const RELATIVE = /^now(?:-(\d+)(ms|s|m|h|d|w))?$/;

/**
 * `from` and `to` as epoch ms. Besides epoch ms (what the UI and Grafana send), people typing URLs may write
 * `now`, `now-<n><unit>` (unit ms, s, m, h, d or w; e.g. now-15m, now-7d) or an ISO-8601 date-time
 * (2026-11-27T10:00:00Z). Other text is a 400 naming the parameter.
 */
export function absoluteTimes(record: Record<string, string>, now: number): Record<string, string> {
  const out = { ...record };
  for (const key of ['from', 'to'] as const) {
    const value = record[key]?.trim();
    if (value === undefined || /^\d+$/.test(value)) continue;
    const relative = RELATIVE.exec(value);
    const ms = relative
      ? now - (relative[1] === undefined ? 0 : Number(relative[1]) * UNIT_MS[relative[2]!]!)
      : /^\d{4}-\d{2}-\d{2}/.test(value)
        ? Date.parse(value)
        : Number.NaN;
    if (!Number.isFinite(ms) || ms < 0) {
      const message =
        `Cannot read ${key}="${value}": expected epoch milliseconds, an ISO-8601 date-time, "now" or ` +
        '"now-<n><unit>" with unit ms, s, m, h, d or w';
      throw new RequestError(400, 'bad-request', message, [{ path: key, message }]);
    }
    out[key] = String(Math.round(ms));
  }
  return out;
}

/** validates `record` with `schema`; a 400 RequestError lists every issue (path + message) */
export function parseParams<S extends z.ZodType>(schema: S, record: Record<string, string>, what: string): z.output<S> {
  const result = schema.safeParse(record);
  if (result.success) return result.data;
  const issues = issuesOf(result.error);
  const first = issues[0];
  const detail = first ? `${first.path || 'query'}: ${first.message}` : 'invalid';
  throw new RequestError(400, 'bad-request', `Cannot parse the ${what} query: ${detail}`, issues);
}

const ALL = new Set(['', '*', '.*', '.+', 'all', '$__all']);

/**
 * Grafana's ways of writing a multi-value variable into a query string ("{a,b}", "(a|b)", "a|b", "All", "$__all")
 * as our comma lists; "match everything" values remove the parameter.
 */
export function grafanaParams(record: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, raw] of Object.entries(record)) {
    let value = raw.trim();
    if (/^\{.*\}$/.test(value) || /^\(.*\)$/.test(value)) value = value.slice(1, -1);
    const items = value
      .split(/[|,]/)
      .map((v) => v.trim())
      .filter((v) => !ALL.has(v.toLowerCase()));
    if (items.length > 0) out[key] = items.join(',');
  }
  return out;
}
