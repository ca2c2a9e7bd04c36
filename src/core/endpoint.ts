/**
 * Who is behind an IP address at a given time, as the enrich stage answers it.
 * @module
 */

export type EndpointKind = 'pod' | 'service' | 'node' | 'external' | 'unknown';

/** the top controller of a pod: Deployment, StatefulSet, DaemonSet, CronJob, Job, a CRD kind, or Pod when unowned */
export interface WorkloadRef {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

/** a port a pod (containerPort), host-network pod or Service declares */
export interface DeclaredPort {
  readonly port: number;
  /** IANA protocol number */
  readonly ipProtocol: number;
  readonly name?: string;
  /** Services only: the pod port traffic is forwarded to (numeric targetPort; 0 when named) */
  readonly targetPort?: number;
}

/** what external-address naming found: a configured CIDR label, else the ASN data */
export interface ExternalInfo {
  /** the matching CIDR (longest prefix) for a configured label, or the ASN range */
  readonly cidr?: string;
  readonly label?: string;
  readonly asn?: number;
  readonly org?: string;
}

/**
 * One resolved endpoint. Index lookups return shared, immutable objects: never mutate one, and do
 * not expect `ip` here (the flow has it). Optional fields are absent when they do not apply to `kind`.
 */
export interface Endpoint {
  readonly kind: EndpointKind;
  /** pods, services: their namespace */
  readonly namespace?: string;
  /** pod, service or node name; for external the label or org when known */
  readonly name?: string;
  /** pods: the top owner (see WorkloadRef) */
  readonly workload?: WorkloadRef;
  /**
   * services: the one workload every address of the Service's EndpointSlices belongs to, when there is exactly
   * one; at workload level the map draws calls to the ClusterIP that no post-DNAT record resolved as calls to it
   */
  readonly backend?: WorkloadRef;
  /** pods: the node they run on */
  readonly node?: string;
  /** pods sharing their node's IP; only returned when a declared port matched */
  readonly hostNetwork?: boolean;
  readonly labels?: Readonly<Record<string, string>>;
  /** the seed's label-chain name (app, name, k8s-app, app.kubernetes.io/name, component, job-name, else pod name) */
  readonly seedName?: string;
  /** containerPorts for pods, ports for services, host ports for host-network pods */
  readonly ports?: readonly DeclaredPort[];
  readonly external?: ExternalInfo;
}

/** the endpoint for any address nothing knows; shared */
export const UNKNOWN_ENDPOINT: Endpoint = Object.freeze({ kind: 'unknown' });

const NAMES = new WeakMap<Endpoint, string>();

/**
 * "namespace/name" of an endpoint (a Service's identity in EndpointSlices, edges and metrics). Endpoints are shared
 * immutable objects, so each is named once: per-flow callers build no string.
 */
export function serviceName(ep: Endpoint): string {
  let name = NAMES.get(ep);
  if (name === undefined) {
    name = `${ep.namespace ?? ''}/${ep.name ?? ''}`;
    NAMES.set(ep, name);
  }
  return name;
}
