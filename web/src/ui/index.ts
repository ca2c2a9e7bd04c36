export { App, type DebugHook } from './app.js';
export type { RenderTimings } from './map-canvas.js';
