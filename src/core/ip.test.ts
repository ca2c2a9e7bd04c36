import { describe, expect, it } from 'vitest';
import { formatIpv6Groups, ipv6FromBytes } from './ip.js';

describe('ipv6FromBytes', () => {
  it('reads IPv6 bytes as RFC 5952 text (formatIpv6Groups) or, for ::ffff:a.b.c.d, the IPv4 number', () => {
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed >>> 8;
    };
    for (let n = 0; n < 20_000; n++) {
      const bytes = new Uint8Array(16);
      for (let g = 0; g < 8; g++) {
        const kind = next() % 4;
        if (kind >= 2) bytes[2 * g + 1] = next() & 0xff;
        if (kind === 3) bytes[2 * g] = next() & 0xff;
      }
      if (n % 5 === 0) bytes.set([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]);
      const groups = Array.from({ length: 8 }, (_, g) => (bytes[2 * g]! << 8) | bytes[2 * g + 1]!);
      const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
      expect(ipv6FromBytes(bytes, 0)).toBe(mapped ? groups[6]! * 65536 + groups[7]! : formatIpv6Groups(groups));
    }
  });
});
