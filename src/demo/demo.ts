/**
 * `createDemo`: the simulated cluster and its node exporters, live. Every `tickMs` the simulation advances to the
 * clock's time and the exporters' datagrams go out over UDP to the collector, each exporter from its own source
 * address (127.0.1.<n> on loopback) so the collector sees three distinct exporters. The cluster is offered as a
 * `v1 List` snapshot plus a stream of watch events for the identity index or the fake API server.
 * @module
 */
import { createSocket, type Socket } from 'node:dgram';
import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';
import type { Lifecycle } from '../pipeline/contracts.js';
import { calibrateIntensity } from './calibrate.js';
import type { ClusterEvent, KubeList } from './cluster/index.js';
import { type DemoConfig, type DemoConfigInput, demoConfig } from './config.js';
import type { ExportBatch } from './exporters/index.js';
import { type CapturedDatagram, writePcap } from './pcap/index.js';
import { createRateMeter, type RateMeter } from './rate-meter.js';
import { createSimulation, DEMO_CIDR_LABELS, type Simulation, type SimulationOptions } from './simulation.js';
import type { TruthEdge } from './traffic/index.js';

/** the simulated cluster as a metadata source: a snapshot, then watch events */
export interface DemoClusterSource {
  /** the cluster now, as `kubectl get ... -A -o json` prints it */
  snapshot(): KubeList;
  /** calls `listener` with each step's watch events, in order; returns the unsubscribe function */
  subscribe(listener: (events: readonly ClusterEvent[]) => void): () => void;
}

export interface DemoExporterStats {
  readonly node: string;
  readonly version: 9 | 10;
  readonly samplingRate: number;
  /** source address:port the collector sees */
  readonly source: string;
  readonly destination: string;
  readonly records: number;
  readonly packets: number;
  readonly recordsPerSecond: number;
}

export interface DemoStats {
  readonly running: boolean;
  readonly intensity: number;
  readonly exporters: readonly DemoExporterStats[];
  readonly records: number;
  readonly packets: number;
  /** records per second over the last five seconds, all exporters */
  readonly recordsPerSecond: number;
  readonly sendErrors: number;
  readonly clusterEvents: number;
  /** edges of the ground truth so far */
  readonly edges: number;
  readonly openConnections: number;
}

export interface Demo extends Lifecycle {
  readonly config: DemoConfig;
  readonly cluster: DemoClusterSource;
  /** the CIDR labels flowmap should be configured with so the demo's external endpoints get names */
  readonly cidrLabels: typeof DEMO_CIDR_LABELS;
  stats(): DemoStats;
  /** the simulated time traffic has been generated and sent up to (behind the clock during the warm-up) */
  readonly now: number;
  /** expected edges (exact, unsampled) of the traffic generated so far */
  truth(): TruthEdge[];
  /** a pcap of every datagram sent (config `capture: true`), else an empty capture */
  pcap(): Uint8Array;
}

export interface DemoDeps {
  readonly clock?: Clock;
  /** warnings (e.g. a source address that cannot be bound) */
  readonly warn?: (message: string) => void;
  /** sees every exported batch before it is sent: exporter index, its records and datagrams (tests, captures) */
  readonly onExport?: (exporter: number, batch: ExportBatch) => void;
}

interface Wire {
  readonly socket: Socket;
  source: string;
  readonly host: string;
  readonly port: number;
  readonly meter: RateMeter;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host.startsWith('127.') || host === '::1';
}

async function bind(address: string | undefined): Promise<[Socket, string]> {
  const family = address?.includes(':') ? 'udp6' : 'udp4';
  const socket = createSocket({ type: family, sendBufferSize: 4 * 1024 * 1024 });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ port: 0, ...(address ? { address } : {}) }, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  const a = socket.address();
  return [socket, `${a.address}:${a.port}`];
}

