/**
 * The Kubernetes side of identity: live informers, snapshot files, kubeconfig choice, and `createIdentity`
 * which assembles index, sources and external naming from the config.
 * @module
 */
export {
  createIdentity,
  type Identity,
  type IdentityDeps,
  type IdentityStatus,
  type SourceStatus,
} from './identity.js';
export {
  createInformer,
  describeError,
  type InformerStatus,
  type Log,
  type LogLevel,
} from './informer.js';
export {
  chooseKubeConfig,
  type KubeConfigChoice,
  type KubeEnvironment,
  loadKubeconfigFile,
  SERVICE_ACCOUNT_DIR,
} from './kube-config.js';
export { createLiveSource, type LiveSource, type LiveSourceConfig, type LiveSourceDeps } from './live-source.js';
export { type ListResponse, type WatchedResource, watchedResources } from './resources.js';
export {
  createSnapshotSource,
  loadClusterSnapshots,
  readClusterSnapshots,
  type SnapshotLoadResult,
  type SnapshotSource,
} from './snapshot.js';
