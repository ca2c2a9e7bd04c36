/**
 * Helpers of the api-* end-to-end tests: a free port in this suite's range (24000-24999) and a real Prometheus
 * (Debian's `prometheus`) scraping given targets every second, with a temporary TSDB, stopped by the caller.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './collector-tools.js';
import { portRange } from './serve-tools.js';

/** a free port (TCP and UDP) in [from, from + 100) of the api suites' range */
export function freePort(from: number): Promise<number> {
  return portRange(from, 100)();
}

export interface RealPrometheus {
  readonly url: string;
  /** an instant query; rejects on an error answer */
  query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  stop(): Promise<void>;
}

/** starts prometheus scraping `targets` (host:port, path /metrics) every second; resolves once it serves */
export async function startPrometheus(targets: readonly string[], portFrom: number): Promise<RealPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'flowmap-prom-api-'));
  const list = targets.map((t) => `'${t}'`).join(', ');
  writeFileSync(
    join(dir, 'prometheus.yml'),
    `global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: flowmap\n    static_configs:\n      - targets: [${list}]\n`,
  );
  const port = await freePort(portFrom);
  const child = spawn('prometheus', [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'tsdb')}`,
    `--web.listen-address=127.0.0.1:${port}`,
  ]);
  let log = '';
  child.stderr?.on('data', (d: Buffer) => {
    log += d.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(() => log.includes('Server is ready to receive web requests'), 30_000, 'prometheus to start');
  } catch (error) {
    await stop();
    throw new Error(`Cannot start prometheus: ${log.slice(-2000)}`, { cause: error });
  }
  return {
    url,
    stop,
    async query(expr) {
      const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
      const body = (await res.json()) as {
        status: string;
        error?: string;
        data: { result: { metric: Record<string, string>; value: [number, string] }[] };
      };
      if (body.status !== 'success') throw new Error(`Cannot query "${expr}": ${body.error}`);
      return body.data.result;
    },
  };
}

/** waits until every target was scraped at least `n` times */
export async function waitForScrapes(prom: RealPrometheus, metric: string, n: number, ms = 40_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const r = await prom.query(`min(count_over_time(${metric}[1m]))`);
    if (Number(r[0]?.value[1] ?? 0) >= n) return;
    if (Date.now() > until) throw new Error(`Cannot see ${n} scrapes of ${metric} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
