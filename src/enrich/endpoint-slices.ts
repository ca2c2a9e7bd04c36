/**
 * Which addresses back which service, from EndpointSlices (the `kubernetes.io/service-name` label).
 * @module
 */
import type { IpAddress } from '../core/flow.js';
import type { ObjectEventType, SlimEndpointSlice } from './kube-objects.js';

export class EndpointSliceIndex {
  /** "namespace/service" → slice key → slice */
  private readonly byService = new Map<string, Map<string, SlimEndpointSlice>>();
  /** slice key ("namespace/slice") → "namespace/service" */
  private readonly serviceOf = new Map<string, string>();

  get size(): number {
    return this.serviceOf.size;
  }

  apply(type: ObjectEventType, slim: SlimEndpointSlice): void {
    const key = `${slim.metadata.namespace}/${slim.metadata.name}`;
    const prevService = this.serviceOf.get(key);
    if (prevService !== undefined) {
      const slices = this.byService.get(prevService);
      slices?.delete(key);
      if (slices?.size === 0) this.byService.delete(prevService);
      this.serviceOf.delete(key);
    }
    if (type === 'DELETED' || !slim.serviceName) return;
    const serviceKey = `${slim.metadata.namespace}/${slim.serviceName}`;
    const slices = this.byService.get(serviceKey);
    if (slices) slices.set(key, slim);
    else this.byService.set(serviceKey, new Map([[key, slim]]));
    this.serviceOf.set(key, serviceKey);
  }

  /** true when a slice of the service ("namespace/name") lists `address` */
  lists(serviceKey: string, address: IpAddress): boolean {
    for (const slice of this.byService.get(serviceKey)?.values() ?? []) {
      if (slice.addresses.includes(address)) return true;
    }
    return false;
  }
}
