/**
 * Hash tables from 5-tuples and from halves (address, port, protocol) to row ids (integers >= 0; -1 is "absent")
 * without building key strings: IPv4 keys live in an open-addressing table of uint32 words (the row id packed in
 * beside the key), IPv6 keys fall back to a Map of text keys. The orient hot path does one lookup per record, so this saves
 * a string allocation and a string hash on every record, and the tables hold no references for the GC to trace.
 * @module
 */
import type { IpAddress } from '../core/flow.js';

const WIDTH = 4;
const MIN_CAPACITY = 1024;

/** the value `get` returns for a key not in the table */
export const ABSENT = -1;
/** the largest row id a table holds (row ids share a word with an 8-bit key part) */
export const MAX_ROW = 2 ** 24 - 2;

function hash(k0: number, k1: number, k2: number, tag: number): number {
  let h = Math.imul(k0 ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 15) ^ k1, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 13) ^ k2, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 16) ^ tag, 0xc2b2ae35);
  return h ^ (h >>> 15);
}

/**
 * Open addressing, linear probing, at most half full. A slot is four uint32 words, 16 bytes (a probe reads one
 * cache line): three key words, then the 8-bit `tag` (the rest of the key) with the row id + 1 above it; a zero
 * last word marks a free slot. Deleting shifts the rest of the probe run back (no tombstones), so runs stay short
 * under the orient stage's churn and the table never rehashes just to clean up.
 */
class WordTable {
  private slots: Uint32Array;
  private mask: number;
  /** keys stored */
  size = 0;

  constructor(capacity = MIN_CAPACITY) {
    this.slots = new Uint32Array(capacity * WIDTH);
    this.mask = capacity - 1;
  }

  /** the slot holding the key, or -slot - 1 for the free slot that ends its probe run */
  private slotOf(k0: number, k1: number, k2: number, tag: number): number {
    const { slots, mask } = this;
    let i = hash(k0, k1, k2, tag) & mask;
    for (;;) {
      const o = i * WIDTH;
      const last = slots[o + 3]!;
      if (last === 0) return -i - 1;
      if (slots[o] === k0 && slots[o + 1] === k1 && slots[o + 2] === k2 && (last & 0xff) === tag) return i;
      i = (i + 1) & mask;
    }
  }

  get(k0: number, k1: number, k2: number, tag: number): number {
    const i = this.slotOf(k0, k1, k2, tag);
    return i >= 0 ? (this.slots[i * WIDTH + 3]! >>> 8) - 1 : ABSENT;
  }

  /** maps the key (`tag` below 256) to `value` (0 to MAX_ROW) */
  set(k0: number, k1: number, k2: number, tag: number, value: number): void {
    let i = this.slotOf(k0, k1, k2, tag);
    const last = (tag | ((value + 1) << 8)) >>> 0;
    if (i >= 0) {
      this.slots[i * WIDTH + 3] = last;
      return;
    }
    i = -i - 1;
    const o = i * WIDTH;
    this.slots[o] = k0;
    this.slots[o + 1] = k1;
    this.slots[o + 2] = k2;
    this.slots[o + 3] = last;
    this.size++;
    if (this.size * 2 > this.mask + 1) this.resize((this.mask + 1) * 2);
  }

  /** removes the key when it maps to `value` */
  delete(k0: number, k1: number, k2: number, tag: number, value: number): void {
    let i = this.slotOf(k0, k1, k2, tag);
    if (i < 0 || this.slots[i * WIDTH + 3]! >>> 8 !== value + 1) return;
    const { slots, mask } = this;
    // backward shift: a later entry of the run moves into the hole unless its home slot lies in (hole, entry]
    for (let j = (i + 1) & mask; slots[j * WIDTH + 3] !== 0; j = (j + 1) & mask) {
      const o = j * WIDTH;
      const home = hash(slots[o]!, slots[o + 1]!, slots[o + 2]!, slots[o + 3]! & 0xff) & mask;
      if (((j - home) & mask) < ((j - i) & mask)) continue;
      const h = i * WIDTH; // four stores: cheaper than a copyWithin call for 16 bytes
      slots[h] = slots[o]!;
      slots[h + 1] = slots[o + 1]!;
      slots[h + 2] = slots[o + 2]!;
      slots[h + 3] = slots[o + 3]!;
      i = j;
    }
    slots[i * WIDTH + 3] = 0;
    this.size--;
    if (this.size * 16 < mask + 1 && mask + 1 > MIN_CAPACITY) this.resize((mask + 1) / 2);
  }

