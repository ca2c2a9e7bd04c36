/**
 * The API the browser tests talk to: the real `createApi` over an in-memory EdgeStore filled with EdgeWindows.
 * `add` writes more windows (and waits until they are queryable), for live-update tests.
 * @module
 */

import { apiConfig, createApi } from '../../src/api/index.js';
import type { StatusResponse } from '../../src/contract/responses.js';
import type { EdgeWindow } from '../../src/core/edge.js';
import { createMemoryStore } from '../../src/sinks/store/index.js';
import { testStoreConfig } from '../../src/sinks/store/testing.js';
import type { FetchHandler } from './server.js';

export interface Backend {
  readonly handler: FetchHandler;
  add(windows: readonly EdgeWindow[]): Promise<void>;
  close(): Promise<void>;
}

export async function startBackend(
  windows: readonly EdgeWindow[],
  status: Partial<StatusResponse> = {},
): Promise<Backend> {
  const clock = () => Date.now();
  const store = createMemoryStore(testStoreConfig({ backend: 'memory' }), { clock });
  const controller = new AbortController();
  await store.start(controller.signal);
  const add = async (more: readonly EdgeWindow[]) => {
    await store.write(more, controller.signal);
    await store.flush();
  };
  if (windows.length) await add(windows);
  const app = createApi(apiConfig.parse({ port: 0 }), {
    store,
    clock,
    ready: () => ({ ready: true, checks: {} }),
    status: () => ({
      version: 'test',
      startedAt: clock() - 3_600_000,
      exporters: [],
      recordsPerSecond: 0,
      kubernetes: { source: 'snapshot', synced: true },
      liveEdges: 0,
      ...status,
    }),
  });
  return {
    handler: (request) => app.fetch(request),
    add,
    close: async () => {
      controller.abort();
      await store.stop();
    },
  };
}
