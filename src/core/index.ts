export * from './clock.js';
export * from './conversation.js';
export * from './edge.js';
export * from './endpoint.js';
export * from './errors.js';
export * from './flow.js';
export * from './ip.js';
export * from './map-node.js';
export type * from './mutable.js';
