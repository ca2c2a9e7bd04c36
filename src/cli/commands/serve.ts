/**
 * `flowmap serve`: the collector, the map and its API in one process, until SIGINT/SIGTERM.
 * @module
 */
import { parseArgs } from 'node:util';
import { type FlowmapConfig, flowmapConfig } from '../../app/config.js';
import { loadConfig } from '../../app/config-loader.js';
import { createFlowmap } from '../../app/flowmap.js';
import { createLogger, type Log } from '../../app/logger.js';
import { systemClock } from '../../core/clock.js';
import { ConfigError } from '../../core/errors.js';
import type { Lifecycle } from '../../pipeline/contracts.js';
import { packageVersion, webDistDir } from '../paths.js';

const HELP = `Usage: flowmap serve [options]

Receives NetFlow v5/v9, IPFIX and sFlow, names every address from Kubernetes, and serves the map
(web UI, /api/v1, Grafana Node Graph API, /metrics) until SIGINT or SIGTERM.

Options:
  --config FILE        YAML configuration (see docs/config.md); FLOWMAP_* variables override it
  --cluster FILE       cluster snapshot (kubectl get ... -A -o json); repeatable; turns the live API off
  --kubeconfig FILE    kubeconfig for the live API (default: in-cluster, $KUBECONFIG, ~/.kube/config)
  --http-port N        HTTP port (default 8080; 0 = any free port)
  --flow-ports LIST    UDP ports for flows, comma-separated (default 2055,4739,6343)
  --ipfix-tcp-port N   IPFIX-over-TCP port (default 4739; "off" disables)
  --data-dir DIR       history directory (default ./data)
  --store KIND         duckdb (default) or memory
  --log-level LEVEL    debug, info, warn, error
  -h, --help           this help`;

const OPTIONS = {
  config: { type: 'string' },
  cluster: { type: 'string', multiple: true },
  kubeconfig: { type: 'string' },
  'http-port': { type: 'string' },
  'flow-ports': { type: 'string' },
  'ipfix-tcp-port': { type: 'string' },
  'data-dir': { type: 'string' },
  store: { type: 'string' },
  'log-level': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type ServeFlags = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

function portNumber(flag: string, text: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65_535)
    throw new ConfigError(`Cannot use --${flag} "${text}": not a port`);
  return Number(text);
}

/** command-line flags as dotted config overrides */
export function flagOverrides(flags: ServeFlags): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (flags.cluster) o['identity.snapshots'] = flags.cluster;
  if (flags.kubeconfig) {
    o['identity.kubernetes.mode'] = 'kubeconfig';
    o['identity.kubernetes.kubeconfig'] = flags.kubeconfig;
  }
  if (flags['http-port'] !== undefined) o['api.port'] = portNumber('http-port', flags['http-port']);
  if (flags['flow-ports'] !== undefined) {
    o['collector.udp.ports'] = flags['flow-ports'].split(',').map((p) => portNumber('flow-ports', p.trim()));
  }
  const tcp = flags['ipfix-tcp-port'];
  if (tcp === 'off') o['collector.tcp.enabled'] = false;
  else if (tcp !== undefined) o['collector.tcp.ports'] = [portNumber('ipfix-tcp-port', tcp)];
  if (flags['data-dir']) o['store.dataDir'] = flags['data-dir'];
  if (flags.store) o['store.backend'] = flags.store;
  if (flags['log-level']) o.logLevel = flags['log-level'];
  return o;
}

/** loads the configuration of `serve` from argv, the config file and the environment */
export function serveConfig(argv: string[], env: NodeJS.ProcessEnv): FlowmapConfig | 'help' {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false });
  } catch (error) {
    throw new ConfigError(`Cannot read the options of "flowmap serve": ${(error as Error).message}`);
  }
  if (parsed.values.help) return 'help';
  return loadConfig(flowmapConfig, {
    ...(parsed.values.config ? { file: parsed.values.config } : {}),
    env,
    overrides: flagOverrides(parsed.values),
  });
}

/** starts flowmap and stops it cleanly on the first SIGINT/SIGTERM (a second one exits at once) */
export async function runUntilSignal(target: Lifecycle, log: Log): Promise<number> {
  const controller = new AbortController();
  await target.start(controller.signal);
  await new Promise<void>((resolve) => {
    const onSignal = (signal: string) => {
      log('info', `${signal} received: flushing the open bucket and stopping`);
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
      resolve();
    };
    process.once('SIGINT', () => onSignal('SIGINT'));
    process.once('SIGTERM', () => onSignal('SIGTERM'));
  });
  await target.stop();
  controller.abort();
  log('info', 'stopped');
  return 0;
}

export async function run(argv: string[]): Promise<number> {
  let config: FlowmapConfig | 'help';
  try {
    config = serveConfig(argv, process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  if (config === 'help') {
    console.log(HELP);
    return 0;
  }
  const log = createLogger({ level: config.logLevel, format: config.logFormat });
  const flowmap = createFlowmap(config, {
    clock: systemClock,
    log,
    env: process.env,
    version: packageVersion(),
    staticDir: webDistDir(),
  });
  return runUntilSignal(flowmap, log);
}
