/**
 * The conversation table: conversations by 5-tuple (a DNAT-merged conversation under both views' tuples), by side
 * ("half": address, port, protocol) for finding the other DNAT view, and in creation order for deadlines.
 * Bounded by `max` conversations; owned by one orienter. Conversations are rows of `convs`.
 * @module
 */
import type { Endpoint } from '../core/endpoint.js';
import type { IpAddress } from '../core/flow.js';
import { B_REPLACED, type Conv, Conversations, DECIDED, ENDED, LIST, MERGED, SVC_SIDE } from './conversation.js';
import { DeadlineQueue } from './deadlines.js';
import { ABSENT, FiveTupleMap, HalfMap } from './tuple-table.js';

const LIVE = 1;
const ENDED_LIST = 2;

export class ConversationTable {
  /** every conversation's state */
  readonly convs = new Conversations();
  private readonly byTuple = new FiveTupleMap();
  private readonly byHalf = new HalfMap();
  /** conversations in creation order with their pairing deadlines */
  private readonly queue = new DeadlineQueue();
  /** conversations by last record, oldest first: live ones, and those that showed FIN/RST */
  private readonly live = new RecencyList(this.convs);
  private readonly ended = new RecencyList(this.convs);
  /** conversations in the table */
  size = 0;
  /** pre-DNAT conversations still waiting for (or no longer expecting) their post-DNAT view */
  unmergedServices = 0;

  constructor(
    readonly max: number,
    private readonly indexHalves: boolean,
  ) {}

  /** the conversation of a 5-tuple, or ABSENT */
  get(proto: number, a1: IpAddress, p1: number, a2: IpAddress, p2: number): Conv {
    return this.byTuple.get(proto, a1, p1, a2, p2);
  }

  /** the latest conversation one of whose sides is this half, or ABSENT */
  byHalfKey(addr: IpAddress, port: number, proto: number): Conv {
    return this.byHalf.get(addr, port, proto);
  }

  /** adds a new conversation under its key tuple; the caller checks `size < max` first */
  add(c: Conv, deadline: number): void {
    const s = this.convs;
    const proto = s.ipProtocol[c]!;
    this.byTuple.set(proto, s.aAddr[c]!, s.aPort[c]!, s.bAddr[c]!, s.bPort[c]!, c);
    this.live.append(c, s.lastArrival[c]!);
    s.setField(c, LIST, LIVE);
    this.size++;
    this.queue.push(c, s.gen[c]!, deadline);
    if (this.isUnmerged(c)) this.unmergedServices++;
    if (this.hasHalf(c, true)) this.byHalf.set(s.aAddr[c]!, s.aPort[c]!, proto, c);
    if (this.hasHalf(c, false)) this.byHalf.set(s.bAddr[c]!, s.bPort[c]!, proto, c);
  }

  /**
   * Whether side A's half (`a`) or B's is in `byHalf`: the other DNAT view is looked up by its client's half only,
   * and only a client of a Service (the other side) or of a pod (which may back one) can be that client; a
   * Service's own half never is. A merged conversation has both views, so its halves leave at the merge.
   */
  private hasHalf(c: Conv, a: boolean): boolean {
    const s = this.convs;
    if (!this.indexHalves || s.has(c, MERGED)) return false;
    const own = (a ? s.aEp[c] : s.bEp[c])!.kind;
    const other = (a ? s.bEp[c] : s.aEp[c])!.kind;
    return own !== 'service' && (other === 'pod' || other === 'service');
  }

  /** removes `c`'s halves from `byHalf` (before a merge: then, just looked up, they are still in cache) */
  private dropHalves(c: Conv): void {
    const s = this.convs;
    const proto = s.ipProtocol[c]!;
    if (this.hasHalf(c, true)) this.byHalf.delete(s.aAddr[c]!, s.aPort[c]!, proto, c);
    if (this.hasHalf(c, false)) this.byHalf.delete(s.bAddr[c]!, s.bPort[c]!, proto, c);
  }

  /**
   * Replaces side B of pre-DNAT conversation `c` (the Service, kept in svcAddr/svcPort/service) with its backend,
   * found in the post-DNAT view: `c` stays under its key tuple (A, Service) and is now reachable under (A, B) too.
   */
  replaceServiceSide(c: Conv, addr: IpAddress, port: number, ep: Endpoint): void {
    const s = this.convs;
    this.dropHalves(c);
    s.bAddr[c] = addr;
    s.bPort[c] = port;
    s.bEp[c] = ep;
    s.set(c, B_REPLACED | MERGED, true);
    this.byTuple.set(s.ipProtocol[c]!, s.aAddr[c]!, s.aPort[c]!, addr, port, c);
    this.unmergedServices--;
  }

