export type { Lifecycle, Sink, StageStats, Transform, WindowedStage } from './contracts.js';
