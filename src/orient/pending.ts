/**
 * Records waiting for their conversation's decision, as slots of one shared pool: a conversation's waiting
 * records are a singly linked list of slots (the conversation keeps its first and last slot), so waiting
 * allocates no array per conversation. Slots are reused through a free list.
 * @module
 */
import type { FlowRecord } from '../core/flow.js';

/** the end of a list, or no slot */
export const NO_SLOT = -1;

export class PendingRecords {
  private records: (FlowRecord | undefined)[] = [];
  /** PENDING_* flags of each slot's record */
  private flagsOf = new Uint8Array(1024);
  private nextOf = new Int32Array(1024);
  /** first free slot, linked through `nextOf` */
  private free = NO_SLOT;

  /** a slot holding `r` and its `flags`, linked after `last` (NO_SLOT: starts a list) */
  append(last: number, r: FlowRecord, flags: number): number {
    let slot = this.free;
    if (slot !== NO_SLOT) {
      this.free = this.nextOf[slot]!;
      this.records[slot] = r;
    } else {
      slot = this.records.length;
      if (slot === this.nextOf.length) this.grow();
      this.records.push(r);
    }
    this.flagsOf[slot] = flags;
    this.nextOf[slot] = NO_SLOT;
    if (last !== NO_SLOT) this.nextOf[last] = slot;
    return slot;
  }

  record(slot: number): FlowRecord {
    return this.records[slot]!;
  }

  flags(slot: number): number {
    return this.flagsOf[slot]!;
  }

  /** frees `slot` (dropping its record) and returns the slot after it in its list */
  release(slot: number): number {
    const next = this.nextOf[slot]!;
    this.records[slot] = undefined;
    this.nextOf[slot] = this.free;
    this.free = slot;
    return next;
  }

  private grow(): void {
    const flags = new Uint8Array(this.flagsOf.length * 2);
    flags.set(this.flagsOf);
    this.flagsOf = flags;
    const next = new Int32Array(this.nextOf.length * 2);
    next.set(this.nextOf);
    this.nextOf = next;
  }
}
