/**
 * Layout + render time of the map for 1,000 nodes / 5,000 edges in Debian chromium (`npm run bench web`), served
 * by the real API over an in-memory store.
 * Prints, per case, the median over runs of: wall time of the update (model -> layout -> cytoscape add -> first
 * frame drawn), the renderer main thread's CPU time (CDP ThreadTime, immune to other processes' load), and for
 * interaction the frame intervals while zooming and panning with the mouse.
 */
import { loadavg } from 'node:os';
import type { CDPSession, Page } from 'playwright-core';
import type { RenderTimings } from '../../web/src/ui/index.js';
import { startBackend } from './backend.js';
import { bigGraphWindow, THOUSAND } from './big-graph.js';
import { mapState } from './fixture.js';
import { buildUi, launchBrowser, startUiServer } from './server.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const f = (ms: number) => `${ms.toFixed(0)} ms`;

async function threadMs(cdp: CDPSession): Promise<number> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  return (metrics.find((m) => m.name === 'ThreadTime')?.value ?? Number.NaN) * 1000;
}

async function timings(page: Page, n: number): Promise<RenderTimings> {
  await page.waitForFunction((k) => (window.__flowmap?.timings.length ?? 0) >= k, n, { timeout: 120_000 });
  return page.evaluate((k) => window.__flowmap!.timings[k - 1]!, n);
}

const now = Math.floor(Date.now() / 60_000) * 60_000;
const big = bigGraphWindow({ ...THOUSAND, start: now - 2 * 60_000 });
const api = await startBackend([big]);
const server = await startUiServer(await buildUi(), api.handler);
const browser = await launchBrowser({ width: 1440, height: 900 });
await browser.context.addInitScript('window.__name = (f) => f;');
console.log(
  `# chromium headless, software rendering; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
try {
  const first: number[] = [];
  const firstCpu: number[] = [];
  const toMap: number[] = [];
  const layout: number[] = [];
  const expand: number[] = [];
  const expandCpu: number[] = [];
  const poll: number[] = [];
  let drawn = { nodes: 0, edges: 0 };
  for (let run = 0; run < RUNS; run++) {
    const page = await browser.newPage();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' } as never);
    await page.goto(`${server.url}?win=5&every=3`);
    const t = await timings(page, 1);
    first.push(t.totalMs);
    toMap.push(t.doneAt);
    layout.push(t.layoutMs);
    firstCpu.push(await threadMs(cdp));
    const s = await mapState(page);
    drawn = { nodes: s.nodes.length, edges: s.edges.length };
    poll.push((await timings(page, 2)).totalMs);
    await page.getByText('collapse all').click();
    await timings(page, 3);
    const before = await threadMs(cdp);
    await page.getByText('expand all').click();
    const e = await timings(page, 4);
    expand.push(e.totalMs);
    expandCpu.push((await threadMs(cdp)) - before);
    await page.close();
  }
  const what = `${drawn.nodes} nodes / ${drawn.edges} edges`;
  console.log(
    `bench web first map ${what}: ${f(median(first))} update-to-drawn, ${f(median(toMap))} from page load (layout ${median(layout).toFixed(1)} ms); main-thread CPU for the whole page load ${f(median(firstCpu))} (median of ${RUNS})`,
  );
  console.log(
    `bench web expand all islands ${what}: ${f(median(expand))} update-to-drawn, main-thread CPU ${f(median(expandCpu))} (median of ${RUNS})`,
  );
  console.log(`bench web live poll, nothing changed ${what}: ${f(median(poll))} update-to-drawn (median of ${RUNS})`);

  const page = await browser.newPage();
  await page.goto(`${server.url}?win=5&every=600`);
  await timings(page, 1);
  const box = (await page.getByTestId('map-canvas').boundingBox())!;
  await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __run: boolean };
    w.__frames = [];
    w.__run = true;
    const loop = (t: number) => {
      w.__frames.push(t);
      if (w.__run) requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  });
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await page.mouse.move(cx, cy);
  for (let i = 0; i < 15; i++) {
    await page.mouse.wheel(0, i < 8 ? -120 : 120);
    await page.waitForTimeout(40);
  }
  await page.mouse.down();
  await page.mouse.move(cx + 300, cy + 150, { steps: 30 });
  await page.mouse.move(cx - 200, cy - 100, { steps: 30 });
  await page.mouse.up();
  const frames = await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __run: boolean };
    w.__run = false;
    return w.__frames;
  });
  const gaps = frames.slice(1).map((t, i) => t - frames[i]!);
  const sorted = [...gaps].sort((a, b) => a - b);
  console.log(
    `bench web zoom and pan ${drawn.nodes} nodes: ${gaps.length} frames, median frame ${median(gaps).toFixed(1)} ms, p95 ${(sorted[Math.floor(sorted.length * 0.95)] ?? 0).toFixed(1)} ms, worst ${(sorted[sorted.length - 1] ?? 0).toFixed(0)} ms`,
  );
  await page.close();
} finally {
  await browser.close();
  await server.close();
  await api.close();
}
