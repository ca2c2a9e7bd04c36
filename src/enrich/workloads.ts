/**
 * Workload naming: the top controller of a pod by its ownerReferences, and the seed's label-chain name.
 * @module
 */
import type { WorkloadRef } from '../core/endpoint.js';
import { isOwnerKind, type OwnerRef, type SlimOwner, type SlimPod } from './kube-objects.js';

/** ownerReference hops followed before giving up (cycles, very deep operator chains) */
export const MAX_OWNER_HOPS = 8;

/** the label chain of the seed's metrics, first present wins, else the pod name */
export const SEED_LABEL_CHAIN = ['app', 'name', 'k8s-app', 'app.kubernetes.io/name', 'component', 'job-name'] as const;

export function ownerKey(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

export interface WorkloadResolution {
  readonly workload: WorkloadRef;
  /** keys (ownerKey) of every controller looked up or missing on the way: a change to one of them renames the pod */
  readonly chain: readonly string[];
}

/**
 * Walks controller ownerReferences from `pod` up: Pod → ReplicaSet → Deployment, Job → CronJob, StatefulSet and
 * DaemonSet, and on through known controllers to any owner kind the index does not track (a CRD), which ends the
 * walk with its kind and name. When a ReplicaSet is not (yet) known and the pod carries `pod-template-hash`, the
 * Deployment is taken from the ReplicaSet's name (`<deployment>-<hash>`). `overrideLabel`, when the pod has it,
 * replaces the workload's name (the kind stays).
 */
export function resolveWorkload(
  pod: SlimPod,
  owners: ReadonlyMap<string, SlimOwner>,
  overrideLabel: string | undefined,
): WorkloadResolution {
  const ns = pod.metadata.namespace;
  const chain: string[] = [];
  let current: OwnerRef | undefined = pod.owner;
  let top: OwnerRef = current ?? { kind: 'Pod', name: pod.metadata.name };
  for (let hop = 0; current && hop < MAX_OWNER_HOPS; hop++) {
    top = current;
    if (!isOwnerKind(current.kind)) break;
    const key = ownerKey(current.kind, ns, current.name);
    chain.push(key);
    const record = owners.get(key);
    if (!record) {
      top = guessDeployment(current, pod) ?? current;
      break;
    }
    current = record.owner;
  }
  const override = overrideLabel ? pod.labels[overrideLabel] : undefined;
  return { workload: { kind: top.kind, namespace: ns, name: override || top.name }, chain };
}

function guessDeployment(owner: OwnerRef, pod: SlimPod): OwnerRef | undefined {
  const hash = pod.labels['pod-template-hash'];
  if (owner.kind !== 'ReplicaSet' || !hash || !owner.name.endsWith(`-${hash}`)) return undefined;
  const name = owner.name.slice(0, -hash.length - 1);
  return name ? { kind: 'Deployment', name } : undefined;
}

/** the seed's metric name for a pod: the first label of SEED_LABEL_CHAIN it has, else its name */
export function seedNameOf(pod: SlimPod): string {
  for (const label of SEED_LABEL_CHAIN) {
    const value = pod.labels[label];
    if (value) return value;
  }
  return pod.metadata.name;
}
