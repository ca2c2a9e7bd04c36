/**
 * The simulated API server's object store: current objects, a resourceVersion counter, and the watch events every
 * change produces (each event holds its own copy of the object).
 * @module
 */
import type { KubeObject } from './objects.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** a watch event as the API server streams it, plus the simulated time it happened at (epoch ms) */
export interface ClusterEvent {
  readonly type: WatchEventType;
  readonly object: KubeObject;
  readonly at: number;
}

/** what `kubectl get ... -A -o json` prints */
export interface KubeList {
  readonly apiVersion: 'v1';
  readonly kind: 'List';
  readonly metadata: { readonly resourceVersion: string };
  readonly items: readonly KubeObject[];
}

/** the order `kubectl get nodes,pods,services,endpointslices,replicasets,deployments,...` prints kinds in */
export const KIND_ORDER = [
  'Node',
  'Pod',
  'Service',
  'EndpointSlice',
  'ReplicaSet',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
] as const;

export interface ObjectStore {
  /** stores `object` (ADDED when new, else MODIFIED) and records the event unless `silent` */
  put(object: KubeObject, at: number, silent?: boolean): KubeObject;
  remove(object: KubeObject, at: number): void;
  get(kind: string, namespace: string | undefined, name: string): KubeObject | undefined;
  list(): KubeObject[];
  /** events recorded since the last drain, in order */
  drain(): ClusterEvent[];
  readonly resourceVersion: number;
}

const keyOf = (kind: string, namespace: string | undefined, name: string) => `${kind}/${namespace ?? ''}/${name}`;

export function createObjectStore(initialResourceVersion = 1000): ObjectStore {
  const objects = new Map<string, KubeObject>();
  let rv = initialResourceVersion;
  let events: ClusterEvent[] = [];
  return {
    get resourceVersion() {
      return rv;
    },
    put(object, at, silent = false) {
      const key = keyOf(object.kind, object.metadata.namespace, object.metadata.name);
      const existed = objects.has(key);
      rv++;
      const stored = structuredClone(object);
      stored.metadata.resourceVersion = String(rv);
      objects.set(key, stored);
      if (!silent) events.push({ type: existed ? 'MODIFIED' : 'ADDED', object: structuredClone(stored), at });
      return stored;
    },
    remove(object, at) {
      const key = keyOf(object.kind, object.metadata.namespace, object.metadata.name);
      const stored = objects.get(key);
      if (!stored) return;
      objects.delete(key);
      rv++;
      const last = structuredClone(stored);
      last.metadata.resourceVersion = String(rv);
      events.push({ type: 'DELETED', object: last, at });
    },
    get: (kind, namespace, name) => objects.get(keyOf(kind, namespace, name)),
    list() {
      const order = new Map<string, number>(KIND_ORDER.map((k, i) => [k, i]));
      return [...objects.values()].sort(
        (a, b) =>
          (order.get(a.kind) ?? 99) - (order.get(b.kind) ?? 99) ||
          (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') ||
          a.metadata.name.localeCompare(b.metadata.name),
      );
    },
    drain() {
      const out = events;
      events = [];
      return out;
    },
  };
}
