import { describe, expect, it } from 'vitest';
import { createApiServer } from './server.js';
import { apiOver } from './testing.js';

describe('createApiServer()', () => {
  it('binds the app to a port, serves it over HTTP and closes on stop()', async () => {
    const { app, store } = await apiOver([], Date.now());
    const server = createApiServer({ host: '127.0.0.1', port: 0 }, app);
    await server.start(new AbortController().signal);
    const port = server.address()!.port;
    expect(port).toBeGreaterThan(0);
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect([res.status, await res.json()]).toEqual([200, { status: 'ok' }]);
    const second = createApiServer({ host: '127.0.0.1', port }, app);
    await expect(second.start(new AbortController().signal)).rejects.toThrow(`Cannot listen on "127.0.0.1:${port}"`);
    await server.stop();
    await server.stop();
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    await store.stop();
  });
});
