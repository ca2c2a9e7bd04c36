/**
 * Addresses that are never named by ASN: private, shared (CGNAT), loopback, link-local, multicast and reserved
 * ranges. Without a CIDR label they stay unknown.
 * @module
 */
import type { IpAddress } from '../../core/flow.js';

const V4: readonly [number, number][] = [
  [0x00000000, 8], // 0.0.0.0/8 "this network"
  [0x0a000000, 8], // 10.0.0.0/8
  [0x64400000, 10], // 100.64.0.0/10 shared address space
  [0x7f000000, 8], // 127.0.0.0/8
  [0xa9fe0000, 16], // 169.254.0.0/16 link-local
  [0xac100000, 12], // 172.16.0.0/12
  [0xc0a80000, 16], // 192.168.0.0/16
  [0xe0000000, 3], // 224.0.0.0/4 multicast and 240.0.0.0/4 reserved
];

/** true for addresses in private or special-purpose ranges */
export function isSpecialAddress(ip: IpAddress): boolean {
  if (typeof ip === 'number') {
    for (const [net, bits] of V4) if ((ip & (0xffffffff << (32 - bits))) >>> 0 === net) return true;
    return false;
  }
  const head = ip.toLowerCase();
  if (head === '::' || head === '::1') return true;
  const first = Number.parseInt(head.split(':')[0] || '0', 16);
  return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80 || (first & 0xff00) === 0xff00;
}
