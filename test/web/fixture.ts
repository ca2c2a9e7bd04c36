/**
 * One call to get the UI running against the shop scenario: built UI + fixture API + chromium,
 * plus page helpers that wait for the map to settle and read cytoscape's state through `window.__flowmap`.
 * @module
 */
import type { Page } from 'playwright-core';
import type { EdgeWindow } from '../../src/core/edge.js';
import { createFixtureApi } from './fixture-api.js';
import { scenarioWindows, shopTalks } from './scenario.js';
import { type Browser, buildUi, launchBrowser, startUiServer, type UiServer } from './server.js';

export interface Fixture {
  readonly server: UiServer;
  readonly browser: Browser;
  readonly windows: readonly EdgeWindow[];
  /** when the scenario's history ends (the start of the current minute at setup) */
  readonly now: number;
  close(): Promise<void>;
}

export async function startFixture(
  options: { minutes?: number; windows?: EdgeWindow[]; viewport?: { width: number; height: number } } = {},
): Promise<Fixture> {
  const now = Math.floor(Date.now() / 60_000) * 60_000;
  const windows = options.windows ?? scenarioWindows(shopTalks(), now, options.minutes ?? 180);
  const api = createFixtureApi({ windows, clock: () => Date.now() });
  const dist = await buildUi();
  const server = await startUiServer(dist, (r) => api.fetch(r));
  const browser = await launchBrowser(options.viewport);
  return {
    server,
    browser,
    windows,
    now,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/** opens the UI at `query` and waits until the map drew at least `renders` times and the network is quiet */
export async function openMap(page: Page, base: string, query = '', renders = 1): Promise<void> {
  await page.goto(`${base}${query ? `?${query}` : ''}`);
  await waitForRenders(page, renders);
}

export async function waitForRenders(page: Page, count: number): Promise<void> {
  await page.waitForFunction((n) => (window.__flowmap?.timings.length ?? 0) >= n, count, { timeout: 20_000 });
}

/** waits until the map shows exactly this many (node, edge) counts or `check` passes */
export async function renderCount(page: Page): Promise<number> {
  return page.evaluate(() => window.__flowmap?.timings.length ?? 0);
}

interface CyLike {
  nodes(sel?: string): { map<T>(f: (n: { id(): string; data(k: string): unknown }) => T): T[] };
  edges(sel?: string): { map<T>(f: (e: { id(): string; data(k: string): unknown }) => T): T[] };
}

/** ids of drawn leaf nodes, compound islands and edges */
export async function mapState(page: Page): Promise<{ nodes: string[]; islands: string[]; edges: string[] }> {
  return page.evaluate(() => {
    const cy = window.__flowmap?.cy as CyLike | undefined;
    if (!cy) return { nodes: [], islands: [], edges: [] };
    return {
      nodes: cy
        .nodes(':childless')
        .map((n) => n.id())
        .sort(),
      islands: cy
        .nodes(':parent')
        .map((n) => n.id())
        .sort(),
      edges: cy
        .edges()
        .map((e) => e.id())
        .sort(),
    };
  });
}
