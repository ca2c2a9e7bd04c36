/**
 * One call to get the UI running against the shop scenario: built UI + real API over an in-memory store + chromium,
 * plus page helpers that wait for the map to settle and read cytoscape's state through `window.__flowmap`.
 * @module
 */
import type { Page } from 'playwright-core';
import type { EdgeWindow } from '../../src/core/edge.js';
import { startBackend } from './backend.js';
import { scenarioWindows, shopTalks } from './scenario.js';
import { type Browser, buildUi, launchBrowser, startUiServer, type UiServer } from './server.js';

export interface Fixture {
  readonly server: UiServer;
  readonly browser: Browser;
  /** everything the API holds (the truth tests compare against) */
  readonly windows: readonly EdgeWindow[];
  /** when the scenario's history ends (the start of the current minute at setup) */
  readonly now: number;
  /** adds windows to the API's store and to `windows` */
  add(windows: readonly EdgeWindow[]): Promise<void>;
  close(): Promise<void>;
}

export interface FixtureOptions {
  readonly minutes?: number;
  readonly windows?: readonly EdgeWindow[];
  readonly viewport?: { width: number; height: number };
}

/**
 * The UI served next to the real API (`createApi` over an in-memory store) holding the windows (the shop scenario
 * by default), and a browser.
 */
export async function startFixture(options: FixtureOptions = {}): Promise<Fixture> {
  const now = Math.floor(Date.now() / 60_000) * 60_000;
  const windows = [...(options.windows ?? scenarioWindows(shopTalks(), now, options.minutes ?? 180))];
  const backend = await startBackend(windows);
  const server = await startUiServer(await buildUi(), backend.handler);
  const browser = await launchBrowser(options.viewport);
  return {
    server,
    browser,
    windows,
    now,
    add: async (more) => {
      windows.push(...more);
      await backend.add(more);
    },
    close: async () => {
      await browser.close();
      await server.close();
      await backend.close();
    },
  };
}

/** opens the UI at `query` and waits until the map drew at least `renders` times */
export async function openMap(page: Page, base: string, query = '', renders = 1): Promise<void> {
  await page.goto(`${base}${query ? `?${query}` : ''}`);
  await waitForRenders(page, renders);
}

export async function waitForRenders(page: Page, count: number): Promise<void> {
  await page.waitForFunction((n) => (window.__flowmap?.timings.length ?? 0) >= n, count, { timeout: 20_000 });
}

/** the slice of cytoscape's API the tests read through `window.__flowmap.cy` */
export interface CyElement {
  id(): string;
  data(key: string): unknown;
  hasClass(name: string): boolean;
  position(): { x: number; y: number };
  renderedPosition(): { x: number; y: number };
  renderedMidpoint(): { x: number; y: number };
  renderedSourceEndpoint(): { x: number; y: number };
  renderedTargetEndpoint(): { x: number; y: number };
  renderedBoundingBox(o?: { includeLabels?: boolean }): { x1: number; y1: number; x2: number; y2: number };
  isNode(): boolean;
  nonempty(): boolean;
}
export interface CyLike {
  nodes(selector?: string): { map<T>(f: (n: CyElement) => T): T[] };
  edges(selector?: string): { map<T>(f: (e: CyElement) => T): T[] };
  getElementById(id: string): CyElement;
  container(): HTMLElement;
  zoom(): number;
  width(): number;
  height(): number;
}

export interface MapState {
  /** drawn nodes (workloads, services, collapsed islands...) */
  readonly nodes: string[];
  /** expanded islands (backdrops) */
  readonly islands: string[];
  readonly edges: string[];
}

/** what the map draws right now */
export async function mapState(page: Page): Promise<MapState> {
  return page.evaluate(() => {
    const cy = window.__flowmap?.cy as CyLike | undefined;
    if (!cy) return { nodes: [], islands: [], edges: [] };
    return {
      nodes: cy
        .nodes('.leaf, .collapsed')
        .map((n) => n.id())
        .sort(),
      islands: cy
        .nodes('.backdrop')
        .map((n) => n.id())
        .sort(),
      edges: cy
        .edges()
        .map((e) => e.id())
        .sort(),
    };
  });
}

/** positions of drawn nodes by id */
export async function positions(page: Page): Promise<Record<string, { x: number; y: number }>> {
  return page.evaluate(() => {
    const cy = window.__flowmap?.cy as CyLike | undefined;
    const out: Record<string, { x: number; y: number }> = {};
    cy?.nodes('.leaf, .collapsed').map((n) => {
      out[n.id()] = { ...n.position() };
      return 0;
    });
    return out;
  });
}

/** one element's data field */
export async function elementData(page: Page, id: string, key: string): Promise<unknown> {
  return page.evaluate(([i, k]) => (window.__flowmap!.cy as CyLike).getElementById(i!).data(k!), [id, key]);
}

/**
 * clicks a node (at its centre) or an edge with the real mouse; on an edge it picks the point along it that lies
 * farthest from every other edge and node, so the click cannot land on a neighbour
 */
export async function clickElement(page: Page, id: string, clickCount = 1): Promise<void> {
  const at = await page.evaluate((i) => {
    const cy = window.__flowmap?.cy as CyLike;
    const e = cy.getElementById(i);
    if (!e.nonempty()) throw new Error(`no element ${i}`);
    const box = cy.container().getBoundingClientRect();
    if (e.isNode()) return { x: box.left + e.renderedPosition().x, y: box.top + e.renderedPosition().y };
    const a = e.renderedSourceEndpoint();
    const b = e.renderedTargetEndpoint();
    const others = cy
      .edges()
      .map((x) => (x.id() === i ? null : [x.renderedSourceEndpoint(), x.renderedTargetEndpoint()]));
    const nodes = cy.nodes('.leaf, .collapsed').map((n) => n.renderedPosition());
    let best = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2, score: Number.NEGATIVE_INFINITY };
    for (let t = 0.15; t <= 0.85; t += 0.01) {
      const p = { x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y) };
      let score = Number.POSITIVE_INFINITY;
      for (const o of others) {
        if (!o) continue;
        const [c, d] = o as [{ x: number; y: number }, { x: number; y: number }];
        const len = (d.x - c.x) ** 2 + (d.y - c.y) ** 2 || 1;
        const u = Math.max(0, Math.min(1, ((p.x - c.x) * (d.x - c.x) + (p.y - c.y) * (d.y - c.y)) / len));
        score = Math.min(score, Math.hypot(p.x - c.x - u * (d.x - c.x), p.y - c.y - u * (d.y - c.y)));
      }
      for (const n of nodes) score = Math.min(score, Math.hypot(p.x - n.x, p.y - n.y) - 25);
      if (score > best.score) best = { ...p, score };
    }
    return { x: box.left + best.x, y: box.top + best.y };
  }, id);
  await page.mouse.click(at.x, at.y, { clickCount });
}

/** double-clicks (or clicks) an island backdrop near its top-left corner, away from its members */
export async function clickBackdrop(page: Page, id: string, clickCount = 1): Promise<void> {
  const at = await page.evaluate((i) => {
    const cy = window.__flowmap?.cy as CyLike;
    const bb = cy.getElementById(i).renderedBoundingBox({ includeLabels: false });
    const box = cy.container().getBoundingClientRect();
    return { x: box.left + bb.x1 + 6, y: box.top + bb.y1 + 6 };
  }, id);
  await page.mouse.click(at.x, at.y, { clickCount });
}

/** the parsed query of the page URL */
export function urlQuery(page: Page): URLSearchParams {
  return new URL(page.url()).searchParams;
}
