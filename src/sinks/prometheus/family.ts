/**
 * Metric families rendered by prom-client's Registry from our own state. prom-client's Registry renders any
 * registered object with `name`, `help`, `type` and `get()`; our families compute their samples at scrape time
 * from plain numbers (component stats, series tables), so the hot path never touches prom-client.
 * @module
 */
import type { Metric, Registry } from 'prom-client';

export type FamilyType = 'counter' | 'gauge' | 'histogram';

export interface Sample {
  readonly labels: Readonly<Record<string, string | number>>;
  readonly value: number;
  /** histogram lines: `<name>_bucket`, `<name>_sum`, `<name>_count` */
  readonly metricName?: string;
}

export interface FamilySpec {
  readonly name: string;
  readonly help: string;
  readonly type: FamilyType;
  /** called on every scrape; must not throw */
  readonly collect: () => readonly Sample[];
}

/** registers a family; throws when the name is taken */
export function registerFamily(registry: Registry, spec: FamilySpec): void {
  const metric = {
    name: spec.name,
    help: spec.help,
    type: spec.type,
    aggregator: 'sum' as const,
    get: async () => ({
      name: spec.name,
      help: spec.help,
      type: spec.type,
      aggregator: 'sum' as const,
      values: spec.collect(),
    }),
    reset: () => {},
  };
  // prom-client types registerMetric() with its Metric class; the Registry only calls name/type/get/reset
  registry.registerMetric(metric as unknown as Metric);
}

/** the sample lines of one histogram series: cumulative buckets, +Inf, sum and count */
export function histogramSamples(
  name: string,
  labels: Readonly<Record<string, string>>,
  buckets: readonly number[],
  counts: ArrayLike<number>,
  sum: number,
  count: number,
): Sample[] {
  const out: Sample[] = [];
  let cumulative = 0;
  for (let i = 0; i < buckets.length; i++) {
    cumulative += counts[i]!;
    out.push({ metricName: `${name}_bucket`, labels: { ...labels, le: buckets[i]! }, value: cumulative });
  }
  out.push({ metricName: `${name}_bucket`, labels: { ...labels, le: '+Inf' }, value: count });
  out.push({ metricName: `${name}_sum`, labels, value: sum });
  out.push({ metricName: `${name}_count`, labels, value: count });
  return out;
}
