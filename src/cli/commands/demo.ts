/**
 * `flowmap demo`: `serve` fed by a simulated cluster — an Online-Boutique-like shop, kube-system, monitoring, a CronJob,
 * three nodes, pods that come and go — whose node exporters send real NetFlow v9 and IPFIX over UDP. Prints the UI
 * URL and a status line until Ctrl-C. With `--no-ui` it only runs the exporters against another collector (a load
 * generator), optionally writing the cluster snapshot for that collector's `--cluster`.
 * @module
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { flowmapConfig } from '../../app/config.js';
import { loadConfig } from '../../app/config-loader.js';
import { createFlowmap, type Flowmap } from '../../app/flowmap.js';
import { createLogger } from '../../app/logger.js';
import { systemClock } from '../../core/clock.js';
import { ConfigError } from '../../core/errors.js';
import { createDemo, type Demo, type KubeObject } from '../../demo/index.js';
import { isResourceKind } from '../../enrich/index.js';
import { packageVersion, webDistDir } from '../paths.js';
import { runUntilSignal } from './serve.js';

const HELP = `Usage: flowmap demo [options]

Runs flowmap on a simulated cluster whose nodes export real NetFlow v9 and IPFIX: open the printed URL.

Options:
  --http-port N        port of the UI and API (default 8080; 0 = any free port)
  --rate N             flow records per second the simulated exporters send (default 200)
  --seed N             seed of the simulated cluster and traffic (default 1)
  --data-dir DIR       keep history in DuckDB under DIR (default: in memory)
  --no-ui              only run the exporters, sending to --collector (a load generator)
  --collector H:P      with --no-ui: the collector's address (default 127.0.0.1:2055)
  --write-snapshot F   with --no-ui: write the simulated cluster as a snapshot file for "serve --cluster"
  -h, --help           this help`;

const OPTIONS = {
  'http-port': { type: 'string', default: '8080' },
  rate: { type: 'string', default: '200' },
  seed: { type: 'string', default: '1' },
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

/** feeds the simulated cluster into the index: the snapshot now, then every watch event as it happens */
function feedIdentity(flowmap: Flowmap, demo: Demo): void {
  const index = flowmap.identity.index;
  const apply = (type: 'ADDED' | 'MODIFIED' | 'DELETED', o: KubeObject) => {
    if (isResourceKind(o.kind)) index.apply(type, index.slim(o.kind, o));
  };
  for (const o of demo.cluster.snapshot().items) apply('ADDED', o);
  demo.cluster.subscribe((events) => {
    for (const e of events) apply(e.type, e.object);
  });
}

function startStatusLine(flowmap: Flowmap, demo: Demo): () => void {
  const tty = process.stdout.isTTY === true;
  const line = () => {
    const s = demo.stats();
    const status = flowmap.status();
    const text =
      `exporters ${status.exporters.length} | sent ${Math.round(s.recordsPerSecond)} rec/s | ` +
      `received ${Math.round(status.recordsPerSecond)} rec/s | live edges ${status.liveEdges} | ` +
      `cluster events ${s.clusterEvents}`;
    if (tty) process.stdout.write(`\r${text.padEnd(100)}`);
    else console.log(text);
  };
  const timer = setInterval(line, tty ? 2_000 : 10_000);
  timer.unref();
  return () => {
    clearInterval(timer);
    if (tty) process.stdout.write('\n');
  };
}

async function runServe(values: Record<string, string | boolean | undefined>, rate: number, seed: number) {
  const probe = createDemo({ seed });
  const config = loadConfig(flowmapConfig, {
    env: process.env,
    overrides: {
      'api.port': integer('http-port', String(values['http-port']), 0, 65_535),
      'api.host': '127.0.0.1',
      'collector.udp.addresses': ['127.0.0.1'],
      'collector.udp.ports': [0],
      'collector.tcp.enabled': false,
      'identity.kubernetes.mode': 'off',
      'store.backend': values['data-dir'] ? 'duckdb' : 'memory',
      ...(values['data-dir'] ? { 'store.dataDir': values['data-dir'] } : { 'decode.persistTemplates': false }),
      'identity.cidrLabels': probe.cidrLabels.map((l) => ({ name: l.name, cidrs: [...l.cidrs] })),
      logLevel: 'warn',
    },
  });
  const log = createLogger({ level: config.logLevel, format: config.logFormat });
  const flowmap = createFlowmap(config, {
    clock: systemClock,
    log,
    env: {},
    version: packageVersion(),
    staticDir: webDistDir(),
  });
  const controller = new AbortController();
  await flowmap.start(controller.signal);
  const port = flowmap.collector.listeners()[0]!.port;
  const demo = createDemo(
    { seed, rate, collector: { host: '127.0.0.1', netflowPort: port, ipfixPort: port } },
    { warn: (m) => log('warn', m) },
  );
  feedIdentity(flowmap, demo);
  const address = flowmap.http.address()!;
  console.log(`flowmap demo: simulated cluster "shop" with 3 nodes exporting to udp/${port}`);
  console.log(
    `Open http://${address.host}:${address.port}/ (Grafana Node Graph API: /api/graph/data, metrics: /metrics)`,
  );
  console.log('Sending the first 30 s of simulated history, then live traffic. Ctrl-C stops.');
  await demo.start(controller.signal);
  const stopLine = startStatusLine(flowmap, demo);
  return runUntilSignal(
    {
      start: async () => {},
      stop: async () => {
        stopLine();
        await demo.stop();
        await flowmap.stop();
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
