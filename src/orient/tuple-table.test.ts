import { describe, expect, it } from 'vitest';
import { parseIp } from '../core/ip.js';
import { ABSENT, FiveTupleMap, HalfMap, MAX_ROW } from './tuple-table.js';

/** a deterministic generator */
function lcg(seed: number) {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0;
    return s >>> 8; // the low bits of an LCG have short periods
  };
}

describe('FiveTupleMap', () => {
  it('finds a 5-tuple from either direction, IPv4 and IPv6', () => {
    const m = new FiveTupleMap();
    const a = parseIp('10.0.0.1')!;
    const b = parseIp('250.0.0.2')!; // above 2^31: stays exact as uint32
    m.set(6, a, 40000, b, 443, 4);
    m.set(6, 'fd00::1', 40000, 'fd00::2', 443, 6);
    expect(m.get(6, b, 443, a, 40000)).toBe(4);
    expect(m.get(6, a, 40000, b, 443)).toBe(4);
    expect(m.get(17, a, 40000, b, 443)).toBe(ABSENT);
    expect(m.get(6, a, 443, b, 40000)).toBe(ABSENT);
    expect(m.get(6, 'fd00::2', 443, 'fd00::1', 40000)).toBe(6);
    m.delete(6, b, 443, a, 40000, 0); // only when it maps to the given value
    expect(m.size).toBe(2);
    m.delete(6, b, 443, a, 40000, 4);
    m.delete(6, 'fd00::1', 40000, 'fd00::2', 443, 6);
    expect(m.size).toBe(0);
    expect(m.get(6, a, 40000, b, 443)).toBe(ABSENT);
  });

  it('holds row ids from 0 to MAX_ROW and protocols up to 255 beside the key', () => {
    const m = new FiveTupleMap();
    const a = parseIp('10.0.0.1')!;
    const b = parseIp('255.255.255.255')!;
    m.set(255, a, 65535, b, 65535, MAX_ROW);
    m.set(0, a, 65535, b, 65535, 0);
    expect(m.get(255, b, 65535, a, 65535)).toBe(MAX_ROW);
    expect(m.get(0, a, 65535, b, 65535)).toBe(0);
    m.delete(255, a, 65535, b, 65535, MAX_ROW);
    expect(m.get(255, a, 65535, b, 65535)).toBe(ABSENT);
    expect(m.get(0, a, 65535, b, 65535)).toBe(0);
  });

  it('agrees with a Map through 200k random inserts, deletes and lookups (probing, backward-shift deletes, resizing)', () => {
    const m = new FiveTupleMap();
    const ref = new Map<string, number>();
    const next = lcg(7);
    const keys: [number, number, number, number, number][] = [];
    let mismatches = 0;
    for (let op = 0; op < 200_000; op++) {
      const r = next() % 10;
      if (r < 5 || keys.length === 0) {
        // a small address space forces collisions between distinct tuples
        const k: [number, number, number, number, number] = [
          next() % 3 === 0 ? 17 : 6,
          0x0a000000 + (next() % 64),
          next() % 1024,
          0xfa000000 + (next() % 64),
          next() % 4,
        ];
        keys.push(k);
        m.set(...k, op);
        ref.set(k.join(), op);
      } else if (r < 8) {
        const k = keys[next() % keys.length]!;
        const v = ref.get(k.join());
        if (v !== undefined) {
          m.delete(k[0], k[3], k[4], k[1], k[2], v); // reversed direction: same key
          ref.delete(k.join());
        }
      } else {
        const k = keys[next() % keys.length]!;
        if (m.get(k[0], k[3], k[4], k[1], k[2]) !== (ref.get(k.join()) ?? ABSENT)) mismatches++;
      }
    }
    for (const k of keys) if (m.get(...k) !== (ref.get(k.join()) ?? ABSENT)) mismatches++;
    expect(mismatches).toBe(0);
    expect(m.size).toBe(ref.size);
    expect(ref.size).toBeGreaterThan(20_000); // live keys at the end: inserts outnumber deletes
  });
});

describe('HalfMap', () => {
  it('keys by address, port and protocol', () => {
    const h = new HalfMap();
    h.set(parseIp('10.0.0.1')!, 53, 17, 1);
    h.set(parseIp('10.0.0.1')!, 53, 6, 2);
    h.set('fd00::1', 53, 17, 3);
    expect(h.get(parseIp('10.0.0.1')!, 53, 17)).toBe(1);
    expect(h.get(parseIp('10.0.0.1')!, 53, 6)).toBe(2);
    expect(h.get('fd00::1', 53, 17)).toBe(3);
    h.delete(parseIp('10.0.0.1')!, 53, 17, 1);
    h.delete('fd00::1', 53, 17, 3);
    expect(h.get(parseIp('10.0.0.1')!, 53, 17)).toBe(ABSENT);
    expect(h.get('fd00::1', 53, 17)).toBe(ABSENT);
  });
});
