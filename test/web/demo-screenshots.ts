/**
 * Takes the screenshots in docs/screenshots/ from the real demo: `startDemo` (flowmap fed over UDP by the
 * simulated cluster's NetFlow v9 / IPFIX exporters, ten minutes of history) and the built UI in Debian chromium.
 * `npx tsx test/web/demo-screenshots.ts [name...]`. Look at every image after a UI change; `screenshots.ts` keeps
 * the synthetic 1,000-workload map.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { startDemo } from '../../src/cli/commands/demo.js';
import { openMap } from './fixture.js';
import { buildUi, launchBrowser } from './server.js';

const out = resolve(dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');
mkdirSync(out, { recursive: true });
const only = new Set(process.argv.slice(2));
const FRONTEND = 'workload:shop/Deployment/frontend';
const CART = 'workload:shop/Deployment/cartservice';
const CHECKOUT = 'workload:shop/Deployment/checkoutservice';
const q = encodeURIComponent;

const demo = await startDemo({ httpPort: 0, staticDir: await buildUi(), historyMs: 10 * 60_000 });
const browser = await launchBrowser({ width: 1440, height: 900 });
try {
  await demo.history;
  await new Promise((r) => setTimeout(r, 5_000));
  const page = await browser.newPage();
  const shot = async (name: string, open: (p: Page) => Promise<void>) => {
    if (only.size > 0 && !only.has(name)) return;
    await open(page);
    await page.waitForTimeout(800);
    await page.screenshot({ path: join(out, `${name}.png`) });
    console.log(`docs/screenshots/${name}.png`);
  };
  await shot('map', async (p) => {
    await openMap(p, demo.url);
    // printed so the picture can be checked against what it should show
    const drawn = await p.evaluate(() =>
      (window.__flowmap!.cy as { edges(): { map<T>(f: (e: { id(): string }) => T): T[] } }).edges().map((e) => e.id()),
    );
    console.log(`map: ${drawn.length} edges\n  ${drawn.sort().join('\n  ')}`);
  });
  await shot('edge-detail', async (p) => {
    await openMap(p, demo.url, `sel=${q(`${FRONTEND}->${CART}`)}`);
    await p.getByTestId('series-chart').waitFor();
  });
  await shot('node-detail', async (p) => {
    await openMap(p, demo.url, `sel=${q(CHECKOUT)}&focus=${q(CHECKOUT)}`);
    await p.getByTestId('series-chart').waitFor();
  });
  await shot('map-collapsed', (p) => openMap(p, demo.url, 'collapse=namespace:kube-system,namespace:monitoring'));
  await shot('map-pods', (p) => openMap(p, demo.url, 'level=pod&ns=shop'));
  await shot('map-namespaces', (p) => openMap(p, demo.url, 'level=namespace'));
  await shot('matrix', async (p) => {
    await p.goto(`${demo.url}?view=matrix&mns=shop`);
    await p.getByTestId('matrix-incoming').locator('tbody tr').first().waitFor();
  });
  await shot('externals', async (p) => {
    await p.goto(`${demo.url}?view=externals`);
    await p.getByTestId('externals-table').locator('tbody tr').first().waitFor();
  });
} finally {
  await browser.close();
  await demo.stop();
}
