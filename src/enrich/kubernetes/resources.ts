/**
 * What the live source watches: one informer per kind, its collection path and its LIST call through the
 * client library's generated APIs. deploy/rbac/ grants get/list/watch on exactly these.
 * @module
 */
import { AppsV1Api, BatchV1Api, CoreV1Api, DiscoveryV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { ResourceKind } from '../kube-objects.js';

/** a LIST response as the generated client returns it (typed models; only the fields read here) */
export interface ListResponse {
  readonly metadata?: { readonly resourceVersion?: string };
  readonly items: readonly unknown[];
}

export interface WatchedResource {
  readonly kind: ResourceKind;
  readonly path: string;
  list(): Promise<ListResponse>;
}

export function watchedResources(kc: KubeConfig): WatchedResource[] {
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const batch = kc.makeApiClient(BatchV1Api);
  const discovery = kc.makeApiClient(DiscoveryV1Api);
  return [
    { kind: 'Node', path: '/api/v1/nodes', list: () => core.listNode() },
    { kind: 'CronJob', path: '/apis/batch/v1/cronjobs', list: () => batch.listCronJobForAllNamespaces() },
    { kind: 'Job', path: '/apis/batch/v1/jobs', list: () => batch.listJobForAllNamespaces() },
    { kind: 'Deployment', path: '/apis/apps/v1/deployments', list: () => apps.listDeploymentForAllNamespaces() },
    { kind: 'ReplicaSet', path: '/apis/apps/v1/replicasets', list: () => apps.listReplicaSetForAllNamespaces() },
    { kind: 'StatefulSet', path: '/apis/apps/v1/statefulsets', list: () => apps.listStatefulSetForAllNamespaces() },
    { kind: 'DaemonSet', path: '/apis/apps/v1/daemonsets', list: () => apps.listDaemonSetForAllNamespaces() },
    { kind: 'Service', path: '/api/v1/services', list: () => core.listServiceForAllNamespaces() },
    {
      kind: 'EndpointSlice',
      path: '/apis/discovery.k8s.io/v1/endpointslices',
      list: () => discovery.listEndpointSliceForAllNamespaces(),
    },
    { kind: 'Pod', path: '/api/v1/pods', list: () => core.listPodForAllNamespaces() },
  ];
}
