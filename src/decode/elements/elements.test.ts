import { describe, expect, it } from 'vitest';
import { concat, u8, u16, u32, u64 } from '../testing.js';
import { formatValue } from './format.js';
import { IANA_ELEMENTS } from './iana.js';
import { elementKey, lookupElement } from './lookup.js';

const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
const fmt = (b: Uint8Array, id: number, enterprise = 0) =>
  formatValue(b, view(b), 0, b.length, lookupElement(enterprise, id));

describe('IANA element table', () => {
  it('names the registry from 1 to 529 except the ids it leaves unnamed', () => {
    const unnamed = [65, 66, 67, 68, 69, 97, ...Array.from({ length: 23 }, (_, i) => 105 + i), 416, 419];
    const missing = Array.from({ length: 529 }, (_, i) => i + 1).filter((id) => !IANA_ELEMENTS.has(id));
    expect(missing).toEqual(unnamed);
    expect(new Set([...IANA_ELEMENTS.values()].map((e) => e.name)).size).toBe(IANA_ELEMENTS.size);
  });

  it('gives registry names and types, reverse names for PEN 29305 and CERT names for YAF', () => {
    expect(lookupElement(0, 1)).toEqual({ name: 'octetDeltaCount', type: 'u64' });
    expect(lookupElement(0, 282)).toEqual({ name: 'postNATDestinationIPv6Address', type: 'ipv6' });
    expect(lookupElement(29305, 1)).toEqual({ name: 'reverseOctetDeltaCount', type: 'u64' });
    expect(lookupElement(6871, 14)?.name).toBe('initialTCPFlags');
    expect(lookupElement(6871, 0x4000 | 15)?.name).toBe('reverseUnionTCPFlags');
    expect(elementKey(5951, 130)).toBe('5951:130');
    expect(elementKey(0, 999)).toBe('0:999');
  });
});

describe('formatValue()', () => {
  it('renders each abstract type as the DecodedFields contract says', () => {
    expect(fmt(u32(0x0a000001), 8)).toBe('10.0.0.1');
    expect(fmt(Uint8Array.from([0x20, 0x01, 0x0d, 0xb8, ...new Array(11).fill(0), 1]), 27)).toBe('2001:db8::1');
    expect(fmt(Uint8Array.from([0, 0x1b, 0x21, 0x0a, 0xbc, 0xff]), 56)).toBe('00:1b:21:0a:bc:ff');
    expect(fmt(concat(new TextEncoder().encode('eth0'), u8(0), u8(0)), 82)).toBe('eth0');
    expect(fmt(u16(300), 1)).toBe(300);
    expect(fmt(u64(2 ** 53 + 2), 1)).toBe('9007199254740994');
    expect(fmt(u32(1_600_000_000), 150)).toBe(1_600_000_000_000);
    expect(fmt(u64(1_600_000_000_123), 152)).toBe(1_600_000_000_123);
    expect(fmt(concat(u32(2_208_988_800 + 10), u32(2 ** 31)), 154)).toBe(10_500);
    expect(fmt(u8(1), 276)).toBe(true);
    expect(fmt(u8(2), 276)).toBe(false);
    expect(fmt(Uint8Array.from([0xbf, 0x80, 0, 0, 0, 0, 0, 0]), 311)).toBe(-0.0078125);
    expect(fmt(u32(0xfffffffe), 434)).toBe(-2);
    expect(fmt(Uint8Array.from([1, 2, 0xab]), 95)).toBe('0102ab');
    expect(fmt(Uint8Array.from([1, 2]), 130, 5951)).toBe('0102');
    expect(fmt(u16(1), 8)).toBe('0001');
  });
});
