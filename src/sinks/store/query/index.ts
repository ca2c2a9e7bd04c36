export { graphEdges, graphNodes } from './build.js';
export { type EdgeFilter, edgeBytes, edgeFilterOf, edgePasses, filterEdges, type GraphRequest } from './filters.js';
export { groupOf, limitNodes, regroup, toNamespaceLevel } from './grouping.js';
export { withLive } from './live.js';
export { alignRange, chooseStep, normalizeStep, resolveRange } from './range.js';
export { densify, inOut } from './series.js';
export { createGraphService, type GraphService, type GraphServiceOptions, type LevelEdges } from './service.js';
export { externalsOf, matrixOf } from './tables.js';
