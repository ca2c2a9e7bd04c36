/**
 * The cluster index: one "apply object event" API that live informers and snapshot files both feed, and the
 * synchronous MetadataIndex the pipeline reads. Single-threaded: apply and lookup run on the same event loop.
 * @module
 */
import type { Clock } from '../core/clock.js';
import { type Endpoint, serviceName, UNKNOWN_ENDPOINT, type WorkloadRef } from '../core/endpoint.js';
import type { IpAddress } from '../core/flow.js';
import { AddressBook, type NamedClaim, PodClaim } from './address-book.js';
import type { ExternalResolver, MetadataIndex } from './contracts.js';
import { EndpointSliceIndex } from './endpoint-slices.js';
import { nodeEndpoint, podEndpoint, serviceEndpoint, stableEndpoint } from './endpoints.js';
import { createInternPool } from './intern.js';
import type {
  ObjectEventType,
  ResourceKind,
  SlimNode,
  SlimObject,
  SlimOwner,
  SlimPod,
  SlimService,
} from './kube-objects.js';
import { addTo, removeFrom } from './multimap.js';
import { backingWorkload } from './service-backends.js';
import { createSlimmer } from './slimmer.js';
import { ownerKey, resolveWorkload, seedNameOf } from './workloads.js';

export interface ClusterIndexConfig {
  readonly tombstoneGraceMs: number;
  readonly workloadLabel?: string | undefined;
}

export interface ClusterIndexDeps {
  readonly clock: Clock;
  /** names what no cluster object owns; default: everything else is UNKNOWN_ENDPOINT */
  readonly external?: ExternalResolver | undefined;
}

/** plain counters for /metrics and tests */
export interface ClusterIndexStats {
  readonly pods: number;
  readonly tombstones: number;
  readonly services: number;
  readonly nodes: number;
  readonly owners: number;
  readonly endpointSlices: number;
  /** addresses with at least one claim */
  readonly addresses: number;
  readonly events: number;
}

export interface ClusterIndex extends MetadataIndex {
  /** parses an API object (JSON or a client model) into the slim record `apply` takes; throws ObjectShapeError */
  slim(kind: ResourceKind, raw: unknown): SlimObject;
  /**
   * Applies one event. ADDED and MODIFIED are the same (upsert; repeats are harmless); DELETED of an unknown
   * object is ignored. A pod re-created under the same name (new uid) turns the old one into a tombstone.
   */
  apply(type: ObjectEventType, object: SlimObject): void;
  /** forgets tombstones older than the grace period; apply also calls it from time to time */
  prune(): void;
  stats(): ClusterIndexStats;
}

const NO_EXTERNAL: ExternalResolver = { resolve: () => UNKNOWN_ENDPOINT };
type ServiceClaim = NamedClaim & { readonly slim: SlimService };
type NodeClaim = NamedClaim & { readonly slim: SlimNode };

export function createClusterIndex(config: ClusterIndexConfig, deps: ClusterIndexDeps): ClusterIndex {
  return new ClusterIndexImpl(config, deps);
}

const keyOf = (o: SlimObject) => `${o.metadata.namespace}/${o.metadata.name}`;

