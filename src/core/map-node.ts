import type { GroupLevel, MapNode } from './edge.js';
import type { Endpoint } from './endpoint.js';
import type { IpAddress } from './flow.js';
import { formatIp } from './ip.js';

/**
 * The map node an endpoint belongs to at a grouping level. Rules:
 * - pods: `workload:<ns>/<Kind>/<name>` (level workload), `pod:<ns>/<pod>` (level pod), `namespace:<ns>`;
 * - services: `service:<ns>/<name>` (`namespace:<ns>` at level namespace); at level workload, a service whose
 *   `backend` is known is its backing workload's node (one workload behind every endpoint);
 * - nodes: `node:<name>` at every level;
 * - external with a CIDR label: `external:<label>`; with an ASN: `external:<org>` (or `external:AS<asn>` without org);
 * - anything else: `unknown:<ip>`.
 * Allocates; callers on the hot path cache by endpoint object (endpoints are shared and immutable).
 */
export function mapNodeOf(endpoint: Endpoint, addr: IpAddress, level: GroupLevel): MapNode {
  const ns = endpoint.namespace ?? '';
  switch (endpoint.kind) {
    case 'pod': {
      const podName = endpoint.name ?? formatIp(addr);
      const workload = endpoint.workload ?? { kind: 'Pod', namespace: ns, name: podName };
      if (level === 'namespace') return namespaceNode(ns);
      if (level === 'pod') {
        return {
          id: `pod:${ns}/${podName}`,
          kind: 'pod',
          namespace: ns,
          name: podName,
          workloadKind: workload.kind,
          ip: formatIp(addr),
        };
      }
      return {
        id: `workload:${ns}/${workload.kind}/${workload.name}`,
        kind: 'workload',
        namespace: ns,
        name: workload.name,
        workloadKind: workload.kind,
      };
    }
    case 'service': {
      if (level === 'namespace') return namespaceNode(ns);
      const backend = endpoint.backend;
      if (level === 'workload' && backend !== undefined) {
        return {
          id: `workload:${backend.namespace}/${backend.kind}/${backend.name}`,
          kind: 'workload',
          namespace: backend.namespace,
          name: backend.name,
          workloadKind: backend.kind,
        };
      }
      const name = endpoint.name ?? formatIp(addr);
      return { id: `service:${ns}/${name}`, kind: 'service', namespace: ns, name, workloadKind: 'Service' };
    }
    case 'node': {
      const name = endpoint.name ?? formatIp(addr);
      return { id: `node:${name}`, kind: 'node', namespace: '', name, workloadKind: 'Node' };
    }
    case 'external': {
      const ext = endpoint.external;
      if (ext?.label) {
        return {
          id: `external:${ext.label}`,
          kind: 'external',
          namespace: '',
          name: ext.label,
          workloadKind: '',
          label: ext.label,
        };
      }
      if (ext?.asn !== undefined) {
        const name = ext.org ?? `AS${ext.asn}`;
        return withAsn(
          { id: `external:${name}`, kind: 'external', namespace: '', name, workloadKind: '' },
          ext.asn,
          ext.org,
        );
      }
      return unknownNode(addr);
    }
    default:
      return unknownNode(addr);
  }
}

/**
 * The port an edge to `server` is drawn with at `level`: a Service drawn as its backing workload (see mapNodeOf)
 * takes the numeric targetPort its port forwards to, the port after DNAT; anything else keeps `port`.
 */
export function mapPortOf(server: Endpoint, port: number, ipProtocol: number, level: GroupLevel): number {
  if (server.kind !== 'service' || server.backend === undefined || level !== 'workload') return port;
  const declared = server.ports?.find((p) => p.port === port && p.ipProtocol === ipProtocol);
  return declared?.targetPort ? declared.targetPort : port;
}

/** the map node of a whole namespace (the namespace grouping level) */
export function namespaceNode(ns: string): MapNode {
  return { id: `namespace:${ns}`, kind: 'namespace', namespace: ns, name: ns, workloadKind: '' };
}

function unknownNode(addr: IpAddress): MapNode {
  const ip = formatIp(addr);
  return { id: `unknown:${ip}`, kind: 'unknown', namespace: '', name: ip, workloadKind: '', ip };
}

function withAsn(node: MapNode, asn: number, org: string | undefined): MapNode {
  return org === undefined ? { ...node, asn } : { ...node, asn, org };
}

/** Prometheus labels naming a map node: `<prefix>_namespace`, `<prefix>_name`, `<prefix>_kind` */
export interface MapNodeLabels {
  readonly namespace: string;
  readonly name: string;
  /** workloadKind when set (Deployment, Service, Node, ...), else the node kind (external, unknown, namespace, pod) */
  readonly kind: string;
}

/** the labels flowmap_* series carry for a map node; `mapNodeFromLabels` inverts it */
export function mapNodeLabels(node: MapNode): MapNodeLabels {
  return { namespace: node.namespace, name: node.name, kind: node.workloadKind || node.kind };
}

/** rebuilds a workload-level map node from its series labels (as produced by mapNodeLabels) */
export function mapNodeFromLabels(labels: MapNodeLabels): MapNode {
  const { namespace, name, kind } = labels;
  switch (kind) {
    case 'external':
      return { id: `external:${name}`, kind: 'external', namespace: '', name, workloadKind: '' };
    case 'unknown':
      return { id: `unknown:${name}`, kind: 'unknown', namespace: '', name, workloadKind: '', ip: name };
    case 'namespace':
      return { id: `namespace:${name}`, kind: 'namespace', namespace: name, name, workloadKind: '' };
    case 'Node':
      return { id: `node:${name}`, kind: 'node', namespace: '', name, workloadKind: 'Node' };
    case 'Service':
      return { id: `service:${namespace}/${name}`, kind: 'service', namespace, name, workloadKind: 'Service' };
    default:
      return { id: `workload:${namespace}/${kind}/${name}`, kind: 'workload', namespace, name, workloadKind: kind };
  }
}
