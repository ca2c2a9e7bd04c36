/**
 * The Prometheus sink: a prom-client Registry holding the flow series (flowmap_edge_*, netflow_connection_*,
 * user-defined), flowmap's self-metrics and, optionally, the process metrics; rendered on demand for /metrics.
 * @module
 */
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { CollectorStats } from '../../collector/index.js';
import type { Clock } from '../../core/clock.js';
import type { OrientedFlow } from '../../core/conversation.js';
import type { StageStats } from '../../pipeline/contracts.js';
import type { PrometheusSinkConfig } from './config.js';
import { EdgeSeriesSet, SeedSeriesSet } from './edge-series.js';
import { EndpointLabels } from './endpoint-labels.js';
import { type FamilySpec, registerFamily, type Sample } from './family.js';
import {
  collectorDropSamples,
  collectorFamilies,
  type KubernetesStatsView,
  kubernetesFamilies,
  type PipelineStatsView,
  pipelineFamilies,
  stageDropSamples,
  stageFamilies,
} from './self-metrics.js';
import { RenderEpoch, type SeriesStore } from './series-table.js';
import { UserMetric } from './user-metric.js';

export interface PrometheusSinkDeps {
  readonly clock: Clock;
}

/**
 * Threading: `observe` is synchronous and cheap (map updates, no prom-client calls); `render` reads everything at
 * scrape time and also expires idle series. Each `register*` may be called once per kind (per stage name for
 * stages); a second registration throws a TypeError.
 */
export interface PrometheusSink {
  readonly name: 'prometheus';
  /** counts a batch of oriented flows into every flow series; keeps no reference to `batch` */
  observe(batch: readonly OrientedFlow[]): void;
  registerCollector(read: () => CollectorStats): void;
  /** a pipeline stage's counters: flowmap_stage_records_{in,out}_total and flowmap_dropped_total{stage} */
  registerStage(stage: string, read: () => StageStats): void;
  registerKubernetes(read: () => KubernetesStatsView): void;
  registerPipeline(read: () => PipelineStatsView): void;
  /** the /metrics Content-Type (Prometheus text format 0.0.4) */
  readonly contentType: string;
  /** the /metrics body */
  render(): Promise<string>;
  /** the registry, for callers that add their own metrics */
  readonly registry: Registry;
}

export function createPrometheusSink(config: PrometheusSinkConfig, deps: PrometheusSinkDeps): PrometheusSink {
  const registry = new Registry();
  const labels = new EndpointLabels();
  const epoch = new RenderEpoch(config.firstScrapeZero, config.firstScrapeZeroMs);
  const edges = config.edges.enabled ? new EdgeSeriesSet(config.edges, labels, epoch) : undefined;
  const seed = config.seedCompat.enabled ? new SeedSeriesSet(config.seedCompat, labels, epoch) : undefined;
  const user = config.flowMetrics.map((m) => new UserMetric(m, config.flowMetricDefaults, labels, epoch));
  const tables = new Map<string, SeriesStore>();
  if (edges) tables.set('flowmap_edge', edges.table);
  if (seed) tables.set('netflow_connection', seed.table);
  for (const m of user) tables.set(m.name, m.table);

  let collector: (() => CollectorStats) | undefined;
  const stages = new Map<string, () => StageStats>();
  let pipeline: (() => PipelineStatsView) | undefined;
  let kubernetes = false;
  let observed = 0;
  let lagMs: number | undefined;

  const register = (families: readonly FamilySpec[]) => {
    for (const f of families) registerFamily(registry, f);
  };
  const once = (what: string, taken: boolean) => {
    if (taken) throw new TypeError(`Cannot register ${what}: one is already registered`);
  };

  for (const set of [edges, seed]) if (set) register(set.families());
  register(user.map((m) => m.family()));
  const perTable = (pick: (t: SeriesStore) => number) => () =>
    [...tables].map(([metric, t]) => ({ labels: { metric }, value: pick(t) }));
  register([
    {
      name: 'flowmap_dropped_total',
      help: 'Everything flowmap dropped, by stage and reason',
      type: 'counter',
      collect: () => dropped(),
    },
    {
      name: 'flowmap_prometheus_series',
      help: 'Series held per flow metric family',
      type: 'gauge',
      collect: perTable((t) => t.size),
    },
    {
      name: 'flowmap_prometheus_series_refused_total',
      help: 'New series refused by the series cap, per flow metric family',
      type: 'counter',
      collect: perTable((t) => t.refused),
    },
    {
      name: 'flowmap_prometheus_series_expired_total',
      help: 'Idle series removed per flow metric family',
      type: 'counter',
      collect: perTable((t) => t.expired),
    },
    {
      name: 'flowmap_prometheus_flows_observed_total',
      help: 'Oriented flows counted into the flow series',
      type: 'counter',
      collect: () => [{ labels: {}, value: observed }],
    },
    {
      name: 'flowmap_pipeline_lag_seconds',
      help: 'Now minus the end of the newest flow seen',
      type: 'gauge',
      collect: () => lagSamples(),
    },
  ]);
  if (config.processMetrics) collectDefaultMetrics({ register: registry });

  function dropped(): Sample[] {
    const out: Sample[] = collector ? collectorDropSamples(collector()) : [];
    out.push(...stageDropSamples(stages));
    let refused = 0;
    for (const t of tables.values()) refused += t.refused;
    out.push({ labels: { stage: 'prometheus', reason: 'series-cap' }, value: refused });
    return out;
  }

  function lagSamples(): Sample[] {
    const lag = pipeline?.().lagMs ?? lagMs;
    return lag === undefined ? [] : [{ labels: {}, value: lag / 1000 }];
  }

  return {
    name: 'prometheus',
    contentType: registry.contentType,
    registry,
    observe(batch) {
      const now = deps.clock();
      let newest = Number.NEGATIVE_INFINITY;
      for (const flow of batch) {
        if (countsNothing(flow)) continue; // e.g. orient's fragment naming a Service learned after the counted ones
        edges?.observe(flow, now);
        seed?.observe(flow, now);
        for (const m of user) m.observe(flow, now);
        if (flow.end > newest) newest = flow.end;
      }
      observed += batch.length;
      if (batch.length > 0) lagMs = Math.max(0, now - newest);
    },
    registerCollector(read) {
      once('a collector', collector !== undefined);
      collector = read;
      register(collectorFamilies(read));
    },
    registerStage(stage, read) {
      once(`stage "${stage}"`, stages.has(stage));
      if (stages.size === 0) register(stageFamilies(stages));
      stages.set(stage, read);
    },
    registerKubernetes(read) {
      once('a Kubernetes source', kubernetes);
      kubernetes = true;
      register(kubernetesFamilies(read, deps.clock));
    },
    registerPipeline(read) {
      once('a pipeline', pipeline !== undefined);
      pipeline = read;
      register(pipelineFamilies(read));
    },
    async render() {
      const now = deps.clock();
      epoch.begin(now);
      for (const t of tables.values()) t.sweep(now);
      return registry.metrics();
    },
  };
}

/** a fragment adding no bytes, packets or connections changes no series (user metrics count flows that carry traffic) */
function countsNothing(f: OrientedFlow): boolean {
  return (
    f.connections === 0 &&
    f.packetsToServer === 0 &&
    f.packetsToClient === 0 &&
    f.bytesToServer === 0 &&
    f.bytesToClient === 0
  );
}