export function createDemo(input: DemoConfigInput = {}, deps: DemoDeps = {}): Demo {
  const config = demoConfig.parse(input);
  const clock = deps.clock ?? systemClock;
  const simOptions = (start: number): SimulationOptions => ({
    seed: config.seed,
    start,
    natView: config.natView,
    exporters: config.exporters,
    activeTimeoutMs: config.activeTimeoutMs,
    inactiveTimeoutMs: config.inactiveTimeoutMs,
    rolloutEveryMs: config.rolloutEveryMs,
    cronJobs: config.cronJobs,
  });
  let sim: Simulation | undefined;
  let wires: Wire[] = [];
  let timer: ReturnType<typeof setInterval> | undefined;
  let intensity = 1;
  let sendErrors = 0;
  let inFlight = 0;
  let clusterEvents = 0;
  /** set by stop: a catch-up still running in start ends without starting the timer */
  let stopped = false;
  const listeners = new Set<(events: readonly ClusterEvent[]) => void>();
  const captured: CapturedDatagram[] = [];
  // the cluster exists before start so its snapshot can be loaded first
  const initialStart = clock() - config.warmupMs;
  let pending: Simulation | undefined = createSimulation(simOptions(initialStart));

  const sendOne = (wire: Wire, packet: Uint8Array, now: number) => {
    if (config.capture) {
      const [srcAddr, srcPort] = wire.source.split(/:(?=\d+$)/);
      captured.push({
        time: now,
        srcAddr: srcAddr!,
        srcPort: Number(srcPort),
        dstAddr: wire.host,
        dstPort: wire.port,
        payload: packet,
      });
    }
    inFlight++;
    wire.socket.send(packet, wire.port, wire.host, (error) => {
      inFlight--;
      if (error) sendErrors++;
    });
  };

  /** sends each exporter's datagrams; `paced` yields every 32 datagrams so an in-process collector keeps up */
  const send = async (batches: ReturnType<Simulation['step']>['batches'], now: number, paced = false) => {
    for (const [i, batch] of batches.entries()) {
      const wire = wires[i];
      if (!wire) continue;
      if (batch.records.length > 0) deps.onExport?.(i, batch);
      wire.meter.add(now, batch.records.length);
      for (const [n, packet] of batch.packets.entries()) {
        sendOne(wire, packet, now);
        if (paced && n % 32 === 31) await new Promise((resolve) => setTimeout(resolve, 1));
      }
    }
  };

  const step = (now: number) => {
    if (!sim || now <= sim.now) return;
    const step = sim.step(now);
    if (step.events.length > 0) {
      clusterEvents += step.events.length;
      for (const listener of listeners) listener(step.events);
    }
    void send(step.batches, now);
  };
  const tick = () => step(clock());

  return {
    config,
    cidrLabels: DEMO_CIDR_LABELS,
    cluster: {
      snapshot: () => (sim ?? pending)!.cluster.snapshot(),
      subscribe(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    async start(signal) {
      if (sim || !pending) return;
      intensity = calibrateIntensity(simOptions(initialStart), config.rate);
      sim = pending;
      pending = undefined;
      sim.traffic.intensity = intensity;
      const loopback = isLoopback(config.collector.host);
      wires = [];
      for (const [i, spec] of config.exporters.entries()) {
        const wanted = config.sourceAddresses?.[i] ?? (loopback ? `127.0.1.${i + 1}` : undefined);
        let bound: [Socket, string];
        try {
          bound = await bind(wanted);
        } catch (error) {
          deps.warn?.(
            `Cannot bind exporter "${spec.node}" to "${wanted}": ${(error as Error).message}; using any address`,
          );
          bound = await bind(undefined);
        }
        const port = spec.version === 9 ? config.collector.netflowPort : config.collector.ipfixPort;
        wires.push({
          socket: bound[0],
          source: bound[1],
          host: config.collector.host,
          port,
          meter: createRateMeter(5000),
        });
      }
      // catch up from the simulated start (warm-up) to now, sending as we go; yield between steps so a collector in
      // this process can drain its socket (a burst would overflow the kernel's receive buffer)
      for (let t = sim.now + 500; t < clock(); t += 500) {
        if (stopped) return;
        step(t);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      if (stopped) return;
      timer = setInterval(tick, config.tickMs);
      signal.addEventListener('abort', () => void this.stop(), { once: true });
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      if (sim) {
        const now = Math.max(clock(), sim.now);
        await send(sim.finish(now).batches, now, true);
      }
      for (let waited = 0; inFlight > 0 && waited < 2000; waited += 5) await new Promise((r) => setTimeout(r, 5));
      const closing = wires.map((w) => new Promise<void>((resolve) => w.socket.close(() => resolve())));
      wires = [];
      await Promise.all(closing);
    },
    stats() {
      const s = sim ?? pending!;
      const now = clock();
      const exporters = s.exporters.map((e, i) => ({
        node: e.options.node,
        version: e.options.version,
        samplingRate: e.options.samplingRate ?? 1,
        source: wires[i]?.source ?? '',
        destination: wires[i] ? `${wires[i].host}:${wires[i].port}` : '',
        records: e.stats.records,
        packets: e.stats.packets,
        recordsPerSecond: wires[i]?.meter.rate(now) ?? 0,
      }));
      return {
        running: timer !== undefined,
        intensity,
        exporters,
        records: exporters.reduce((n, e) => n + e.records, 0),
        packets: exporters.reduce((n, e) => n + e.packets, 0),
        recordsPerSecond: exporters.reduce((n, e) => n + e.recordsPerSecond, 0),
        sendErrors,
        clusterEvents,
        edges: s.truth.edges().length,
        openConnections: s.traffic.openConnections,
      };
    },
    get now() {
      return (sim ?? pending)!.now;
    },
    truth: () => (sim ?? pending)!.truth.edges(),
    pcap: () => writePcap(captured),
  };
}