class ClusterIndexImpl implements ClusterIndex {
  private readonly slimmer = createSlimmer();
  private readonly book: AddressBook;
  private readonly external: ExternalResolver;
  private readonly workloads = createInternPool<WorkloadRef>();
  private readonly keys = createInternPool<string>();
  /** namespace → name → the pod's current claim (nested so the keys are the slim records' own strings) */
  private readonly pods = new Map<string, Map<string, PodClaim>>();
  private podCount = 0;
  private readonly tombstones = new Set<PodClaim>();
  private readonly owners = new Map<string, SlimOwner>();
  /** owner key → pods it controls directly (the key may name an owner not seen yet) */
  private readonly dependents = new Map<string, Set<PodClaim>>();
  /** owner key → keys of the owners it controls (a Deployment's ReplicaSets); renames walk down it */
  private readonly children = new Map<string, Set<string>>();
  private readonly services = new Map<string, ServiceClaim>();
  private readonly nodes = new Map<string, NodeClaim>();
  private readonly slices = new EndpointSliceIndex();
  private events = 0;
  private lastPrune = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly config: ClusterIndexConfig,
    private readonly deps: ClusterIndexDeps,
  ) {
    this.book = new AddressBook(config.tombstoneGraceMs);
    this.external = deps.external ?? NO_EXTERNAL;
  }

  /** the hot path: a hot answer in one probe; otherwise the record's time- and port-dependent answer */
  lookup(ip: IpAddress, at: number, port?: number, ipProtocol?: number): Endpoint {
    const table = this.book.table;
    const hot = typeof ip === 'number' ? table.getHotV4(ip) : table.getHot(ip);
    if (hot !== undefined) return hot;
    const rec = table.get(ip);
    const found = rec && this.book.resolve(rec, at, port, ipProtocol);
    return found ?? this.external.resolve(ip);
  }

  isServiceBackend(service: Endpoint, backend: IpAddress, at: number): boolean {
    if (service.kind !== 'service') return false;
    const key = serviceName(service);
    if (this.slices.lists(key, backend)) return true;
    const selector = this.services.get(key)?.slim.selector;
    if (!selector) return false;
    const pod = this.lookup(backend, at);
    if (pod.kind !== 'pod' || pod.namespace !== service.namespace || !pod.labels) return false;
    for (const [k, v] of Object.entries(selector)) if (pod.labels[k] !== v) return false;
    return true;
  }

  slim(kind: ResourceKind, raw: unknown): SlimObject {
    return this.slimmer.slim(kind, raw);
  }

  apply(type: ObjectEventType, object: SlimObject): void {
    this.events++;
    switch (object.kind) {
      case 'Pod':
        this.applyPod(type, object);
        break;
      case 'Service':
        this.applyService(type, object);
        break;
      case 'Node':
        this.applyNode(type, object);
        break;
      case 'EndpointSlice':
        for (const key of this.slices.apply(type, object)) this.refreshService(key);
        break;
      default:
        this.applyOwner(type, object);
    }
    const { tombstoneGraceMs } = this.config;
    if (this.tombstones.size && this.deps.clock() - this.lastPrune >= Math.max(1_000, tombstoneGraceMs / 4)) {
      this.prune();
    }
  }

  prune(): void {
    const now = this.deps.clock();
    this.lastPrune = now;
    for (const pod of this.tombstones) {
      if (now - pod.to <= this.config.tombstoneGraceMs) continue;
      this.tombstones.delete(pod);
      this.book.removePod(pod);
    }
    const live = this.podCount + this.services.size + this.nodes.size + this.owners.size;
    this.slimmer.trim(4 * live + 4096);
    if (this.workloads.size > 2 * this.podCount + 1024) this.workloads.clear();
    if (this.keys.size > 2 * this.podCount + 1024) this.keys.clear();
  }

  stats(): ClusterIndexStats {
    return {
      pods: this.podCount,
      tombstones: this.tombstones.size,
      services: this.services.size,
      nodes: this.nodes.size,
      owners: this.owners.size,
      endpointSlices: this.slices.size,
      addresses: this.book.table.size,
      events: this.events,
    };
  }

  private applyPod(type: ObjectEventType, slim: SlimPod): void {
    const { namespace, name, uid } = slim.metadata;
    let pod = this.pods.get(namespace)?.get(name);
    const sameUid = !pod || !uid || !pod.slim.metadata.uid || pod.slim.metadata.uid === uid;
    if (pod && (type === 'DELETED' || !sameUid)) {
      if (!sameUid && type === 'DELETED') return;
      this.removeCurrent(pod);
      this.tombstone(pod);
      pod = undefined;
    }
    if (type === 'DELETED') return;
    const before = pod && { endpoint: pod.endpoint, slim: pod.slim };
    if (pod) this.book.removePod(pod);
    else {
      pod = new PodClaim(slim, UNKNOWN_ENDPOINT, undefined);
      const byName = this.pods.get(namespace);
      if (byName) byName.set(name, pod);
      else this.pods.set(namespace, new Map([[name, pod]]));
      this.podCount++;
    }
    pod.slim = slim;
    this.name(pod);
    this.book.addPod(pod);
    // a Service's backend comes from lookups of its addresses: only what a lookup sees can change it (most pod
    // updates of a rollout are status changes that do not; each refresh walks all of the Service's addresses)
    if (!before || before.endpoint !== pod.endpoint || !sameLookup(before.slim, slim)) this.refreshServicesListing(pod);
  }

  private removeCurrent(pod: PodClaim): void {
    const { namespace, name } = pod.slim.metadata;
    const byName = this.pods.get(namespace);
    if (byName?.get(name) !== pod) return;
    byName.delete(name);
    if (byName.size === 0) this.pods.delete(namespace);
    this.podCount--;
  }

  /** (re)computes a pod's workload and endpoint, keeping the endpoint object when nothing visible changed */
  private name(pod: PodClaim): void {
    const { workload, chain } = resolveWorkload(pod.slim, this.owners, this.config.workloadLabel);
    const ref = this.workloads.intern(`${workload.kind}/${workload.namespace}/${workload.name}`, () =>
      Object.freeze(workload),
    );
    const key = chain[0] === undefined ? undefined : this.keys.intern(chain[0], () => chain[0]!);
    if (key !== pod.ownerKey) {
      this.forget(pod);
      pod.ownerKey = key;
      if (key !== undefined) addTo(this.dependents, key, pod);
    }
    pod.endpoint = stableEndpoint(pod.endpoint, podEndpoint(pod.slim, ref, seedNameOf(pod.slim)));
  }

  private forget(pod: PodClaim): void {
    if (pod.ownerKey !== undefined) removeFrom(this.dependents, pod.ownerKey, pod);
    pod.ownerKey = undefined;
  }

  private tombstone(pod: PodClaim): void {
    this.forget(pod);
    pod.to = this.deps.clock();
    this.tombstones.add(pod);
    this.book.refreshPod(pod);
  }

  private applyOwner(type: ObjectEventType, slim: SlimOwner): void {
    const key = ownerKey(slim.kind, slim.metadata.namespace, slim.metadata.name);
    const prev = this.owners.get(key);
    if (type === 'DELETED') this.owners.delete(key);
    else this.owners.set(key, slim);
    const same =
      prev && type !== 'DELETED' && prev.owner?.kind === slim.owner?.kind && prev.owner?.name === slim.owner?.name;
    if (same) return;
    const ns = slim.metadata.namespace;
    if (prev?.owner) removeFrom(this.children, ownerKey(prev.owner.kind, ns, prev.owner.name), key);
    if (slim.owner && type !== 'DELETED') addTo(this.children, ownerKey(slim.owner.kind, ns, slim.owner.name), key);
    for (const pod of this.podsUnder(key)) {
      this.name(pod);
      this.book.refreshPod(pod);
      this.refreshServicesListing(pod);
    }
  }

  /** pods whose owner chain passes through `key`: its own pods and those of every owner below it */
  private podsUnder(key: string): PodClaim[] {
    const seen = new Set([key]);
    const pods: PodClaim[] = [];
    for (const k of seen) {
      for (const pod of this.dependents.get(k) ?? []) pods.push(pod);
      for (const child of this.children.get(k) ?? []) seen.add(child);
    }
    return pods;
  }

  private applyService(type: ObjectEventType, slim: SlimService): void {
    const key = keyOf(slim);
    const prev = this.services.get(key);
    if (prev) this.book.removeService(prev);
    if (type === 'DELETED') {
      this.services.delete(key);
      return;
    }
    const endpoint = stableEndpoint(prev?.endpoint, serviceEndpoint(slim, this.backendOf(key)));
    const claim: ServiceClaim = { slim, ips: slim.ips, ports: slim.ports, endpoint };
    this.services.set(key, claim);
    this.book.addService(claim);
  }

  private backendOf(serviceKey: string): WorkloadRef | undefined {
    const now = this.deps.clock();
    return backingWorkload(this.slices.addresses(serviceKey), (ip) => this.lookup(ip, now));
  }

  /** recomputes a service's backing workload (its slices or their pods changed) */
  private refreshService(serviceKey: string): void {
    const claim = this.services.get(serviceKey);
    if (!claim) return;
    const next = stableEndpoint(claim.endpoint, serviceEndpoint(claim.slim, this.backendOf(serviceKey)));
    if (next === claim.endpoint) return;
    claim.endpoint = next;
    this.book.refreshService(claim);
  }

  private refreshServicesListing(pod: PodClaim): void {
    for (const ip of pod.slim.ips) for (const key of this.slices.servicesListing(ip) ?? []) this.refreshService(key);
  }

  private applyNode(type: ObjectEventType, slim: SlimNode): void {
    const prev = this.nodes.get(slim.metadata.name);
    for (const ip of prev?.ips ?? []) this.book.setNode(ip, undefined);
    if (type === 'DELETED') {
      this.nodes.delete(slim.metadata.name);
      return;
    }
    const endpoint = stableEndpoint(prev?.endpoint, nodeEndpoint(slim));
    const claim: NodeClaim = { slim, ips: slim.ips, ports: [], endpoint };
    this.nodes.set(slim.metadata.name, claim);
    for (const ip of slim.ips) this.book.setNode(ip, claim);
  }
}

/** true when lookups see no difference between two versions of a pod: same addresses, start and phase */
function sameLookup(a: SlimPod, b: SlimPod): boolean {
  return (
    a.created === b.created &&
    a.phase === b.phase &&
    a.ips.length === b.ips.length &&
    a.ips.every((ip, i) => ip === b.ips[i]) &&
    a.hostNetwork === b.hostNetwork
  );
}
