/**
 * Address allocation: pod IPs per node (lowest free address first, so a freed address is soon reused, as the
 * identity index must handle) and ClusterIPs from the service range.
 * @module
 */
import { formatIp, parseIpv4 } from '../../core/ip.js';

export interface PodIpPool {
  allocate(): string;
  release(ip: string): void;
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

/** pod addresses .2 upwards of a node's pod CIDR (.1 is the node's bridge/gateway) */
export function createPodIpPool(cidr: string): PodIpPool {
  const [base, size] = cidrBase(cidr);
  const free = new Set<number>();
  let high = 2;
  let used = 0;
  return {
    get used() {
      return used;
    },
    allocate() {
      let offset: number;
      if (free.size > 0) {
        offset = Math.min(...free);
        free.delete(offset);
      } else {
        if (high >= size - 1) throw new RangeError(`Cannot allocate a pod IP from "${cidr}": the range is full`);
        offset = high++;
      }
      used++;
      return formatIp((base + offset) >>> 0);
    },
    release(ip) {
      const value = parseIpv4(ip);
      if (value === undefined) return;
      const offset = value - base;
      if (offset < 2 || offset >= high || free.has(offset)) return;
      free.add(offset);
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
