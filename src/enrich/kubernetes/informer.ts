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
import type { ListPageRequest, ListResponse, WatchedResource } from './resources.js';

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
  /** objects per LIST page; 0 lists everything in one response */
  readonly listPageSize: number;
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

/** how often an expired continue token restarts a LIST before the informer fails and backs off */
const MAX_LIST_RESTARTS = 3;

/** the generated client's request for one LIST page (absent fields: no limit, the first page) */
function pageRequest(limit: number | undefined, token: string | undefined): ListPageRequest {
  const request: { limit?: number; _continue?: string } = {};
  if (limit !== undefined) request.limit = limit;
  if (token !== undefined) request._continue = token;
  return request;
}

/** the HTTP status of a failed API call, when it has one */
function statusCodeOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { code?: unknown; statusCode?: unknown };
  return typeof e.statusCode === 'number' ? e.statusCode : typeof e.code === 'number' ? e.code : undefined;
}

/** "HTTP 403: pods is forbidden ...", or the first line of the error's message */
export function describeError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const e = error as { body?: unknown; message?: unknown };
  const firstLine = typeof e.message === 'string' ? e.message.split('\n')[0]!.replace(FETCH_FAILED, '') : '';
  const status = statusCodeOf(error);
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
  return new InformerRunner(resource, deps);
}

/** one ListWatch, restarted with backoff after errors; `status` is live (read it, do not change it) */
class InformerRunner implements RunningInformer {
  readonly status: InformerStatus;
  private readonly informer: ListWatch<KubernetesObject>;
  private stopped = true;
  private attempts = 0;
  private timer: NodeJS.Timeout | undefined;
  private listed = false;
  /** what failed last, recorded where it happened (the library's error callback does not say) */
  private failure: { action: 'list' | 'watch'; error: unknown } | undefined;

  constructor(
    private readonly resource: WatchedResource,
    private readonly deps: InformerDeps,
  ) {
    this.status = {
      kind: resource.kind,
      path: resource.path,
      synced: false,
      lastError: undefined,
      restarts: 0,
      relists: 0,
      events: 0,
      rejected: 0,
    };
    const watch = new SlimWatch(deps.kubeConfig, {
      params: { allowWatchBookmarks: true, timeoutSeconds: deps.watchTimeoutSeconds },
      slim: (raw) => this.slim(raw),
      connected: () => this.recovered(),
      failed: (error) => {
        this.failure = { action: 'watch', error };
      },
    });
    this.informer = new ListWatch<KubernetesObject>(resource.path, watch, () => this.list(), false);
    const apply = (type: ObjectEventType) => (obj: KubernetesObject) => {
      this.status.events++;
      deps.index.apply(type, obj as SlimObject);
    };
    this.informer.on('add', apply('ADDED'));
    this.informer.on('update', apply('MODIFIED'));
    this.informer.on('delete', apply('DELETED'));
    this.informer.on('error', (error: unknown) => this.failed(error));
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.informer.stop();
  }

  private run(): void {
    this.informer.start().catch((error: unknown) => {
      this.status.lastError = `Cannot watch "${this.resource.path}": ${describeError(error)}`;
      this.deps.log('error', this.status.lastError, { kind: this.resource.kind });
      this.deps.onChange();
    });
  }

  private slim(raw: unknown): SlimObject | undefined {
    try {
      return this.deps.index.slim(this.resource.kind, raw);
    } catch (error) {
      this.status.rejected++;
      this.deps.log('warn', `Cannot index ${this.resource.kind}: ${describeError(error)}`, {
        kind: this.resource.kind,
      });
      return undefined;
    }
  }

  /**
   * The LIST the library calls: page by page (`listPageSize`), slimming each page's items as it arrives, so neither
   * the response nor the library's cache ever holds a whole cluster of full objects. All pages come from the
   * first page's snapshot (its resourceVersion is where the watch resumes). A continue token that expired
   * mid-list (410) restarts the list from the first page, at most MAX_LIST_RESTARTS times.
   */
  private async list() {
    if (this.listed) this.status.relists++;
    const limit = this.deps.listPageSize || undefined;
    const items: SlimObject[] = [];
    let resourceVersion: string | undefined;
    let token: string | undefined;
    for (let restarts = 0; ; ) {
      let page: ListResponse;
      try {
        page = await this.resource.list(pageRequest(limit, token));
      } catch (error) {
        if (token !== undefined && statusCodeOf(error) === 410 && restarts < MAX_LIST_RESTARTS) {
          restarts++;
          this.status.relists++;
          items.length = 0;
          resourceVersion = undefined;
          token = undefined;
          continue;
        }
        this.failure = { action: 'list', error };
        throw error;
      }
      resourceVersion ??= page.metadata?.resourceVersion;
      for (const raw of page.items) {
        const slim = this.slim(raw);
        if (slim) items.push(slim);
      }
      token = page.metadata?._continue || undefined;
      if (token === undefined) break;
    }
    this.listed = true;
    return { metadata: resourceVersion ? { resourceVersion } : {}, items: items as KubernetesObject[] };
  }

  private recovered(): void {
    this.attempts = 0;
    const { status } = this;
    if (status.lastError === undefined && status.synced) return;
    if (status.lastError !== undefined) {
      this.deps.log('info', `Watching "${this.resource.path}" again`, { kind: this.resource.kind });
    }
    status.lastError = undefined;
    status.synced = true;
    this.deps.onChange();
  }

  /** the library stopped the informer: record why, then restart it after a growing delay */
  private failed(error: unknown): void {
    if (this.stopped) return;
    const { deps, resource, status } = this;
    status.lastError = `Cannot ${this.failure?.action ?? 'watch'} "${resource.path}": ${describeError(this.failure?.error ?? error)}`;
    this.failure = undefined;
    const delay = Math.min(deps.backoffMaxMs, deps.backoffInitialMs * 2 ** this.attempts);
    this.attempts++;
    deps.log('warn', `${status.lastError}; retrying in ${delay} ms`, { kind: resource.kind, attempt: this.attempts });
    deps.onChange();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.stopped) return;
      status.restarts++;
      this.run();
    }, delay);
  }
}
