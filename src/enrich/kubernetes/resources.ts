/**
 * What the live source watches: one informer per kind, its collection path and its LIST call through the
 * client library's generated APIs. deploy/rbac/ grants get/list/watch on exactly these.
 * @module
 */
import { AppsV1Api, BatchV1Api, CoreV1Api, DiscoveryV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { ResourceKind } from '../kube-objects.js';

/** one page of a LIST as the generated client returns it (typed models; only the fields read here) */
export interface ListResponse {
  /** `_continue`: the token for the next page (the client library's name for `continue`); absent on the last */
  readonly metadata?: { readonly resourceVersion?: string; readonly _continue?: string };
  readonly items: readonly unknown[];
}

/** which page to fetch: `limit` objects at most (undefined: all), after the page that returned `_continue` */
export interface ListPageRequest {
  readonly limit?: number;
  readonly _continue?: string;
}

export interface WatchedResource {
  readonly kind: ResourceKind;
  readonly path: string;
  list(page: ListPageRequest): Promise<ListResponse>;
}

export function watchedResources(kc: KubeConfig): WatchedResource[] {
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const batch = kc.makeApiClient(BatchV1Api);
  const discovery = kc.makeApiClient(DiscoveryV1Api);
  return [
    { kind: 'Node', path: '/api/v1/nodes', list: (page) => core.listNode(page) },
    { kind: 'CronJob', path: '/apis/batch/v1/cronjobs', list: (page) => batch.listCronJobForAllNamespaces(page) },
    { kind: 'Job', path: '/apis/batch/v1/jobs', list: (page) => batch.listJobForAllNamespaces(page) },
    {
      kind: 'Deployment',
      path: '/apis/apps/v1/deployments',
      list: (page) => apps.listDeploymentForAllNamespaces(page),
    },
    {
      kind: 'ReplicaSet',
      path: '/apis/apps/v1/replicasets',
      list: (page) => apps.listReplicaSetForAllNamespaces(page),
    },
    {
      kind: 'StatefulSet',
      path: '/apis/apps/v1/statefulsets',
      list: (page) => apps.listStatefulSetForAllNamespaces(page),
    },
    { kind: 'DaemonSet', path: '/apis/apps/v1/daemonsets', list: (page) => apps.listDaemonSetForAllNamespaces(page) },
    { kind: 'Service', path: '/api/v1/services', list: (page) => core.listServiceForAllNamespaces(page) },
    {
      kind: 'EndpointSlice',
      path: '/apis/discovery.k8s.io/v1/endpointslices',
      list: (page) => discovery.listEndpointSliceForAllNamespaces(page),
    },
    { kind: 'Pod', path: '/api/v1/pods', list: (page) => core.listPodForAllNamespaces(page) },
  ];
}
