/**
 * Which addresses back which service, from EndpointSlices (the `kubernetes.io/service-name` label), and the
 * reverse: which services list an address.
 * @module
 */
import type { IpAddress } from '../core/flow.js';
import type { ObjectEventType, SlimEndpointSlice } from './kube-objects.js';
import { addTo, removeFrom } from './multimap.js';

export class EndpointSliceIndex {
  /** "namespace/service" → slice key → slice */
  private readonly byService = new Map<string, Map<string, SlimEndpointSlice>>();
  /** slice key ("namespace/slice") → "namespace/service" */
  private readonly serviceOf = new Map<string, string>();
  /** address → "namespace/service" keys whose slices list it */
  private readonly byAddress = new Map<IpAddress, Set<string>>();
  /** "namespace/service" → the addresses its slices listed at the last reindex */
  private readonly listed = new Map<string, Set<IpAddress>>();

  get size(): number {
    return this.serviceOf.size;
  }

  /** applies one event; returns the keys of the services whose addresses may have changed */
  apply(type: ObjectEventType, slim: SlimEndpointSlice): string[] {
    const key = `${slim.metadata.namespace}/${slim.metadata.name}`;
    const touched: string[] = [];
    const prevService = this.serviceOf.get(key);
    if (prevService !== undefined) {
      const slices = this.byService.get(prevService);
      slices?.delete(key);
      if (slices?.size === 0) this.byService.delete(prevService);
      this.serviceOf.delete(key);
      touched.push(prevService);
    }
    if (type !== 'DELETED' && slim.serviceName) {
      const serviceKey = `${slim.metadata.namespace}/${slim.serviceName}`;
      const slices = this.byService.get(serviceKey);
      if (slices) slices.set(key, slim);
      else this.byService.set(serviceKey, new Map([[key, slim]]));
      this.serviceOf.set(key, serviceKey);
      if (serviceKey !== prevService) touched.push(serviceKey);
    }
    for (const serviceKey of touched) this.reindex(serviceKey);
    return touched;
  }

  /** true when a slice of the service ("namespace/name") lists `address` */
  lists(serviceKey: string, address: IpAddress): boolean {
    return this.byAddress.get(address)?.has(serviceKey) ?? false;
  }

  /** every address the service's slices list, without repeats */
  addresses(serviceKey: string): IpAddress[] {
    const out = new Set<IpAddress>();
    for (const slice of this.byService.get(serviceKey)?.values() ?? []) for (const a of slice.addresses) out.add(a);
    return [...out];
  }

  /** keys of the services whose slices list `address` */
  servicesListing(address: IpAddress): ReadonlySet<string> | undefined {
    return this.byAddress.get(address);
  }

  /** rebuilds the reverse entries of one service (slices are small: a hundred addresses at most each) */
  private reindex(serviceKey: string): void {
    const now = new Set(this.addresses(serviceKey));
    const before = this.listed.get(serviceKey);
    for (const a of before ?? []) if (!now.has(a)) removeFrom(this.byAddress, a, serviceKey);
    for (const a of now) addTo(this.byAddress, a, serviceKey);
    if (now.size) this.listed.set(serviceKey, now);
    else this.listed.delete(serviceKey);
  }
}
