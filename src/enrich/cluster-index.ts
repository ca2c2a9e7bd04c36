/**
 * The cluster index: one "apply object event" API that live informers and snapshot files both feed, and the
 * synchronous MetadataIndex the pipeline reads. Single-threaded: apply and lookup run on the same event loop.
 * @module
 */
import type { Clock } from '../core/clock.js';
import { type Endpoint, UNKNOWN_ENDPOINT, type WorkloadRef } from '../core/endpoint.js';
import type { IpAddress } from '../core/flow.js';
import { AddressBook, type NamedClaim, type PodClaim } from './address-book.js';
import type { ExternalResolver, MetadataIndex } from './contracts.js';
import { nodeEndpoint, podEndpoint, serviceEndpoint, stableEndpoint } from './endpoints.js';
import { createInternPool } from './intern.js';
import type {
  ObjectEventType,
  ResourceKind,
  SlimEndpointSlice,
  SlimNode,
  SlimObject,
  SlimOwner,
  SlimPod,
  SlimService,
} from './kube-objects.js';
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

const FINISHED = new Set(['Succeeded', 'Failed']);
const NO_EXTERNAL: ExternalResolver = { resolve: () => UNKNOWN_ENDPOINT };

export function createClusterIndex(config: ClusterIndexConfig, deps: ClusterIndexDeps): ClusterIndex {
  const { clock } = deps;
  const external = deps.external ?? NO_EXTERNAL;
  const graceMs = config.tombstoneGraceMs;
  const slimmer = createSlimmer();
  const book = new AddressBook(graceMs);
  const table = book.table;
  const workloads = createInternPool<WorkloadRef>();
  const pods = new Map<string, PodClaim>();
  const tombstones = new Set<PodClaim>();
  const owners = new Map<string, SlimOwner>();
  const dependents = new Map<string, Set<PodClaim>>();
  const services = new Map<string, NamedClaim & { slim: SlimService }>();
  const nodes = new Map<string, NamedClaim & { slim: SlimNode }>();
  const slicesByService = new Map<string, Map<string, SlimEndpointSlice>>();
  const sliceService = new Map<string, string>();
  let events = 0;
  let lastPrune = Number.NEGATIVE_INFINITY;

  const keyOf = (o: SlimObject) => `${o.metadata.namespace}/${o.metadata.name}`;

  function name(pod: PodClaim): void {
    const { workload, chain } = resolveWorkload(pod.slim, owners, config.workloadLabel);
    const ref = workloads.intern(`${workload.kind}/${workload.namespace}/${workload.name}`, () =>
      Object.freeze(workload),
    );
    forget(pod);
    for (const key of chain) {
      const set = dependents.get(key);
      if (set) set.add(pod);
      else dependents.set(key, new Set([pod]));
    }
    pod.chain = chain;
    pod.endpoint = stableEndpoint(pod.endpoint, podEndpoint(pod.slim, ref, seedNameOf(pod.slim)));
  }

  function forget(pod: PodClaim): void {
    for (const key of pod.chain) {
      const set = dependents.get(key);
      set?.delete(pod);
      if (set?.size === 0) dependents.delete(key);
    }
    pod.chain = [];
  }

  function tombstone(pod: PodClaim): void {
    forget(pod);
    pod.to = clock();
    tombstones.add(pod);
    book.refreshPod(pod);
  }

  function applyPod(type: ObjectEventType, slim: SlimPod): void {
    const key = keyOf(slim);
    let pod = pods.get(key);
    const uid = slim.metadata.uid;
    const sameUid = !pod || !uid || !pod.slim.metadata.uid || pod.slim.metadata.uid === uid;
    if (type === 'DELETED') {
      if (pod && sameUid) {
        pods.delete(key);
        tombstone(pod);
      }
      return;
    }
    if (pod && !sameUid) {
      pods.delete(key);
      tombstone(pod);
      pod = undefined;
    }
    if (pod) book.removePod(pod);
    else {
      pod = {
        slim,
        endpoint: UNKNOWN_ENDPOINT,
        from: slim.created,
        to: Number.POSITIVE_INFINITY,
        active: true,
        chain: [],
      };
      pods.set(key, pod);
    }
    pod.slim = slim;
    pod.active = !FINISHED.has(slim.phase);
    name(pod);
    book.addPod(pod);
  }

  function applyOwner(type: ObjectEventType, slim: SlimOwner): void {
    const key = ownerKey(slim.kind, slim.metadata.namespace, slim.metadata.name);
    const prev = owners.get(key);
    if (type === 'DELETED') owners.delete(key);
    else owners.set(key, slim);
    const changed =
      type === 'DELETED' || !prev || prev.owner?.kind !== slim.owner?.kind || prev.owner?.name !== slim.owner?.name;
    if (!changed) return;
    for (const pod of [...(dependents.get(key) ?? [])]) {
      name(pod);
      book.refreshPod(pod);
    }
  }

  function applyService(type: ObjectEventType, slim: SlimService): void {
    const key = keyOf(slim);
    const prev = services.get(key);
    if (prev) book.removeService(prev);
    if (type === 'DELETED') {
      services.delete(key);
      return;
    }
    const claim = {
      slim,
      ips: slim.ips,
      ports: slim.ports,
      endpoint: stableEndpoint(prev?.endpoint, serviceEndpoint(slim)),
    };
    services.set(key, claim);
    book.addService(claim);
  }

  function applyNode(type: ObjectEventType, slim: SlimNode): void {
    const prev = nodes.get(slim.metadata.name);
    for (const ip of prev?.ips ?? []) book.setNode(ip, undefined);
    if (type === 'DELETED') {
      nodes.delete(slim.metadata.name);
      return;
    }
    const claim = { slim, ips: slim.ips, ports: [], endpoint: stableEndpoint(prev?.endpoint, nodeEndpoint(slim)) };
    nodes.set(slim.metadata.name, claim);
    for (const ip of slim.ips) book.setNode(ip, claim);
  }

  function applySlice(type: ObjectEventType, slim: SlimEndpointSlice): void {
    const key = keyOf(slim);
    const prevService = sliceService.get(key);
    if (prevService !== undefined) {
      const slices = slicesByService.get(prevService);
      slices?.delete(key);
      if (slices?.size === 0) slicesByService.delete(prevService);
      sliceService.delete(key);
    }
    if (type === 'DELETED' || !slim.serviceName) return;
    const serviceKey = `${slim.metadata.namespace}/${slim.serviceName}`;
    const slices = slicesByService.get(serviceKey);
    if (slices) slices.set(key, slim);
    else slicesByService.set(serviceKey, new Map([[key, slim]]));
    sliceService.set(key, serviceKey);
  }

  function prune(): void {
    const now = clock();
    lastPrune = now;
    for (const pod of tombstones) {
      if (now - pod.to <= graceMs) continue;
      tombstones.delete(pod);
      book.removePod(pod);
    }
    slimmer.trim(4 * (pods.size + services.size + nodes.size + owners.size) + 4096);
    if (workloads.size > 2 * pods.size + 1024) workloads.clear();
  }

  function lookup(ip: IpAddress, at: number, port?: number, ipProtocol?: number): Endpoint {
    const rec = typeof ip === 'number' ? table.getV4(ip) : table.get(ip);
    if (rec !== undefined) {
      if ((port === undefined || rec.hostPorts === undefined) && rec.fast !== undefined) return rec.fast;
      const found = book.resolve(rec, at, port, ipProtocol);
      if (found !== undefined) return found;
    }
    return external.resolve(ip);
  }

  return {
    lookup,
    isServiceBackend(service, backend, at) {
      if (service.kind !== 'service') return false;
      const key = `${service.namespace ?? ''}/${service.name ?? ''}`;
      for (const slice of slicesByService.get(key)?.values() ?? []) if (slice.addresses.includes(backend)) return true;
      const selector = services.get(key)?.slim.selector;
      if (!selector) return false;
      const pod = lookup(backend, at);
      if (pod.kind !== 'pod' || pod.namespace !== service.namespace || !pod.labels) return false;
      for (const [k, v] of Object.entries(selector)) if (pod.labels[k] !== v) return false;
      return true;
    },
    slim: (kind, raw) => slimmer.slim(kind, raw),
    apply(type, object) {
      events++;
      switch (object.kind) {
        case 'Pod':
          applyPod(type, object);
          break;
        case 'Service':
          applyService(type, object);
          break;
        case 'Node':
          applyNode(type, object);
          break;
        case 'EndpointSlice':
          applySlice(type, object);
          break;
        default:
          applyOwner(type, object);
      }
      if (tombstones.size && clock() - lastPrune >= Math.max(1_000, graceMs / 4)) prune();
    },
    prune,
    stats: () => ({
      pods: pods.size,
      tombstones: tombstones.size,
      services: services.size,
      nodes: nodes.size,
      owners: owners.size,
      endpointSlices: sliceService.size,
      addresses: table.size,
      events,
    }),
  };
}
