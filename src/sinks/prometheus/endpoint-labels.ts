/**
 * Label values for endpoints, cached: endpoints from the identity index are shared immutable objects, so the labels
 * of one object are computed once (WeakMap). Names that depend on the address (unknown and unnamed endpoints) are
 * cached by address in a bounded map.
 * @module
 */
import type { Endpoint } from '../../core/endpoint.js';
import type { IpAddress } from '../../core/flow.js';
import { mapNodeLabels, mapNodeOf } from '../../core/map-node.js';

/** the workload-level map node of an endpoint as flowmap_* labels; `key` is the map node id */
export interface NodeLabels {
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly kind: string;
}

/** the seed's `host`/`namespace` label pair */
export interface SeedLabels {
  readonly key: string;
  readonly host: string;
  readonly namespace: string;
}

const ADDRESS_CACHE_LIMIT = 100_000;

/** true when mapNodeOf(endpoint, addr, 'workload') names the node after the address */
function namedByAddress(e: Endpoint): boolean {
  switch (e.kind) {
    case 'pod':
      return !e.workload && !e.name;
    case 'service':
    case 'node':
      return !e.name;
    case 'external':
      return !e.external?.label && e.external?.asn === undefined;
    default:
      return true;
  }
}

/**
 * The seed's naming (see docs/metrics.md): pods by their label-chain name, services and nodes by name, externals by
 * CIDR label or ASN organisation; anything else `unknown`. Namespace: the object's, '' for nodes and named
 * externals, `unknown` when nothing is known.
 */
export function seedLabelsOf(e: Endpoint): { host: string; namespace: string } {
  switch (e.kind) {
    case 'pod':
      return { host: e.seedName ?? e.name ?? e.workload?.name ?? 'unknown', namespace: e.namespace ?? 'unknown' };
    case 'service':
      return { host: e.name ?? 'unknown', namespace: e.namespace ?? 'unknown' };
    case 'node':
      return { host: e.name ?? 'unknown', namespace: '' };
    case 'external': {
      const ext = e.external;
      const host = ext?.label ?? ext?.org ?? (ext?.asn !== undefined ? `AS${ext.asn}` : undefined);
      return host === undefined ? { host: 'unknown', namespace: 'unknown' } : { host, namespace: '' };
    }
    default:
      return { host: 'unknown', namespace: 'unknown' };
  }
}

/** per-sink caches; not shared between sinks */
export class EndpointLabels {
  readonly #nodes = new WeakMap<Endpoint, NodeLabels>();
  readonly #byAddress = new Map<IpAddress, NodeLabels>();
  readonly #seeds = new WeakMap<Endpoint, SeedLabels>();

  node(endpoint: Endpoint, addr: IpAddress): NodeLabels {
    if (namedByAddress(endpoint)) {
      if (endpoint.kind !== 'unknown' && endpoint.kind !== 'external') return this.#compute(endpoint, addr);
      let labels = this.#byAddress.get(addr);
      if (!labels) {
        labels = this.#compute(endpoint, addr);
        if (this.#byAddress.size >= ADDRESS_CACHE_LIMIT) this.#byAddress.clear();
        this.#byAddress.set(addr, labels);
      }
      return labels;
    }
    let labels = this.#nodes.get(endpoint);
    if (!labels) {
      labels = this.#compute(endpoint, addr);
      this.#nodes.set(endpoint, labels);
    }
    return labels;
  }

  seed(endpoint: Endpoint): SeedLabels {
    let labels = this.#seeds.get(endpoint);
    if (!labels) {
      const { host, namespace } = seedLabelsOf(endpoint);
      labels = { key: `${namespace}\u0001${host}`, host, namespace };
      this.#seeds.set(endpoint, labels);
    }
    return labels;
  }

  #compute(endpoint: Endpoint, addr: IpAddress): NodeLabels {
    const node = mapNodeOf(endpoint, addr, 'workload');
    return { key: node.id, ...mapNodeLabels(node) };
  }
}
