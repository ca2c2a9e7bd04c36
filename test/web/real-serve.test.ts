/**
 * The UI in Debian chromium against the real product: `startDemo` runs flowmap (collector, pipeline, store, API,
 * this UI) fed by the simulated cluster's node exporters over UDP (NetFlow v9 and IPFIX). Once the exporters have
 * flushed, the map must show the simulator's truth; filters and time ranges change it as the API answers; the
 * detail panel shows the API's numbers; a URL restores a view; the flow matrix of `shop` lists its calls.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningDemo, startDemo } from '../../src/cli/commands/demo.js';
import type { GraphResponse, MatrixResponse, SeriesPoint } from '../../src/contract/responses.js';
import { parseIp } from '../../src/core/ip.js';
import { mapNodeOf } from '../../src/core/map-node.js';
import { formatByteRate, formatRate, formatTime } from '../../web/src/lib/format.js';
import { freePort } from '../e2e/api-tools.js';
import { getJson, MAIN_CALLS, pollFor, SHOP_WORKLOADS } from '../e2e/demo-run.js';
import { clickElement, mapState, openMap, urlQuery } from './fixture.js';
import { type Browser, buildUi, launchBrowser } from './server.js';

const FRONTEND = 'workload:shop/Deployment/frontend';
const CART = 'workload:shop/Deployment/cartservice';
const MIN = 60_000;

let demo: RunningDemo;
let browser: Browser;
let from = 0;
let to = 0;
/** the truth as drawn: "client->server" pairs and node ids */
let truth: { nodes: string[]; edges: string[] };
/** pairs only the sampled exporter (node-2, 1:10) saw: sampling may have missed every packet of them */
let sampledOnly: Set<string>;

const api = <T>(path: string) => getJson<T>(`${demo.url}api/v1/${path}`);
const range = () => `from=${from}&to=${to}`;
const drawnOf = (g: GraphResponse) => ({
  nodes: g.nodes.map((n) => n.id).sort(),
  edges: [...new Set(g.edges.map((e) => `${e.source}->${e.target}`))].sort(),
});
const text = async (page: Page, id: string) => (await page.getByTestId(id).textContent())?.trim();

