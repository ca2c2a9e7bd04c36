/**
 * A simulated Kubernetes cluster that changes over time: `advance(now)` runs rollouts and CronJob runs up to `now`
 * and returns the watch events they produced; `snapshot()` is the current `v1 List`. Deterministic for a seed and
 * the same sequence of `advance` calls. Single-threaded; not shared.
 * @module
 */
import { createRandom } from '../random.js';
import { buildInitialState, rollout, runCronJob } from './controllers.js';
import { createPodIpPool, createServiceIpAllocator } from './ipam.js';
import { suffix, uid } from './names.js';
import { endpointSliceObject, nodeObject, serviceObject } from './objects.js';
import type { SimContext, SimPod, SimService, WorkloadState } from './state.js';
import { type ClusterEvent, createObjectStore, type KubeList } from './store.js';
import { DEFAULT_TOPOLOGY, type NodeSpec, type TopologySpec } from './topology.js';

export interface SimulatedClusterOptions {
  readonly seed: number;
  /** simulated time the cluster starts at, epoch ms */
  readonly start: number;
  readonly topology?: TopologySpec;
  /** mean time between Deployment rollouts (default 90 s); 0 disables them */
  readonly rolloutEveryMs?: number;
  /** false disables CronJob runs */
  readonly cronJobs?: boolean;
}

export interface SimulatedCluster {
  readonly nodes: readonly NodeSpec[];
  readonly services: readonly SimService[];
  /** the simulated time reached by the last `advance` */
  readonly now: number;
  /** current objects, as `kubectl get nodes,pods,services,endpointslices,...,cronjobs -A -o json` prints them */
  snapshot(): KubeList;
  /** runs the cluster's own activity up to `now`; returns the watch events in the order they happened */
  advance(now: number): ClusterEvent[];
  /** pods that exist now (Pending, Running, terminating or Succeeded) */
  pods(): readonly SimPod[];
  /** pods of one workload ("namespace/name") */
  workloadPods(workload: string): readonly SimPod[];
  /** the Service called `namespace/name` */
  service(name: string): SimService | undefined;
  /** forces a rollout of a Deployment ("namespace/name") now */
  rollout(workload: string): void;
  readonly resourceVersion: number;
}

interface Scheduled {
  readonly at: number;
  readonly seq: number;
  readonly action: (at: number) => void;
}

export function createSimulatedCluster(options: SimulatedClusterOptions): SimulatedCluster {
  const topology = options.topology ?? DEFAULT_TOPOLOGY;
  const random = createRandom(options.seed).fork('cluster');
  const store = createObjectStore();
  const queue: Scheduled[] = [];
  let seq = 0;
  let now = options.start;
  const ctx: SimContext = {
    store,
    random,
    nodes: topology.nodes,
    pools: new Map(topology.nodes.map((n) => [n.name, createPodIpPool(n.podCIDR)])),
    workloads: new Map<string, WorkloadState>(),
    services: [],
    schedule(at, action) {
      queue.push({ at, seq: seq++, action });
      queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
    },
  };
  for (const n of topology.nodes)
    store.put(nodeObject(n, uid(random), options.start - 30 * 86_400_000), options.start, true);
  const fixed = topology.workloads.flatMap((w) => (w.service?.clusterIP ? [w.service.clusterIP] : []));
  const nextServiceIp = createServiceIpAllocator(topology.serviceCIDR, fixed);
  for (const w of topology.workloads) {
    if (!w.service) continue;
    const created = options.start - 3 * 86_400_000;
    const clusterIP = w.service.clusterIP ?? nextServiceIp();
    const object = store.put(serviceObject(w, w.service, clusterIP, uid(random), created), options.start, true);
    const sliceName = `${w.service.name}-${suffix(random, 5)}`;
    const slice = store.put(
      endpointSliceObject(object, w.service, sliceName, uid(random), created, []),
      options.start,
      true,
    );
    ctx.services.push({ namespace: w.namespace, spec: w.service, workload: w, clusterIP, object, slice, sliceName });
  }
  buildInitialState(ctx, topology.workloads, options.start);

  const rolloutEvery = options.rolloutEveryMs ?? 90_000;
  const deployments = [...ctx.workloads.values()].filter((ws) => ws.spec.kind === 'Deployment' && ws.spec.rollouts);
  const scheduleRollout = (from: number) => {
    if (rolloutEvery <= 0 || deployments.length === 0) return;
    ctx.schedule(from + random.exponential(rolloutEvery), (at) => {
      rollout(ctx, random.pick(deployments), at);
      scheduleRollout(at);
    });
  };
  scheduleRollout(options.start);
  if (options.cronJobs !== false) {
    for (const ws of ctx.workloads.values()) {
      if (ws.spec.kind !== 'CronJob') continue;
      const every = ws.spec.everyMs ?? 300_000;
      const scheduleRun = (at: number) =>
        ctx.schedule(at, (t) => {
          runCronJob(ctx, ws, t);
          scheduleRun(t + every);
        });
      scheduleRun(Math.ceil((options.start + 1) / every) * every);
    }
  }
  store.drain();

  return {
    nodes: topology.nodes,
    services: ctx.services,
    get now() {
      return now;
    },
    get resourceVersion() {
      return store.resourceVersion;
    },
    snapshot: () => ({
      apiVersion: 'v1',
      kind: 'List',
      metadata: { resourceVersion: '' },
      items: store.list(),
    }),
    advance(to) {
      while (queue.length > 0 && queue[0]!.at <= to) {
        const next = queue.shift()!;
        now = Math.max(now, next.at);
        next.action(next.at);
      }
      now = Math.max(now, to);
      return store.drain();
    },
    pods: () => [...ctx.workloads.values()].flatMap((ws) => ws.pods),
    workloadPods: (workload) => ctx.workloads.get(workload)?.pods ?? [],
    service: (name) => ctx.services.find((s) => `${s.namespace}/${s.spec.name}` === name),
    rollout(workload) {
      const ws = ctx.workloads.get(workload);
      if (ws?.spec.kind !== 'Deployment') throw new TypeError(`Cannot roll out "${workload}": not a Deployment`);
      rollout(ctx, ws, now);
    },
  };
}
