import { describe, expect, it } from 'vitest';
import { createAllowList, parseCidr } from './allow-list.js';

describe('parseCidr()', () => {
  it('parses IPv4 and IPv6 prefixes and bare addresses, and rejects the rest', () => {
    expect(parseCidr('10.1.2.3/8')).toEqual({ family: 4, base: 0x0a000000, mask: 0xff000000 });
    expect(parseCidr('192.0.2.7')).toEqual({ family: 4, base: 0xc0000207, mask: 0xffffffff });
    expect(parseCidr('0.0.0.0/0')).toEqual({ family: 4, base: 0, mask: 0 });
    expect(parseCidr('2001:db8::/32')).toMatchObject({ family: 6, prefix: 32 });
    for (const bad of ['10.0.0.0/33', '2001:db8::/129', 'nope', '10.0.0.0/x', '10.0.0/8', '']) {
      expect(parseCidr(bad), bad).toBeUndefined();
    }
  });
});

describe('createAllowList()', () => {
  it('allows everything when empty', () => {
    expect(createAllowList([]).allows('203.0.113.9')).toBe(true);
  });

  it('matches IPv4, IPv4-mapped IPv6 and IPv6 exporters against their family', () => {
    const list = createAllowList(['10.0.0.0/8', '192.0.2.1', '2001:db8:abcd::/46']);
    expect(list.allows('10.200.1.1')).toBe(true);
    expect(list.allows('::ffff:10.200.1.1')).toBe(true);
    expect(list.allows('11.0.0.1')).toBe(false);
    expect(list.allows('192.0.2.1')).toBe(true);
    expect(list.allows('192.0.2.2')).toBe(false);
    expect(list.allows('2001:db8:abcf:ffff::1')).toBe(true);
    expect(list.allows('2001:db8:abd0::1')).toBe(false);
    expect(list.allows('::1')).toBe(false);
    expect(list.allows('not-an-ip')).toBe(false);
  });

  it('throws a TypeError naming a bad CIDR', () => {
    expect(() => createAllowList(['10.0.0.0/40'])).toThrow('Cannot parse CIDR "10.0.0.0/40"');
  });
});
