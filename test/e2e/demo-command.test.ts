/**
 * `flowmap demo` as a user runs it (a separate process): within 30 s of the start its API reports the shop's
 * workloads and their main calls (direction and port), /metrics has non-zero flow series, the UI it serves shows
 * the shop in Chromium, the status line is printed, and Ctrl-C (SIGINT) stops it with status 0.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphResponse } from '../../src/contract/responses.js';
import { parseExposition } from '../../src/sinks/prometheus/testing.js';
import { mapState, openMap } from '../web/fixture.js';
import { type Browser, launchBrowser } from '../web/server.js';
import { freePort } from './api-tools.js';
import {
  edgeOf,
  ensureWebDist,
  getJson,
  MAIN_CALLS,
  missingFromGraph,
  pollFor,
  repo,
  SHOP_WORKLOADS,
} from './demo-run.js';

const URL_LINE = /Open (http:\/\/\S+) in a browser/;
const STATUS_LINE =
  /^(\d+) exporters \| received (\d+) records\/s \(sent (\d+)\) \| map of the last 15 min: (\d+) nodes, (\d+) edges/m;

describe('flowmap demo (the command)', () => {
  let child: ChildProcess;
  let stdout = '';
  let stderr = '';
  let startedAt = 0;
  let port = 0;
  let url = '';
  let browser: Browser | undefined;
  const exited = () => child.exitCode !== null || child.signalCode !== null;

  beforeAll(async () => {
    await ensureWebDist();
    port = await freePort(31100);
    startedAt = Date.now();
    child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'demo', '--http-port', String(port)], {
      cwd: repo,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    url = await pollFor(
      async () => URL_LINE.exec(stdout)?.[1] ?? (exited() ? 'exited' : undefined),
      20_000,
      () => `no URL printed; stdout: ${stdout} stderr: ${stderr}`,
      100,
    );
  }, 40_000);

  afterAll(async () => {
    await browser?.close();
    if (child && !exited()) child.kill('SIGKILL');
  });

  it('prints the URL of its UI on the requested port', () => {
    expect(url).toBe(`http://127.0.0.1:${port}/`);
    expect(stdout).toMatch(/export flows to udp\/\d+ \(node-1 NetFlow v9, node-2 NetFlow v9 1:10, node-3 IPFIX\)/);
  });

  it('within 30 s of the start the API reports the shop workloads and their calls, client -> server', async () => {
    const graph = await pollFor(
      async () => {
        const g = await getJson<GraphResponse>(`${url}api/v1/graph`);
        return missingFromGraph(g).length === 0 ? g : undefined;
      },
      Math.max(1_000, startedAt + 30_000 - Date.now()),
      () => `still missing after 30 s: ${stdout}`,
    );
    console.log(`demo: shop on the map ${Date.now() - startedAt} ms after the start`);
    for (const c of MAIN_CALLS) {
      const e = edgeOf(graph, c)!;
      expect(e.bytesToServer + e.bytesToClient, `${c.client} -> ${c.server}`).toBeGreaterThan(0);
      // never drawn the wrong way round
      expect(graph.edges.some((x) => x.source === c.server && x.target === c.client)).toBe(false);
    }
    const ids = new Set(graph.nodes.map((n) => n.id));
    for (const id of SHOP_WORKLOADS) expect(ids).toContain(id);
    expect(ids).toContain('external:payment-gateway');
  });

  it('/metrics has non-zero flowmap_edge_* and netflow_connection_* series for the shop', async () => {
    // a new counter series reads 0 on the first scrape that holds it (prometheus.firstScrapeZero): scrape twice
    await (await fetch(`${url}metrics`)).text();
    const { samples } = parseExposition(await (await fetch(`${url}metrics`)).text());
    const shop = (name: string, ns: string) =>
      samples.filter((s) => s.name === name && s.value > 0 && Object.values(s.labels).includes(ns));
    for (const name of ['flowmap_edge_bytes_total', 'flowmap_edge_packets_total', 'flowmap_edge_connections_total']) {
      expect(shop(name, 'shop').length, name).toBeGreaterThan(5);
    }
    const cart = samples.find(
      (s) =>
        s.name === 'flowmap_edge_bytes_total' &&
        s.labels.client_name === 'frontend' &&
        s.labels.server_name === 'cartservice' &&
        s.labels.port === '7070' &&
        s.labels.direction === 'to_server',
    );
    expect(cart?.value).toBeGreaterThan(0);
    for (const name of ['netflow_connection_count', 'netflow_connection_bytes', 'netflow_connection_packets']) {
      const series = samples.filter((s) => s.name === name && s.labels.srcnamespace === 'shop' && s.value > 0);
      expect(series.length, name).toBeGreaterThan(5);
    }
  });

  it('prints a status line with its exporters, record rates and the size of the map', async () => {
    const lines = () => [...stdout.matchAll(new RegExp(STATUS_LINE, 'gm'))].map((m) => m.slice(1).map(Number));
    const [exporters, received, sent, nodes, edges] = await pollFor(
      async () => lines().find(([, received]) => received! > 0),
      20_000,
      () => `no status line with records received: ${stdout}`,
    );
    expect(exporters).toBe(3);
    expect(received).toBeGreaterThan(0);
    expect(sent).toBeGreaterThan(0);
    expect(nodes).toBeGreaterThanOrEqual(SHOP_WORKLOADS.length);
    expect(edges).toBeGreaterThanOrEqual(MAIN_CALLS.length);
  });

  it('serves a UI that shows the shop on the map in Chromium', async () => {
    browser = await launchBrowser();
    const page: Page = await browser.newPage();
    await openMap(page, url);
    const drawn = await mapState(page);
    for (const id of SHOP_WORKLOADS) expect(drawn.nodes).toContain(id);
    for (const c of MAIN_CALLS) expect(drawn.edges).toContain(`${c.client}->${c.server}`);
    expect(drawn.islands).toContain('grp:namespace:shop');
    await browser.close();
    browser = undefined;
  });

  it('stops on Ctrl-C (SIGINT) with status 0 within a few seconds', async () => {
    const closed = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    const t0 = Date.now();
    child.kill('SIGINT');
    const code = await Promise.race([closed, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 8_000))]);
    expect(code, stderr).toBe(0);
    expect(Date.now() - t0).toBeLessThan(5_000);
  });
});
