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

export type LiveSourceConfig = Pick<
  KubernetesConfig,
  'backoffInitialMs' | 'backoffMaxMs' | 'watchTimeoutSeconds' | 'listPageSize'
>;

export interface LiveSource extends MetadataSource, Lifecycle {
  /** per-kind state and counters */
  informers(): readonly Readonly<InformerStatus>[];
  /** resolves once synced; rejects with the last error after `timeoutMs` (default: waits forever) */
  whenSynced(timeoutMs?: number): Promise<void>;
}

/** how often tombstones past their grace are dropped when no events arrive */
const PRUNE_INTERVAL_MS = 10_000;

export function createLiveSource(config: LiveSourceConfig, deps: LiveSourceDeps): LiveSource {
  return new LiveSourceImpl(config, deps);
}

class LiveSourceImpl implements LiveSource {
  readonly name = 'kubernetes';
  private readonly waiters = new Set<() => void>();
  private readonly running: RunningInformer[];
  private pruneTimer: NodeJS.Timeout | undefined;
  private started = false;

  constructor(
    config: LiveSourceConfig,
    private readonly deps: LiveSourceDeps,
  ) {
    const onChange = () => {
      for (const waiter of [...this.waiters]) waiter();
    };
    this.running = (deps.resources ?? watchedResources(deps.kubeConfig)).map((resource) =>
      createInformer(resource, { ...config, ...deps, onChange }),
    );
  }

  get synced(): boolean {
    return this.running.every((i) => i.status.synced);
  }

  get lastError(): string | undefined {
    return this.running.find((i) => i.status.lastError !== undefined)?.status.lastError;
  }

  informers(): readonly Readonly<InformerStatus>[] {
    return this.running.map((i) => i.status);
  }

  async start(signal: AbortSignal): Promise<void> {
    if (this.started) return;
    this.started = true;
    const server = this.deps.kubeConfig.getCurrentCluster()?.server ?? '?';
    this.deps.log('info', `Watching ${this.running.length} kinds on ${server}`);
    for (const informer of this.running) informer.start();
    this.pruneTimer = setInterval(() => this.deps.index.prune(), PRUNE_INTERVAL_MS);
    this.pruneTimer.unref();
    signal.addEventListener('abort', () => void this.stop(), { once: true });
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    clearInterval(this.pruneTimer);
    await Promise.all(this.running.map((i) => i.stop()));
    for (const waiter of [...this.waiters]) waiter();
  }

  whenSynced(timeoutMs?: number): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!this.synced) return;
        cleanup();
        resolve();
      };
      const expire = () => {
        cleanup();
        reject(
          new Error(`Cannot sync with the Kubernetes API within ${timeoutMs} ms: ${this.lastError ?? 'no answer'}`),
        );
      };
      const timer = timeoutMs === undefined ? undefined : setTimeout(expire, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
    });
  }
}
