/**
 * Address allocation: pod IPs per node (lowest free address first, so a freed address is soon reused, as the
 * identity index must handle) and ClusterIPs from the service range.
 * @module
 */
import { formatIp, parseIpv4 } from '../../core/ip.js';

export interface PodIpPool {
  /** an address for a pod starting at `at` */
  allocate(at: number): string;
  /** the pod that held `ip` let it go at `at` */
  release(ip: string, at: number): void;
  readonly used: number;
}

function cidrBase(cidr: string): [number, number] {
  const [addr, bits] = cidr.split('/');
  const base = parseIpv4(addr ?? '');
  const prefix = Number(bits);
  if (base === undefined || !(prefix >= 8 && prefix <= 30))
    throw new TypeError(`Cannot use CIDR "${cidr}": expected an IPv4 /8-/30`);
  return [base, 2 ** (32 - prefix)];
}

/**
 * A freed address waits this long before a new pod gets it: a pod's network namespace goes away some time before
 * another sandbox on the node is set up, so replies still in flight to the old pod never reach the new one.
 */
export const IP_QUARANTINE_MS = 5_000;

/**
 * Pod addresses .2 upwards of a node's pod CIDR (.1 is the node's bridge/gateway): the lowest address free for
 * IP_QUARANTINE_MS first, so a freed address is soon reused, as the identity index must handle.
 */
export function createPodIpPool(cidr: string): PodIpPool {
  const [base, size] = cidrBase(cidr);
  /** offset -> when it was freed */
  const free = new Map<number, number>();
  let high = 2;
  let used = 0;
  const pick = (at: number): number | undefined => {
    let best: number | undefined;
    for (const [offset, since] of free)
      if (at - since >= IP_QUARANTINE_MS && (best === undefined || offset < best)) best = offset;
    return best;
  };
  return {
    get used() {
      return used;
    },
    allocate(at) {
      let offset = pick(at);
      if (offset === undefined && high < size - 1) offset = high++;
      // a full range hands out a quarantined address rather than none
      if (offset === undefined) offset = pick(Number.POSITIVE_INFINITY);
      if (offset === undefined) throw new RangeError(`Cannot allocate a pod IP from "${cidr}": the range is full`);
      free.delete(offset);
      used++;
      return formatIp((base + offset) >>> 0);
    },
    release(ip, at) {
      const value = parseIpv4(ip);
      if (value === undefined) return;
      const offset = value - base;
      if (offset < 2 || offset >= high || free.has(offset)) return;
      free.set(offset, at);
      used--;
    },
  };
}

/** ClusterIPs from the service range, skipping fixed ones; .1 is the `kubernetes` Service by convention */
export function createServiceIpAllocator(cidr: string, reserved: readonly string[]): () => string {
  const [base] = cidrBase(cidr);
  const taken = new Set(reserved);
  let next = 0x0100 + 11;
  return () => {
    for (;;) {
      const ip = formatIp((base + next) >>> 0);
      next += 7;
      if (!taken.has(ip)) {
        taken.add(ip);
        return ip;
      }
    }
  };
}
