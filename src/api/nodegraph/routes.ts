/**
 * The Grafana Node Graph API (`/api/health`, `/api/graph/fields`, `/api/graph/data`) as the
 * hamedkarbasi93-nodegraphapi-datasource plugin calls it: the panel's query string is passed through unchanged to
 * both graph calls, so it carries `from`/`to` (epoch ms, from `${__from}`/`${__to}`), the seed dashboard's
 * `srcnamespace`/`dstnamespace` and any /api/v1/graph filter. Plus `/api/graph/nodes` and `/api/graph/edges`, the
 * same rows as plain arrays for Grafana's Infinity data source.
 * @module
 */
import { Hono } from 'hono';
import * as z from 'zod';
import { csv, graphQuery } from '../../contract/query.js';
import type { Clock } from '../../core/clock.js';
import type { GraphService } from '../../sinks/store/index.js';
import { absoluteTimes, grafanaParams, parseParams, queryRecord } from '../params.js';
import { EDGE_FIELDS, infinityNodes, NODE_FIELDS, nodeGraphData } from './frames.js';

/** Grafana draws at most this many nodes */
export const GRAFANA_NODE_LIMIT = 1_500;

export const nodeGraphQuery = graphQuery.extend({
  srcnamespace: csv(z.string().min(1))
    .optional()
    .describe('seed dashboards: keep edges whose client is in these namespaces'),
  dstnamespace: csv(z.string().min(1))
    .optional()
    .describe('seed dashboards: keep edges whose server is in these namespaces'),
});

/** `clock`: what `now` means in relative times (from=now-1h, typed into an Infinity query) */
export function nodeGraphRoutes(service: GraphService, clock: Clock): Hono {
  const app = new Hono();

  async function data(url: string) {
    const q = parseParams(nodeGraphQuery, absoluteTimes(grafanaParams(queryRecord(url)), clock()), 'graph');
    const { srcnamespace, dstnamespace, ...rest } = q;
    return nodeGraphData(
      await service.graph({ ...rest, clientNamespace: srcnamespace, serverNamespace: dstnamespace }),
    );
  }

  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.get('/graph/fields', (c) => c.json({ nodes_fields: NODE_FIELDS, edges_fields: EDGE_FIELDS }));
  app.get('/graph/data', async (c) => c.json(await data(c.req.url)));
  app.get('/graph/nodes', async (c) => c.json(infinityNodes((await data(c.req.url)).nodes)));
  app.get('/graph/edges', async (c) => c.json((await data(c.req.url)).edges));
  return app;
}
