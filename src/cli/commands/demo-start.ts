/**
 * `startDemo`: flowmap (collector, pipeline, store, API, UI) on loopback, fed by the simulated cluster — its
 * Kubernetes objects go straight into the identity index, its node exporters send real NetFlow v9 / IPFIX over UDP
 * to the collector. `flowmap demo` runs it until Ctrl-C; tests run it in-process and compare with `demo.truth()`.
 * @module
 */
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flowmapConfig } from '../../app/config.js';
import { loadConfig } from '../../app/config-loader.js';
import { createFlowmap, type Flowmap } from '../../app/flowmap.js';
import { createLogger, type Log } from '../../app/logger.js';
import { createDemo, type Demo, type DemoConfigInput } from '../../demo/index.js';
import { isResourceKind } from '../../enrich/index.js';
import { packageVersion, webDistDir } from '../paths.js';
import { createDemoClock, type DemoClock } from './demo-clock.js';

export interface StartDemoOptions {
  /** HTTP port of the UI and API on 127.0.0.1 (0: any free port) */
  readonly httpPort: number;
  /** flow records per second the simulated exporters send */
  readonly rate?: number;
  readonly seed?: number;
  /** keep history in DuckDB under this folder (default: in memory) */
  readonly dataDir?: string;
  /** the built web UI (default: the package's web/dist); not served when it has no index.html */
  readonly staticDir?: string;
  /** simulated history replayed as fast as it goes before live traffic (default 10 minutes) */
  readonly historyMs?: number;
  /** more settings of the simulation (tests turn rollouts off, ...) */
  readonly simulation?: Omit<DemoConfigInput, 'seed' | 'rate' | 'collector'>;
  /** more flowmap config overrides (dotted paths), applied after the demo's own */
  readonly overrides?: Readonly<Record<string, unknown>>;
  readonly log?: Log;
}

export interface RunningDemo {
  readonly flowmap: Flowmap;
  readonly demo: Demo;
  /** the UI's address, e.g. "http://127.0.0.1:8080/" */
  readonly url: string;
  /** the UDP port the collector receives the exporters' flows on */
  readonly flowPort: number;
  /** resolves once the replayed history has reached the present and live traffic flows (the last replayed records
   * had half a second to pass the collector) */
  readonly history: Promise<void>;
  /** stops the exporters (flushing their caches), then flowmap (flushing the open bucket); idempotent */
  stop(): Promise<void>;
}

/** the demo's exporters keep long-lived connections' records coming every this many ms (see `startDemo`) */
export const DEMO_ACTIVE_TIMEOUT_MS = 20_000;

/** a free UDP port on 127.0.0.1 for the collector, picked before the exporters are configured to send to it */
async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve());
  });
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** applies the simulated cluster's watch events to the index as they happen; returns the unsubscribe function */
function followCluster(flowmap: Flowmap, demo: Demo, time: DemoClock): () => void {
  const index = flowmap.identity.index;
  return demo.cluster.subscribe((events) => {
    for (const e of events) {
      const kind = e.object.kind;
      if (isResourceKind(kind)) time.at(e.at, () => index.apply(e.type, index.slim(kind, e.object)));
    }
  });
}

/**
 * Starts flowmap, then the simulated cluster and its exporters. The simulation first replays `historyMs` of the past
 * as fast as it goes (so the map has a history at once) while flowmap runs on the simulation's time, then both run
 * on the system clock. The cluster reaches flowmap as `serve --cluster` would read it (a snapshot file, written to
 * a temporary folder), then as watch events applied to the identity index. The exporters use a 20 s active timeout
 * (ipt_NETFLOW's `active_timeout` is often lowered like this) so long-lived gRPC and Redis connections show up
 * within the first half minute instead of after a minute.
 */
export async function startDemo(options: StartDemoOptions): Promise<RunningDemo> {
  const seed = options.seed ?? 1;
  const flowPort = await freeUdpPort();
  const demo = createDemo(
    {
      activeTimeoutMs: DEMO_ACTIVE_TIMEOUT_MS,
      warmupMs: options.historyMs ?? 600_000,
      ...options.simulation,
      seed,
      rate: options.rate ?? 200,
      collector: { host: '127.0.0.1', netflowPort: flowPort, ipfixPort: flowPort },
    },
    { ...(options.log ? { warn: (m: string) => options.log?.('warn', m) } : {}) },
  );
  const time = createDemoClock(() => demo.now);
  const dir = mkdtempSync(join(tmpdir(), 'flowmap-demo-'));
  const snapshot = join(dir, 'cluster.json');
  writeFileSync(snapshot, JSON.stringify(demo.cluster.snapshot()));
  const config = loadConfig(flowmapConfig, {
    env: {},
    overrides: {
      'api.port': options.httpPort,
      'api.host': '127.0.0.1',
      'collector.udp.addresses': ['127.0.0.1'],
      'collector.udp.ports': [flowPort],
      'collector.tcp.enabled': false,
      'identity.kubernetes.mode': 'off',
      'identity.snapshots': [snapshot],
      'store.backend': options.dataDir ? 'duckdb' : 'memory',
      ...(options.dataDir ? { 'store.dataDir': options.dataDir } : { 'decode.persistTemplates': false }),
      'identity.cidrLabels': demo.cidrLabels.map((l) => ({ name: l.name, cidrs: [...l.cidrs] })),
      // the UI's "Pod" grouping needs the pod-level windows; a small cluster affords them
      'pipeline.aggregate.levels': ['workload', 'pod'],
      logLevel: 'warn',
      ...options.overrides,
    },
  });
  const log = options.log ?? createLogger({ level: config.logLevel, format: config.logFormat });
  const flowmap = createFlowmap(config, {
    clock: time.clock,
    log,
    env: {},
    version: packageVersion(),
    staticDir: options.staticDir ?? webDistDir(),
  });
  const controller = new AbortController();
  let unsubscribe = () => {};
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      unsubscribe();
      await demo.stop();
      await flowmap.stop();
      controller.abort();
      rmSync(dir, { recursive: true, force: true });
    })();
    return stopped;
  };
  try {
    await flowmap.start(controller.signal);
  } catch (error) {
    await stop();
    throw error;
  }
  unsubscribe = followCluster(flowmap, demo, time);
  // the replay runs in the background (start resolves when it reached the present); the demo stops through `stop`
  // only (its own signal never aborts), so it flushes once, before flowmap stops
  const history = demo.start(new AbortController().signal).then(() => {
    time.live();
    return new Promise<void>((resolve) => setTimeout(resolve, 500).unref());
  });
  history.catch((error: Error) => log('error', `Cannot run the simulated cluster: ${error.message}`));
  const address = flowmap.http.address()!;
  return { flowmap, demo, url: `http://${address.host}:${address.port}/`, flowPort, history, stop };
}
