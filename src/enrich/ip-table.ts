/**
 * A map from IpAddress to a value, built for the per-flow lookup: IPv4 keys (uint32 numbers) live in an
 * open-addressing table over an Int32Array (Fibonacci hashing, linear probing, load factor <= 1/2, backward-shift
 * deletion); IPv6 keys (RFC 5952 text) in a Map. Not thread-safe; values must not be undefined.
 * @module
 */
import type { IpAddress } from '../core/flow.js';

const MIN_BITS = 4;

export class IpTable<V> {
  private bits = MIN_BITS;
  private keys = new Int32Array(1 << MIN_BITS);
  private values: (V | undefined)[] = new Array(1 << MIN_BITS).fill(undefined);
  private v4Count = 0;
  private readonly v6 = new Map<string, V>();

  get size(): number {
    return this.v4Count + this.v6.size;
  }

  get(ip: IpAddress): V | undefined {
    if (typeof ip === 'number') return this.getV4(ip);
    return this.v6.get(ip);
  }

  /** the hot path: one multiply, one shift, usually one probe */
  getV4(ip: number): V | undefined {
    const key = ip | 0;
    const mask = this.keys.length - 1;
    const keys = this.keys;
    const values = this.values;
    let slot = Math.imul(key, 0x9e3779b1) >>> (32 - this.bits);
    for (;;) {
      const value = values[slot];
      if (value === undefined) return undefined;
      if (keys[slot] === key) return value;
      slot = (slot + 1) & mask;
    }
  }

  set(ip: IpAddress, value: V): void {
    if (typeof ip !== 'number') {
      this.v6.set(ip, value);
      return;
    }
    const slot = this.find(ip | 0);
    if (this.values[slot] === undefined) {
      if ((this.v4Count + 1) * 2 > this.keys.length) {
        this.grow();
        this.set(ip, value);
        return;
      }
      this.v4Count++;
      this.keys[slot] = ip | 0;
    }
    this.values[slot] = value;
  }

  delete(ip: IpAddress): void {
    if (typeof ip !== 'number') {
      this.v6.delete(ip);
      return;
    }
    let hole = this.find(ip | 0);
    if (this.values[hole] === undefined) return;
    this.values[hole] = undefined;
    this.v4Count--;
    const mask = this.keys.length - 1;
    // backward-shift: move later entries of the probe run into the hole when their home slot allows it
    for (let next = (hole + 1) & mask; this.values[next] !== undefined; next = (next + 1) & mask) {
      const home = this.home(this.keys[next]!);
      const distNext = (next - home) & mask;
      const distHole = (hole - home) & mask;
      if (distHole < distNext) {
        this.keys[hole] = this.keys[next]!;
        this.values[hole] = this.values[next];
        this.values[next] = undefined;
        hole = next;
      }
    }
  }

  /** every entry, IPv4 first; do not mutate the table while iterating */
  *entries(): IterableIterator<[IpAddress, V]> {
    for (let slot = 0; slot < this.values.length; slot++) {
      const value = this.values[slot];
      if (value !== undefined) yield [this.keys[slot]! >>> 0, value];
    }
    yield* this.v6.entries();
  }

  private home(key: number): number {
    return Math.imul(key, 0x9e3779b1) >>> (32 - this.bits);
  }

  private find(key: number): number {
    const mask = this.keys.length - 1;
    let slot = this.home(key);
    while (this.values[slot] !== undefined && this.keys[slot] !== key) slot = (slot + 1) & mask;
    return slot;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    this.bits++;
    this.keys = new Int32Array(1 << this.bits);
    this.values = new Array(1 << this.bits).fill(undefined);
    this.v4Count = 0;
    for (let slot = 0; slot < oldValues.length; slot++) {
      const value = oldValues[slot];
      if (value !== undefined) this.set(oldKeys[slot]! >>> 0, value);
    }
  }
}
