/**
 * The HTTP surface of flowmap as one Hono app: probes, /metrics, /api/v1, the Grafana Node Graph API and the web
 * UI. Built in-process (`app.request()` in tests); src/api/server.ts binds it to a port.
 * @module
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import type { StatusResponse } from '../contract/responses.js';
import type { Clock } from '../core/clock.js';
import type { EdgeWindow } from '../core/edge.js';
import type { NetworkPolicyOptions } from '../export/index.js';
import { createGraphService, type EdgeSource, withLive } from '../sinks/store/index.js';
import type { ApiConfig } from './config.js';
import { RequestError, respondError } from './errors.js';
import { GRAFANA_NODE_LIMIT, nodeGraphRoutes } from './nodegraph/routes.js';
import { v1Routes } from './routes-v1.js';

export interface ReadyState {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, { readonly ok: boolean; readonly message?: string }>>;
}

export interface ApiDeps {
  /** the query side: an EdgeStore, or the Prometheus-backed source */
  readonly store: EdgeSource;
  /** the still-open buckets, merged into answers whose range covers them */
  readonly live?: () => readonly EdgeWindow[];
  /** serves /metrics when present */
  readonly metrics?: { readonly contentType: string; render(): Promise<string> };
  readonly ready: () => ReadyState;
  readonly status: () => StatusResponse;
  /** the built web UI, served at / with index.html for unknown paths */
  readonly staticDir?: string;
  readonly exportOptions?: () => NetworkPolicyOptions;
  readonly clock: Clock;
}

function guard(config: ApiConfig): MiddlewareHandler {
  return async function guard(c, next) {
    if (c.req.url.length > config.maxUrlBytes) {
      throw new RequestError(
        414,
        'uri-too-long',
        `Cannot read a request URL of ${c.req.url.length} bytes: the limit is ${config.maxUrlBytes}`,
      );
    }
    await next();
  };
}

/** static files from `dir`, and index.html (read once, on first use) for client-side routes */
function spa(app: Hono, dir: string): void {
  app.use('*', serveStatic({ root: dir }));
  let index: string | undefined;
  app.get('*', (c) => {
    if (c.req.path.startsWith('/api/')) return c.notFound();
    try {
      index ??= readFileSync(join(dir, 'index.html'), 'utf8');
      return c.html(index);
    } catch {
      return c.notFound();
    }
  });
}

export function createApi(config: ApiConfig, deps: ApiDeps): Hono {
  const source = deps.live ? withLive(deps.store, deps.live) : deps.store;
  const options = {
    clock: deps.clock,
    defaultRangeMs: config.defaultRangeMs,
    targetPoints: config.seriesPoints,
    maxPoints: config.maxSeriesPoints,
  };
  const service = createGraphService(source, { ...options, nodeLimit: config.nodeLimit });
  const grafana = createGraphService(source, { ...options, nodeLimit: Math.min(config.nodeLimit, GRAFANA_NODE_LIMIT) });

  const app = new Hono();
  app.use('*', guard(config));
  app.use(
    '*',
    bodyLimit({
      maxSize: config.maxBodyBytes,
      onError: () => {
        throw new RequestError(
          413,
          'payload-too-large',
          `Cannot read a request body over ${config.maxBodyBytes} bytes`,
        );
      },
    }),
  );
  app.use(
    '/api/*',
    cors({
      origin: config.cors.origins.includes('*') ? '*' : [...config.cors.origins],
      maxAge: config.cors.maxAgeSeconds,
    }),
  );
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', (c) => {
    const state = deps.ready();
    return c.json(state, state.ready ? 200 : 503);
  });
  app.get('/metrics', async (c) => {
    if (!deps.metrics) return c.notFound();
    return c.body(await deps.metrics.render(), 200, { 'Content-Type': deps.metrics.contentType });
  });
  app.route(
    '/api/v1',
    v1Routes({
      service,
      status: deps.status,
      clock: deps.clock,
      ...(deps.exportOptions && { exportOptions: deps.exportOptions }),
    }),
  );
  app.route('/api', nodeGraphRoutes(grafana, deps.clock));
  if (deps.staticDir) spa(app, deps.staticDir);
  app.notFound((c) => respondError(c, new RequestError(404, 'not-found', `Cannot find "${c.req.path}"`)));
  app.onError((error, c) => respondError(c, error));
  return app;
}
