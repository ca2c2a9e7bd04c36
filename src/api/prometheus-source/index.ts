export { createPrometheusClient, type PrometheusClient, type PromSample } from './client.js';
export { type PrometheusSourceConfig, prometheusSourceConfig } from './config.js';
export { increaseBy, labelsOfNodeId, matchersOf, quote } from './promql.js';
export { createPrometheusSource, type PrometheusSourceDeps } from './source.js';
