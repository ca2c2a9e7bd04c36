/**
 * What the simulated controllers do: build the initial cluster, roll out Deployments now and then (new
 * ReplicaSet, pods replaced one at a time), and run CronJobs (Job, pod, completion, history pruning).
 * @module
 */
import { suffix, uid } from './names.js';
import { iso, type KubeObject, meta, ownerRef } from './objects.js';
import {
  completePod,
  createPod,
  deletePod,
  type ReplicaSetState,
  type SimContext,
  startPod,
  terminatePod,
  updateSlices,
  type WorkloadState,
} from './state.js';
import type { WorkloadSpec } from './topology.js';
import { completeJob, controllerObject, jobObject, replicaSetObject } from './workloads.js';

const DAY = 86_400_000;

function newReplicaSet(
  ctx: SimContext,
  ws: WorkloadState,
  at: number,
  replicas: number,
  revision: number,
  silent: boolean,
) {
  const hash = suffix(ctx.random, 10);
  const name = `${ws.spec.name}-${hash}`;
  const object = replicaSetObject(ws.spec, ws.controller, name, hash, uid(ctx.random), at, replicas, revision);
  const rs: ReplicaSetState = { object: ctx.store.put(object, at, silent), hash, revision };
  return rs;
}

function setReplicas(ctx: SimContext, rs: ReplicaSetState, replicas: number, at: number): void {
  const spec = { ...rs.object.spec, replicas };
  const status = { ...rs.object.status, replicas, readyReplicas: replicas, availableReplicas: replicas };
  rs.object = ctx.store.put({ ...rs.object, spec, status }, at);
}

function addReplicaSetPod(
  ctx: SimContext,
  ws: WorkloadState,
  rs: ReplicaSetState,
  node: number,
  at: number,
  running: boolean,
  silent = false,
) {
  const rsName = rs.object.metadata.name;
  const name = `${rsName}-${suffix(ctx.random, 5)}`;
  const labels = { 'pod-template-hash': rs.hash };
  const m = meta(name, ws.spec.namespace, uid(ctx.random), at, undefined, ownerRef(rs.object));
  const target = ctx.nodes[node % ctx.nodes.length]!;
  return createPod(
    ctx,
    ws,
    { name, generateName: `${rsName}-`, meta: m, extraLabels: labels, node: target },
    at,
    running,
    silent,
  );
}

function initialPods(ctx: SimContext, ws: WorkloadState, start: number): void {
  const w = ws.spec;
  const offset = ctx.random.int(0, ctx.nodes.length - 1);
  const age = () => start - ctx.random.int(3_600_000, 2 * DAY);
  if (w.kind === 'Deployment') {
    ws.replicaSet = newReplicaSet(ctx, ws, start - 3 * DAY, w.replicas ?? 1, 1, true);
    for (let i = 0; i < (w.replicas ?? 1); i++) addReplicaSetPod(ctx, ws, ws.replicaSet, offset + i, age(), true, true);
  } else if (w.kind === 'StatefulSet' || w.kind === 'DaemonSet') {
    const count = w.kind === 'DaemonSet' ? ctx.nodes.length : (w.replicas ?? 1);
    for (let i = 0; i < count; i++) {
      const name = w.kind === 'StatefulSet' ? `${w.name}-${i}` : `${w.name}-${suffix(ctx.random, 5)}`;
      const labels = w.kind === 'StatefulSet' ? { 'statefulset.kubernetes.io/pod-name': name } : {};
      const created = age();
      const m = meta(name, w.namespace, uid(ctx.random), created, undefined, ownerRef(ws.controller));
      const node = ctx.nodes[w.kind === 'DaemonSet' ? i : (offset + i) % ctx.nodes.length]!;
      const generateName = w.kind === 'DaemonSet' ? `${w.name}-` : undefined;
      createPod(
        ctx,
        ws,
        { name, ...(generateName ? { generateName } : {}), meta: m, extraLabels: labels, node },
        age(),
        true,
        true,
      );
    }
  }
}

