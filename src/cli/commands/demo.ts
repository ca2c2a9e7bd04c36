/**
 * `flowmap demo`: `serve` fed by a simulated cluster — an Online-Boutique-like shop, kube-system, monitoring, a CronJob,
 * three nodes, pods that come and go — whose node exporters send real NetFlow v9 and IPFIX over UDP. Prints the UI
 * URL and a status line until Ctrl-C. With `--no-ui` it only runs the exporters against another collector (a load
 * generator), optionally writing the cluster snapshot for that collector's `--cluster`.
 * @module
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Flowmap } from '../../app/flowmap.js';
import { createLogger } from '../../app/logger.js';
import type { GraphResponse } from '../../contract/responses.js';
import { ConfigError } from '../../core/errors.js';
import { createDemo, type Demo } from '../../demo/index.js';
import { type RunningDemo, startDemo } from './demo-start.js';
import { runUntilSignal } from './serve.js';

const HELP = `Usage: flowmap demo [options]

Runs flowmap on a simulated cluster whose nodes export real NetFlow v9 and IPFIX: open the printed URL.

Options:
  --http-port N        port of the UI and API (default 8080; 0 = any free port)
  --rate N             flow records per second the simulated exporters send (default 200)
  --seed N             seed of the simulated cluster and traffic (default 1)
  --history MIN        minutes of simulated history replayed at start, 0 to 10 (default 10)
  --data-dir DIR       keep history in DuckDB under DIR (default: in memory)
  --no-ui              only run the exporters, sending to --collector (a load generator)
  --collector H:P      with --no-ui: the collector's address (default 127.0.0.1:2055)
  --write-snapshot F   with --no-ui: write the simulated cluster as a snapshot file for "serve --cluster"
  -h, --help           this help`;

const OPTIONS = {
  'http-port': { type: 'string', default: '8080' },
  rate: { type: 'string', default: '200' },
  seed: { type: 'string', default: '1' },
  history: { type: 'string', default: '10' },
  'data-dir': { type: 'string' },
  'no-ui': { type: 'boolean', default: false },
  collector: { type: 'string', default: '127.0.0.1:2055' },
  'write-snapshot': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function integer(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`Cannot use --${flag} "${text}": expected an integer from ${min} to ${max}`);
  }
  return n;
}

function parseHostPort(text: string): { host: string; port: number } {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(text);
  if (!match) throw new ConfigError(`Cannot use --collector "${text}": expected HOST:PORT`);
  return { host: match[1]!, port: integer('collector', match[2]!, 1, 65_535) };
}

interface Counts {
  readonly at: number;
  readonly sent: number;
  readonly received: number;
}

function counts(flowmap: Flowmap, demo: Demo): Counts {
  const received = Object.values(flowmap.collector.stats().records).reduce((n, r) => n + r, 0);
  return { at: performance.now(), sent: demo.stats().records, received };
}

/**
 * One line about the running demo: exporters heard from, records per second on the wire since `since` (wall
 * clock: during the replay of history they run faster), and the map of the last 15 minutes as the API
 * answers it.
 */
export async function demoStatus(flowmap: Flowmap, demo: Demo, since: Counts): Promise<[string, Counts]> {
  const now = counts(flowmap, demo);
  const seconds = Math.max(0.001, (now.at - since.at) / 1000);
  const response = await flowmap.http.app.request('/api/v1/graph');
  const graph = response.ok ? ((await response.json()) as GraphResponse) : undefined;
  const map = graph ? `${graph.nodes.length} nodes, ${graph.edges.length} edges` : 'unavailable';
  const text =
    `${flowmap.status().exporters.length} exporters | received ${Math.round((now.received - since.received) / seconds)} ` +
    `records/s (sent ${Math.round((now.sent - since.sent) / seconds)}) | map of the last 15 min: ${map} | ` +
    `cluster events ${demo.stats().clusterEvents}`;
  return [text, now];
}

