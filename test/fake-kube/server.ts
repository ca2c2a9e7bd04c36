/**
 * A fake Kubernetes API server over node:http that speaks what informers use: LIST with a resourceVersion,
 * `?watch=true&resourceVersion=N` chunked JSON event streams (ADDED/MODIFIED/DELETED, BOOKMARK when
 * allowWatchBookmarks=true), 410 Gone for compacted resourceVersions, `timeoutSeconds`, GET of one object.
 * Tests drive it: change objects, compact history, drop connections mid-stream, go down and up, fail requests.
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { eventLine, kubeconfigFor, sendJson, sendStatus, statusBody } from './http.js';
import {
  collectionPath,
  type ParsedPath,
  parseResourcePath,
  RESOURCE_TYPES,
  type ResourceType,
  resourceByKind,
} from './resources.js';
import { FakeStore, type HistoryEvent, type KubeJson } from './store.js';

export interface FakeKubeOptions {
  /** default 0 (ephemeral) */
  readonly port?: number;
  readonly host?: string;
  /**
   * how a watch from a compacted resourceVersion is refused: "event" (HTTP 200 and an ERROR event holding a 410
   * Status, what the real API server does) or "http" (an HTTP 410 response)
   */
  readonly goneAs?: 'event' | 'http';
  /** BOOKMARK events every this many ms to watchers that allow them; 0 (default) = only on bookmark() */
  readonly bookmarkIntervalMs?: number;
  /** watch events kept for resumption; older ones are compacted away (default 1,000,000) */
  readonly historyLimit?: number;
  /** creationTimestamp of created objects; default Date.now */
  readonly clock?: () => number;
}

export interface RequestRecord {
  readonly method: string;
  readonly path: string;
  readonly watch: boolean;
  readonly query: Readonly<Record<string, string>>;
}

/** the rest of a paged LIST: its snapshot's resourceVersion and the items not yet sent */
interface PagedList {
  readonly rv: number;
  readonly items: readonly Omit<KubeJson, 'kind' | 'apiVersion'>[];
}

interface Watcher {
  readonly resource: ResourceType;
  readonly namespace: string | undefined;
  readonly bookmarks: boolean;
  readonly res: ServerResponse;
}

export class FakeKubeServer {
  readonly store: FakeStore;
  readonly requests: RequestRecord[] = [];
  /** called before a LIST is answered (tests change objects or compact history between pages here) */
  beforeList: ((path: string, query: Readonly<Record<string, string>>) => void) | undefined;
  private readonly server = createServer((req, res) => this.handle(req, res));
  private readonly sockets = new Set<Socket>();
  private readonly watchers = new Set<Watcher>();
  private down = false;
  private failures: { count: number; status: number } = { count: 0, status: 500 };
  private bookmarkTimer: NodeJS.Timeout | undefined;
  /** continue tokens of paged LISTs in progress */
  private readonly pagedLists = new Map<string, PagedList>();
  private pageTokens = 0;
  private port_ = 0;

  constructor(private readonly options: FakeKubeOptions = {}) {
    this.store = new FakeStore(options.clock ?? Date.now, options.historyLimit ?? 1_000_000);
    this.store.subscribe((event) => this.broadcast(event));
    this.server.on('connection', (socket) => {
      if (this.down) {
        socket.destroy();
        return;
      }
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
    });
    this.port_ = (this.server.address() as AddressInfo).port;
    if (this.options.bookmarkIntervalMs) {
      this.bookmarkTimer = setInterval(() => this.bookmark(), this.options.bookmarkIntervalMs);
    }
  }

  get port(): number {
    return this.port_;
  }

  get url(): string {
    return `http://${this.options.host ?? '127.0.0.1'}:${this.port_}`;
  }

  /** open watch streams */
  get watchCount(): number {
    return this.watchers.size;
  }

  /** a kubeconfig (YAML) whose current context points at this server */
  kubeconfig(): string {
    return kubeconfigFor(this.url);
  }

  /** creates or replaces an object (kind from `object.kind`); watchers get ADDED or MODIFIED */
  apply(object: Record<string, unknown>): KubeJson {
    return this.store.upsert(object);
  }

  /** applies every item (e.g. the `items` of a cluster snapshot `v1 List`); kinds not served are skipped */
  load(items: readonly Record<string, unknown>[]): number {
    let loaded = 0;
    for (const item of items) {
      if (!RESOURCE_TYPES.some((r) => r.kind === item.kind)) continue;
      this.store.upsert(item);
      loaded++;
    }
    return loaded;
  }

  /** deletes an object; watchers get DELETED; false when it did not exist */
  delete(kind: string, namespace: string | undefined, name: string): boolean {
    return this.store.delete(kind, namespace, name);
  }

  /** a copy of the stored object */
  get(kind: string, namespace: string | undefined, name: string): KubeJson | undefined {
    return this.store.get(kind, namespace, name);
  }

  /** current objects of a kind, across namespaces (copies) */
  objects(kind: string): KubeJson[] {
    return structuredClone(this.store.list(resourceByKind(kind)));
  }

  /** forgets the event history: watches resuming from an earlier resourceVersion get 410 Gone and relist */
  compact(): void {
    this.store.compact();
  }

  /** the latest resourceVersion */
  get resourceVersion(): number {
    return this.store.rv;
  }

  /** sends a BOOKMARK with the current resourceVersion to every watcher that allowed bookmarks */
  bookmark(): void {
    for (const w of this.watchers) {
      if (!w.bookmarks) continue;
      const object = {
        kind: w.resource.kind,
        apiVersion: w.resource.apiVersion,
        metadata: { resourceVersion: String(this.store.rv) },
      };
      w.res.write(`${JSON.stringify({ type: 'BOOKMARK', object })}\n`);
    }
  }

