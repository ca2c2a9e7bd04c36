export { type ApiDeps, createApi, type ReadyState } from './app.js';
export { type ApiConfig, type ApiConfigInput, apiConfig, corsConfig } from './config.js';
export { errorAnswer, RequestError } from './errors.js';
export { EDGE_FIELDS, NODE_FIELDS, nodeGraphData } from './nodegraph/frames.js';
export { GRAFANA_NODE_LIMIT, nodeGraphQuery } from './nodegraph/routes.js';
export {
  createPrometheusSource,
  type PrometheusSourceConfig,
  type PrometheusSourceDeps,
  prometheusSourceConfig,
} from './prometheus-source/index.js';
export { type ApiServer, createApiServer } from './server.js';
