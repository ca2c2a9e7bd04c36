/**
 * What the rest of the pipeline asks of identity: a local, synchronous view of who owned an address when.
 * @module
 */
import type { Endpoint } from '../core/endpoint.js';
import type { IpAddress } from '../core/flow.js';

/** a local, synchronous view of endpoint metadata; never performs I/O, never throws for unknown input */
export interface MetadataIndex {
  /**
   * Who owned `ip` at `at` (the flow's time, epoch ms): pod, service, node or external; UNKNOWN_ENDPOINT when
   * nothing matched. IPs are reused, so deleted pods stay as tombstones for a while and the time decides.
   * With `port` (and `ipProtocol`), a node IP resolves to the host-network pod declaring that port, if any.
   * Returns shared immutable objects: the same owner gives the same object.
   */
  lookup(ip: IpAddress, at: number, port?: number, ipProtocol?: number): Endpoint;
  /** true when `backend` (a pod address) is an endpoint of `service` at `at` (EndpointSlices or selector) */
  isServiceBackend(service: Endpoint, backend: IpAddress, at: number): boolean;
}

/** a source that fills a MetadataIndex in the background (live API, snapshot files, simulation) */
export interface MetadataSource {
  readonly name: string;
  /** true once the initial list completed; /readyz reports it */
  readonly synced: boolean;
  /** the last error talking to the source, cleared on recovery */
  readonly lastError: string | undefined;
}

/**
 * Names addresses no cluster object owns: configured CIDR labels, then ASN and organisation, else
 * UNKNOWN_ENDPOINT. Synchronous and local like MetadataIndex; returns shared immutable objects.
 */
export interface ExternalResolver {
  resolve(ip: IpAddress): Endpoint;
}
