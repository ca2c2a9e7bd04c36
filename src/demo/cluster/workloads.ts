/**
 * Builders of controller objects (Deployment, ReplicaSet, StatefulSet, DaemonSet, CronJob, Job) in
 * `kubectl get -o json` shape.
 * @module
 */
import { iso, type KubeObject, meta, type OwnerReference, podTemplate, selectorLabels } from './objects.js';
import type { WorkloadSpec } from './topology.js';

export function controllerObject(w: WorkloadSpec, uid: string, at: number, nodes: number): KubeObject {
  const labels = selectorLabels(w);
  const selector = { matchLabels: labels };
  const template = podTemplate(w);
  const m = meta(w.name, w.namespace, uid, at, labels);
  m.generation = 1;
  switch (w.kind) {
    case 'Deployment':
      return {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: m,
        spec: {
          replicas: w.replicas ?? 1,
          selector,
          template,
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
          revisionHistoryLimit: 10,
        },
        status: { replicas: w.replicas ?? 1, readyReplicas: w.replicas ?? 1, observedGeneration: 1 },
      };
    case 'StatefulSet':
      return {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: m,
        spec: { replicas: w.replicas ?? 1, serviceName: w.service?.name ?? w.name, selector, template },
        status: { replicas: w.replicas ?? 1, readyReplicas: w.replicas ?? 1, observedGeneration: 1 },
      };
    case 'DaemonSet':
      return {
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: m,
        spec: { selector, template, updateStrategy: { type: 'RollingUpdate' } },
        status: { desiredNumberScheduled: nodes, currentNumberScheduled: nodes, numberReady: nodes },
      };
    case 'CronJob':
      return {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: m,
        spec: {
          schedule: w.schedule ?? '*/5 * * * *',
          concurrencyPolicy: 'Forbid',
          successfulJobsHistoryLimit: 3,
          failedJobsHistoryLimit: 1,
          jobTemplate: { spec: { backoffLimit: 2, template } },
        },
        status: {},
      };
  }
}

export function replicaSetObject(
  w: WorkloadSpec,
  deployment: KubeObject,
  name: string,
  hash: string,
  uid: string,
  at: number,
  replicas: number,
  revision: number,
): KubeObject {
  const labels = { ...selectorLabels(w), 'pod-template-hash': hash };
  const m = meta(name, w.namespace, uid, at, labels, deploymentOwner(deployment));
  m.annotations = { 'deployment.kubernetes.io/revision': String(revision) };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: m,
    spec: { replicas, selector: { matchLabels: labels }, template: podTemplate(w, { 'pod-template-hash': hash }) },
    status: { replicas, readyReplicas: replicas, availableReplicas: replicas, observedGeneration: 1 },
  };
}

function deploymentOwner(deployment: KubeObject): OwnerReference {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    name: deployment.metadata.name,
    uid: deployment.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function jobObject(w: WorkloadSpec, cronJob: KubeObject, name: string, uid: string, at: number): KubeObject {
  const labels = { 'batch.kubernetes.io/job-name': name, 'job-name': name, 'batch.kubernetes.io/controller-uid': uid };
  const owner: OwnerReference = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    name: cronJob.metadata.name,
    uid: cronJob.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: meta(name, w.namespace, uid, at, labels, owner),
    spec: { backoffLimit: 2, completions: 1, parallelism: 1, template: podTemplate(w, labels) },
    status: { startTime: iso(at), active: 1 },
  };
}

/** marks a Job complete */
export function completeJob(job: KubeObject, at: number): KubeObject {
  const status = { startTime: job.status?.startTime, completionTime: iso(at), succeeded: 1, ready: 0 };
  return {
    ...job,
    status: { ...status, conditions: [{ type: 'Complete', status: 'True', lastTransitionTime: iso(at) }] },
  };
}
