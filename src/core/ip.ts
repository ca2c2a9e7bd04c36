import type { IpAddress } from './flow.js';

/** formats an IpAddress as text: dotted quad for IPv4 numbers, the string itself for IPv6 */
export function formatIp(ip: IpAddress): string {
  if (typeof ip === 'string') return ip;
  return `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}

/** parses dotted-quad IPv4 to its number; returns undefined when `text` is not one */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

/**
 * Reads 16 bytes of IPv6 from `bytes` at `pos`: the IPv4 number for ::ffff:a.b.c.d, else RFC 5952 text (as
 * formatIpv6Groups writes it). Builds no intermediate arrays: the decoders call it per address.
 */
export function ipv6FromBytes(bytes: Uint8Array, pos: number): IpAddress {
  let mapped = bytes[pos + 10] === 0xff && bytes[pos + 11] === 0xff;
  for (let i = 0; i < 10 && mapped; i++) if (bytes[pos + i] !== 0) mapped = false;
  if (mapped)
    return ((bytes[pos + 12]! << 24) | (bytes[pos + 13]! << 16) | (bytes[pos + 14]! << 8) | bytes[pos + 15]!) >>> 0;
  let bestStart = -1;
  let bestLen = 1;
  let runStart = -1;
  for (let i = 0; i <= 8; i++) {
    const zero = i < 8 && bytes[pos + 2 * i] === 0 && bytes[pos + 2 * i + 1] === 0;
    if (zero) {
      if (runStart < 0) runStart = i;
    } else if (runStart >= 0) {
      if (i - runStart > bestLen) {
        bestStart = runStart;
        bestLen = i - runStart;
      }
      runStart = -1;
    }
  }
  let text = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      text += i === 0 ? '::' : ':';
      i += bestLen - 1;
      continue;
    }
    text += ((bytes[pos + 2 * i]! << 8) | bytes[pos + 2 * i + 1]!).toString(16);
    if (i < 7) text += ':';
  }
  return text;
}

/** RFC 5952: lowercase hex, no leading zeros, the longest run (>= 2) of zero groups as "::" (first on ties) */
export function formatIpv6Groups(groups: readonly number[]): string {
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (g: number) => g.toString(16);
  if (bestStart < 0) return groups.map(hex).join(':');
  const head = groups.slice(0, bestStart).map(hex).join(':');
  const tail = groups
    .slice(bestStart + bestLen)
    .map(hex)
    .join(':');
  return `${head}::${tail}`;
}

/** parses IPv4 or IPv6 text into an IpAddress (IPv6 normalised to RFC 5952); undefined when invalid */
export function parseIp(text: string): IpAddress | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return v4;
  const bytes = ipv6ToBytes(text);
  return bytes ? ipv6FromBytes(bytes, 0) : undefined;
}

/** parses IPv6 text (with optional embedded IPv4 tail) into 16 bytes; undefined when invalid */
export function ipv6ToBytes(text: string): Uint8Array | undefined {
  if (!text.includes(':')) return undefined;
  let body = text;
  const tail: number[] = [];
  const lastColon = body.lastIndexOf(':');
  const maybeV4 = body.slice(lastColon + 1);
  if (maybeV4.includes('.')) {
    const v4 = parseIpv4(maybeV4);
    if (v4 === undefined) return undefined;
    tail.push(v4 >>> 16, v4 & 0xffff);
    body = `${body.slice(0, lastColon + 1)}${tail.length ? '0:0' : ''}`;
  }
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const parse = (s: string) => (s === '' ? [] : s.split(':'));
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  const groupCount = head.length + rest.length;
  if (halves.length === 1 ? groupCount !== 8 : groupCount > 7) return undefined;
  const groups = [...head, ...new Array<string>(8 - groupCount).fill('0'), ...rest];
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    const g = groups[i]!;
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    const v = Number.parseInt(g, 16);
    out[2 * i] = v >> 8;
    out[2 * i + 1] = v & 255;
  }
  if (tail.length) {
    out[12] = tail[0]! >> 8;
    out[13] = tail[0]! & 255;
    out[14] = tail[1]! >> 8;
    out[15] = tail[1]! & 255;
  }
  return out;
}
