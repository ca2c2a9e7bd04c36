/**
 * Builders of Kubernetes objects in the JSON shape `kubectl get -o json` prints (apiVersion, kind, metadata,
 * spec, status), so the identity code reads simulated objects exactly as it reads real ones.
 * @module
 */
import type { NodeSpec, PortSpec, ServiceSpec, WorkloadSpec } from './topology.js';

/** a Kubernetes object as JSON; only the fields the simulation writes are typed */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: KubeMeta;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface OwnerReference {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
  readonly controller: boolean;
  readonly blockOwnerDeletion: boolean;
}

export interface KubeMeta {
  name: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
  creationTimestamp: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  generateName?: string;
  deletionTimestamp?: string;
  generation?: number;
}

export const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function meta(
  name: string,
  namespace: string | undefined,
  uid: string,
  at: number,
  labels?: Record<string, string>,
  owner?: OwnerReference,
): KubeMeta {
  const m: KubeMeta = { name, uid, resourceVersion: '0', creationTimestamp: iso(at) };
  if (namespace !== undefined) m.namespace = namespace;
  if (labels) m.labels = { ...labels };
  if (owner) m.ownerReferences = [owner];
  return m;
}

export function ownerRef(obj: KubeObject): OwnerReference {
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    name: obj.metadata.name,
    uid: obj.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** the labels a workload's pods carry and its selector matches */
export function selectorLabels(w: WorkloadSpec): Record<string, string> {
  if (w.namespace === 'kube-system') return { 'k8s-app': w.name === 'coredns' ? 'kube-dns' : w.name };
  if (w.namespace === 'monitoring') return { 'app.kubernetes.io/name': w.name };
  return { app: w.name };
}

function containerPorts(ports: readonly PortSpec[], hostNetwork: boolean) {
  return ports.map((p) => ({
    name: p.name,
    containerPort: p.port,
    protocol: p.protocol,
    ...(hostNetwork ? { hostPort: p.port } : {}),
  }));
}

/** the pod template of a workload (spec.template) */
export function podTemplate(w: WorkloadSpec, extraLabels: Record<string, string> = {}) {
  const hostNetwork = w.hostNetwork === true;
  const container = w.name === 'redis-cart' ? 'redis' : w.kind === 'CronJob' ? 'backup' : 'server';
  return {
    metadata: { labels: { ...selectorLabels(w), ...extraLabels } },
    spec: {
      containers: [{ name: container, image: w.image, ports: containerPorts(w.ports, hostNetwork) }],
      ...(hostNetwork ? { hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' } : { dnsPolicy: 'ClusterFirst' }),
      restartPolicy: w.kind === 'CronJob' ? 'OnFailure' : 'Always',
      serviceAccountName: 'default',
      terminationGracePeriodSeconds: 30,
    },
  };
}

export interface PodState {
  readonly node: NodeSpec;
  readonly ip: string;
  readonly phase: 'Pending' | 'Running' | 'Succeeded';
  readonly ready: boolean;
  readonly startedAt: number;
}

export function podObject(
  w: WorkloadSpec,
  name: string,
  generateName: string | undefined,
  m: KubeMeta,
  extraLabels: Record<string, string>,
  s: PodState,
): KubeObject {
  const template = podTemplate(w, extraLabels);
  const ready = s.ready ? 'True' : 'False';
  const hostNetwork = w.hostNetwork === true;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { ...m, name, ...(generateName ? { generateName } : {}), labels: template.metadata.labels },
    spec: { ...template.spec, nodeName: s.node.name },
    status: {
      phase: s.phase,
      hostIP: s.node.internalIP,
      hostIPs: [{ ip: s.node.internalIP }],
      ...(s.phase === 'Pending' && !hostNetwork ? {} : { podIP: s.ip, podIPs: [{ ip: s.ip }] }),
      startTime: iso(s.startedAt),
      conditions: [
        { type: 'PodScheduled', status: 'True', lastTransitionTime: iso(s.startedAt) },
        { type: 'Ready', status: ready, lastTransitionTime: iso(s.startedAt) },
        { type: 'ContainersReady', status: ready, lastTransitionTime: iso(s.startedAt) },
      ],
      qosClass: 'BestEffort',
    },
  };
}

export function nodeObject(n: NodeSpec, uid: string, at: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: meta(n.name, undefined, uid, at, {
      'kubernetes.io/hostname': n.name,
      'kubernetes.io/os': 'linux',
      'topology.kubernetes.io/zone': n.zone,
    }),
    spec: { podCIDR: n.podCIDR, podCIDRs: [n.podCIDR] },
    status: {
      addresses: [
        { type: 'InternalIP', address: n.internalIP },
        { type: 'Hostname', address: n.name },
      ],
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }],
      nodeInfo: { kubeletVersion: 'v1.31.2', osImage: 'Debian GNU/Linux 12 (bookworm)', architecture: 'amd64' },
    },
  };
}

export function serviceObject(w: WorkloadSpec, s: ServiceSpec, clusterIP: string, uid: string, at: number) {
  const obj: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(s.name, w.namespace, uid, at, selectorLabels(w)),
    spec: {
      type: 'ClusterIP',
      clusterIP,
      clusterIPs: [clusterIP],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      selector: selectorLabels(w),
      ports: s.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort, protocol: p.protocol })),
      sessionAffinity: 'None',
    },
    status: { loadBalancer: {} },
  };
  return obj;
}

export interface SliceEndpoint {
  readonly pod: KubeObject;
  readonly ip: string;
  readonly node: NodeSpec;
  readonly ready: boolean;
  readonly terminating: boolean;
}

export function endpointSliceObject(
  service: KubeObject,
  s: ServiceSpec,
  name: string,
  uid: string,
  at: number,
  endpoints: readonly SliceEndpoint[],
): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: meta(
      name,
      service.metadata.namespace,
      uid,
      at,
      {
        'kubernetes.io/service-name': s.name,
        'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
      },
      { ...ownerRef(service), blockOwnerDeletion: true },
    ),
    addressType: 'IPv4',
    endpoints: endpoints.map((e) => ({
      addresses: [e.ip],
      conditions: { ready: e.ready && !e.terminating, serving: e.ready, terminating: e.terminating },
      nodeName: e.node.name,
      zone: e.node.zone,
      targetRef: {
        kind: 'Pod',
        namespace: e.pod.metadata.namespace,
        name: e.pod.metadata.name,
        uid: e.pod.metadata.uid,
      },
    })),
    ports: s.ports.map((p) => ({ name: p.name, port: p.targetPort, protocol: p.protocol })),
  };
}
