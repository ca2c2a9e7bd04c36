/**
 * A map from IpAddress to a record plus a "hot" answer, built for the per-flow lookup: IPv4 keys (uint32
 * numbers) live in an open-addressing table over an Int32Array (Fibonacci hashing, linear probing, load factor
 * <= 1/2, backward-shift deletion) with the hot answers in a parallel array, so a hit reads one Int32Array
 * slot and one array slot; IPv6 keys (RFC 5952 text) live in Maps. 0.0.0.0 marks empty IPv4 slots and is kept
 * aside. Not thread-safe; records must not be undefined.
 * @module
 */
import type { IpAddress } from '../core/flow.js';

const MIN_BITS = 4;

export class IpTable<V, H> {
  private bits = MIN_BITS;
  private keys = new Int32Array(1 << MIN_BITS);
  private values: (V | undefined)[] = new Array(1 << MIN_BITS).fill(undefined);
  private hot: (H | undefined)[] = new Array(1 << MIN_BITS).fill(undefined);
  private v4Count = 0;
  private readonly other = new Map<IpAddress, { value: V; hot: H | undefined }>();

  get size(): number {
    return this.v4Count + this.other.size;
  }

  /** the hot answer for an IPv4 address; undefined when absent or when the record has none */
  getHotV4(ip: number): H | undefined {
    const key = ip | 0;
    const mask = this.keys.length - 1;
    const keys = this.keys;
    let slot = Math.imul(key, 0x9e3779b1) >>> (32 - this.bits);
    for (;;) {
      const k = keys[slot]!;
      if (k === key) return key === 0 ? this.other.get(0)?.hot : this.hot[slot];
      if (k === 0) return undefined;
      slot = (slot + 1) & mask;
    }
  }

  getHot(ip: IpAddress): H | undefined {
    return typeof ip === 'number' ? this.getHotV4(ip) : this.other.get(ip)?.hot;
  }

  get(ip: IpAddress): V | undefined {
    if (typeof ip !== 'number' || ip === 0) return this.other.get(ip)?.value;
    const slot = this.find(ip | 0);
    return this.keys[slot] === 0 ? undefined : this.values[slot];
  }

  set(ip: IpAddress, value: V, hot: H | undefined): void {
    if (typeof ip !== 'number' || ip === 0) {
      this.other.set(ip, { value, hot });
      return;
    }
    const key = ip | 0;
    let slot = this.find(key);
    if (this.keys[slot] === 0) {
      if ((this.v4Count + 1) * 2 > this.keys.length) {
        this.grow();
        slot = this.find(key);
      }
      this.v4Count++;
      this.keys[slot] = key;
    }
    this.values[slot] = value;
    this.hot[slot] = hot;
  }

  delete(ip: IpAddress): void {
    if (typeof ip !== 'number' || ip === 0) {
      this.other.delete(ip);
      return;
    }
    let hole = this.find(ip | 0);
    if (this.keys[hole] === 0) return;
    this.clear(hole);
    this.v4Count--;
    const mask = this.keys.length - 1;
    // backward-shift: move later entries of the probe run into the hole when their home slot allows it
    for (let next = (hole + 1) & mask; this.keys[next] !== 0; next = (next + 1) & mask) {
      const home = this.home(this.keys[next]!);
      if (((hole - home) & mask) < ((next - home) & mask)) {
        this.keys[hole] = this.keys[next]!;
        this.values[hole] = this.values[next];
        this.hot[hole] = this.hot[next];
        this.clear(next);
        hole = next;
      }
    }
  }

  /** every entry, IPv4 first; do not mutate the table while iterating */
  *entries(): IterableIterator<[IpAddress, V]> {
    for (let slot = 0; slot < this.keys.length; slot++) {
      if (this.keys[slot] !== 0) yield [this.keys[slot]! >>> 0, this.values[slot]!];
    }
    for (const [ip, { value }] of this.other) yield [ip, value];
  }

  private clear(slot: number): void {
    this.keys[slot] = 0;
    this.values[slot] = undefined;
    this.hot[slot] = undefined;
  }

  private home(key: number): number {
    return Math.imul(key, 0x9e3779b1) >>> (32 - this.bits);
  }

  private find(key: number): number {
    const mask = this.keys.length - 1;
    let slot = this.home(key);
    while (this.keys[slot] !== 0 && this.keys[slot] !== key) slot = (slot + 1) & mask;
    return slot;
  }

  private grow(): void {
    const { keys, values, hot } = this;
    this.bits++;
    this.keys = new Int32Array(1 << this.bits);
    this.values = new Array(1 << this.bits).fill(undefined);
    this.hot = new Array(1 << this.bits).fill(undefined);
    this.v4Count = 0;
    for (let slot = 0; slot < keys.length; slot++) {
      if (keys[slot] !== 0) this.set(keys[slot]! >>> 0, values[slot]!, hot[slot]);
    }
  }
}
