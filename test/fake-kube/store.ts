/**
 * The fake API server's state: objects by kind, one global resourceVersion counter (like etcd's revision), and
 * an event history that watches resume from until it is compacted.
 * @module
 */
import { type ResourceType, resourceByKind } from './resources.js';

export type KubeJson = Record<string, unknown> & {
  kind: string;
  apiVersion?: string;
  metadata: Record<string, unknown> & { name: string; namespace?: string };
};

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface HistoryEvent {
  readonly rv: number;
  readonly type: WatchEventType;
  readonly object: KubeJson;
}

export type StoreListener = (event: HistoryEvent) => void;

function clone<T>(value: T): T {
  return structuredClone(value);
}

export class FakeStore {
  /** the latest resourceVersion handed out */
  rv = 1;
  /** watches from a resourceVersion below this get 410 Gone */
  compactedRv = 1;
  private readonly objects = new Map<string, Map<string, KubeJson>>();
  private history: HistoryEvent[] = [];
  private readonly listeners = new Set<StoreListener>();
  private uidCounter = 0;

  constructor(
    private readonly clock: () => number,
    private readonly historyLimit: number,
  ) {}

  /** creates or replaces; returns the stored copy */
  upsert(input: Record<string, unknown>): KubeJson {
    const obj = clone(input) as KubeJson;
    const resource = resourceByKind(String(obj.kind));
    const metadata = obj.metadata;
    if (!metadata || typeof metadata.name !== 'string' || metadata.name === '') {
      throw new TypeError(`Cannot store ${obj.kind}: metadata.name is missing`);
    }
    obj.apiVersion = resource.apiVersion;
    if (resource.namespaced) metadata.namespace = metadata.namespace || 'default';
    else delete metadata.namespace;
    const objects = this.byKind(resource.kind);
    const key = this.key(metadata.namespace, metadata.name);
    const prev = objects.get(key);
    metadata.uid ??= prev?.metadata.uid ?? `fake-uid-${++this.uidCounter}`;
    metadata.creationTimestamp ??= prev?.metadata.creationTimestamp ?? new Date(this.clock()).toISOString();
    metadata.resourceVersion = String(++this.rv);
    objects.set(key, obj);
    this.record(prev ? 'MODIFIED' : 'ADDED', obj);
    return clone(obj);
  }

  /** deletes; returns false when there was nothing to delete */
  delete(kind: string, namespace: string | undefined, name: string): boolean {
    const resource = resourceByKind(kind);
    const objects = this.byKind(resource.kind);
    const key = this.key(resource.namespaced ? namespace || 'default' : undefined, name);
    const prev = objects.get(key);
    if (!prev) return false;
    objects.delete(key);
    prev.metadata.resourceVersion = String(++this.rv);
    this.record('DELETED', prev);
    return true;
  }

  get(kind: string, namespace: string | undefined, name: string): KubeJson | undefined {
    const resource = resourceByKind(kind);
    const found = this.byKind(resource.kind).get(this.key(resource.namespaced ? namespace : undefined, name));
    return found && clone(found);
  }

  /** current objects of a kind (optionally one namespace), as stored (do not mutate) */
  list(resource: ResourceType, namespace?: string): KubeJson[] {
    const all = [...this.byKind(resource.kind).values()];
    return namespace ? all.filter((o) => o.metadata.namespace === namespace) : all;
  }

  /** events of a resource after `rv`, oldest first */
  since(resource: ResourceType, rv: number, namespace?: string): HistoryEvent[] {
    return this.history.filter(
      (e) => e.rv > rv && e.object.kind === resource.kind && (!namespace || e.object.metadata.namespace === namespace),
    );
  }

  /** forgets the history: watches from any earlier resourceVersion now get 410 Gone */
  compact(): void {
    this.history = [];
    this.compactedRv = this.rv;
  }

  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private record(type: WatchEventType, obj: KubeJson): void {
    const event = { rv: this.rv, type, object: clone(obj) };
    this.history.push(event);
    if (this.history.length > this.historyLimit) {
      const dropped = this.history.splice(0, this.history.length - this.historyLimit);
      this.compactedRv = dropped[dropped.length - 1]!.rv;
    }
    for (const listener of this.listeners) listener(event);
  }

  private byKind(kind: string): Map<string, KubeJson> {
    let objects = this.objects.get(kind);
    if (!objects) {
      objects = new Map();
      this.objects.set(kind, objects);
    }
    return objects;
  }

  private key(namespace: string | undefined, name: string): string {
    return `${namespace ?? ''}/${name}`;
  }
}
