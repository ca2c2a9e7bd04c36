/**
 * Detail panel numbers, URL round trip, flow matrix and externals views, exports, and the error, empty and loading
 * states, in Debian chromium against the fixture API over the shop scenario.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Edge } from '../../src/core/edge.js';
import { formatByteRate, formatRate, formatTime } from '../../web/src/lib/format.js';
import { startBackend } from './backend.js';
import { clickElement, type Fixture, mapState, openMap, startFixture, urlQuery } from './fixture.js';
import { buildUi, startUiServer } from './server.js';
import { drawnOf, edgesIn } from './truth.js';

const MIN = 60_000;
const FRONTEND = 'workload:shop/Deployment/frontend';
const CART = 'workload:shop/Deployment/cart';
const CHECKOUT = 'workload:shop/Deployment/checkout';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture();
});
afterAll(async () => {
  await fx?.close();
});

const text = async (page: import('playwright-core').Page, id: string) =>
  (await page.getByTestId(id).textContent())?.trim();

describe('detail panel', () => {
  it("shows a clicked node's rates in both directions, ports, first/last seen and its series", async () => {
    const page = await fx.browser.newPage();
    const from = fx.now - 30 * MIN;
    const to = fx.now - 15 * MIN;
    await openMap(page, fx.server.url, `from=${from}&to=${to}`);
    await clickElement(page, CHECKOUT);
    await page.getByTestId('detail-title').getByText('checkout').waitFor();
    expect(urlQuery(page).get('sel')).toBe(CHECKOUT);
    const edges = edgesIn(fx.windows, 'workload', from, to);
    const asServer = edges.filter((e) => e.serverId === CHECKOUT);
    const asClient = edges.filter((e) => e.clientId === CHECKOUT);
    const sum = (es: Edge[], f: (e: Edge) => number) => es.reduce((s, e) => s + f(e), 0);
    const sec = (to - from) / 1000;
    expect(await text(page, 'rate-bytes-in')).toBe(
      formatByteRate((sum(asServer, (e) => e.bytesToServer) + sum(asClient, (e) => e.bytesToClient)) / sec),
    );
    expect(await text(page, 'rate-bytes-out')).toBe(
      formatByteRate((sum(asServer, (e) => e.bytesToClient) + sum(asClient, (e) => e.bytesToServer)) / sec),
    );
    expect(await text(page, 'rate-packets-in')).toBe(
      formatRate((sum(asServer, (e) => e.packetsToServer) + sum(asClient, (e) => e.packetsToClient)) / sec, 'pkt'),
    );
    expect(await text(page, 'rate-conn-in')).toBe(formatRate(sum(asServer, (e) => e.connections) / sec, 'conn'));
    expect(await text(page, 'rate-conn-out')).toBe(formatRate(sum(asClient, (e) => e.connections) / sec, 'conn'));
    expect(await text(page, 'served-ports')).toBe('5050/TCP');
    expect(await text(page, 'called-ports')).toBe('50051/TCP, 53/UDP, 5432/TCP, 7070/TCP, 9092/TCP');
    expect(await text(page, 'first-seen')).toBe(
      formatTime(Math.min(...[...asServer, ...asClient].map((e) => e.firstSeen))),
    );
    await page.getByTestId('series-chart').waitFor();
    expect(
      fx.server.requests.some((r) => r.startsWith('/api/v1/node?') && r.includes(`id=${encodeURIComponent(CHECKOUT)}`)),
    ).toBe(true);
    expect(await page.getByTestId('clients').textContent()).toContain('frontend');
    await page.close();
  });

  it("shows a clicked edge's traffic to server and client, evidence in words, service and series", async () => {
    const page = await fx.browser.newPage();
    const from = fx.now - 30 * MIN;
    const to = fx.now - 15 * MIN;
    await openMap(page, fx.server.url, `from=${from}&to=${to}`);
    const id = `${FRONTEND}->${CART}`;
    await clickElement(page, id);
    await page.getByTestId('detail-title').getByText('frontend → cart').waitFor();
    const e = edgesIn(fx.windows, 'workload', from, to).find((x) => x.clientId === FRONTEND && x.serverId === CART)!;
    const sec = (to - from) / 1000;
    expect(await text(page, 'rate-bytes-in')).toBe(formatByteRate(e.bytesToServer / sec));
    expect(await text(page, 'rate-bytes-out')).toBe(formatByteRate(e.bytesToClient / sec));
    expect(await text(page, 'rate-packets-out')).toBe(formatRate(e.packetsToClient / sec, 'pkt'));
    expect(await text(page, 'services')).toBe('shop/cart');
    expect(await page.getByTestId('evidence').textContent()).toContain(
      'The client sent the SYN (without ACK) that opened the connection',
    );
    await page.getByTestId('series-chart').waitFor();
    const req = fx.server.requests.find((r) => r.startsWith('/api/v1/edge?'))!;
    const q = new URLSearchParams(req.split('?')[1]);
    expect([q.get('source'), q.get('target'), q.get('port'), q.get('protocol')]).toEqual([
      FRONTEND,
      CART,
      '7070',
      'TCP',
    ]);
    expect(await page.getByTestId('series-chart').locator('path').count()).toBe(4);
    await page.close();
  });
});

describe('URL', () => {
  it('restores a view: filters, collapsed islands, range length and the open panel', async () => {
    const page = await fx.browser.newPage();
    await openMap(page, fx.server.url);
    await page.getByTestId('show-external').uncheck();
    await page.getByTestId('island-toggle-namespace:monitoring').click();
    await page.getByTestId('window-select').selectOption('60');
    await expect
      .poll(async () => (await mapState(page)).nodes.includes('grp:namespace:monitoring'), { timeout: 10_000 })
      .toBe(true);
    await clickElement(page, CART);
    await page.getByTestId('detail-title').getByText('cart').waitFor();
    await expect
      .poll(async () => (await mapState(page)).nodes.some((n) => n.startsWith('external:')), { timeout: 10_000 })
      .toBe(false);
    const shared = page.url();
    const state = await mapState(page);

    const other = await fx.browser.newPage();
    await openMap(other, shared);
    expect(await mapState(other)).toEqual(state);
    expect(await text(other, 'detail-title')).toBe('cart');
    expect(await other.getByTestId('show-external').isChecked()).toBe(false);
    expect(await other.getByTestId('window-select').inputValue()).toBe('60');
    expect(urlQuery(other).get('collapse')).toBe('namespace:monitoring');

    await other.getByTestId('tab-matrix').click();
    await other.getByTestId('matrix-view').waitFor();
    await other.goBack();
    await other.getByTestId('map-canvas').waitFor({ state: 'visible' });
    expect(await other.getByTestId('matrix-view').count()).toBe(0);
    await page.close();
    await other.close();
  });
});

describe('views', () => {
  it('flow matrix lists incoming and outgoing calls of a namespace with server ports', async () => {
    const page = await fx.browser.newPage();
    await page.goto(`${fx.server.url}?view=matrix&mns=shop`);
    await page.getByTestId('matrix-incoming').locator('tbody tr').first().waitFor();
    const edges = edgesIn(fx.windows, 'workload', fx.now - 15 * MIN, fx.now);
    // calls inside the namespace are listed in both tables, once from each side
    const incoming = edges.filter((e) => e.server.namespace === 'shop');
    const outgoing = edges.filter((e) => e.client.namespace === 'shop');
    expect(await page.getByTestId('matrix-incoming').locator('tbody tr').count()).toBe(incoming.length);
    expect(await page.getByTestId('matrix-outgoing').locator('tbody tr').count()).toBe(outgoing.length);
    const top = incoming.sort((a, b) => b.bytesToServer + b.bytesToClient - (a.bytesToServer + a.bytesToClient))[0]!;
    const firstRow = await page.getByTestId('matrix-incoming').locator('tbody tr').first().textContent();
    expect(firstRow).toContain(top.client.name);
    expect(firstRow).toContain(`${top.port}/TCP`);
    await page.getByTestId('matrix-namespace').selectOption('data');
    await expect.poll(() => page.getByTestId('matrix-incoming').textContent()).toContain('catalog');
    expect(urlQuery(page).get('mns')).toBe('data');
    await page.close();
  });

  it('externals view lists endpoints named by CIDR label, ASN/org or IP, with their cluster peers', async () => {
    const page = await fx.browser.newPage();
    await page.goto(`${fx.server.url}?view=externals`);
    const rows = page.getByTestId('externals-table').locator('tbody tr');
    await rows.first().waitFor();
    const all = (await rows.allTextContents()).join('\n');
    expect(await rows.count()).toBe(4);
    expect(all).toMatch(/stripe-api\s*CIDR label/);
    expect(all).toMatch(/Amazon\.com, Inc\.\s*ASN\s*AS16509/);
    expect(all).toMatch(/203\.0\.113\.50\s*IP/);
    expect(all).toContain('shop/payments');
    await page.getByTestId('externals-filter').fill('cloudflare');
    await expect.poll(() => rows.count()).toBe(1);
    await page.close();
  });
});

describe('exports', () => {
  it('saves the map as PNG and SVG and the visible edges as JSON and text', async () => {
    const page = await fx.browser.newPage();
    await openMap(page, fx.server.url);
    const save = async (kind: string) => {
      await page.getByTestId('export-menu').click();
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`export-${kind}`).click()]);
      return { name: download.suggestedFilename(), body: readFileSync((await download.path())!) };
    };
    const graphEdges = await page.evaluate(() => (window.__flowmap!.graph as { edges: unknown[] }).edges.length);
    const drawn = await mapState(page);

    const json = await save('json');
    expect(json.name).toMatch(/^flowmap-edges-.*\.json$/);
    const doc = JSON.parse(json.body.toString()) as { edges: { client: { id: string }; server: { id: string } }[] };
    expect(doc.edges).toHaveLength(graphEdges);
    expect(doc.edges.some((e) => e.client.id === FRONTEND && e.server.id === CART)).toBe(true);

    const txt = await save('text');
    expect(txt.body.toString().trimEnd().split('\n')).toHaveLength(graphEdges + 1);

    const png = await save('png');
    expect(png.body.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.body.length).toBeGreaterThan(20_000);

    const svg = await save('svg');
    const svgText = svg.body.toString();
    expect(svgText.match(/<g class="node"/g)).toHaveLength(drawn.nodes.length);
    expect(svgText.match(/<g class="edge"/g)).toHaveLength(drawn.edges.length);
    const width = await page.evaluate(async (src) => {
      const img = new Image();
      img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(src)}`;
      await img.decode();
      return img.naturalWidth;
    }, svgText);
    expect(width).toBeGreaterThan(500);
    await page.close();
  });
});

describe('states', () => {
  it("shows the server's message when it rejects the view", async () => {
    const page = await fx.browser.newPage();
    const answer = page.waitForResponse((r) => r.url().includes('/api/v1/graph'));
    await page.goto(`${fx.server.url}?win=99999999999`);
    const response = await answer;
    expect(response.status()).toBe(400);
    const body = (await response.json()) as { message: string };
    await page.getByTestId('error-banner').waitFor();
    expect(await text(page, 'error-message')).toBe(body.message);
    expect(await page.getByTestId('error-banner').textContent()).toContain('The server rejected this view');
    await page.close();
  });

  it('explains an empty store, an over-filtered view and a quiet range', async () => {
    const empty = await startBackend([]);
    const server = await startUiServer(await buildUi(), empty.handler);
    const page = await fx.browser.newPage();
    try {
      await page.goto(server.url);
      await page.getByTestId('empty-state').getByText('No flows yet').waitFor();
      expect(await page.getByTestId('empty-state').textContent()).toMatch(
        /NetFlow v5\/v9.*UDP 2055.*IPFIX.*4739.*sFlow.*6343/,
      );
    } finally {
      await server.close();
      await empty.close();
    }
    await page.goto(`${fx.server.url}?wl=no-such-workload`);
    await page.getByTestId('empty-state').getByText('No flows match these filters').waitFor();
    await page.getByTestId('empty-state').getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(async () => (await mapState(page)).nodes.length, { timeout: 10_000 }).toBeGreaterThan(10);
    expect(urlQuery(page).get('wl')).toBeNull();
    await page.goto(`${fx.server.url}?from=${fx.now - 600 * MIN}&to=${fx.now - 590 * MIN}`);
    await page.getByTestId('empty-state').getByText('No traffic in this time range').waitFor();
    await page.close();
  });

  it('shows loading until the first answer arrives', async () => {
    const slow = await startBackend(fx.windows);
    let release: () => void = () => {};
    const gate = new Promise<void>((ok) => {
      release = ok;
    });
    const server = await startUiServer(await buildUi(), async (r) => {
      if (new URL(r.url).pathname === '/api/v1/graph') await gate;
      return slow.handler(r);
    });
    const page = await fx.browser.newPage();
    try {
      await page.goto(server.url);
      await page.getByTestId('loading').waitFor();
      expect((await mapState(page)).nodes).toEqual([]);
      release();
      await expect
        .poll(async () => (await mapState(page)).nodes.length, { timeout: 10_000 })
        .toBe(drawnOf(edgesIn(fx.windows, 'workload', fx.now - 15 * MIN, fx.now)).nodes.length);
      expect(await page.getByTestId('loading').count()).toBe(0);
    } finally {
      release();
      await page.close();
      await server.close();
      await slow.close();
    }
  });
});
