/**
 * Identity: who was behind an address at the time of a flow. The pure part (index, naming, enricher); the
 * Kubernetes sources live in `./kubernetes/index.js`, CIDR labels and ASN data in `./external/index.js`.
 * @module
 */
export { type Cidr, parseCidr } from './cidr.js';
export {
  type ClusterIndex,
  type ClusterIndexConfig,
  type ClusterIndexDeps,
  type ClusterIndexStats,
  createClusterIndex,
} from './cluster-index.js';
export {
  type CidrLabelConfig,
  type EnrichConfig,
  type EnrichConfigInput,
  enrichConfig,
  type KubernetesConfig,
  kubernetesConfig,
} from './config.js';
export type { ExternalResolver, MetadataIndex, MetadataSource } from './contracts.js';
export { createEnricher, type Enricher, type EnricherDeps } from './enricher.js';
export {
  isResourceKind,
  type ObjectEventType,
  OWNER_KINDS,
  RESOURCE_KINDS,
  type ResourceKind,
  type SlimObject,
} from './kube-objects.js';
export { createEnrichCounters, type EnrichCounters } from './metrics.js';
export { ObjectShapeError } from './slimmer.js';
export { SEED_LABEL_CHAIN } from './workloads.js';
