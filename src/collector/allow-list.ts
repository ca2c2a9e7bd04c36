import { ipv6ToBytes, parseIp, parseIpv4 } from '../core/ip.js';

/** one parsed CIDR: IPv4 as a number and mask, IPv6 as 16 bytes and a prefix length */
export type Cidr =
  | { readonly family: 4; readonly base: number; readonly mask: number }
  | { readonly family: 6; readonly bytes: Uint8Array; readonly prefix: number };

/** parses "10.0.0.0/8", "2001:db8::/32" or a bare address (a /32 or /128); undefined when invalid */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  const prefixText = slash < 0 ? undefined : text.slice(slash + 1);
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const v4 = parseIpv4(addr);
  if (v4 !== undefined) {
    const prefix = prefixText === undefined ? 32 : Number(prefixText);
    if (prefix > 32) return undefined;
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    return { family: 4, base: (v4 & mask) >>> 0, mask };
  }
  const bytes = ipv6ToBytes(addr);
  if (!bytes) return undefined;
  const prefix = prefixText === undefined ? 128 : Number(prefixText);
  if (prefix > 128) return undefined;
  return { family: 6, bytes, prefix };
}

function matchesV6(cidr: { bytes: Uint8Array; prefix: number }, bytes: Uint8Array): boolean {
  const whole = cidr.prefix >> 3;
  for (let i = 0; i < whole; i++) if (bytes[i] !== cidr.bytes[i]) return false;
  const rest = cidr.prefix & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((bytes[whole]! ^ cidr.bytes[whole]!) & mask) === 0;
}

/** answers whether an exporter address may send; decisions are cached per address (the cache is bounded) */
export interface AllowList {
  allows(address: string): boolean;
}

const CACHE_LIMIT = 65_536;

/**
 * An allow-list over IPv4 and IPv6 CIDRs; empty allows everything. IPv4-mapped IPv6 addresses match IPv4 CIDRs.
 * Throws TypeError for an unparsable CIDR (config validation catches these first).
 */
export function createAllowList(cidrs: readonly string[]): AllowList {
  if (cidrs.length === 0) return { allows: () => true };
  const parsed = cidrs.map((text) => {
    const cidr = parseCidr(text);
    if (!cidr) throw new TypeError(`Cannot parse CIDR "${text}": expected an address or address/prefix`);
    return cidr;
  });
  const cache = new Map<string, boolean>();
  const decide = (address: string): boolean => {
    const ip = parseIp(address);
    if (ip === undefined) return false;
    if (typeof ip === 'number') {
      return parsed.some((c) => c.family === 4 && (ip & c.mask) >>> 0 === c.base);
    }
    const bytes = ipv6ToBytes(ip);
    return bytes !== undefined && parsed.some((c) => c.family === 6 && matchesV6(c, bytes));
  };
  return {
    allows(address) {
      let allowed = cache.get(address);
      if (allowed === undefined) {
        allowed = decide(address);
        if (cache.size >= CACHE_LIMIT) cache.clear();
        cache.set(address, allowed);
      }
      return allowed;
    },
  };
}
