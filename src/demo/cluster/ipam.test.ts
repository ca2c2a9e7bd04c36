import { describe, expect, it } from 'vitest';
import { createPodIpPool, IP_QUARANTINE_MS } from './ipam.js';

describe('createPodIpPool()', () => {
  it('gives a freed address to a new pod only after the quarantine, lowest first', () => {
    const pool = createPodIpPool('10.244.1.0/24');
    expect([pool.allocate(0), pool.allocate(0), pool.allocate(0)]).toEqual(['10.244.1.2', '10.244.1.3', '10.244.1.4']);
    pool.release('10.244.1.3', 1_000);
    pool.release('10.244.1.2', 2_000);
    expect(pool.allocate(1_000 + IP_QUARANTINE_MS - 1)).toBe('10.244.1.5');
    expect(pool.allocate(1_000 + IP_QUARANTINE_MS)).toBe('10.244.1.3');
    expect(pool.allocate(2_000 + IP_QUARANTINE_MS)).toBe('10.244.1.2');
    expect(pool.used).toBe(4);
  });

  it('hands out a quarantined address rather than none when the range is full', () => {
    const pool = createPodIpPool('10.244.1.0/29');
    const all = Array.from({ length: 5 }, () => pool.allocate(0));
    expect(all.at(-1)).toBe('10.244.1.6');
    expect(() => pool.allocate(0)).toThrow('the range is full');
    pool.release('10.244.1.4', 10);
    expect(pool.allocate(11)).toBe('10.244.1.4');
  });
});
