/**
 * The live source: informers on the Kubernetes API filling a ClusterIndex. While the API server is unreachable
 * the index keeps its last known state and keeps answering; `lastError` says why, `synced` stays true once
 * every kind was listed once.
 * @module
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { Lifecycle } from '../../pipeline/contracts.js';
import type { ClusterIndex } from '../cluster-index.js';
import type { KubernetesConfig } from '../config.js';
import type { MetadataSource } from '../contracts.js';
import { createInformer, type InformerStatus, type Log, type RunningInformer } from './informer.js';
import { type WatchedResource, watchedResources } from './resources.js';

export interface LiveSourceDeps {
  readonly index: ClusterIndex;
  readonly kubeConfig: KubeConfig;
  readonly log: Log;
  /** default: every kind the index reads (tests may narrow it) */
  readonly resources?: readonly WatchedResource[];
}

export type LiveSourceConfig = Pick<KubernetesConfig, 'backoffInitialMs' | 'backoffMaxMs' | 'watchTimeoutSeconds'>;

export interface LiveSource extends MetadataSource, Lifecycle {
  /** per-kind state and counters */
  informers(): readonly Readonly<InformerStatus>[];
  /** resolves once synced; rejects with the last error after `timeoutMs` (default: waits forever) */
  whenSynced(timeoutMs?: number): Promise<void>;
}

/** how often tombstones past their grace are dropped when no events arrive */
const PRUNE_INTERVAL_MS = 10_000;

export function createLiveSource(config: LiveSourceConfig, deps: LiveSourceDeps): LiveSource {
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const waiter of [...waiters]) waiter();
  };
  const informers: RunningInformer[] = (deps.resources ?? watchedResources(deps.kubeConfig)).map((resource) =>
    createInformer(resource, { ...config, ...deps, onChange: notify }),
  );
  let pruneTimer: NodeJS.Timeout | undefined;
  let started = false;

  const synced = () => informers.every((i) => i.status.synced);
  const lastError = () => informers.find((i) => i.status.lastError !== undefined)?.status.lastError;

  const source: LiveSource = {
    name: 'kubernetes',
    get synced() {
      return synced();
    },
    get lastError() {
      return lastError();
    },
    informers: () => informers.map((i) => i.status),
    async start(signal) {
      if (started) return;
      started = true;
      deps.log('info', `Watching ${informers.length} kinds on ${deps.kubeConfig.getCurrentCluster()?.server ?? '?'}`);
      for (const informer of informers) informer.start();
      pruneTimer = setInterval(() => deps.index.prune(), PRUNE_INTERVAL_MS);
      pruneTimer.unref();
      signal.addEventListener('abort', () => void source.stop(), { once: true });
    },
    async stop() {
      if (!started) return;
      started = false;
      clearInterval(pruneTimer);
      await Promise.all(informers.map((i) => i.stop()));
      notify();
    },
    whenSynced(timeoutMs) {
      if (synced()) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!synced()) return;
          cleanup();
          resolve();
        };
        const timer =
          timeoutMs === undefined
            ? undefined
            : setTimeout(() => {
                cleanup();
                reject(
                  new Error(
                    `Cannot sync with the Kubernetes API within ${timeoutMs} ms: ${lastError() ?? 'no answer'}`,
                  ),
                );
              }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
      });
    },
  };
  return source;
}
