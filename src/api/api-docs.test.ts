/**
 * docs/api.md is written by hand; this keeps it complete: every /api/v1 route has a section, and every query
 * parameter the route's schema accepts is named in that section.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import {
  edgeSeriesQuery,
  exportQuery,
  graphQuery,
  matrixQuery,
  nodeSeriesQuery,
  timelineQuery,
  topQuery,
} from '../contract/query.js';
import { nodeGraphQuery } from './nodegraph/routes.js';

const doc = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');

/** the text from a heading naming `route` to the next heading of the same or a higher level */
function section(route: string): string {
  const start = doc.search(new RegExp(`^#+ \`GET ${route.replace(/\//g, '\\/')}\``, 'm'));
  if (start < 0) return '';
  const level = /^#+/.exec(doc.slice(start))![0];
  const body = doc.indexOf('\n', start) + 1;
  const next = doc.slice(body).search(new RegExp(`^#{1,${level.length}} `, 'm'));
  return next < 0 ? doc.slice(start) : doc.slice(start, body + next);
}

const ROUTES: [string, z.ZodObject][] = [
  ['/api/v1/graph', graphQuery],
  ['/api/v1/edge', edgeSeriesQuery],
  ['/api/v1/node', nodeSeriesQuery],
  ['/api/v1/matrix', matrixQuery],
  ['/api/v1/top', topQuery],
  ['/api/v1/externals', graphQuery],
  ['/api/v1/timeline', timelineQuery],
  ['/api/v1/export', exportQuery],
];

/** routes whose section says "the graph parameters" instead of listing them again */
const INHERITS_GRAPH = new Set(['/api/v1/top', '/api/v1/externals', '/api/v1/export']);

describe('docs/api.md', () => {
  it.each(ROUTES)('documents %s and each of its parameters', (route, schema) => {
    const text = section(route);
    expect(text, `no "GET ${route}" heading`).not.toBe('');
    const own = INHERITS_GRAPH.has(route)
      ? Object.keys(schema.shape).filter((k) => !(k in graphQuery.shape))
      : Object.keys(schema.shape);
    if (INHERITS_GRAPH.has(route)) expect(text).toContain('graph parameters');
    for (const key of own) expect(text, `${route}: parameter "${key}"`).toContain(`\`${key}\``);
  });

  it('documents the Node Graph API parameters beyond /api/v1/graph, and the status route', () => {
    for (const key of Object.keys(nodeGraphQuery.shape).filter((k) => !(k in graphQuery.shape))) {
      expect(doc).toContain(`\`${key}\``);
    }
    for (const route of [
      '/api/health',
      '/api/graph/fields',
      '/api/graph/data',
      '/api/graph/nodes',
      '/api/graph/edges',
    ]) {
      expect(doc).toContain(`\`GET ${route}\``);
    }
    expect(section('/api/v1/status')).not.toBe('');
  });
});
