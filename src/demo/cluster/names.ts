/**
 * Names and ids the way Kubernetes makes them: pod-template-hash, random pod suffixes, UIDs. Seeded.
 * @module
 */
import type { Random } from '../random.js';

/** the alphabet Kubernetes uses for generated name suffixes (no vowels, no look-alikes) */
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function suffix(random: Random, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[random.int(0, ALPHABET.length - 1)];
  return out;
}

export function uid(random: Random): string {
  const hex = (n: number) => {
    let s = '';
    for (let i = 0; i < n; i++) s += random.int(0, 15).toString(16);
    return s;
  };
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[random.int(0, 3)]}${hex(3)}-${hex(12)}`;
}
