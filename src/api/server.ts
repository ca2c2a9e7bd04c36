/**
 * Binds the API app to a TCP port with @hono/node-server.
 * @module
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Lifecycle } from '../pipeline/contracts.js';
import type { ApiConfig } from './config.js';

export interface ApiServer extends Lifecycle {
  readonly app: Hono;
  /** the bound address once started (the real port when config.port is 0) */
  address(): { readonly host: string; readonly port: number } | undefined;
}

/** `start` resolves once the port is bound and rejects when it cannot be; `stop` closes it (idempotent) */
export function createApiServer(config: Pick<ApiConfig, 'host' | 'port'>, app: Hono): ApiServer {
  let server: ReturnType<typeof serve> | undefined;
  let bound: AddressInfo | undefined;
  return {
    app,
    address: () => (bound ? { host: bound.address, port: bound.port } : undefined),
    start(signal) {
      if (server) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const s = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (info) => {
          bound = info;
          resolve();
        });
        server = s;
        s.once('error', (error: Error) =>
          reject(new Error(`Cannot listen on "${config.host}:${config.port}": ${error.message}`, { cause: error })),
        );
        signal.addEventListener('abort', () => s.close(), { once: true });
      });
    },
    stop() {
      const s = server;
      server = undefined;
      bound = undefined;
      if (!s) return Promise.resolve();
      return new Promise<void>((resolve) => {
        s.close(() => resolve());
        if ('closeAllConnections' in s) s.closeAllConnections();
      });
    },
  };
}
