/**
 * The per-address records behind lookups: which pods (with validity intervals), services and node claim an
 * address, and which host-network or hostPort pods claim a port on it. The table keeps beside each record its
 * hot answer, the one that depends on neither time nor port (one live pod, or one service, or a node, and no
 * host ports), so the common lookup is one probe and one read.
 * @module
 */
import type { Endpoint } from '../core/endpoint.js';
import type { IpAddress } from '../core/flow.js';
import { IpTable } from './ip-table.js';
import type { SlimPod } from './kube-objects.js';
import { type Claim, claimMatches, pickClaim } from './validity.js';

const FINISHED = new Set(['Succeeded', 'Failed']);

/** a pod's claim on its addresses; `endpoint`, `to` and `ownerKey` are changed by the index only */
export class PodClaim implements Claim {
  /** when the pod's deletion was seen; Infinity while it exists */
  to = Number.POSITIVE_INFINITY;

  constructor(
    public slim: SlimPod,
    public endpoint: Endpoint,
    /** the key (ownerKey) of the controller the pod names directly, when the index tracks that kind */
    public ownerKey: string | undefined,
  ) {}

  get from(): number {
    return this.slim.created;
  }

  get active(): boolean {
    return !FINISHED.has(this.slim.phase);
  }
}

/** a service or node claiming addresses */
export interface NamedClaim {
  readonly ips: readonly IpAddress[];
  readonly ports: readonly { readonly port: number; readonly ipProtocol: number }[];
  endpoint: Endpoint;
}

export interface IpRecord {
  /** one claim (the common case) or several (IP reuse, tombstones) */
  pods: PodClaim | PodClaim[] | undefined;
  services: NamedClaim[] | undefined;
  node: NamedClaim | undefined;
  /** key: port * 256 + IANA protocol */
  hostPorts: Map<number, PodClaim[]> | undefined;
}

const NO_PROTOCOL = [6, 17, 132] as const;
const NO_CLAIMS: readonly PodClaim[] = [];
const NO_IPS: readonly IpAddress[] = [];

/** addresses a pod is found by without a port (host-network pods share the node's, so none) */
export function podAddresses(pod: SlimPod): readonly IpAddress[] {
  if (pod.hostNetwork) return NO_IPS;
  return pod.hostIPs.length ? pod.ips.filter((ip) => !pod.hostIPs.includes(ip)) : pod.ips;
}

/** addresses on which the pod's hostPorts are reachable */
export function hostAddresses(pod: SlimPod): readonly IpAddress[] {
  if (pod.hostPorts.length === 0) return NO_IPS;
  if (!pod.hostNetwork) return pod.hostIPs;
  return [...pod.ips, ...pod.hostIPs.filter((ip) => !pod.ips.includes(ip))];
}

function claimsOf(rec: IpRecord): readonly PodClaim[] {
  if (rec.pods === undefined) return NO_CLAIMS;
  return Array.isArray(rec.pods) ? rec.pods : [rec.pods];
}

function without<T>(list: readonly T[], item: T): T[] {
  return list.filter((x) => x !== item);
}

/** what the table stores per address: the lone pod claim itself (most addresses), or a record */
export type AddressEntry = IpRecord | PodClaim;

function recordOf(entry: AddressEntry | undefined): IpRecord {
  if (entry === undefined) return { pods: undefined, services: undefined, node: undefined, hostPorts: undefined };
  return entry instanceof PodClaim
    ? { pods: entry, services: undefined, node: undefined, hostPorts: undefined }
    : entry;
}

export class AddressBook {
  readonly table = new IpTable<AddressEntry, Endpoint>();

  constructor(private readonly graceMs: number) {}

  addPod(pod: PodClaim): void {
    for (const ip of podAddresses(pod.slim)) {
      this.update(ip, (rec) => {
        rec.pods = rec.pods === undefined ? pod : [...claimsOf(rec), pod];
      });
    }
    for (const ip of hostAddresses(pod.slim)) {
      this.update(ip, (rec) => {
        rec.hostPorts ??= new Map();
        for (const p of pod.slim.hostPorts) {
          const key = p.port * 256 + p.ipProtocol;
          rec.hostPorts.set(key, [...(rec.hostPorts.get(key) ?? []), pod]);
        }
      });
    }
  }

