export { DEFAULT_SERVICE_PORTS, type OrientConfig, orientConfig } from './config.js';
export { EVIDENCE_BY_RANK, EVIDENCE_RANK } from './evidence.js';
export { createOrienter, type Orienter, type OrienterDeps, type OrientStats } from './orienter.js';
