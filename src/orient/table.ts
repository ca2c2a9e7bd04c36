/**
 * The conversation table: conversations by 5-tuple key (a DNAT-merged conversation under both views' keys), by
 * side ("half": address, port, protocol) for finding the other DNAT view, and in creation order for deadlines.
 * Bounded by `max` conversations; owned by one orienter.
 * @module
 */
import { type Conversation, halfKey } from './conversation.js';

export class ConversationTable {
  private readonly byKey = new Map<string | number, Conversation>();
  private readonly byHalf = new Map<string | number, Conversation>();
  /** conversations in creation order; `head` is the first whose pairing deadline may not have passed */
  private queue: Conversation[] = [];
  private head = 0;
  /** conversations in the table */
  size = 0;
  /** pre-DNAT conversations still waiting for (or no longer expecting) their post-DNAT view */
  unmergedServices = 0;

  constructor(
    readonly max: number,
    private readonly indexHalves: boolean,
  ) {}

  get(key: string | number): Conversation | undefined {
    return this.byKey.get(key);
  }

  /** the latest conversation one of whose sides is this half */
  byHalfKey(addr: Conversation['aAddr'], port: number, ipProtocol: number): Conversation | undefined {
    return this.byHalf.get(halfKey(addr, port, ipProtocol));
  }

  /** adds a new conversation under `key`; the caller checks `size < max` first */
  add(c: Conversation, key: string | number): void {
    c.keys.push(key);
    this.byKey.set(key, c);
    this.size++;
    this.queue.push(c);
    if (c.svcSide !== 0 && !c.merged) this.unmergedServices++;
    if (this.indexHalves) {
      this.byHalf.set(halfKey(c.aAddr, c.aPort, c.ipProtocol), c);
      this.byHalf.set(halfKey(c.bAddr, c.bPort, c.ipProtocol), c);
    }
  }

  /** makes `c` reachable under another view's key too */
  alias(c: Conversation, key: string | number): void {
    c.keys.push(key);
    this.byKey.set(key, c);
  }

  /** bookkeeping when a pre-DNAT conversation found its backend */
  merged(): void {
    this.unmergedServices--;
  }

  /** pops conversations whose pairing deadline passed (all of them when `all`), oldest first */
  *due(now: number, all: boolean): Generator<Conversation> {
    while (this.head < this.queue.length) {
      const c = this.queue[this.head]!;
      if (!all && c.deadline > now) break;
      this.head++;
      yield c;
    }
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  /** the oldest conversation still queued for its deadline, popped */
  popOldest(): Conversation | undefined {
    return this.head < this.queue.length ? this.queue[this.head++] : undefined;
  }

  /**
   * Forgets decided conversations without records for `idleMs` (`endedMs` after FIN/RST), on the collector clock.
   * Returns how many were forgotten.
   */
  sweep(now: number, idleMs: number, endedMs: number): number {
    let evicted = 0;
    for (const [key, c] of this.byKey) {
      if (c.keys[0] !== key || !c.decided) continue;
      if (now - c.lastArrival <= (c.ended ? endedMs : idleMs)) continue;
      this.remove(c);
      evicted++;
    }
    return evicted;
  }

  private remove(c: Conversation): void {
    for (const key of c.keys) if (this.byKey.get(key) === c) this.byKey.delete(key);
    this.size--;
    if (c.svcSide !== 0 && !c.merged) this.unmergedServices--;
    if (this.indexHalves) {
      const ha = halfKey(c.aAddr, c.aPort, c.ipProtocol);
      if (this.byHalf.get(ha) === c) this.byHalf.delete(ha);
      const hb = halfKey(c.bAddr, c.bPort, c.ipProtocol);
      if (this.byHalf.get(hb) === c) this.byHalf.delete(hb);
      if (c.service !== undefined) {
        const hs = halfKey(c.svcAddr, c.svcPort, c.ipProtocol);
        if (this.byHalf.get(hs) === c) this.byHalf.delete(hs);
      }
    }
  }
}
