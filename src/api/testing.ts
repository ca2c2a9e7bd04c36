/**
 * Test helpers: an API app over an in-memory store filled with given windows. Never imported by production code.
 * @module
 */
import type { Hono } from 'hono';
import type { StatusResponse } from '../contract/responses.js';
import type { EdgeWindow } from '../core/edge.js';
import { createMemoryStore, type EdgeSource, type EdgeStore } from '../sinks/store/index.js';
import { testStoreConfig } from '../sinks/store/testing.js';
import { type ApiDeps, createApi, type ReadyState } from './app.js';
import { type ApiConfigInput, apiConfig } from './config.js';

export const STATUS: StatusResponse = {
  version: '0.0.0-test',
  startedAt: 0,
  exporters: [],
  recordsPerSecond: 0,
  kubernetes: { source: 'snapshot', synced: true },
  liveEdges: 0,
};

export const READY: ReadyState = { ready: true, checks: { store: { ok: true } } };

export interface TestApi {
  readonly app: Hono;
  readonly store: EdgeStore;
}

/** an app over a started memory store holding `windows`; `now` is the API clock */
export async function apiOver(
  windows: readonly EdgeWindow[],
  now: number,
  config: ApiConfigInput = {},
  deps: Partial<ApiDeps> = {},
): Promise<TestApi> {
  const store = createMemoryStore(testStoreConfig(), { clock: () => now });
  await store.start(new AbortController().signal);
  await store.write(windows);
  await store.flush();
  const app = createApi(apiConfig.parse(config), {
    store: store as EdgeSource,
    ready: () => READY,
    status: () => STATUS,
    clock: () => now,
    ...deps,
  });
  return { app, store };
}

/** GETs `path` and returns status and parsed JSON body */
export async function getJson<T = unknown>(
  app: Hono,
  path: string,
  init?: RequestInit,
): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await app.request(path, init);
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
}