beforeAll(async () => {
  const [staticDir, port] = await Promise.all([buildUi(), freePort(31300)]);
  demo = await startDemo({ httpPort: port, staticDir, seed: 5, historyMs: 4 * MIN });
  await demo.history;
  await new Promise((r) => setTimeout(r, 2_000));
  // stop the exporters (they flush every open flow) so the map holds still and equals the truth
  await demo.demo.stop();
  const sent = demo.demo.stats().records;
  await pollFor(
    async () => Object.values(demo.flowmap.collector.stats().records).reduce((a, b) => a + b, 0) >= sent || undefined,
    10_000,
    () => 'records still in flight',
    100,
  );
  await demo.flowmap.flushToStore(true);
  to = Math.ceil(Date.now() / MIN) * MIN + MIN;
  from = to - 15 * MIN;
  const idOf = (id: string) => {
    if (!id.startsWith('external-ip:')) return id;
    const ip = parseIp(id.slice('external-ip:'.length))!;
    return mapNodeOf(demo.flowmap.identity.index.lookup(ip, Date.now()), ip, 'workload').id;
  };
  const all = demo.demo.truth();
  const pair = (e: (typeof all)[number]) => `${idOf(e.clientId)}->${idOf(e.serverId)}`;
  const edges = all.map(pair);
  truth = { nodes: [...new Set(edges.flatMap((e) => e.split('->')))].sort(), edges: [...new Set(edges)].sort() };
  const seen = new Set(all.filter((e) => e.observers.some((o) => o !== 'node-2')).map(pair));
  sampledOnly = new Set(edges.filter((e) => !seen.has(e)));
  browser = await launchBrowser();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

describe('UI on flowmap fed by the demo exporters', () => {
  it('draws the workloads and client -> server edges of the truth', async () => {
    const page = await browser.newPage();
    await openMap(page, demo.url, range());
    const s = await mapState(page);
    expect(s).toMatchObject(drawnOf(await api<GraphResponse>(`graph?${range()}`)));
    expect(s.edges.filter((e) => !truth.edges.includes(e)).join('\n'), 'drawn, not in the truth').toBe('');
    const missed = truth.edges.filter((e) => !s.edges.includes(e));
    expect(missed.filter((e) => !sampledOnly.has(e)).join('\n'), 'in the truth, not drawn').toBe('');
    expect(s.nodes.filter((n) => !truth.nodes.includes(n))).toEqual([]);
    for (const id of SHOP_WORKLOADS) expect(s.nodes).toContain(id);
    for (const c of MAIN_CALLS) expect(s.edges).toContain(`${c.client}->${c.server}`);
    expect(s.islands).toEqual(
      expect.arrayContaining(['grp:namespace:shop', 'grp:namespace:kube-system', 'grp:namespace:monitoring']),
    );
    await page.close();
  });

  it('filters by namespace, protocol and external traffic as the API does, and keeps them in the URL', async () => {
    const page = await browser.newPage();
    await openMap(page, demo.url, range());
    const shows = async (query: string) => {
      const want = drawnOf(await api<GraphResponse>(`graph?${range()}&${query}`));
      await expect.poll(async () => (await mapState(page)).edges, { timeout: 10_000 }).toEqual(want.edges);
      expect((await mapState(page)).nodes).toEqual(want.nodes);
      return want;
    };
    await page.getByTestId('namespace-filter').getByLabel('monitoring').check();
    const monitoring = await shows('namespace=monitoring');
    expect(monitoring.edges.every((e) => e.includes('monitoring/'))).toBe(true);
    expect(monitoring.edges.length).toBeLessThan(truth.edges.length);
    expect(urlQuery(page).get('ns')).toBe('monitoring');
    await page.getByTestId('namespace-filter').getByLabel('monitoring').uncheck();

    await page.getByTestId('proto-UDP').check();
    const udp = await shows('protocol=UDP');
    // UDP in the demo is DNS: to CoreDNS, and CoreDNS forwarding upstream
    expect(udp.edges.length).toBeGreaterThan(3);
    expect(udp.edges.every((e) => e.includes('coredns'))).toBe(true);
    await page.getByTestId('proto-UDP').uncheck();

    await page.getByTestId('show-external').uncheck();
    const inside = await shows('external=exclude');
    expect(inside.nodes.some((n) => n.startsWith('external:'))).toBe(false);
    expect(truth.nodes).toContain('external:payment-gateway');
    expect(urlQuery(page).get('ext')).toBe('0');
    await page.getByTestId('clear-filters').click();
    await shows('');
    await page.close();
  });

  it('shows what a time range held: nothing before the demo began, the API answer for its first minutes', async () => {
    const page = await browser.newPage();
    // two hours before the first record: a range closer to it would reach into the first hour's roll-up, which
    // the store then answers whole (see the report on the store's range plan)
    await page.goto(`${demo.url}?from=${from - 240 * MIN}&to=${from - 120 * MIN}`);
    await page.getByTestId('empty-state').getByText('No traffic in this time range').waitFor({ timeout: 10_000 });
    expect((await mapState(page)).nodes).toEqual([]);
    const timeline = await api<{ points: { t: number; bytes: number }[] }>(`timeline?${range()}&step=60000`);
    const busy = timeline.points.filter((p) => p.bytes > 0);
    expect(busy.length).toBeGreaterThan(0);
    const first = `from=${busy[0]!.t}&to=${busy[0]!.t + MIN}`;
    await openMap(page, demo.url, first);
    const want = drawnOf(await api<GraphResponse>(`graph?${first}`));
    expect(want.edges.length).toBeGreaterThan(5);
    const s = await mapState(page);
    expect(s.edges).toEqual(want.edges);
    expect(s.nodes).toEqual(want.nodes);
    await page.close();
  });

  it("shows an edge's numbers as the API reports them", async () => {
    const page = await browser.newPage();
    await openMap(page, demo.url, range());
    await clickElement(page, `${FRONTEND}->${CART}`);
    await page.getByTestId('detail-title').getByText('frontend → cartservice').waitFor();
    const g = await api<GraphResponse>(`graph?${range()}`);
    const e = g.edges.find((x) => x.source === FRONTEND && x.target === CART)!;
    expect(e.port).toBe(7070);
    const sec = (to - from) / 1000;
    expect(await text(page, 'rate-bytes-in')).toBe(formatByteRate(e.bytesToServer / sec));
    expect(await text(page, 'rate-bytes-out')).toBe(formatByteRate(e.bytesToClient / sec));
    expect(await text(page, 'rate-packets-in')).toBe(formatRate(e.packetsToServer / sec, 'pkt'));
    expect(await text(page, 'rate-packets-out')).toBe(formatRate(e.packetsToClient / sec, 'pkt'));
    expect(await text(page, 'rate-conn-in')).toBe(formatRate(e.connections / sec, 'conn'));
    expect(await text(page, 'first-seen')).toBe(formatTime(e.firstSeen));
    expect(await text(page, 'services')).toBe('shop/cartservice');
    expect(await page.getByTestId('edge-ports').textContent()).toContain('7070/TCP');
    // the series the panel charts adds up to the same totals
    const series = await api<{ points: SeriesPoint[] }>(
      `edge?${range()}&source=${encodeURIComponent(FRONTEND)}&target=${encodeURIComponent(CART)}&port=7070&protocol=TCP`,
    );
    expect(series.points.reduce((n, p) => n + p.bytesToServer, 0)).toBe(e.bytesToServer);
    await page.getByTestId('series-chart').waitFor();
    await page.close();
  });

  it('restores a view from its URL: filters, selection and range', async () => {
    const page = await browser.newPage();
    const edge = `${FRONTEND}->${CART}`;
    await openMap(page, demo.url, `${range()}&ns=shop&ext=0&sel=${encodeURIComponent(edge)}`);
    await page.getByTestId('detail-title').getByText('frontend → cartservice').waitFor();
    const want = drawnOf(await api<GraphResponse>(`graph?${range()}&namespace=shop&external=exclude`));
    const s = await mapState(page);
    expect(s.edges).toEqual(want.edges);
    expect(s.nodes).toEqual(want.nodes);
    expect(await page.getByTestId('show-external').isChecked()).toBe(false);
    expect(await page.getByTestId('namespace-filter').getByLabel('shop').isChecked()).toBe(true);
    expect(urlQuery(page).get('from')).toBe(String(from));
    await page.close();
  });

  it('lists the calls into and out of shop in the flow matrix', async () => {
    const page = await browser.newPage();
    await page.goto(`${demo.url}?view=matrix&mns=shop&${range()}`);
    const incoming = page.getByTestId('matrix-incoming').locator('tbody tr');
    await incoming.first().waitFor();
    const m = await api<MatrixResponse>(`matrix?namespace=shop&${range()}`);
    expect(m.incoming.length).toBeGreaterThan(10);
    expect(await incoming.count()).toBe(m.incoming.length);
    expect(await page.getByTestId('matrix-outgoing').locator('tbody tr').count()).toBe(m.outgoing.length);
    const all = (await incoming.allTextContents()).join('\n');
    expect(all).toContain('cartservice');
    expect(all).toContain('7070/TCP');
    const out = (await page.getByTestId('matrix-outgoing').locator('tbody tr').allTextContents()).join('\n');
    expect(out).toContain('payment-gateway');
    await page.close();
  });
});
