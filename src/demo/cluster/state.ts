/**
 * The simulation's mutable state and the pod lifecycle every controller uses: create (Pending), start (Running,
 * IP assigned), terminate (deletionTimestamp), delete (IP released), complete (Succeeded, IP released while the
 * object still shows it). Each step emits the watch events a real API server would, EndpointSlices included.
 * @module
 */
import type { Random } from '../random.js';
import type { PodIpPool } from './ipam.js';
import { endpointSliceObject, iso, type KubeMeta, type KubeObject, podObject } from './objects.js';
import type { ObjectStore } from './store.js';
import type { NodeSpec, ServiceSpec, WorkloadSpec } from './topology.js';

/** a pod as the traffic model sees it; `ip` is the node IP for host-network pods */
export interface SimPod {
  readonly name: string;
  readonly namespace: string;
  readonly workload: WorkloadSpec;
  readonly node: NodeSpec;
  readonly hostNetwork: boolean;
  ip: string;
  phase: 'Pending' | 'Running' | 'Succeeded';
  ready: boolean;
  terminating: boolean;
  startedAt: number;
  /** when graceful deletion started */
  deletedAt: number | undefined;
  readonly meta: KubeMeta;
  readonly generateName: string | undefined;
  readonly extraLabels: Record<string, string>;
}

export interface SimService {
  readonly namespace: string;
  readonly spec: ServiceSpec;
  readonly workload: WorkloadSpec;
  readonly clusterIP: string;
  object: KubeObject;
  slice: KubeObject;
  sliceName: string;
}

export interface ReplicaSetState {
  object: KubeObject;
  readonly hash: string;
  readonly revision: number;
}

export interface WorkloadState {
  readonly spec: WorkloadSpec;
  controller: KubeObject;
  pods: SimPod[];
  replicaSet?: ReplicaSetState;
  oldReplicaSets: ReplicaSetState[];
  jobs: { job: KubeObject; pod: SimPod }[];
  rollingOut: boolean;
}

export interface SimContext {
  readonly store: ObjectStore;
  readonly random: Random;
  readonly nodes: readonly NodeSpec[];
  readonly pools: ReadonlyMap<string, PodIpPool>;
  readonly workloads: Map<string, WorkloadState>;
  readonly services: SimService[];
  schedule(at: number, action: (at: number) => void): void;
}

export const workloadKey = (w: WorkloadSpec) => `${w.namespace}/${w.name}`;

function render(pod: SimPod): KubeObject {
  const obj = podObject(pod.workload, pod.name, pod.generateName, pod.meta, pod.extraLabels, {
    node: pod.node,
    ip: pod.ip,
    phase: pod.phase,
    ready: pod.ready,
    startedAt: pod.startedAt,
  });
  if (pod.deletedAt !== undefined) obj.metadata.deletionTimestamp = iso(pod.deletedAt);
  return obj;
}

function podIsPublished(pod: SimPod): boolean {
  return pod.phase !== 'Pending' || pod.hostNetwork;
}

/** rebuilds the EndpointSlices of the workload's services and stores the ones that changed */
export function updateSlices(ctx: SimContext, ws: WorkloadState, at: number, silent = false): void {
  for (const service of ctx.services) {
    if (service.workload !== ws.spec) continue;
    const endpoints = ws.pods
      .filter((p) => p.phase === 'Running' && podIsPublished(p))
      .map((p) => ({ pod: render(p), ip: p.ip, node: p.node, ready: p.ready, terminating: p.terminating }));
    const next = endpointSliceObject(
      service.object,
      service.spec,
      service.sliceName,
      service.slice.metadata.uid,
      Date.parse(service.slice.metadata.creationTimestamp),
      endpoints,
    );
    if (JSON.stringify(next.endpoints) === JSON.stringify(service.slice.endpoints)) continue;
    service.slice = ctx.store.put(next, at, silent);
  }
}

export interface NewPod {
  readonly name: string;
  readonly generateName?: string;
  readonly meta: KubeMeta;
  readonly extraLabels?: Record<string, string>;
  readonly node: NodeSpec;
}

/** creates a pod; `running` skips the Pending step (initial state); `silent` records no event */
export function createPod(ctx: SimContext, ws: WorkloadState, p: NewPod, at: number, running: boolean, silent = false) {
  const pod: SimPod = {
    name: p.name,
    namespace: ws.spec.namespace,
    workload: ws.spec,
    node: p.node,
    hostNetwork: ws.spec.hostNetwork === true,
    ip: ws.spec.hostNetwork ? p.node.internalIP : '',
    phase: 'Pending',
    ready: false,
    terminating: false,
    startedAt: at,
    deletedAt: undefined,
    meta: p.meta,
    generateName: p.generateName,
    extraLabels: p.extraLabels ?? {},
  };
  ws.pods.push(pod);
  if (running) {
    // the initial state compresses its history: every address freed in it has been free long enough
    assignIp(ctx, pod, Number.POSITIVE_INFINITY);
    pod.phase = 'Running';
    pod.ready = true;
  }
  ctx.store.put(render(pod), at, silent);
  if (running) updateSlices(ctx, ws, at, silent);
  return pod;
}

function assignIp(ctx: SimContext, pod: SimPod, at: number): void {
  if (!pod.hostNetwork) pod.ip = ctx.pools.get(pod.node.name)!.allocate(at);
}

function releaseIp(ctx: SimContext, pod: SimPod, at: number): void {
  if (!pod.hostNetwork && pod.ip) ctx.pools.get(pod.node.name)!.release(pod.ip, at);
}

/** Pending -> Running and Ready, with an address */
export function startPod(ctx: SimContext, ws: WorkloadState, pod: SimPod, at: number): void {
  assignIp(ctx, pod, at);
  pod.phase = 'Running';
  pod.ready = true;
  pod.startedAt = at;
  ctx.store.put(render(pod), at);
  updateSlices(ctx, ws, at);
}

/** graceful deletion starts: not ready, terminating */
export function terminatePod(ctx: SimContext, ws: WorkloadState, pod: SimPod, at: number): void {
  pod.ready = false;
  pod.terminating = true;
  pod.deletedAt = at;
  ctx.store.put(render(pod), at);
  updateSlices(ctx, ws, at);
}

/** the object disappears and its address goes back to the pool */
export function deletePod(ctx: SimContext, ws: WorkloadState, pod: SimPod, at: number): void {
  if (pod.phase !== 'Succeeded') releaseIp(ctx, pod, at);
  ws.pods = ws.pods.filter((p) => p !== pod);
  ctx.store.remove(render(pod), at);
  updateSlices(ctx, ws, at);
}

/** a job pod finished: Succeeded; the CNI frees the address while the object still shows it */
export function completePod(ctx: SimContext, pod: SimPod, at: number, silent = false): void {
  pod.phase = 'Succeeded';
  pod.ready = false;
  releaseIp(ctx, pod, at);
  ctx.store.put(render(pod), at, silent);
}
