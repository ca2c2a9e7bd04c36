import { describe, expect, it } from 'vitest';
import { IpTable } from './ip-table.js';

/** xorshift32: deterministic pseudo-random numbers */
function rng(seed: number) {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

describe('IpTable', () => {
  it('agrees with a Map through random inserts, updates and deletes (IPv4 and IPv6)', () => {
    const table = new IpTable<number, string>();
    const reference = new Map<number | string, number>();
    const next = rng(42);
    // a small key space forces collisions, long probe runs and backward-shift deletes
    const keys: (number | string)[] = Array.from({ length: 3000 }, () => next());
    keys.push(0, 0xffffffff, 0x80000000, 'fd00::1', '2001:db8::2');
    for (let step = 0; step < 60_000; step++) {
      const key = keys[next() % keys.length]!;
      if (next() % 3 === 0) {
        table.delete(key);
        reference.delete(key);
      } else {
        table.set(key, step, `hot${step}`);
        reference.set(key, step);
      }
      if (step % 5000 === 0) expect(table.size).toBe(reference.size);
    }
    expect(table.size).toBe(reference.size);
    for (const key of keys) {
      expect(table.get(key)).toBe(reference.get(key));
      expect(table.getHot(key)).toBe(reference.has(key) ? `hot${reference.get(key)}` : undefined);
    }
    expect(new Map(table.entries())).toEqual(reference);
  });

  it('getHotV4 finds what set stored, including addresses above 2^31 and 0.0.0.0', () => {
    const table = new IpTable<string, string>();
    table.set(0xc0a80001, 'a', 'A');
    table.set(0x0a000001, 'b', undefined);
    table.set(0, 'zero', 'Z');
    expect(table.getHotV4(0xc0a80001)).toBe('A');
    expect(table.getHotV4(0x0a000001)).toBeUndefined();
    expect(table.get(0x0a000001)).toBe('b');
    expect(table.getHotV4(0)).toBe('Z');
    expect(table.getHotV4(0x0a000002)).toBeUndefined();
    expect(table.size).toBe(3);
  });
});
