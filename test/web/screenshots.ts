/**
 * Takes docs/screenshots/map-large.png, the synthetic 1,000-workload map of the render benchmark:
 * `npx tsx test/web/screenshots.ts`. Every other screenshot comes from the real demo (`demo-screenshots.ts`).
 * Look at the image after a UI change.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bigGraphWindow, THOUSAND } from './big-graph.js';
import { openMap, startFixture } from './fixture.js';

const out = resolve(dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');
mkdirSync(out, { recursive: true });
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
