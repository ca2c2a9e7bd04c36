/**
 * The per-address records behind lookups: which pods (with validity intervals), services and node claim an
 * address, and which host-network or hostPort pods claim a port on it. Each record caches `fast`, the answer
 * that does not depend on time or port (one live pod, or one service, or a node), so the common lookup is one
 * table probe and one field read.
 * @module
 */
import type { Endpoint } from '../core/endpoint.js';
import type { IpAddress } from '../core/flow.js';
import { IpTable } from './ip-table.js';
import type { SlimPod } from './kube-objects.js';
import { type Claim, pickClaim } from './validity.js';

/** a pod's claim on its addresses; mutable by the index only */
export interface PodClaim extends Claim {
  slim: SlimPod;
  endpoint: Endpoint;
  readonly from: number;
  to: number;
  active: boolean;
  /** owner keys this pod's workload name depends on */
  chain: readonly string[];
}

/** a service or node claiming addresses */
export interface NamedClaim {
  readonly ips: readonly IpAddress[];
  readonly ports: readonly { readonly port: number; readonly ipProtocol: number }[];
  endpoint: Endpoint;
}

export interface IpRecord {
  fast: Endpoint | undefined;
  pods: PodClaim[];
  services: NamedClaim[];
  node: NamedClaim | undefined;
  /** key: port * 256 + IANA protocol */
  hostPorts: Map<number, PodClaim[]> | undefined;
}

const NO_PROTOCOL = [6, 17, 132] as const;

/** addresses a pod is found by without a port (host-network pods share the node's, so none) */
export function podAddresses(pod: SlimPod): readonly IpAddress[] {
  if (pod.hostNetwork) return [];
  return pod.hostIPs.length ? pod.ips.filter((ip) => !pod.hostIPs.includes(ip)) : pod.ips;
}

/** addresses on which the pod's hostPorts are reachable */
export function hostAddresses(pod: SlimPod): readonly IpAddress[] {
  if (pod.hostPorts.length === 0) return [];
  if (!pod.hostNetwork) return pod.hostIPs;
  return [...pod.ips, ...pod.hostIPs.filter((ip) => !pod.ips.includes(ip))];
}

export class AddressBook {
  readonly table = new IpTable<IpRecord>();

  constructor(private readonly graceMs: number) {}

  addPod(pod: PodClaim): void {
    for (const ip of podAddresses(pod.slim)) this.update(ip, (rec) => rec.pods.push(pod));
    for (const ip of hostAddresses(pod.slim)) {
      this.update(ip, (rec) => {
        rec.hostPorts ??= new Map();
        for (const p of pod.slim.hostPorts) {
          const key = p.port * 256 + p.ipProtocol;
          const list = rec.hostPorts.get(key);
          if (list) list.push(pod);
          else rec.hostPorts.set(key, [pod]);
        }
      });
    }
  }

  removePod(pod: PodClaim): void {
    for (const ip of podAddresses(pod.slim)) this.update(ip, (rec) => remove(rec.pods, pod));
    for (const ip of hostAddresses(pod.slim)) {
      this.update(ip, (rec) => {
        for (const [key, list] of rec.hostPorts ?? []) {
          remove(list, pod);
          if (list.length === 0) rec.hostPorts!.delete(key);
        }
        if (rec.hostPorts?.size === 0) rec.hostPorts = undefined;
      });
    }
  }

  /** recomputes the cached answers after a pod's endpoint, interval or phase changed */
  refreshPod(pod: PodClaim): void {
    for (const ip of podAddresses(pod.slim)) this.update(ip, () => {});
  }

  addService(service: NamedClaim): void {
    for (const ip of service.ips) this.update(ip, (rec) => rec.services.push(service));
  }

  removeService(service: NamedClaim): void {
    for (const ip of service.ips) this.update(ip, (rec) => remove(rec.services, service));
  }

  setNode(ip: IpAddress, node: NamedClaim | undefined): void {
    this.update(ip, (rec) => {
      rec.node = node;
    });
  }

  /** the time- and port-dependent answer for a record; undefined when nothing in it matches */
  resolve(rec: IpRecord, at: number, port: number | undefined, ipProtocol: number | undefined): Endpoint | undefined {
    if (port !== undefined && rec.hostPorts !== undefined) {
      for (const proto of ipProtocol === undefined ? NO_PROTOCOL : [ipProtocol]) {
        const list = rec.hostPorts.get(port * 256 + proto);
        const claim = list && pickClaim(list, at, this.graceMs);
        if (claim) return claim.endpoint;
      }
    }
    if (rec.pods.length) {
      const claim = pickClaim(rec.pods, at, this.graceMs);
      if (claim) return claim.endpoint;
    }
    if (rec.services.length) return pickByPort(rec.services, port, ipProtocol).endpoint;
    return rec.node?.endpoint;
  }

  private update(ip: IpAddress, change: (rec: IpRecord) => void): void {
    let rec = this.table.get(ip);
    if (!rec) {
      rec = { fast: undefined, pods: [], services: [], node: undefined, hostPorts: undefined };
      this.table.set(ip, rec);
    }
    change(rec);
    if (!rec.pods.length && !rec.services.length && !rec.node && !rec.hostPorts) {
      this.table.delete(ip);
      return;
    }
    rec.fast = fastAnswer(rec);
  }
}

function fastAnswer(rec: IpRecord): Endpoint | undefined {
  if (rec.pods.length === 1) {
    const pod = rec.pods[0]!;
    return pod.active && pod.to === Number.POSITIVE_INFINITY ? pod.endpoint : undefined;
  }
  if (rec.pods.length > 1) return undefined;
  if (rec.services.length === 1) return rec.services[0]!.endpoint;
  if (rec.services.length > 1) return undefined;
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

function remove<T>(list: T[], item: T): void {
  const at = list.indexOf(item);
  if (at >= 0) list.splice(at, 1);
}
