export * from './query.js';
export type * from './responses.js';
