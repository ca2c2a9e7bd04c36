/**
 * Takes the screenshots in docs/screenshots/ from the UI running against the shop scenario:
 * `npx tsx test/web/screenshots.ts`. Look at them after a UI change.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bigGraphWindow, THOUSAND } from './big-graph.js';
import { openMap, startFixture } from './fixture.js';

const out = resolve(dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');
mkdirSync(out, { recursive: true });
const fx = await startFixture();
try {
  const page = await fx.browser.newPage();
  const shot = async (name: string) => {
    await page.waitForTimeout(600);
    await page.screenshot({ path: join(out, `${name}.png`) });
    console.log(`docs/screenshots/${name}.png`);
  };
  await openMap(page, fx.server.url);
  await shot('map');
  const edge = 'workload:shop/Deployment/frontend->workload:shop/Deployment/cart';
  await openMap(page, fx.server.url, `sel=${encodeURIComponent(edge)}`);
  await page.getByTestId('series-chart').waitFor();
  await shot('edge-detail');
  await openMap(
    page,
    fx.server.url,
    `sel=${encodeURIComponent('workload:shop/Deployment/checkout')}&focus=${encodeURIComponent('workload:shop/Deployment/checkout')}`,
  );
  await page.getByTestId('series-chart').waitFor();
  await shot('node-detail');
  await openMap(
    page,
    fx.server.url,
    'collapse=namespace:monitoring,namespace:kube-system,namespace:data&level=workload',
  );
  await shot('map-collapsed');
  await openMap(page, fx.server.url, 'level=pod');
  await shot('map-pods');
  await openMap(page, fx.server.url, 'level=namespace');
  await shot('map-namespaces');
  await page.goto(`${fx.server.url}?view=matrix&mns=shop`);
  await page.getByTestId('matrix-incoming').waitFor();
  await shot('matrix');
  await page.goto(`${fx.server.url}?view=externals`);
  await page.getByTestId('externals-table').waitFor();
  await shot('externals');
} finally {
  await fx.close();
}

const now = Math.floor(Date.now() / 60_000) * 60_000;
const large = await startFixture({ windows: [bigGraphWindow({ ...THOUSAND, start: now - 2 * 60_000 })] });
try {
  const page = await large.browser.newPage();
  await openMap(page, large.server.url, 'win=5&every=600');
  await page.waitForTimeout(800);
  await page.screenshot({ path: join(out, 'map-large.png') });
  console.log('docs/screenshots/map-large.png');
} finally {
  await large.close();
}
