/**
 * Map nodes per endpoint, cached: endpoints are shared immutable objects, so one `mapNodeOf` call per endpoint and
 * level suffices. Nodes that depend on the address (unknown and unnamed external addresses; pods at pod level,
 * whose node carries the IP) are cached by address instead. Every distinct node id gets one NodeRef and a small
 * integer `idx` the aggregator keys edges with. Owned by one aggregator.
 * @module
 */
import type { GroupLevel, MapNode } from '../core/edge.js';
import type { Endpoint } from '../core/endpoint.js';
import type { IpAddress } from '../core/flow.js';
import { mapNodeOf } from '../core/map-node.js';

export interface NodeRef {
  readonly node: MapNode;
  /** unique per node id until the cache restarts; below 2^29 */
  readonly idx: number;
}

interface PodEntry {
  readonly addr: IpAddress;
  readonly ref: NodeRef;
}

const MAX_IDX = 2 ** 29;

function byAddress(ep: Endpoint): boolean {
  if (ep.kind === 'unknown') return true;
  if (ep.kind === 'external') return ep.external?.label === undefined && ep.external?.asn === undefined;
  return ep.name === undefined;
}

export class NodeCache {
  private byEndpoint = new WeakMap<Endpoint, NodeRef>();
  private podByEndpoint = new WeakMap<Endpoint, PodEntry>();
  private byAddr = new Map<IpAddress, NodeRef>();
  private byId = new Map<string, NodeRef>();
  private next = 0;

  constructor(readonly level: GroupLevel) {}

  /** distinct nodes remembered */
  get size(): number {
    return this.byId.size;
  }

  ref(ep: Endpoint, addr: IpAddress): NodeRef {
    if (byAddress(ep)) {
      let ref = this.byAddr.get(addr);
      if (ref === undefined) {
        ref = this.intern(mapNodeOf(ep, addr, this.level));
        this.byAddr.set(addr, ref);
      }
      return ref;
    }
    if (this.level === 'pod' && ep.kind === 'pod') {
      const entry = this.podByEndpoint.get(ep);
      if (entry !== undefined && entry.addr === addr) return entry.ref;
      const ref = this.intern(mapNodeOf(ep, addr, this.level));
      this.podByEndpoint.set(ep, { addr, ref });
      return ref;
    }
    let ref = this.byEndpoint.get(ep);
    if (ref === undefined) {
      ref = this.intern(mapNodeOf(ep, addr, this.level));
      this.byEndpoint.set(ep, ref);
    }
    return ref;
  }

  /**
   * Forgets every node. With `reuseIdx` false the idx counter keeps rising, so refs made before and after the
   * restart never share an idx (an open bucket may hold both; it then merges them by id).
   */
  restart(reuseIdx: boolean): void {
    this.byEndpoint = new WeakMap();
    this.podByEndpoint = new WeakMap();
    this.byAddr = new Map();
    this.byId = new Map();
    if (reuseIdx || this.next >= MAX_IDX) this.next = 0;
  }

  private intern(node: MapNode): NodeRef {
    let ref = this.byId.get(node.id);
    if (ref === undefined) {
      ref = { node, idx: this.next++ };
      this.byId.set(node.id, ref);
    }
    return ref;
  }
}
