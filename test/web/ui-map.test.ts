/**
 * The map in a real browser (Debian chromium via playwright-core) against the fixture API over the shop scenario:
 * what it draws, filters, time ranges, live updates in place, search, islands.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Edge } from '../../src/core/edge.js';
import { mapNodeOf } from '../../src/core/map-node.js';
import {
  clickBackdrop,
  elementData,
  type Fixture,
  mapState,
  openMap,
  positions,
  startFixture,
  urlQuery,
  waitForRenders,
} from './fixture.js';
import { drawnOf, edgesIn } from './truth.js';

const MIN = 60_000;
const FRONTEND = 'workload:shop/Deployment/frontend';
const CART = 'workload:shop/Deployment/cart';
const CHECKOUT = 'workload:shop/Deployment/checkout';
const LEGACY = 'workload:shop/Deployment/legacy-api';
const REPORT = 'workload:batch/CronJob/nightly-report';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture();
});
afterAll(async () => {
  await fx?.close();
});

describe('map', () => {
  it('shows the workloads and client -> server edges of the last 15 minutes, in islands, with ports and badges', async () => {
    const page = await fx.browser.newPage();
    await openMap(page, fx.server.url);
    const s = await mapState(page);
    const truth = edgesIn(fx.windows, 'workload', fx.now - 15 * MIN, fx.now);
    const want = drawnOf(truth);
    expect(s.nodes).toEqual(want.nodes);
    expect(s.edges).toEqual(want.edges);
    expect(s.nodes).toContain(FRONTEND);
    expect(s.nodes).not.toContain(LEGACY);
    expect(s.islands).toEqual([
      'grp:cluster',
      'grp:external',
      'grp:namespace:data',
      'grp:namespace:kube-system',
      'grp:namespace:monitoring',
      'grp:namespace:shop',
      'grp:unknown',
    ]);
    const frontendToCart = `${FRONTEND}->${CART}`;
    expect(await elementData(page, frontendToCart, 'source')).toBe(FRONTEND);
    expect(await elementData(page, frontendToCart, 'label')).toBe('7070/TCP');
    const heavy = Number(await elementData(page, `${FRONTEND}->workload:shop/Deployment/catalog`, 'width'));
    const light = Number(
      await elementData(page, 'workload:shop/Deployment/recommendation->unknown:203.0.113.50', 'width'),
    );
    expect(heavy).toBeGreaterThan(light + 2);
    expect(await elementData(page, 'workload:data/StatefulSet/postgres', 'badge')).toBe('STS');
    expect(await elementData(page, 'workload:monitoring/DaemonSet/node-exporter', 'badge')).toBe('DS');
    expect(await elementData(page, 'service:data/kafka-bootstrap', 'badge')).toBe('Svc');
    expect(await elementData(page, 'node:worker-1', 'badge')).toBe('Node');
    expect(await elementData(page, 'external:stripe-api', 'badge')).toBe('Ext');
    expect(await elementData(page, 'external:stripe-api', 'label')).toBe('stripe-api');
    expect(await elementData(page, 'external:Amazon.com, Inc.', 'label')).toBe('Amazon.com, Inc.');
    expect(await page.getByTestId('map-stats').textContent()).toContain(
      `${want.nodes.length} nodes · ${want.edges.length} edges`,
    );
    await page.close();
  });

  it('filters by external, port, namespace, protocol and minimum traffic, and keeps them in the URL', async () => {
    const page = await fx.browser.newPage();
    const from = fx.now - 30 * MIN;
    const to = fx.now - 15 * MIN;
    await openMap(page, fx.server.url, `from=${from}&to=${to}`);
    const all = edgesIn(fx.windows, 'workload', from, to);
    const shows = async (edges: Edge[]) => {
      const want = drawnOf(edges);
      await expect.poll(async () => (await mapState(page)).edges, { timeout: 10_000 }).toEqual(want.edges);
      expect((await mapState(page)).nodes).toEqual(want.nodes);
    };
    const external = (e: Edge) => e.client.kind === 'external' || e.server.kind === 'external';
    await page.getByTestId('show-external').uncheck();
    await shows(all.filter((e) => !external(e)));
    expect(urlQuery(page).get('ext')).toBe('0');
    expect(fx.server.requests.some((r) => r.includes('external=exclude'))).toBe(true);
    await page.getByTestId('show-external').check();

    await page.getByTestId('filter-port').fill('5432');
    await page.getByTestId('filter-port').press('Enter');
    await shows(all.filter((e) => e.port === 5432));
    expect(urlQuery(page).get('port')).toBe('5432');
    await page.getByTestId('filter-port').fill('');
    await page.getByTestId('filter-port').press('Enter');

    await page.getByTestId('namespace-filter').getByLabel('monitoring').check();
    await shows(all.filter((e) => e.client.namespace === 'monitoring' || e.server.namespace === 'monitoring'));
    expect(urlQuery(page).get('ns')).toBe('monitoring');
    await page.getByTestId('namespace-filter').getByLabel('monitoring').uncheck();

    await page.getByTestId('proto-UDP').check();
    await shows(all.filter((e) => e.ipProtocol === 17));
    await page.getByTestId('proto-UDP').uncheck();

    await page.getByTestId('filter-min').selectOption('10000');
    await shows(all.filter((e) => e.bytesToServer + e.bytesToClient >= 10_000 * ((to - from) / 1000)));
    expect(urlQuery(page).get('min')).toBe('10000');
    await page.getByTestId('clear-filters').click();
    await shows(all);
    await page.close();
  });

  it('shows a past range with the edges that were alive then, and picks a range on the scrubber', async () => {
    const page = await fx.browser.newPage();
    const from = fx.now - 150 * MIN;
    const to = fx.now - 130 * MIN;
    await openMap(page, fx.server.url, `from=${from}&to=${to}`);
    const s = await mapState(page);
    expect(s.edges).toEqual(drawnOf(edgesIn(fx.windows, 'workload', from, to)).edges);
    expect(s.nodes).toContain(LEGACY);
    expect(s.nodes).toContain(REPORT);
    expect(await page.getByTestId('live-toggle').getAttribute('class')).not.toContain('on');

    await page.getByTestId('live-toggle').click();
    await expect.poll(async () => (await mapState(page)).nodes.includes(REPORT), { timeout: 10_000 }).toBe(false);
    expect(urlQuery(page).get('from')).toBeNull();

    const box = (await page.getByTestId('scrubber').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.1, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect.poll(() => urlQuery(page).get('from'), { timeout: 5_000 }).not.toBeNull();
    const picked = { from: Number(urlQuery(page).get('from')), to: Number(urlQuery(page).get('to')) };
    const span = 60 * MIN;
    expect(picked.to - picked.from).toBeGreaterThan(span * 0.15);
    expect(picked.to - picked.from).toBeLessThan(span * 0.25);
    expect(picked.from).toBeLessThan(Date.now() - span * 0.8);
    await expect
      .poll(() => fx.server.requests.some((r) => r.startsWith('/api/v1/graph') && r.includes(`from=${picked.from}`)))
      .toBe(true);
    await page.close();
  });

  it('updates live in place: polls, keeps every node where it is, and adds newcomers', async () => {
    // the live range moves on at each minute: rates, and so edge widths, may change then; watch polls clear of one
    const untilMinute = MIN - (Date.now() % MIN);
    if (untilMinute < 10_000) await new Promise((r) => setTimeout(r, untilMinute + 250));
    const page = await fx.browser.newPage();
    await openMap(page, fx.server.url, 'every=1', 1);
    await page.evaluate(() => {
      const cy = window.__flowmap?.cy as {
        nodes(s: string): { positions(p: (n: unknown, i: number) => { x: number; y: number }): void };
      };
      cy.nodes('.leaf').positions((_n, i) => ({ x: 37 * i, y: -50 }));
    });
    const before = await positions(page);
    await waitForRenders(page, 3);
    const timings = await page.evaluate(() => window.__flowmap?.timings.slice(1) ?? []);
    expect(timings.every((t) => t.added === 0 && t.removed === 0)).toBe(true);
    expect(timings.at(-1)?.updated).toBe(0);
    expect(await positions(page)).toEqual(before);

    const ads = {
      kind: 'pod' as const,
      namespace: 'shop',
      name: 'ads-1',
      workload: { kind: 'Deployment', namespace: 'shop', name: 'ads' },
    };
    const client = mapNodeOf(ads, '10.244.9.9', 'workload');
    const server = mapNodeOf(
      {
        kind: 'pod',
        namespace: 'shop',
        name: 'frontend-7d9f-abcde',
        workload: { kind: 'Deployment', namespace: 'shop', name: 'frontend' },
      },
      '10.244.0.12',
      'workload',
    );
    const start = Math.floor(Date.now() / MIN) * MIN - MIN;
    await fx.add([
      {
        start,
        end: start + MIN,
        level: 'workload',
        dropped: 0,
        edges: [
          {
            clientId: client.id,
            serverId: server.id,
            port: 8080,
            ipProtocol: 6,
            client,
            server,
            bytesToServer: 5000,
            bytesToClient: 9000,
            packetsToServer: 10,
            packetsToClient: 12,
            connections: 3,
            firstSeen: start + 1000,
            lastSeen: start + 50_000,
            evidence: 'tcp-handshake',
          },
        ],
      },
    ]);
    await expect.poll(async () => (await mapState(page)).nodes.includes(client.id), { timeout: 10_000 }).toBe(true);
    const after = await positions(page);
    for (const [id, p] of Object.entries(before)) expect(after[id]).toEqual(p);
    expect(Object.values(before).some((p) => p.x === after[client.id]?.x && p.y === after[client.id]?.y)).toBe(false);
    await page.close();
  });

  it('search focuses a workload: selects it, fades the rest and centres it', async () => {
    const page = await fx.browser.newPage();
    await openMap(page, fx.server.url);
    await page.getByTestId('search').fill('checko');
    await page.getByTestId('search-hits').getByText('checkout').waitFor();
    await page.getByTestId('search').press('Enter');
    await expect.poll(() => urlQuery(page).get('focus')).toBe(CHECKOUT);
    expect(urlQuery(page).get('sel')).toBe(CHECKOUT);
    await page.waitForTimeout(600);
    const view = await page.evaluate((id) => {
      const cy = window.__flowmap?.cy as import('./fixture.js').CyLike;
      const n = cy.getElementById(id);
      return {
        focused: n.hasClass('focused'),
        p: n.renderedPosition(),
        w: cy.width(),
        h: cy.height(),
        faded: cy.nodes('.faded').map((x) => x.id()),
      };
    }, CHECKOUT);
    expect(view.focused).toBe(true);
    expect(Math.abs(view.p.x - view.w / 2)).toBeLessThan(30);
    expect(Math.abs(view.p.y - view.h / 2)).toBeLessThan(30);
    expect(view.faded).toContain('workload:monitoring/StatefulSet/prometheus');
    expect(view.faded).not.toContain(CART);
    await page.getByTestId('detail-title').getByText('checkout').waitFor();
    const box = (await page.getByTestId('map-canvas').boundingBox())!;
    await page.mouse.click(box.x + 4, box.y + box.height - 4);
    await expect.poll(() => urlQuery(page).get('focus')).toBeNull();
    expect(
      await page.evaluate(() =>
        (window.__flowmap!.cy as import('./fixture.js').CyLike).nodes('.faded').map((n) => n.id()),
      ),
    ).toEqual([]);
    await page.close();
  });

  it('collapses an island to one node on double-click and expands it back to the same places', async () => {
    const page = await fx.browser.newPage();
    await openMap(page, fx.server.url);
    const before = await positions(page);
    await clickBackdrop(page, 'grp:namespace:shop', 2);
    await expect
      .poll(async () => (await mapState(page)).nodes.includes('grp:namespace:shop'), { timeout: 10_000 })
      .toBe(true);
    const s = await mapState(page);
    expect(s.nodes.some((id) => id.startsWith('workload:shop/'))).toBe(false);
    expect(s.edges).toContain('grp:namespace:shop->workload:data/StatefulSet/postgres');
    expect(s.edges).toContain('node:worker-1->grp:namespace:shop');
    expect(urlQuery(page).get('collapse')).toBe('namespace:shop');
    await page.getByTestId('island-toggle-namespace:shop').click();
    await expect.poll(async () => (await mapState(page)).nodes.includes(FRONTEND), { timeout: 10_000 }).toBe(true);
    const after = await positions(page);
    for (const [id, p] of Object.entries(before)) expect(after[id]).toEqual(p);
    await page.close();
  });

  it('shows pods on demand (level=pod)', async () => {
    const page = await fx.browser.newPage();
    await openMap(page, fx.server.url);
    await page.getByTestId('level-pod').click();
    const want = drawnOf(edgesIn(fx.windows, 'pod', fx.now - 15 * MIN, fx.now));
    await expect.poll(async () => (await mapState(page)).nodes, { timeout: 10_000 }).toEqual(want.nodes);
    expect(want.nodes).toContain('pod:shop/frontend-7d9f-abcde');
    expect(urlQuery(page).get('level')).toBe('pod');
    await page.close();
  });
});
