export { DEFAULT_SERVICE_PORTS, type OrientConfig, orientConfig } from './config.js';
export { createOrienter, type Orienter, type OrienterDeps, type OrientStats } from './orienter.js';
