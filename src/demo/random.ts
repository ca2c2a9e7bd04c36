/**
 * A small seeded pseudo-random generator (sfc32) so every simulation is reproducible from its seed.
 * Not for cryptography. Each `fork(label)` gives an independent stream, so adding draws in one part of the
 * simulation does not shift the numbers another part sees.
 * @module
 */

export interface Random {
  /** uniform in [0, 1) */
  next(): number;
  /** integer uniform in [min, max] (both inclusive) */
  int(min: number, max: number): number;
  /** true with probability p */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** exponentially distributed with the given mean (inter-arrival times) */
  exponential(mean: number): number;
  /** log-normally distributed around `median` with the given spread (sigma of the log) */
  logNormal(median: number, sigma: number): number;
  /** an independent generator derived from this one's seed and `label` */
  fork(label: string): Random;
}

function hashString(text: string, seed: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x85ebca6b);
    h = (h ^ (h >>> 13)) >>> 0;
  }
  return Math.imul(h ^ (h >>> 16), 0xc2b2ae35) >>> 0;
}

/** a generator seeded by `seed` (any 32-bit integer) */
export function createRandom(seed: number): Random {
  let a = hashString('a', seed);
  let b = hashString('b', seed);
  let c = hashString('c', seed);
  let d = 1;
  const next = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  const random: Random = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new RangeError('Cannot pick from "[]": the list is empty');
      return items[Math.floor(next() * items.length)]!;
    },
    exponential: (mean) => -mean * Math.log(1 - next()),
    logNormal: (median, sigma) => {
      const u = Math.max(next(), 1e-12);
      const v = next();
      const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
      return median * Math.exp(sigma * z);
    },
    fork: (label) => createRandom(hashString(label, seed)),
  };
  return random;
}
