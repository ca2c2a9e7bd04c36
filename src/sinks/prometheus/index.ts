export {
  edgeSeriesConfig,
  type PrometheusSinkConfig,
  type PrometheusSinkConfigInput,
  prometheusSinkConfig,
  seedSeriesConfig,
} from './config.js';
export { EDGE_LABELS, SEED_LABELS } from './edge-series.js';
export { seedLabelsOf } from './endpoint-labels.js';
export { FLOW_FIELDS, LIST_FIELDS, VALUE_FIELDS, type ValueField } from './flow-fields.js';
export type { KubernetesStatsView, PipelineStatsView } from './self-metrics.js';
export { createPrometheusSink, type PrometheusSink, type PrometheusSinkDeps } from './sink.js';
export { DEFAULT_BUCKETS } from './user-metric.js';
export {
  type FlowFilterConfig,
  type FlowMetricConfig,
  flowFilterConfig,
  flowMetricConfig,
  flowMetricDefaults,
  flowMetricsConfig,
} from './user-metrics-config.js';