  /** marks `c` merged: a post-DNAT conversation that its pre-DNAT view (a Service) joined */
  markMerged(c: Conv): void {
    this.dropHalves(c);
    this.convs.set(c, MERGED, true);
  }

  /** makes `c` reachable under another view's 5-tuple too */
  alias(c: Conv, a1: IpAddress, p1: number, a2: IpAddress, p2: number): void {
    const s = this.convs;
    this.byTuple.set(s.ipProtocol[c]!, a1, p1, a2, p2, c);
    const aliases = s.aliases[c];
    if (aliases === undefined) s.aliases[c] = [a1, p1, a2, p2];
    else aliases.push(a1, p1, a2, p2);
  }

  /**
   * Call after a record updated `lastArrival` and ENDED: moves `c` to the ended list when it just ended. Recency
   * within a list is refreshed lazily by `sweep` (second chance), not on every record.
   */
  touch(c: Conv, now: number): void {
    const s = this.convs;
    if (!s.has(c, ENDED) || s.field(c, LIST) === ENDED_LIST) return;
    this.live.unlink(c);
    this.ended.append(c, now);
    s.setField(c, LIST, ENDED_LIST);
  }

  /**
   * Pops the oldest conversation whose pairing deadline passed (any, when `all`); undefined when none. Entries of
   * conversations forgotten since (always decided) are skipped.
   */
  popDue(now: number, all: boolean): Conv | undefined {
    const q = this.queue;
    const s = this.convs;
    for (;;) {
      if (q.empty() || (!all && q.headDeadline() > now)) return undefined;
      const gen = q.headGen();
      const c = q.pop();
      if (s.gen[c] === gen) return c;
    }
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
    const s = this.convs;
    let evicted = 0;
    for (let c = list.first; c !== ABSENT && s.listedAt[c]! < before; c = list.first) {
      if (s.has(c, DECIDED) && s.lastArrival[c]! < before) {
        this.remove(c);
        evicted++;
      } else {
        list.unlink(c);
        list.append(c, now);
      }
    }
    return evicted;
  }

  private isUnmerged(c: Conv): boolean {
    return this.convs.field(c, SVC_SIDE) !== 0 && !this.convs.has(c, MERGED);
  }

  private remove(c: Conv): void {
    const s = this.convs;
    const proto = s.ipProtocol[c]!;
    (s.field(c, LIST) === ENDED_LIST ? this.ended : this.live).unlink(c);
    s.setField(c, LIST, 0);
    this.size--;
    const replaced = s.has(c, B_REPLACED);
    const aAddr = s.aAddr[c]!;
    const aPort = s.aPort[c]!;
    const keyAddr2 = (replaced ? s.svcAddr[c] : s.bAddr[c])!;
    const keyPort2 = (replaced ? s.svcPort[c] : s.bPort[c])!;
    this.byTuple.delete(proto, aAddr, aPort, keyAddr2, keyPort2, c);
    if (replaced) this.byTuple.delete(proto, aAddr, aPort, s.bAddr[c]!, s.bPort[c]!, c);
    const aliases = s.aliases[c];
    if (aliases !== undefined) {
      for (let i = 0; i < aliases.length; i += 4) {
        this.byTuple.delete(proto, aliases[i]!, aliases[i + 1] as number, aliases[i + 2]!, aliases[i + 3] as number, c);
      }
    }
    if (this.isUnmerged(c)) this.unmergedServices--;
    this.dropHalves(c);
    s.release(c);
  }
}

/** a doubly linked list of rows through the `prev`/`next` columns (ABSENT ends it) */
class RecencyList {
  first: Conv = ABSENT;
  last: Conv = ABSENT;

  constructor(private readonly convs: Conversations) {}

  /** puts `c` at the young end, listed at `now` */
  append(c: Conv, now: number): void {
    const s = this.convs;
    s.listedAt[c] = now;
    s.prev[c] = this.last;
    s.next[c] = ABSENT;
    if (this.last !== ABSENT) s.next[this.last] = c;
    else this.first = c;
    this.last = c;
  }

  unlink(c: Conv): void {
    const s = this.convs;
    const prev = s.prev[c]!;
    const next = s.next[c]!;
    if (prev !== ABSENT) s.next[prev] = next;
    else this.first = next;
    if (next !== ABSENT) s.prev[next] = prev;
    else this.last = prev;
    s.prev[c] = ABSENT;
    s.next[c] = ABSENT;
  }
}