  private resize(capacity: number): void {
    const old = this.slots;
    this.slots = new Uint32Array(capacity * WIDTH);
    this.mask = capacity - 1;
    this.size = 0;
    for (let o = 0; o < old.length; o += WIDTH) {
      const last = old[o + 3]!;
      if (last !== 0) this.set(old[o]!, old[o + 1]!, old[o + 2]!, last & 0xff, (last >>> 8) - 1);
    }
  }
}

/** row ids by direction-free 5-tuple: (p, a1:p1, a2:p2) and (p, a2:p2, a1:p1) are one key */
export class FiveTupleMap {
  private readonly v4 = new WordTable();
  private readonly text = new Map<string, number>();

  get size(): number {
    return this.v4.size + this.text.size;
  }

  /** the row id, or ABSENT */
  get(proto: number, a1: IpAddress, p1: number, a2: IpAddress, p2: number): number {
    if (typeof a1 === 'number' && typeof a2 === 'number') {
      return a1 < a2 || (a1 === a2 && p1 <= p2)
        ? this.v4.get(a1, a2, ((p1 << 16) | p2) >>> 0, proto)
        : this.v4.get(a2, a1, ((p2 << 16) | p1) >>> 0, proto);
    }
    return this.text.get(textKey(proto, a1, p1, a2, p2)) ?? ABSENT;
  }

  set(proto: number, a1: IpAddress, p1: number, a2: IpAddress, p2: number, value: number): void {
    if (typeof a1 === 'number' && typeof a2 === 'number') {
      if (a1 < a2 || (a1 === a2 && p1 <= p2)) this.v4.set(a1, a2, ((p1 << 16) | p2) >>> 0, proto, value);
      else this.v4.set(a2, a1, ((p2 << 16) | p1) >>> 0, proto, value);
    } else this.text.set(textKey(proto, a1, p1, a2, p2), value);
  }

  /** removes the key when it maps to `value` */
  delete(proto: number, a1: IpAddress, p1: number, a2: IpAddress, p2: number, value: number): void {
    if (typeof a1 === 'number' && typeof a2 === 'number') {
      if (a1 < a2 || (a1 === a2 && p1 <= p2)) this.v4.delete(a1, a2, ((p1 << 16) | p2) >>> 0, proto, value);
      else this.v4.delete(a2, a1, ((p2 << 16) | p1) >>> 0, proto, value);
      return;
    }
    const key = textKey(proto, a1, p1, a2, p2);
    if (this.text.get(key) === value) this.text.delete(key);
  }
}

function textKey(proto: number, a1: IpAddress, p1: number, a2: IpAddress, p2: number): string {
  const s1 = `${a1}|${p1}`;
  const s2 = `${a2}|${p2}`;
  return s1 <= s2 ? `${proto}|${s1}|${s2}` : `${proto}|${s2}|${s1}`;
}

/** row ids by one side of a conversation: address, port, protocol */
export class HalfMap {
  private readonly v4 = new WordTable();
  private readonly text = new Map<string, number>();

  /** the row id, or ABSENT */
  get(addr: IpAddress, port: number, proto: number): number {
    return typeof addr === 'number'
      ? this.v4.get(addr, port, 0, proto)
      : (this.text.get(`${addr}|${port}|${proto}`) ?? ABSENT);
  }

  set(addr: IpAddress, port: number, proto: number, value: number): void {
    if (typeof addr === 'number') this.v4.set(addr, port, 0, proto, value);
    else this.text.set(`${addr}|${port}|${proto}`, value);
  }

  /** removes the key when it maps to `value` */
  delete(addr: IpAddress, port: number, proto: number, value: number): void {
    if (typeof addr === 'number') {
      this.v4.delete(addr, port, 0, proto, value);
      return;
    }
    const key = `${addr}|${port}|${proto}`;
    if (this.text.get(key) === value) this.text.delete(key);
  }
}
