/**
 * The simulated cluster: Kubernetes objects as `kubectl get -o json` prints them, as a snapshot and as watch events.
 * @module
 */
export type { KubeMeta, KubeObject, OwnerReference } from './objects.js';
export { createSimulatedCluster, type SimulatedCluster, type SimulatedClusterOptions } from './simulation.js';
export type { SimPod, SimService } from './state.js';
export { type ClusterEvent, KIND_ORDER, type KubeList, type WatchEventType } from './store.js';
export {
  DEFAULT_TOPOLOGY,
  type NodeSpec,
  type PortSpec,
  type Proto,
  type ServicePortSpec,
  type ServiceSpec,
  type TopologySpec,
  type WorkloadKind,
  type WorkloadSpec,
} from './topology.js';
