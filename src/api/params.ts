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
