/**
 * One informer of the client library (`ListWatch`) for one kind, made to keep running: objects are slimmed
 * before the informer caches them, watches ask for bookmarks and a server-side timeout, and an informer that
 * stopped on an error (the library does not restart it) is restarted with exponential backoff. 410 Gone makes
 * the library relist; the relist's diff deletes what vanished meanwhile.
 * @module
 */
import { type KubeConfig, type KubernetesObject, ListWatch, Watch } from '@kubernetes/client-node';
import type { ClusterIndex } from '../cluster-index.js';
import type { ObjectEventType, SlimObject } from '../kube-objects.js';
import type { WatchedResource } from './resources.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
/** structured logging; the app decides where it goes */
export type Log = (level: LogLevel, message: string, fields?: Readonly<Record<string, unknown>>) => void;

/** counters and state of one informer, as /readyz and /metrics show them */
export interface InformerStatus {
  readonly kind: string;
  readonly path: string;
  /** its first LIST was applied to the index */
  synced: boolean;
  lastError: string | undefined;
  /** restarts after errors */
  restarts: number;
  /** LISTs after the first one (410 Gone, restarts without a usable resourceVersion) */
  relists: number;
  /** object events applied to the index */
  events: number;
  /** objects skipped because they lacked what the index needs */
  rejected: number;
}

export interface InformerDeps {
  readonly kubeConfig: KubeConfig;
  readonly index: ClusterIndex;
  readonly log: Log;
  readonly backoffInitialMs: number;
  readonly backoffMaxMs: number;
  readonly watchTimeoutSeconds: number;
  /** called when synced or lastError changed */
  readonly onChange: () => void;
}

export interface RunningInformer {
  readonly status: InformerStatus;
  start(): void;
  stop(): Promise<void>;
}

type WatchCallback = (phase: string, apiObj: unknown, watchObj?: unknown) => void;
type DoneCallback = (err: unknown) => void;

/** a Watch that slims objects before the informer sees them and reports connects and failures */
class SlimWatch extends Watch {
  constructor(
    kc: KubeConfig,
    private readonly hooks: {
      readonly params: Record<string, string | number | boolean>;
      slim(obj: unknown): SlimObject | undefined;
      connected(): void;
      failed(err: unknown): void;
    },
  ) {
    super(kc);
  }

  override async watch(
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    callback: WatchCallback,
    done: DoneCallback,
  ) {
    let failed = false;
    const controller = await super.watch(
      path,
      { ...query, ...this.hooks.params },
      (phase, obj, raw) => {
        if (phase !== 'ADDED' && phase !== 'MODIFIED' && phase !== 'DELETED') return callback(phase, obj, raw);
        const slim = this.hooks.slim(obj);
        if (slim) callback(phase, slim, raw);
      },
      (err) => {
        if (err && (err as { statusCode?: unknown }).statusCode !== 410) {
          failed = true;
          this.hooks.failed(err);
        }
        done(err);
      },
    );
    if (!failed) this.hooks.connected();
    return controller;
  }
}

const FETCH_FAILED = /^request to \S+ failed, reason: /;

/** "HTTP 403: pods is forbidden ...", or the first line of the error's message */
export function describeError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const e = error as { code?: unknown; statusCode?: unknown; body?: unknown; message?: unknown };
  const firstLine = typeof e.message === 'string' ? e.message.split('\n')[0]!.replace(FETCH_FAILED, '') : '';
  const status = typeof e.statusCode === 'number' ? e.statusCode : typeof e.code === 'number' ? e.code : undefined;
  if (status === undefined) return firstLine || String(error);
  let detail = '';
  try {
    const body = typeof e.body === 'string' ? JSON.parse(e.body) : e.body;
    if (body && typeof body.message === 'string') detail = body.message;
  } catch {
    // not a Status body
  }
  return `HTTP ${status}${detail ? `: ${detail}` : ''}`;
}

export function createInformer(resource: WatchedResource, deps: InformerDeps): RunningInformer {
  const { index, log } = deps;
  const status: InformerStatus = {
    kind: resource.kind,
    path: resource.path,
    synced: false,
    lastError: undefined,
    restarts: 0,
    relists: 0,
    events: 0,
    rejected: 0,
  };
  let stopped = true;
  let attempts = 0;
  let timer: NodeJS.Timeout | undefined;
  let listed = false;
  let failure: { action: 'list' | 'watch'; error: unknown } | undefined;

  const slim = (raw: unknown): SlimObject | undefined => {
    try {
      return index.slim(resource.kind, raw);
    } catch (error) {
      status.rejected++;
      log('warn', `Cannot index ${resource.kind}: ${describeError(error)}`, { kind: resource.kind });
      return undefined;
    }
  };

  const recovered = () => {
    attempts = 0;
    if (status.lastError === undefined && status.synced) return;
    if (status.lastError !== undefined) log('info', `Watching "${resource.path}" again`, { kind: resource.kind });
    status.lastError = undefined;
    status.synced = true;
    deps.onChange();
  };

  const watch = new SlimWatch(deps.kubeConfig, {
    params: { allowWatchBookmarks: true, timeoutSeconds: deps.watchTimeoutSeconds },
    slim,
    connected: recovered,
    failed: (error) => {
      failure = { action: 'watch', error };
    },
  });

  const list = async () => {
    if (listed) status.relists++;
    let response: Awaited<ReturnType<WatchedResource['list']>>;
    try {
      response = await resource.list();
    } catch (error) {
      failure = { action: 'list', error };
      throw error;
    }
    listed = true;
    const items: SlimObject[] = [];
    for (const raw of response.items) {
      const s = slim(raw);
      if (s) items.push(s);
    }
    const resourceVersion = response.metadata?.resourceVersion;
    return { metadata: resourceVersion ? { resourceVersion } : {}, items: items as KubernetesObject[] };
  };

  const informer = new ListWatch<KubernetesObject>(resource.path, watch, list, false);
  const apply = (type: ObjectEventType) => (obj: KubernetesObject) => {
    status.events++;
    index.apply(type, obj as SlimObject);
  };
  informer.on('add', apply('ADDED'));
  informer.on('update', apply('MODIFIED'));
  informer.on('delete', apply('DELETED'));
  informer.on('error', (error: unknown) => {
    if (stopped) return;
    const action = failure?.action ?? 'watch';
    status.lastError = `Cannot ${action} "${resource.path}": ${describeError(failure?.error ?? error)}`;
    failure = undefined;
    const delay = Math.min(deps.backoffMaxMs, deps.backoffInitialMs * 2 ** attempts);
    attempts++;
    log('warn', `${status.lastError}; retrying in ${delay} ms`, { kind: resource.kind, attempt: attempts });
    deps.onChange();
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      if (stopped) return;
      status.restarts++;
      run();
    }, delay);
  });

  function run(): void {
    informer.start().catch((error: unknown) => {
      status.lastError = `Cannot watch "${resource.path}": ${describeError(error)}`;
      log('error', status.lastError, { kind: resource.kind });
      deps.onChange();
    });
  }

  return {
    status,
    start() {
      if (!stopped) return;
      stopped = false;
      run();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
      await informer.stop();
    },
  };
}
