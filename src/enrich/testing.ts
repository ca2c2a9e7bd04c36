/**
 * Fakes for other components' tests: a MetadataIndex from a fixed table, and ready-made endpoints.
 * @module
 */
import { type Endpoint, serviceName, UNKNOWN_ENDPOINT } from '../core/endpoint.js';
import type { IpAddress } from '../core/flow.js';
import { formatIp, parseIp } from '../core/ip.js';
import type { MetadataIndex } from './contracts.js';

export interface StaticEntry {
  /** text ("10.0.0.1", "fd00::1") or an IpAddress */
  readonly ip: string | IpAddress;
  readonly endpoint: Endpoint;
  /** only match lookups with this port (host-network pods on a node IP) */
  readonly port?: number;
  readonly ipProtocol?: number;
  /** validity interval in epoch ms; default always */
  readonly from?: number;
  readonly to?: number;
}

export interface StaticIndexOptions {
  /** "namespace/name" of a service → the backend addresses (text) isServiceBackend answers true for */
  readonly backends?: Readonly<Record<string, readonly string[]>>;
  /** what unmatched addresses resolve to; default UNKNOWN_ENDPOINT */
  readonly fallback?: (ip: IpAddress) => Endpoint;
}

/**
 * A MetadataIndex over a fixed list: entries with a port win for lookups with that port; among the rest, the
 * first entry whose interval contains `at`. Endpoints are returned as given (share them to test caching).
 */
export function createStaticIndex(entries: readonly StaticEntry[], options: StaticIndexOptions = {}): MetadataIndex {
  const byIp = new Map<IpAddress, StaticEntry[]>();
  for (const entry of entries) {
    const ip = typeof entry.ip === 'string' ? parseIp(entry.ip) : entry.ip;
    if (ip === undefined) throw new TypeError(`Cannot add static entry "${String(entry.ip)}": not an IP address`);
    const list = byIp.get(ip) ?? [];
    list.push(entry);
    byIp.set(ip, list);
  }
  const backends = new Map<string, Set<IpAddress>>();
  for (const [service, ips] of Object.entries(options.backends ?? {})) {
    backends.set(service, new Set(ips.map((ip) => parseIp(ip) ?? ip)));
  }
  const fallback = options.fallback ?? (() => UNKNOWN_ENDPOINT);
  const inTime = (e: StaticEntry, at: number) => (e.from ?? -Infinity) <= at && at <= (e.to ?? Infinity);
  return {
    lookup(ip, at, port, ipProtocol) {
      const list = byIp.get(ip);
      if (!list) return fallback(ip);
      const withPort = list.find(
        (e) =>
          e.port !== undefined &&
          e.port === port &&
          (ipProtocol === undefined || e.ipProtocol === undefined || e.ipProtocol === ipProtocol) &&
          inTime(e, at),
      );
      return withPort?.endpoint ?? list.find((e) => e.port === undefined && inTime(e, at))?.endpoint ?? fallback(ip);
    },
    isServiceBackend(service, backend) {
      return backends.get(serviceName(service))?.has(backend) ?? false;
    },
  };
}

/** a frozen pod endpoint owned by a Deployment (or the given workload kind) */
export function podEndpointFor(
  namespace: string,
  pod: string,
  workload: string,
  workloadKind = 'Deployment',
): Endpoint {
  return Object.freeze({
    kind: 'pod',
    namespace,
    name: pod,
    workload: Object.freeze({ kind: workloadKind, namespace, name: workload }),
    seedName: workload,
  });
}

/** a frozen service endpoint */
export function serviceEndpointFor(namespace: string, name: string): Endpoint {
  return Object.freeze({ kind: 'service', namespace, name });
}

/** formats for assertions: "pod shop/frontend-1 (Deployment/frontend)", "service shop/cart", "node worker-1" */
export function describeEndpoint(endpoint: Endpoint, ip?: IpAddress): string {
  switch (endpoint.kind) {
    case 'pod':
      return `pod ${endpoint.namespace}/${endpoint.name} (${endpoint.workload?.kind}/${endpoint.workload?.name})`;
    case 'service':
      return `service ${endpoint.namespace}/${endpoint.name}`;
    case 'node':
      return `node ${endpoint.name}`;
    case 'external':
      return `external ${endpoint.external?.label ?? endpoint.external?.org ?? endpoint.name}`;
    default:
      return ip === undefined ? 'unknown' : `unknown ${formatIp(ip)}`;
  }
}