function startStatusLine(flowmap: Flowmap, demo: Demo): () => void {
  const tty = process.stdout.isTTY === true;
  let last = 0;
  let since = counts(flowmap, demo);
  const line = () => {
    void demoStatus(flowmap, demo, since).then(([text, now]) => {
      since = now;
      if (tty) process.stdout.write(`\r${text.padEnd(last)}`);
      else console.log(text);
      last = text.length;
    });
  };
  const first = setTimeout(line, 3_000);
  const timer = setInterval(line, tty ? 2_000 : 10_000);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
    if (tty) process.stdout.write('\n');
  };
}

async function runServe(values: Record<string, string | boolean | undefined>, rate: number, seed: number) {
  const log = createLogger({ level: 'warn', format: 'text' });
  const minutes = integer('history', String(values.history), 0, 10);
  let running: RunningDemo;
  try {
    running = await startDemo({
      httpPort: integer('http-port', String(values['http-port']), 0, 65_535),
      rate,
      seed,
      historyMs: minutes * 60_000,
      ...(values['data-dir'] ? { dataDir: String(values['data-dir']) } : {}),
      log,
    });
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code !== 'EADDRINUSE') throw error;
    throw new ConfigError(`${(error as Error).message} (choose another port with --http-port N, or 0 for any)`);
  }
  const exporters = running.demo.stats().exporters;
  const names = exporters.map(
    (e) => `${e.node} ${e.version === 9 ? 'NetFlow v9' : 'IPFIX'}${e.samplingRate > 1 ? ` 1:${e.samplingRate}` : ''}`,
  );
  console.log(
    `flowmap demo: a simulated cluster whose nodes export flows to udp/${running.flowPort} (${names.join(', ')})`,
  );
  console.log(`Open ${running.url} in a browser (API: ${running.url}api/v1/graph, metrics: ${running.url}metrics)`);
  if (minutes > 0) {
    console.log(`Replaying the last ${minutes} min of simulated traffic, then live. Ctrl-C stops.`);
    void running.history.then(() => console.log('History replayed: the map is live.'));
  } else console.log('Ctrl-C stops.');
  const stopLine = startStatusLine(running.flowmap, running.demo);
  return runUntilSignal(
    {
      start: async () => {},
      stop: async () => {
        stopLine();
        await running.stop();
      },
    },
    log,
  );
}

async function runExportersOnly(values: Record<string, string | boolean | undefined>, rate: number, seed: number) {
  const target = parseHostPort(String(values.collector));
  const demo = createDemo({
    seed,
    rate,
    collector: { host: target.host, netflowPort: target.port, ipfixPort: target.port },
  });
  if (values['write-snapshot']) {
    writeFileSync(String(values['write-snapshot']), JSON.stringify(demo.cluster.snapshot(), null, 1));
    console.log(`Wrote the simulated cluster to "${values['write-snapshot']}"`);
  }
  const controller = new AbortController();
  await demo.start(controller.signal);
  console.log(`Sending ${rate} records/s to udp://${target.host}:${target.port}; Ctrl-C stops`);
  const log = createLogger({ level: 'info', format: 'text' });
  const timer = setInterval(() => {
    const s = demo.stats();
    console.log(`sent ${s.records} records, ${Math.round(s.recordsPerSecond)} rec/s, send errors ${s.sendErrors}`);
  }, 5_000);
  timer.unref();
  return runUntilSignal({ start: async () => {}, stop: () => demo.stop() }, log).finally(() => clearInterval(timer));
}

export { type RunningDemo, type StartDemoOptions, startDemo } from './demo-start.js';

export async function run(argv: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }));
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const rate = integer('rate', String(values.rate), 1, 20_000);
    const seed = integer('seed', String(values.seed), 0, 2 ** 31);
    return values['no-ui'] ? await runExportersOnly(values, rate, seed) : await runServe(values, rate, seed);
  } catch (error) {
    if (error instanceof ConfigError || (error instanceof TypeError && (error as { code?: string }).code)) {
      console.error((error as Error).message);
      return 2;
    }
    throw error;
  }
}
