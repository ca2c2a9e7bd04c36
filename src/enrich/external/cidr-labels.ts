/**
 * Configured CIDR labels (NetObserv style `[{ name, cidrs }]`): the longest matching prefix wins across all
 * labels; on equal prefixes the label listed first wins. IPv4 and IPv6.
 * @module
 */
import type { Endpoint } from '../../core/endpoint.js';
import type { IpAddress } from '../../core/flow.js';
import { ipv6ToBytes } from '../../core/ip.js';
import { parseCidr } from '../cidr.js';
import type { CidrLabelConfig } from '../config.js';

export interface CidrLabels {
  /** the label endpoint of the longest matching CIDR, or undefined */
  match(ip: IpAddress): Endpoint | undefined;
}

function hexPrefix(bytes: Uint8Array, bits: number): string {
  let out = '';
  for (let i = 0; i * 8 < bits; i++) {
    const keep = Math.min(8, bits - i * 8);
    out += (bytes[i]! & ((0xff << (8 - keep)) & 0xff)).toString(16).padStart(2, '0');
  }
  return out;
}

/** throws TypeError naming the label and CIDR when a CIDR does not parse (the config schema checks first) */
export function createCidrLabels(labels: readonly CidrLabelConfig[]): CidrLabels {
  const v4 = new Map<number, Map<number, Endpoint>>();
  const v6 = new Map<number, Map<string, Endpoint>>();
  for (const { name, cidrs } of labels) {
    for (const text of cidrs) {
      const cidr = parseCidr(text);
      if (!cidr)
        throw new TypeError(`Cannot parse CIDR "${text}" of label "${name}": expected an address or address/prefix`);
      const endpoint: Endpoint = Object.freeze({
        kind: 'external',
        name,
        external: Object.freeze({ label: name, cidr: cidr.text }),
      });
      if (cidr.family === 4) {
        const b = cidr.bytes;
        const net = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
        const byNet = v4.get(cidr.bits) ?? new Map<number, Endpoint>();
        if (!byNet.has(net)) byNet.set(net, endpoint);
        v4.set(cidr.bits, byNet);
      } else {
        const byNet = v6.get(cidr.bits) ?? new Map<string, Endpoint>();
        const key = hexPrefix(cidr.bytes, cidr.bits);
        if (!byNet.has(key)) byNet.set(key, endpoint);
        v6.set(cidr.bits, byNet);
      }
    }
  }
  const v4Lengths = [...v4.keys()].sort((a, b) => b - a);
  const v6Lengths = [...v6.keys()].sort((a, b) => b - a);
  return {
    match(ip) {
      if (typeof ip === 'number') {
        for (const bits of v4Lengths) {
          const net = bits === 0 ? 0 : (ip & (0xffffffff << (32 - bits))) >>> 0;
          const found = v4.get(bits)!.get(net);
          if (found) return found;
        }
        return undefined;
      }
      if (v6Lengths.length === 0) return undefined;
      const bytes = ipv6ToBytes(ip);
      if (!bytes) return undefined;
      for (const bits of v6Lengths) {
        const found = v6.get(bits)!.get(hexPrefix(bytes, bits));
        if (found) return found;
      }
      return undefined;
    },
  };
}
