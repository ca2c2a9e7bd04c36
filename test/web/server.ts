/**
 * Test harness for the UI: builds web/ once into a temp folder (cached by a hash of its sources), serves it next to
 * an API (any fetch handler: the fixture or the real createApi), and launches Debian's chromium via playwright-core.
 * @module
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getRequestListener } from '@hono/node-server';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function hashTree(dir: string, h = createHash('sha256')): ReturnType<typeof createHash> {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (name === 'dist' || name === 'node_modules') continue;
    if (statSync(path).isDirectory()) hashTree(path, h);
    else h.update(path).update(readFileSync(path));
  }
  return h;
}

/** the production build of the UI into `outDir` (web/dist when absent), as `npm run build` makes it */
export async function viteBuild(outDir?: string): Promise<void> {
  const { build } = await import('vite');
  // vitest sets NODE_ENV=test, which would give React's development build: always build what ships
  const env = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: join(repo, 'web/vite.config.ts'),
      mode: 'production',
      logLevel: 'warn',
      ...(outDir === undefined ? {} : { build: { outDir, emptyOutDir: true } }),
    });
  } finally {
    if (env === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = env;
  }
}

/** builds the UI with vite into a cache folder and returns it; reuses an earlier build of the same sources */
export async function buildUi(): Promise<string> {
  const hash = hashTree(join(repo, 'web')).digest('hex').slice(0, 16);
  const outDir = join(tmpdir(), `flowmap-web-prod-${hash}`);
  if (existsSync(join(outDir, 'index.html'))) return outDir;
  const staging = `${outDir}.tmp-${process.pid}`;
  await viteBuild(staging);
  try {
    renameSync(staging, outDir);
  } catch {
    // another test process finished the same build first: keep its copy, it may be serving it
    rmSync(staging, { recursive: true, force: true });
  }
  return outDir;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export type FetchHandler = (request: Request) => Response | Promise<Response>;

export interface UiServer {
  readonly url: string;
  /** API requests seen, as "path?query" */
  readonly requests: string[];
  close(): Promise<void>;
}

/** serves `distDir` at / and hands /api/* to `api`; listens on an ephemeral port of 127.0.0.1 */
export async function startUiServer(distDir: string, api: FetchHandler): Promise<UiServer> {
  const requests: string[] = [];
  const apiListener = getRequestListener(api);
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname.startsWith('/api/')) {
      requests.push(`${url.pathname}${url.search}`);
      void apiListener(req, res);
      return;
    }
    const rel = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
    const file = resolve(distDir, rel);
    if (!file.startsWith(distDir) || !existsSync(file) || statSync(file).isDirectory()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

export interface Browser {
  readonly context: BrowserContext;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** headless Debian chromium with a fresh profile in a temp folder */
export async function launchBrowser(viewport = { width: 1440, height: 900 }): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'flowmap-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    viewport,
    acceptDownloads: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    newPage: () => context.newPage(),
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
