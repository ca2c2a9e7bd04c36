export { type AggregateStats, type Aggregator, createAggregator } from './aggregator.js';
export { type AggregateConfig, aggregateConfig } from './config.js';
export { compareEdges, edgeId, mergeEdges, mergeWindows, type WindowRange } from './merge.js';
