/**
 * The conversation table: conversations by 5-tuple (a DNAT-merged conversation under both views' tuples), by side
 * ("half": address, port, protocol) for finding the other DNAT view, and in creation order for deadlines.
 * Bounded by `max` conversations; owned by one orienter.
 * @module
 */
import type { IpAddress } from '../core/flow.js';
import { type Conversation, ConversationNumbers } from './conversation.js';
import { FiveTupleMap, HalfMap } from './tuple-table.js';

export class ConversationTable {
  private readonly byTuple = new FiveTupleMap<Conversation>();
  private readonly byHalf = new HalfMap<Conversation>();
  /** conversations in creation order; `head` is the first whose pairing deadline may not have passed */
  private queue: (Conversation | undefined)[] = [];
  /** their pairing deadlines (collector clock), unboxed doubles */
  private deadlines: number[] = [];
  private head = 0;
  /** conversations by last record, oldest first: live ones, and those that showed FIN/RST */
  private readonly live = new RecencyList();
  private readonly ended = new RecencyList();
  /** conversations in the table */
  size = 0;
  /** the conversations' times */
  readonly numbers = new ConversationNumbers();
  /** pre-DNAT conversations still waiting for (or no longer expecting) their post-DNAT view */
  unmergedServices = 0;

  constructor(
    readonly max: number,
    private readonly indexHalves: boolean,
  ) {}

  get(proto: number, a1: IpAddress, p1: number, a2: IpAddress, p2: number): Conversation | undefined {
    return this.byTuple.get(proto, a1, p1, a2, p2);
  }

  /** the latest conversation one of whose sides is this half */
  byHalfKey(addr: IpAddress, port: number, proto: number): Conversation | undefined {
    return this.byHalf.get(addr, port, proto);
  }

  /** adds a new conversation under its key tuple; the caller checks `size < max` first */
  add(c: Conversation, deadline: number): void {
    this.byTuple.set(c.ipProtocol, c.aAddr, c.aPort, c.bAddr, c.bPort, c);
    this.live.append(c, c.lastArrival);
    c.list = 1;
    this.size++;
    this.queue.push(c);
    this.deadlines.push(deadline);
    if (c.svcSide !== 0 && !c.merged) this.unmergedServices++;
    if (this.indexHalves) {
      this.byHalf.set(c.aAddr, c.aPort, c.ipProtocol, c);
      this.byHalf.set(c.bAddr, c.bPort, c.ipProtocol, c);
    }
  }

  /** makes `c` reachable under another view's 5-tuple too */
  alias(c: Conversation, a1: IpAddress, p1: number, a2: IpAddress, p2: number): void {
    this.byTuple.set(c.ipProtocol, a1, p1, a2, p2, c);
    if (c.aliases === undefined) c.aliases = [a1, p1, a2, p2];
    else c.aliases.push(a1, p1, a2, p2);
  }

  /**
   * Call after a record updated `lastArrival` and `ended`: moves `c` to the ended list when it just ended. Recency
   * within a list is refreshed lazily by `sweep` (second chance), not on every record.
   */
  touch(c: Conversation, now: number): void {
    if (!c.ended || c.list === 2) return;
    this.live.unlink(c);
    this.ended.append(c, now);
    c.list = 2;
  }

  /** bookkeeping when a pre-DNAT conversation found its backend */
  merged(): void {
    this.unmergedServices--;
  }

  /** pops the oldest conversation whose pairing deadline passed (any, when `all`); undefined when none */
  popDue(now: number, all: boolean): Conversation | undefined {
    if (this.head >= this.queue.length) return undefined;
    const c = this.queue[this.head]!;
    if (!all && this.deadlines[this.head]! > now) return undefined;
    this.queue[this.head] = undefined; // let it be collected once forgotten
    this.head++;
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.deadlines = this.deadlines.slice(this.head);
      this.head = 0;
    }
    return c;
  }

  /**
   * Forgets decided conversations without records for `idleMs` (`endedMs` after FIN/RST), on the collector clock.
   * Each list is ordered by `listedAt`; the walk from its old end stops at the first listed after the cutoff. A
   * conversation listed before the cutoff but active since gets a second chance: it moves to the young end. So a
   * conversation costs one move per idle period, not one per record. Returns how many were forgotten.
   */
  sweep(now: number, idleMs: number, endedMs: number): number {
    return this.sweepList(this.ended, now - endedMs, now) + this.sweepList(this.live, now - idleMs, now);
  }

  private sweepList(list: RecencyList, before: number, now: number): number {
    let evicted = 0;
    for (let c = list.first; c !== undefined && c.listedAt < before; c = list.first) {
      if (c.decided && c.lastArrival < before) {
        this.remove(c);
        evicted++;
      } else {
        list.unlink(c);
        list.append(c, now);
      }
    }
    return evicted;
  }

  private remove(c: Conversation): void {
    const proto = c.ipProtocol;
    (c.list === 2 ? this.ended : this.live).unlink(c);
    c.list = 0;
    this.size--;
    const keyAddr2 = c.bReplaced ? c.svcAddr : c.bAddr;
    const keyPort2 = c.bReplaced ? c.svcPort : c.bPort;
    this.byTuple.delete(proto, c.aAddr, c.aPort, keyAddr2, keyPort2, c);
    const aliases = c.aliases;
    if (aliases !== undefined) {
      for (let i = 0; i < aliases.length; i += 4) {
        this.byTuple.delete(proto, aliases[i]!, aliases[i + 1] as number, aliases[i + 2]!, aliases[i + 3] as number, c);
      }
    }
    if (c.svcSide !== 0 && !c.merged) this.unmergedServices--;
    if (this.indexHalves) {
      this.byHalf.delete(c.aAddr, c.aPort, proto, c);
      this.byHalf.delete(keyAddr2, keyPort2, proto, c);
    }
    c.release();
  }
}

/** a doubly linked list through Conversation.prev/next */
class RecencyList {
  first: Conversation | undefined = undefined;
  last: Conversation | undefined = undefined;

  /** puts `c` at the young end, listed at `now` */
  append(c: Conversation, now: number): void {
    c.listedAt = now;
    c.prev = this.last;
    c.next = undefined;
    if (this.last) this.last.next = c;
    else this.first = c;
    this.last = c;
  }

  unlink(c: Conversation): void {
    if (c.prev) c.prev.next = c.next;
    else this.first = c.next;
    if (c.next) c.next.prev = c.prev;
    else this.last = c.prev;
    c.prev = undefined;
    c.next = undefined;
  }
}
