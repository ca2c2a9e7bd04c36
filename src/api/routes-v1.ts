/**
 * /api/v1: the JSON API the web UI reads. Query schemas come from src/contract/query.ts, bodies are the types of
 * src/contract/responses.ts.
 * @module
 */
import { Hono } from 'hono';
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
import type { StatusResponse } from '../contract/responses.js';
import type { Clock } from '../core/clock.js';
import { type NetworkPolicyOptions, renderEdges } from '../export/index.js';
import type { GraphService } from '../sinks/store/index.js';
import { absoluteTimes, parseParams, queryRecord } from './params.js';

const EXPORT_TYPES: Record<z.output<typeof exportQuery>['format'], string> = {
  json: 'application/json; charset=utf-8',
  yaml: 'application/yaml; charset=utf-8',
  networkpolicy: 'application/yaml; charset=utf-8',
  intents: 'application/yaml; charset=utf-8',
  text: 'text/plain; charset=utf-8',
  dot: 'text/vnd.graphviz; charset=utf-8',
};

export interface V1Deps {
  readonly service: GraphService;
  readonly status: () => StatusResponse;
  /** what `now` means in relative times (from=now-1h) */
  readonly clock: Clock;
  /** how NetworkPolicy exports select pods and name non-pod peers */
  readonly exportOptions?: () => NetworkPolicyOptions;
}

export function v1Routes(deps: V1Deps): Hono {
  const app = new Hono();
  const { service } = deps;
  const parse = <S extends z.ZodType>(schema: S, url: string, what: string) =>
    parseParams(schema, absoluteTimes(queryRecord(url), deps.clock()), what);

  app.get('/graph', async (c) => c.json(await service.graph(parse(graphQuery, c.req.url, 'graph'))));
  app.get('/edge', async (c) => c.json(await service.edgeSeries(parse(edgeSeriesQuery, c.req.url, 'edge series'))));
  app.get('/node', async (c) => c.json(await service.nodeSeries(parse(nodeSeriesQuery, c.req.url, 'node series'))));
  app.get('/matrix', async (c) => c.json(await service.matrix(parse(matrixQuery, c.req.url, 'matrix'))));
  app.get('/top', async (c) => c.json(await service.top(parse(topQuery, c.req.url, 'top'))));
  app.get('/externals', async (c) => c.json(await service.externals(parse(graphQuery, c.req.url, 'externals'))));
  app.get('/timeline', async (c) => c.json(await service.timeline(parse(timelineQuery, c.req.url, 'timeline'))));
  app.get('/status', (c) => c.json(deps.status()));
  app.get('/export', async (c) => {
    const q = parse(exportQuery, c.req.url, 'export');
    const { edges } = await service.edges(q);
    const body = renderEdges(q.format, edges, deps.exportOptions?.() ?? {});
    return c.body(body, 200, { 'Content-Type': EXPORT_TYPES[q.format] });
  });
  return app;
}
