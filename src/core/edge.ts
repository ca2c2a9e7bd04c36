/**
 * The map: who calls whom, on which port, how much. Also the JSON shape `flowmap map` prints.
 * @module
 */
import type { OrientationEvidence } from './conversation.js';

/** how finely endpoints are grouped into map nodes */
export type GroupLevel = 'namespace' | 'workload' | 'pod';

export type NodeKind = 'namespace' | 'workload' | 'pod' | 'service' | 'node' | 'external' | 'unknown';

/**
 * A map node. `id` is stable and unique per kind and level, e.g. "workload:shop/Deployment/frontend",
 * "pod:shop/frontend-7d9f-abcde", "service:shop/cart", "node:worker-1", "external:Google LLC",
 * "unknown:10.1.2.3", "namespace:shop".
 */
export interface MapNode {
  readonly id: string;
  readonly kind: NodeKind;
  /** '' for cluster-scoped and outside-cluster nodes */
  readonly namespace: string;
  readonly name: string;
  /** Deployment, StatefulSet, DaemonSet, CronJob, Job, Pod, Service, Node, or '' */
  readonly workloadKind: string;
  readonly ip?: string;
  readonly label?: string;
  readonly asn?: number;
  readonly org?: string;
}

/** identity of an edge inside one time bucket */
export interface EdgeKey {
  readonly clientId: string;
  readonly serverId: string;
  readonly port: number;
  /** IANA protocol number */
  readonly ipProtocol: number;
}

/** counters of one edge; all scaled by sampling */
export interface EdgeCounters {
  readonly bytesToServer: number;
  readonly bytesToClient: number;
  readonly packetsToServer: number;
  readonly packetsToClient: number;
  /** connections opened (distinct 5-tuples), not flow records */
  readonly connections: number;
  /** epoch ms */
  readonly firstSeen: number;
  readonly lastSeen: number;
}

export interface Edge extends EdgeKey, EdgeCounters {
  readonly client: MapNode;
  readonly server: MapNode;
  /** the strongest evidence seen for this edge's direction */
  readonly evidence: OrientationEvidence;
  /** Services the client addressed (before DNAT) on this edge, as "namespace/name" */
  readonly services?: readonly string[];
}

/** all edges of one time bucket [start, end) */
export interface EdgeWindow {
  readonly start: number;
  readonly end: number;
  readonly level: GroupLevel;
  readonly edges: readonly Edge[];
  /** edges refused by the cardinality cap in this window */
  readonly dropped: number;
}

/**
 * `edge` (an object the caller just built) with `services` added when there are any. Added by assignment, not by
 * a spread: V8 gives spread copies a hidden class each, and every reader of such edges then takes slow lookups.
 */
export function withServices<E extends { readonly services?: readonly string[] }>(
  edge: E,
  services: readonly string[] | undefined,
): E {
  if (services !== undefined && services.length > 0) (edge as { services?: readonly string[] }).services = services;
  return edge;
}
