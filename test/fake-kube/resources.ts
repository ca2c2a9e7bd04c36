/**
 * The resource types the fake API server serves: where each lives in the URL space and how its lists are named.
 * @module
 */

export interface ResourceType {
  readonly kind: string;
  /** "v1", "apps/v1", ... */
  readonly apiVersion: string;
  readonly plural: string;
  readonly namespaced: boolean;
}

export const RESOURCE_TYPES: readonly ResourceType[] = [
  { kind: 'Pod', apiVersion: 'v1', plural: 'pods', namespaced: true },
  { kind: 'Service', apiVersion: 'v1', plural: 'services', namespaced: true },
  { kind: 'Node', apiVersion: 'v1', plural: 'nodes', namespaced: false },
  { kind: 'Namespace', apiVersion: 'v1', plural: 'namespaces', namespaced: false },
  { kind: 'EndpointSlice', apiVersion: 'discovery.k8s.io/v1', plural: 'endpointslices', namespaced: true },
  { kind: 'ReplicaSet', apiVersion: 'apps/v1', plural: 'replicasets', namespaced: true },
  { kind: 'Deployment', apiVersion: 'apps/v1', plural: 'deployments', namespaced: true },
  { kind: 'StatefulSet', apiVersion: 'apps/v1', plural: 'statefulsets', namespaced: true },
  { kind: 'DaemonSet', apiVersion: 'apps/v1', plural: 'daemonsets', namespaced: true },
  { kind: 'Job', apiVersion: 'batch/v1', plural: 'jobs', namespaced: true },
  { kind: 'CronJob', apiVersion: 'batch/v1', plural: 'cronjobs', namespaced: true },
];

export function resourceByKind(kind: string): ResourceType {
  const found = RESOURCE_TYPES.find((r) => r.kind === kind);
  if (!found)
    throw new TypeError(
      `Cannot serve kind "${kind}": the fake API server knows ${RESOURCE_TYPES.map((r) => r.kind).join(', ')}`,
    );
  return found;
}

/** the collection path of a resource, optionally in one namespace: /api/v1/pods, /apis/apps/v1/namespaces/x/replicasets */
export function collectionPath(resource: ResourceType, namespace?: string): string {
  const base = resource.apiVersion === 'v1' ? '/api/v1' : `/apis/${resource.apiVersion}`;
  return namespace && resource.namespaced
    ? `${base}/namespaces/${namespace}/${resource.plural}`
    : `${base}/${resource.plural}`;
}

export interface ParsedPath {
  readonly resource: ResourceType;
  readonly namespace?: string;
  readonly name?: string;
}

/** parses a request path into resource, namespace and name; undefined when it names nothing served */
export function parseResourcePath(path: string): ParsedPath | undefined {
  const parts = path.split('/').filter(Boolean);
  let apiVersion: string;
  let rest: string[];
  if (parts[0] === 'api' && parts[1] === 'v1') {
    apiVersion = 'v1';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    apiVersion = `${parts[1]}/${parts[2]}`;
    rest = parts.slice(3);
  } else return undefined;
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const resource = RESOURCE_TYPES.find((r) => r.apiVersion === apiVersion && r.plural === rest[0]);
  if (!resource || rest.length > 2) return undefined;
  return { resource, ...(namespace ? { namespace } : {}), ...(rest[1] ? { name: rest[1] } : {}) };
}
