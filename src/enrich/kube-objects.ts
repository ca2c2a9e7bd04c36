/**
 * Slim records: the few fields of Kubernetes objects the index needs (IPs, names, owner, node, labels, ports).
 * They keep the `metadata` shape (name, namespace, uid, resourceVersion) so an informer cache can hold them
 * instead of the full objects. Slim records are immutable and shared between the informer cache and the index.
 * @module
 */
import type { DeclaredPort } from '../core/endpoint.js';
import type { IpAddress } from '../core/flow.js';

/** the kinds the index reads, in the order a snapshot is best applied (owners before pods) */
export const RESOURCE_KINDS = [
  'Node',
  'CronJob',
  'Job',
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Service',
  'EndpointSlice',
  'Pod',
] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** controllers the owner walk looks up; any other owner kind (CRDs) ends the walk with its kind and name */
export const OWNER_KINDS = ['ReplicaSet', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'] as const;
export type OwnerKind = (typeof OWNER_KINDS)[number];

/** what an informer or a watch stream reports about one object */
export type ObjectEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export function isResourceKind(kind: unknown): kind is ResourceKind {
  return typeof kind === 'string' && (RESOURCE_KINDS as readonly string[]).includes(kind);
}

export function isOwnerKind(kind: string): kind is OwnerKind {
  return (OWNER_KINDS as readonly string[]).includes(kind);
}

export interface SlimMeta {
  readonly name: string;
  /** '' for cluster-scoped objects */
  readonly namespace: string;
  readonly uid?: string;
  readonly resourceVersion?: string;
}

/** the controlling ownerReference (or the first one when none is marked controller) */
export interface OwnerRef {
  readonly kind: string;
  readonly name: string;
}

type Labels = Readonly<Record<string, string>>;

export interface SlimPod {
  readonly kind: 'Pod';
  readonly metadata: SlimMeta;
  readonly labels: Labels;
  readonly owner: OwnerRef | undefined;
  /** creationTimestamp in epoch ms; -Infinity when absent */
  readonly created: number;
  readonly nodeName: string;
  readonly hostNetwork: boolean;
  /** containerPorts of containers and sidecar init containers */
  readonly ports: readonly DeclaredPort[];
  /** ports reachable on the node's addresses: every containerPort of a host-network pod, else declared hostPorts */
  readonly hostPorts: readonly DeclaredPort[];
  /** Pending, Running, Succeeded, Failed, Unknown ('' when absent) */
  readonly phase: string;
  readonly ips: readonly IpAddress[];
  readonly hostIPs: readonly IpAddress[];
}

export interface SlimService {
  readonly kind: 'Service';
  readonly metadata: SlimMeta;
  readonly labels: Labels;
  /** undefined for selector-less services (manual EndpointSlices) */
  readonly selector: Labels | undefined;
  /** ClusterIPs, externalIPs and load-balancer ingress IPs */
  readonly ips: readonly IpAddress[];
  readonly ports: readonly DeclaredPort[];
}

export interface SlimEndpointSlice {
  readonly kind: 'EndpointSlice';
  readonly metadata: SlimMeta;
  /** the kubernetes.io/service-name label; '' when absent */
  readonly serviceName: string;
  readonly addresses: readonly IpAddress[];
}

export interface SlimNode {
  readonly kind: 'Node';
  readonly metadata: SlimMeta;
  readonly labels: Labels;
  /** InternalIP and ExternalIP addresses */
  readonly ips: readonly IpAddress[];
}

export interface SlimOwner {
  readonly kind: OwnerKind;
  readonly metadata: SlimMeta;
  readonly owner: OwnerRef | undefined;
}

export type SlimObject = SlimPod | SlimService | SlimEndpointSlice | SlimNode | SlimOwner;