  removePod(pod: PodClaim): void {
    for (const ip of podAddresses(pod.slim)) {
      this.update(ip, (rec) => {
        const rest = without(claimsOf(rec), pod);
        rec.pods = rest.length === 0 ? undefined : rest.length === 1 ? rest[0] : rest;
      });
    }
    for (const ip of hostAddresses(pod.slim)) {
      this.update(ip, (rec) => {
        for (const [key, list] of rec.hostPorts ?? []) {
          const rest = without(list, pod);
          if (rest.length) rec.hostPorts!.set(key, rest);
          else rec.hostPorts!.delete(key);
        }
        if (rec.hostPorts?.size === 0) rec.hostPorts = undefined;
      });
    }
  }

  /** recomputes the hot answers after a pod's endpoint, interval or phase changed */
  refreshPod(pod: PodClaim): void {
    for (const ip of podAddresses(pod.slim)) this.update(ip, () => {});
  }

  addService(service: NamedClaim): void {
    for (const ip of service.ips) this.update(ip, (rec) => (rec.services = [...(rec.services ?? []), service]));
  }

  /** recomputes the hot answers after a service's endpoint changed */
  refreshService(service: NamedClaim): void {
    for (const ip of service.ips) this.update(ip, () => {});
  }

  removeService(service: NamedClaim): void {
    for (const ip of service.ips) {
      this.update(ip, (rec) => {
        const rest = without(rec.services ?? [], service);
        rec.services = rest.length ? rest : undefined;
      });
    }
  }

  setNode(ip: IpAddress, node: NamedClaim | undefined): void {
    this.update(ip, (rec) => {
      rec.node = node;
    });
  }

  /** the time- and port-dependent answer for a record; undefined when nothing in it matches */
  resolve(
    entry: AddressEntry,
    at: number,
    port: number | undefined,
    ipProtocol: number | undefined,
  ): Endpoint | undefined {
    // a lone pod claim (most addresses) without the record a recordOf call would allocate per lookup
    if (entry instanceof PodClaim) return claimMatches(entry, at, this.graceMs) ? entry.endpoint : undefined;
    const rec = entry;
    if (port !== undefined && rec.hostPorts !== undefined) {
      for (const proto of ipProtocol === undefined ? NO_PROTOCOL : [ipProtocol]) {
        const list = rec.hostPorts.get(port * 256 + proto);
        const claim = list && pickClaim(list, at, this.graceMs);
        if (claim) return claim.endpoint;
      }
    }
    if (rec.pods !== undefined) {
      const claim = pickClaim(claimsOf(rec), at, this.graceMs);
      if (claim) return claim.endpoint;
    }
    if (rec.services) return pickByPort(rec.services, port, ipProtocol).endpoint;
    return rec.node?.endpoint;
  }

  private update(ip: IpAddress, change: (rec: IpRecord) => void): void {
    const rec = recordOf(this.table.get(ip));
    change(rec);
    const lone = rec.pods instanceof PodClaim && !rec.services && !rec.node && !rec.hostPorts;
    if (!rec.pods && !rec.services && !rec.node && !rec.hostPorts) this.table.delete(ip);
    else this.table.set(ip, lone ? (rec.pods as PodClaim) : rec, rec.hostPorts ? undefined : hotAnswer(rec));
  }
}

function hotAnswer(rec: IpRecord): Endpoint | undefined {
  const pods = rec.pods;
  if (pods !== undefined) {
    if (Array.isArray(pods)) return undefined;
    return pods.active && pods.to === Number.POSITIVE_INFINITY ? pods.endpoint : undefined;
  }
  if (rec.services) return rec.services.length === 1 ? rec.services[0]!.endpoint : undefined;
  return rec.node?.endpoint;
}

function pickByPort(claims: readonly NamedClaim[], port: number | undefined, ipProtocol: number | undefined) {
  if (port !== undefined) {
    for (const claim of claims) {
      if (claim.ports.some((p) => p.port === port && (ipProtocol === undefined || p.ipProtocol === ipProtocol))) {
        return claim;
      }
    }
  }
  return claims[0]!;
}