/** the objects that exist when the simulation starts (no events); CronJob history first, so its IPs get reused */
export function buildInitialState(ctx: SimContext, workloads: readonly WorkloadSpec[], start: number): void {
  const ordered = [...workloads].sort((a, b) => (a.kind === 'CronJob' ? -1 : 0) - (b.kind === 'CronJob' ? -1 : 0));
  for (const w of ordered) {
    const controller = ctx.store.put(
      controllerObject(w, uid(ctx.random), start - 3 * DAY, ctx.nodes.length),
      start,
      true,
    );
    const ws: WorkloadState = { spec: w, controller, pods: [], oldReplicaSets: [], jobs: [], rollingOut: false };
    ctx.workloads.set(`${w.namespace}/${w.name}`, ws);
    if (w.kind === 'CronJob') {
      const every = w.everyMs ?? 300_000;
      const last = Math.floor(start / every) * every;
      for (const runAt of [last - 2 * every, last - every]) runCronJob(ctx, ws, runAt, true);
    } else initialPods(ctx, ws, start);
  }
  for (const ws of ctx.workloads.values()) updateSlices(ctx, ws, start, true);
}

/** a rolling update: new ReplicaSet, then for each old pod: new pod ready, old pod terminating, old pod gone */
export function rollout(ctx: SimContext, ws: WorkloadState, at: number): void {
  if (ws.rollingOut || !ws.replicaSet) return;
  ws.rollingOut = true;
  const old = ws.replicaSet;
  const oldPods = ws.pods.filter((p) => !p.terminating);
  const generation = Number(ws.controller.metadata.generation ?? 1) + 1;
  ws.controller = ctx.store.put({ ...ws.controller, metadata: { ...ws.controller.metadata, generation } }, at);
  const next = newReplicaSet(ctx, ws, at, 0, old.revision + 1, false);
  ws.replicaSet = next;
  ws.oldReplicaSets.unshift(old);
  const step = (i: number, t: number) => {
    if (i === oldPods.length) {
      setReplicas(ctx, old, 0, t);
      for (const stale of ws.oldReplicaSets.splice(2)) ctx.store.remove(stale.object, t);
      ws.rollingOut = false;
      return;
    }
    const previous = oldPods[i]!;
    const pod = addReplicaSetPod(ctx, ws, next, ctx.nodes.indexOf(previous.node) + 1, t, false);
    setReplicas(ctx, next, i + 1, t);
    ctx.schedule(t + ctx.random.int(1500, 4000), (t1) => {
      startPod(ctx, ws, pod, t1);
      terminatePod(ctx, ws, previous, t1 + 200);
      setReplicas(ctx, old, oldPods.length - i - 1, t1 + 200);
      ctx.schedule(t1 + ctx.random.int(2000, 8000), (t2) => deletePod(ctx, ws, previous, t2));
      ctx.schedule(t1 + 1000, (t2) => step(i + 1, t2));
    });
  };
  step(0, at);
}

/** one CronJob run at `at`: Job and pod, Running, then Succeeded after runMs; keeps the last three Jobs */
export function runCronJob(ctx: SimContext, ws: WorkloadState, at: number, history = false): void {
  const w = ws.spec;
  const jobName = `${w.name}-${Math.floor(at / 60_000)}`;
  const job = ctx.store.put(jobObject(w, ws.controller, jobName, uid(ctx.random), at), at, history);
  const name = `${jobName}-${suffix(ctx.random, 5)}`;
  const m = meta(name, w.namespace, uid(ctx.random), at, undefined, ownerRef(job));
  const labels = { ...(job.metadata.labels ?? {}) };
  const node = ctx.random.pick(ctx.nodes);
  const pod = createPod(
    ctx,
    ws,
    { name, generateName: `${jobName}-`, meta: m, extraLabels: labels, node },
    at,
    history,
    history,
  );
  const entry = { job, pod };
  ws.jobs.push(entry);
  const finish = (t: number) => {
    completePod(ctx, pod, t, history);
    entry.job = ctx.store.put(completeJob(entry.job, t), t, history);
    const status = { lastScheduleTime: iso(at), lastSuccessfulTime: iso(t) };
    ws.controller = ctx.store.put({ ...ws.controller, status } as KubeObject, t, history);
    for (const stale of ws.jobs.splice(0, Math.max(0, ws.jobs.length - 3))) {
      deletePod(ctx, ws, stale.pod, t);
      ctx.store.remove(stale.job, t);
    }
  };
  if (history) finish(at + (w.runMs ?? 20_000));
  else {
    ctx.schedule(at + 1500, (t) => startPod(ctx, ws, pod, t));
    ctx.schedule(at + (w.runMs ?? 20_000), finish);
  }
}
