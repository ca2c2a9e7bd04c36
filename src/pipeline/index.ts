export type { Lifecycle, Sink, StageStats, Transform, WindowedStage } from './contracts.js';
export {
  createFlowPipeline,
  type FlowPipeline,
  type FlowPipelineDeps,
  type FlowPipelineStats,
  type OrientedListener,
} from './flow-pipeline.js';
export { type FlowPipelineConfig, flowPipelineConfig } from './flow-pipeline-config.js';
