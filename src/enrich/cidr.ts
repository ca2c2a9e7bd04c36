/**
 * CIDR text ("10.0.0.0/8", "fd00::/8", a bare address as /32 or /128) parsed to bytes and a prefix length.
 * @module
 */
import { formatIpv6Groups, ipv6ToBytes, parseIpv4 } from '../core/ip.js';

export interface Cidr {
  readonly family: 4 | 6;
  /** the network address (host bits cleared): 4 or 16 bytes */
  readonly bytes: Uint8Array;
  readonly bits: number;
  /** the input, normalised to "<network>/<bits>" */
  readonly text: string;
}

/** parses CIDR text; undefined when it is not one (bad address, prefix out of range) */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  const prefix = slash < 0 ? undefined : text.slice(slash + 1);
  const v4 = parseIpv4(addr);
  const bytes =
    v4 !== undefined ? new Uint8Array([v4 >>> 24, (v4 >>> 16) & 255, (v4 >>> 8) & 255, v4 & 255]) : ipv6ToBytes(addr);
  if (!bytes) return undefined;
  const max = bytes.length * 8;
  if (prefix !== undefined && !/^\d{1,3}$/.test(prefix)) return undefined;
  const bits = prefix === undefined ? max : Number(prefix);
  if (bits > max) return undefined;
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    bytes[i]! &= (0xff << (8 - keep)) & 0xff;
  }
  if (bytes.length === 4) return { family: 4, bytes, bits, text: `${bytes.join('.')}/${bits}` };
  const groups = Array.from({ length: 8 }, (_, i) => (bytes[2 * i]! << 8) | bytes[2 * i + 1]!);
  return { family: 6, bytes, bits, text: `${formatIpv6Groups(groups)}/${bits}` };
}
