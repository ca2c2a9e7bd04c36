/**
 * Helpers of the serve-* end-to-end tests: free ports in a test file's slice of this suite's range (30000-30999),
 * and a real `flowmap serve` child process (node --import tsx src/cli/main.ts serve ...) that tests start, query
 * over HTTP and stop with SIGTERM (or kill in afterAll whatever still runs).
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sleep } from '../tools/index.js';

/** the repository root (the serve child runs there so that `tsx` resolves) */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');

async function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

async function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createSocket('udp4');
    probe.once('error', () => resolve(false));
    probe.bind(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** hands out ports (free for both TCP and UDP on loopback) from [from, from + size), never the same one twice */
export function portRange(from: number, size: number): () => Promise<number> {
  let next = from + Math.floor(Math.random() * Math.max(1, size / 4));
  return async () => {
    for (let tried = 0; tried < size; tried++) {
      const port = from + ((next++ - from) % size);
      if ((await tcpFree(port)) && (await udpFree(port))) return port;
    }
    throw new Error(`Cannot find a free port in ${from}-${from + size - 1}`);
  };
}

export interface ServeOptions {
  /** arguments after `serve` */
  readonly args: readonly string[];
  /** extra environment (FLOWMAP_* overrides) */
  readonly env?: Readonly<Record<string, string>>;
  readonly httpPort: number;
}

export interface ServeProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** what the process printed so far (stdout and stderr) */
  output(): string;
  json<T>(path: string): Promise<T>;
  text(path: string): Promise<string>;
  /** SIGTERM, and the exit status once it exited (SIGKILL after `graceMs`) */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** every serve child a test started, so afterAll can kill what a failed test left running */
const running = new Set<ChildProcess>();

/** spawns `flowmap serve`; does not wait for it (see waitReady) */
export function spawnServe(options: ServeOptions): ServeProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve', ...options.args], {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    }),
  );
  const url = `http://127.0.0.1:${options.httpPort}`;
  const get = async (path: string) => {
    const res = await fetch(`${url}${path}`);
    if (!res.ok) throw new Error(`Cannot GET "${path}": ${res.status} ${await res.text()}`);
    return res;
  };
  return {
    url,
    child,
    output: () => output,
    json: async <T>(path: string) => (await (await get(path)).json()) as T,
    text: async (path: string) => (await get(path)).text(),
    async stop(graceMs = 15_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

/** resolves once /readyz answers 200; rejects with the process output when it exits or `ms` pass */
export async function waitReady(serve: ServeProcess, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (serve.child.exitCode !== null) throw new Error(`flowmap serve exited early:\n${serve.output()}`);
    const ok = await fetch(`${serve.url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`flowmap serve not ready after ${ms} ms:\n${serve.output()}`);
}

/** starts serve and waits until it is ready */
export async function startServe(options: ServeOptions): Promise<ServeProcess> {
  const serve = spawnServe(options);
  try {
    await waitReady(serve);
  } catch (error) {
    await serve.stop(2_000);
    throw error;
  }
  return serve;
}

/** kills every serve child still running (afterAll) */
export async function killAllServes(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once('close', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}

/** polls `probe` every `everyMs` until it returns a value for which `done` holds; the last value after `ms` */
export async function pollUntil<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  ms = 20_000,
  everyMs = 250,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > until) return value;
    await sleep(everyMs);
  }
}
