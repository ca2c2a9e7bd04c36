/**
 * Builds the shared, frozen Endpoint objects the index returns, and keeps them stable: an update that changes
 * nothing visible returns the previous object, so later stages can cache by identity.
 * @module
 */
import type { Endpoint, WorkloadRef } from '../core/endpoint.js';
import type { Mutable } from '../core/mutable.js';
import type { SlimNode, SlimPod, SlimService } from './kube-objects.js';

/** a pod's endpoint; host-network pods get `hostNetwork: true` (they are only found by node IP and port) */
export function podEndpoint(pod: SlimPod, workload: WorkloadRef, seedName: string): Endpoint {
  const e: Mutable<Endpoint> = {
    kind: 'pod',
    namespace: pod.metadata.namespace,
    name: pod.metadata.name,
    workload,
    labels: pod.labels,
    seedName,
  };
  if (pod.nodeName) e.node = pod.nodeName;
  if (pod.hostNetwork) {
    e.hostNetwork = true;
    if (pod.hostPorts.length) e.ports = pod.hostPorts;
  } else if (pod.ports.length) e.ports = pod.ports;
  return Object.freeze(e);
}

/** a service's endpoint; `backend`: the one workload behind all its EndpointSlice addresses, when there is one */
export function serviceEndpoint(service: SlimService, backend?: WorkloadRef): Endpoint {
  const e: Mutable<Endpoint> = {
    kind: 'service',
    namespace: service.metadata.namespace,
    name: service.metadata.name,
    labels: service.labels,
  };
  if (service.ports.length) e.ports = service.ports;
  if (backend) e.backend = backend;
  return Object.freeze(e);
}

export function nodeEndpoint(node: SlimNode): Endpoint {
  return Object.freeze({ kind: 'node', name: node.metadata.name, labels: node.labels });
}

/** `next` when it differs from `prev` in any field (shallow, by identity), else `prev` */
export function stableEndpoint(prev: Endpoint | undefined, next: Endpoint): Endpoint {
  if (prev === undefined) return next;
  const a = prev as unknown as Record<string, unknown>;
  const b = next as unknown as Record<string, unknown>;
  const keys = Object.keys(b);
  if (keys.length !== Object.keys(a).length) return next;
  for (const key of keys) if (a[key] !== b[key]) return next;
  return prev;
}
