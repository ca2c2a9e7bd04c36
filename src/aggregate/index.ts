export { type AggregateStats, type Aggregator, createAggregator } from './aggregator.js';
export { type AggregateConfig, aggregateConfig } from './config.js';
export {
  accumulatorOf,
  addInto,
  type EdgeAccumulator,
  edgeKeyOf,
  sumEdges,
  toEdge,
} from './edge-sum.js';
export { compareEdges, edgeId, mergeEdges, mergeWindows, type WindowRange } from './merge.js';
