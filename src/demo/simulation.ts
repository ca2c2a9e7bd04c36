/**
 * The whole simulation without I/O: cluster, traffic, ground truth and one exporter per node, advanced together in
 * simulated time. The live demo sends what `step` returns; the load generator precomputes it; tests read it.
 * Deterministic for a seed and the same sequence of `step` calls. Not shared between threads.
 * @module
 */
import {
  type ClusterEvent,
  createSimulatedCluster,
  type SimulatedCluster,
  type TopologySpec,
} from './cluster/index.js';
import { createSimulatedExporter, type ExportBatch, type SimulatedExporter } from './exporters/index.js';
import { createRandom } from './random.js';
import {
  type CallPattern,
  createTrafficEngine,
  createTruth,
  DEMO_CIDR_LABELS,
  DEMO_EXTERNALS,
  type NatView,
  observe,
  type TrafficEngine,
  type Truth,
} from './traffic/index.js';

/** one node's exporter */
export interface ExporterSpec {
  readonly node: string;
  readonly version: 9 | 10;
  readonly biflow?: boolean | undefined;
  readonly samplingRate?: number | undefined;
}

/** node-1 and node-2 run ipt_NETFLOW (v9; node-2 samples 1:10), node-3 exports IPFIX */
export const DEFAULT_EXPORTERS: readonly ExporterSpec[] = [
  { node: 'node-1', version: 9 },
  { node: 'node-2', version: 9, samplingRate: 10 },
  { node: 'node-3', version: 10 },
];

export interface SimulationOptions {
  readonly seed: number;
  /** simulated start time, epoch ms */
  readonly start: number;
  readonly intensity?: number;
  readonly natView?: NatView;
  readonly exporters?: readonly ExporterSpec[];
  readonly activeTimeoutMs?: number;
  readonly inactiveTimeoutMs?: number;
  readonly rolloutEveryMs?: number;
  readonly cronJobs?: boolean;
  readonly preopened?: boolean;
  readonly topology?: TopologySpec;
  readonly patterns?: readonly CallPattern[];
  readonly maxPacketBytes?: number;
}

export interface SimulationStep {
  /** Kubernetes watch events of this step */
  readonly events: readonly ClusterEvent[];
  /** what each exporter exported in this step (same order as `exporters`) */
  readonly batches: readonly ExportBatch[];
  readonly activities: number;
}

export interface Simulation {
  readonly cluster: SimulatedCluster;
  readonly traffic: TrafficEngine;
  readonly truth: Truth;
  readonly exporters: readonly SimulatedExporter[];
  readonly now: number;
  step(now: number): SimulationStep;
  /** closes every connection at `now` and flushes every exporter's cache */
  finish(now: number): SimulationStep;
}

/** external IP -> label, for the truth's naming of external servers */
export const DEMO_EXTERNAL_LABELS: ReadonlyMap<string, string> = new Map(
  Object.values(DEMO_EXTERNALS).flatMap((e) => ('label' in e ? [[e.ip, e.label] as const] : [])),
);

export { DEMO_CIDR_LABELS };

export function createSimulation(options: SimulationOptions): Simulation {
  const random = createRandom(options.seed);
  const cluster = createSimulatedCluster({
    seed: options.seed,
    start: options.start,
    ...(options.topology ? { topology: options.topology } : {}),
    ...(options.rolloutEveryMs !== undefined ? { rolloutEveryMs: options.rolloutEveryMs } : {}),
    ...(options.cronJobs !== undefined ? { cronJobs: options.cronJobs } : {}),
  });
  const traffic = createTrafficEngine({
    cluster,
    seed: options.seed,
    start: options.start,
    intensity: options.intensity ?? 1,
    ...(options.patterns ? { patterns: options.patterns } : {}),
    ...(options.preopened !== undefined ? { preopened: options.preopened } : {}),
  });
  const truth = createTruth(DEMO_EXTERNAL_LABELS);
  const natView = options.natView ?? 'conntrack';
  const specs = options.exporters ?? DEFAULT_EXPORTERS;
  const exporters = specs.map((spec, i) =>
    createSimulatedExporter(
      {
        node: spec.node,
        version: spec.version,
        domainId: i + 1,
        activeTimeoutMs: options.activeTimeoutMs ?? 60_000,
        inactiveTimeoutMs: options.inactiveTimeoutMs ?? 15_000,
        bootTime: options.start - 86_400_000 * (3 + i),
        ...(spec.biflow !== undefined ? { biflow: spec.biflow } : {}),
        ...(spec.samplingRate !== undefined ? { samplingRate: spec.samplingRate } : {}),
        ...(options.maxPacketBytes !== undefined ? { maxPacketBytes: options.maxPacketBytes } : {}),
      },
      random.fork(`exporter-${spec.node}`),
    ),
  );
  const byNode = new Map(exporters.map((e) => [e.options.node, e]));
  let now = options.start;

  const feed = (activities: ReturnType<TrafficEngine['step']>) => {
    for (const a of activities) {
      truth.add(a);
      for (const o of observe(a, natView)) byNode.get(o.node)?.observe(o);
    }
  };

  return {
    cluster,
    traffic,
    truth,
    exporters,
    get now() {
      return now;
    },
    step(to) {
      const events = cluster.advance(to);
      const activities = traffic.step(to);
      feed(activities);
      now = to;
      return { events, batches: exporters.map((e) => e.tick(to)), activities: activities.length };
    },
    finish(at) {
      const activities = traffic.closeAll(at);
      feed(activities);
      now = at;
      return { events: [], batches: exporters.map((e) => e.flush(at + 60_000)), activities: activities.length };
    },
  };
}
