/**
 * The workload behind a Service: when every address its EndpointSlices list is a pod of one workload, calls to the
 * Service's ClusterIP that no post-DNAT record resolved (both pods on one node, or a sampled server node that
 * missed the conversation) can still be drawn as calls to that workload.
 * @module
 */
import type { Endpoint, WorkloadRef } from '../core/endpoint.js';
import type { IpAddress } from '../core/flow.js';

/** the one workload owning every address, else undefined (no address, an address of no pod, several workloads) */
export function backingWorkload(
  addresses: readonly IpAddress[],
  lookup: (ip: IpAddress) => Endpoint,
): WorkloadRef | undefined {
  let found: WorkloadRef | undefined;
  for (const ip of addresses) {
    const w = lookup(ip).workload;
    if (w === undefined) return undefined;
    if (found === undefined) found = w;
    else if (w !== found && (w.kind !== found.kind || w.namespace !== found.namespace || w.name !== found.name)) {
      return undefined;
    }
  }
  return found;
}