  /**
   * Drops every open watch connection (the socket is destroyed, no clean end). With `partialLine`, half an event
   * line is written first, as when a connection breaks mid-message. Returns how many were dropped.
   */
  disconnectWatches(options: { partialLine?: boolean } = {}): number {
    const count = this.watchers.size;
    for (const w of [...this.watchers]) {
      if (options.partialLine) w.res.write('{"type":"MODIFIED","object":{"kind":"Pod","metadata":{"na');
      w.res.socket?.destroy();
      this.watchers.delete(w);
    }
    return count;
  }

  /** down: every open connection is destroyed and new ones are reset at once; up: serves again */
  setDown(down: boolean): void {
    this.down = down;
    if (!down) return;
    this.watchers.clear();
    for (const socket of this.sockets) socket.destroy();
  }

  /** the next `count` requests (lists, watches, gets) are answered with HTTP `status` and a Status body */
  failNext(count: number, status = 500): void {
    this.failures = { count, status };
  }

  async close(): Promise<void> {
    clearInterval(this.bookmarkTimer);
    this.setDown(true);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const query = Object.fromEntries(url.searchParams);
    const watch = query.watch === 'true' || query.watch === '1';
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname, watch, query });
    if (this.failures.count > 0) {
      this.failures.count--;
      sendStatus(res, this.failures.status, 'InternalError', 'injected failure');
      return;
    }
    const parsed = parseResourcePath(url.pathname);
    if (req.method !== 'GET' || !parsed) {
      sendStatus(
        res,
        404,
        'NotFound',
        `the server could not find the requested resource (${req.method} ${url.pathname})`,
      );
      return;
    }
    if (watch) this.watch(parsed, query, res);
    else if (parsed.name) this.getOne(parsed, res);
    else this.sendList(parsed, query, res);
  }

  private getOne(parsed: ParsedPath, res: ServerResponse): void {
    const found = this.store.get(parsed.resource.kind, parsed.namespace, parsed.name!);
    if (!found) sendStatus(res, 404, 'NotFound', `${parsed.resource.plural} "${parsed.name}" not found`);
    else sendJson(res, 200, found);
  }

  /**
   * A LIST. With `limit`, the first `limit` items and a `continue` token; the token serves the rest of the same
   * snapshot (same resourceVersion) page by page, as the API server does. A token older than the compacted
   * history (see `compact`) is answered 410 Expired; the client must start over.
   */
  private sendList(parsed: ParsedPath, query: Record<string, string>, res: ServerResponse): void {
    const { resource, namespace } = parsed;
    this.beforeList?.(collectionPath(resource, namespace), query);
    let snapshot: PagedList;
    if (query.continue) {
      const found = this.pagedLists.get(query.continue);
      this.pagedLists.delete(query.continue);
      if (!found || found.rv < this.store.compactedRv) {
        const message =
          'The provided continue parameter is too old to display a consistent list result. You can start a new ' +
          'list without the continue parameter.';
        sendStatus(res, 410, 'Expired', message);
        return;
      }
      snapshot = found;
    } else {
      const items = this.store.list(resource, namespace).map(({ kind: _k, apiVersion: _a, ...rest }) => rest);
      snapshot = { rv: this.store.rv, items };
    }
    const limit = Number(query.limit ?? 0);
    const page = Number.isInteger(limit) && limit > 0 ? snapshot.items.slice(0, limit) : snapshot.items;
    const rest = snapshot.items.slice(page.length);
    const metadata: Record<string, unknown> = { resourceVersion: String(snapshot.rv) };
    if (rest.length > 0) {
      const token = `page-${++this.pageTokens}`;
      this.pagedLists.set(token, { rv: snapshot.rv, items: rest });
      metadata.continue = token;
      metadata.remainingItemCount = rest.length;
    }
    sendJson(res, 200, { kind: `${resource.kind}List`, apiVersion: resource.apiVersion, metadata, items: page });
  }

  private watch(parsed: ParsedPath, query: Record<string, string>, res: ServerResponse): void {
    const { resource, namespace } = parsed;
    const fromText = query.resourceVersion ?? '';
    const from = fromText === '' || fromText === '0' ? undefined : Number(fromText);
    if (from !== undefined && (!Number.isInteger(from) || from < this.store.compactedRv)) {
      const message = `too old resource version: ${fromText} (${this.store.compactedRv})`;
      if (this.options.goneAs === 'http') {
        sendStatus(res, 410, 'Expired', message);
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(`${JSON.stringify({ type: 'ERROR', object: statusBody(410, 'Expired', message) })}\n`);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    const initial: HistoryEvent[] =
      from === undefined
        ? this.store.list(resource, namespace).map((object) => ({ rv: 0, type: 'ADDED', object }))
        : this.store.since(resource, from, namespace);
    for (const event of initial) res.write(eventLine(event));
    const watcher: Watcher = { resource, namespace, bookmarks: query.allowWatchBookmarks === 'true', res };
    this.watchers.add(watcher);
    const timeout = Number(query.timeoutSeconds);
    const timer = timeout > 0 ? setTimeout(() => res.end(), timeout * 1000) : undefined;
    res.on('close', () => {
      clearTimeout(timer);
      this.watchers.delete(watcher);
    });
  }

  private broadcast(event: HistoryEvent): void {
    for (const w of this.watchers) {
      if (w.resource.kind !== event.object.kind) continue;
      if (w.namespace && event.object.metadata.namespace !== w.namespace) continue;
      w.res.write(eventLine(event));
    }
  }
}

export { collectionPath, type KubeJson, resourceByKind };
