/**
 * Simulated traffic: call patterns, conversations, what node exporters observe, and the ground truth.
 * @module
 */
export type { Activity, Connection, Party } from './connection.js';
export { createTrafficEngine, type TrafficEngine, type TrafficEngineOptions } from './engine.js';
export { type NatView, type Observation, observe } from './observe.js';
export { type CallPattern, type CallTarget, DEFAULT_PATTERNS, DEMO_CIDR_LABELS, DEMO_EXTERNALS } from './patterns.js';
export { createTruth, partyId, type Truth, type TruthEdge, type TruthParty } from './truth.js';
