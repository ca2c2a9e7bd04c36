/**
 * Simulated per-node exporters: flow caches with active/inactive timeouts and sampling, and their encoders.
 * @module
 */
export {
  createSimulatedExporter,
  type ExportBatch,
  type ExporterStats,
  type SimulatedExporter,
  type SimulatedExporterOptions,
} from './exporter.js';
export { createFlowCache, type FlowCache, type FlowCacheOptions } from './flow-cache.js';
