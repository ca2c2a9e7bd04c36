/**
 * The orient stage: decides client and server per conversation, pairs directions, deduplicates exporters, merges
 * DNAT views and counts connections. A WindowedStage: `add` files records under their conversation; records of
 * decided conversations are ready at once, others wait up to `pairingDelayMs` for their reverse direction;
 * `flush(now)` returns what is ready. Synchronous, single-threaded, no I/O; owns every Conversation it creates.
 * The OrientedFlows of a returned batch are the stage's own objects, valid until its next `add` or `flush`: read
 * them before, copy what must outlive that (the pipeline's listeners and the aggregator do; see FlowPool).
 * @module
 */
import type { EnrichedFlow, OrientationEvidence, OrientedFlow } from '../core/conversation.js';
import { EVIDENCE_BY_RANK, EVIDENCE_RANK } from '../core/evidence.js';
import { type FlowRecord, IP_PROTOCOL } from '../core/flow.js';
import type { MetadataIndex } from '../enrich/contracts.js';
import type { WindowedStage } from '../pipeline/contracts.js';
import { accumulateEvidence } from './accumulate.js';
import type { OrientConfig } from './config.js';
import {
  BIFLOW,
  CLIENT_IS_A,
  type Conv,
  type Conversations,
  DECIDED,
  ENDED,
  EVIDENCE,
  HANDSHAKE,
  isFromA,
  MERGED,
  PENDING_FROM_A,
  PENDING_FWD,
  PENDING_REV,
  SEEN_A,
  SEEN_B,
  SVC_SIDE,
} from './conversation.js';
import { type Decision, decideConversation, type Rules } from './decide.js';
import { type OpenContext, openConversation } from './dnat.js';
import { orientAlone, orientedFromConversation } from './emit.js';
import { hasEnd, hasPorts } from './evidence.js';
import { FlowPool } from './flow-pool.js';
import { claim, clearOwners, opensConnection, takeOver } from './ownership.js';
import { NO_SLOT, PendingRecords } from './pending.js';
import { createPortClassifier } from './ports.js';
import type { OrientStats } from './stats.js';
import { ConversationTable } from './table.js';
import { ABSENT } from './tuple-table.js';

export type { OrientStats } from './stats.js';

export interface Orienter extends WindowedStage<EnrichedFlow, OrientedFlow[]> {
  stats(): OrientStats;
}

export interface OrienterDeps {
  /** identity, for the post-DNAT side an exporter names (postNat* fields) and for Service backends */
  readonly index: MetadataIndex;
}

const TCP = IP_PROTOCOL.TCP;

/** records a non-final flush makes ready before it leaves further due conversations to the next call */
export const FLUSH_BUDGET = 16_384;

/** creates an orient stage; `config` as parsed by `orientConfig` */
export function createOrienter(config: OrientConfig, deps: OrienterDeps): Orienter {
  return new OrientStage(config, deps);
}

class OrientStage implements Orienter {
  readonly name = 'orient';
  private readonly rules: Rules;
  private readonly table: ConversationTable;
  /** the table's conversation rows */
  private readonly convs: Conversations;
  private readonly ctx: OpenContext;
  private out: OrientedFlow[] = [];
  /** the objects of `out`'s flows, rewritten once the batch they went out in is no longer read */
  private readonly pool = new FlowPool();
  /** records of undecided conversations */
  private readonly pending = new PendingRecords();
  private pendingCount = 0;
  private lastSweep = Number.NEGATIVE_INFINITY;
  private readonly counts = {
    in: 0,
    out: 0,
    duplicate: 0,
    untracked: 0,
    refusedConversations: 0,
    dnatMerges: 0,
    reopened: 0,
    evicted: 0,
    forcedDecisions: 0,
    takeovers: 0,
  };
  private readonly decidedBy = new Array<number>(EVIDENCE_BY_RANK.length).fill(0);

  constructor(
    private readonly config: OrientConfig,
    deps: OrienterDeps,
  ) {
    this.rules = {
      ports: createPortClassifier(config.ephemeralPortMin, config.servicePorts),
      tieMs: config.pairingTieMs,
      trustBiflow: config.trustBiflowDirection,
    };
    this.table = new ConversationTable(config.maxConversations, config.dnatMerge);
    this.convs = this.table.convs;
    this.ctx = {
      table: this.table,
      index: deps.index,
      dnatMerge: config.dnatMerge,
      pairingDelayMs: config.pairingDelayMs,
      dnatWaitMs: Math.max(config.dnatWaitMs, config.pairingDelayMs),
      makeRoom: (now) => this.makeRoom(now),
      onMerge: () => this.counts.dnatMerges++,
    };
  }

  add(batch: readonly EnrichedFlow[], now: number): void {
    if (this.out.length === 0) this.pool.reset(); // the last batch returned is no longer read
    for (let i = 0; i < batch.length; i++) {
      const ef = batch[i]!;
      const r = ef.flow;
      this.counts.in++;
      const ports = hasPorts(r.ipProtocol);
      const sp = ports ? r.srcPort : 0;
      const dp = ports ? r.dstPort : 0;
      const known = this.table.get(r.ipProtocol, r.srcAddr, sp, r.dstAddr, dp);
      const conv = known !== ABSENT ? known : openConversation(this.ctx, ef, sp, dp, now);
      if (conv === undefined) this.orientAlone(ef);
      else this.track(conv, ef, sp, dp, now, known === ABSENT);
    }
    if (this.pendingCount > this.config.maxPendingRecords) this.decideOldest();
  }

  /**
   * Decides the conversations whose pairing deadline passed and returns every record ready. Not `final`: stops
   * deciding once FLUSH_BUDGET records are ready, leaving the rest due for the next call (the pipeline calls it on
   * every batch), so a burst of deadlines (all conversations of a restart under load) never holds the event loop.
   */
  flush(now: number, final = false): OrientedFlow[] | undefined {
    if (this.out.length === 0) this.pool.reset();
    while (final || this.out.length < FLUSH_BUDGET) {
      const c = this.table.popDue(now, final);
      if (c === undefined) break;
      if (!this.convs.has(c, DECIDED)) this.decide(c);
    }
    if (now - this.lastSweep >= 1_000) this.sweep(now); // cheap: the table walks only what it evicts
    if (this.out.length === 0) return undefined;
    const ready = this.out;
    this.out = [];
    this.counts.out += ready.length;
    return ready;
  }

  stats(): OrientStats {
    const c = this.counts;
    const decided = {} as Record<OrientationEvidence, number>;
    EVIDENCE_BY_RANK.forEach((e, i) => {
      decided[e] = this.decidedBy[i]!;
    });
    return {
      in: c.in,
      out: c.out,
      dropped: { duplicate: c.duplicate },
      conversations: this.table.size,
      pendingRecords: this.pendingCount,
      untracked: c.untracked,
      refusedConversations: c.refusedConversations,
      dnatMerges: c.dnatMerges,
      reopened: c.reopened,
      evicted: c.evicted,
      forcedDecisions: c.forcedDecisions,
      takeovers: c.takeovers,
      decided,
    };
  }

  /** `joined`: the record's 5-tuple was new, so it opened `c` or joined it as another DNAT view */
  private track(c: Conv, ef: EnrichedFlow, sp: number, dp: number, now: number, joined: boolean): void {
    const s = this.convs;
    const r = ef.flow;
    const fromA = isFromA(s, c, r.srcAddr, sp, r.dstAddr, dp);
    const tcp = r.ipProtocol === TCP;
    const pre = ef.src.kind === 'service' || ef.dst.kind === 'service';
    const view = s.ownerView(r, pre);
    const idleMs = this.config.idleTimeoutMs;
    if (takeOver(s, c, fromA, r, view, idleMs)) this.counts.takeovers++;
    if (r.reverse !== undefined && takeOver(s, c, !fromA, r, view, idleMs)) this.counts.takeovers++;
    if (opensConnection(s, c, r, view, fromA, tcp, idleMs)) {
      s.unreported[c]!++;
      s.set(c, ENDED, false);
      clearOwners(s, c);
      this.counts.reopened++;
    }
    s.lastArrival[c] = now;
    if (tcp && hasEnd(r)) s.set(c, ENDED, true);
    this.table.touch(c, now);
    accumulateEvidence(s, c, r, fromA, tcp, this.rules.trustBiflow);
    const fwd = claim(s, c, fromA, r, view);
    const rev = r.reverse !== undefined && claim(s, c, !fromA, r, view);
    const decided = s.has(c, DECIDED);
    if (!fwd && !rev) {
      this.counts.duplicate++;
      // the pre-DNAT view of a conversation already reported from the pod's side: a fragment counting nothing
      // carries the Service to the edge (once per conversation: later records of this view have a known 5-tuple)
      if (joined && decided && s.has(c, MERGED)) {
        this.out.push(orientedFromConversation(this.pool, s, c, r, fromA, false, false, 0));
      }
    } else if (decided) {
      this.emit(c, r, fromA, fwd, rev);
    } else {
      const flags = (fromA ? PENDING_FROM_A : 0) | (fwd ? PENDING_FWD : 0) | (rev ? PENDING_REV : 0);
      const last = s.pendingLast[c]!;
      const slot = this.pending.append(last, r, flags);
      if (last === NO_SLOT) s.pendingFirst[c] = slot;
      s.pendingLast[c] = slot;
      this.pendingCount++;
    }
    if (!decided && this.ready(c)) this.decide(c);
  }

  /** decide before the deadline? not while a Service waits for its backend; yes on handshake, biflow or reverse */
  private ready(c: Conv): boolean {
    const s = this.convs;
    if (s.field(c, SVC_SIDE) !== 0 && !s.has(c, MERGED)) return false;
    return s.field(c, HANDSHAKE) !== 0 || s.field(c, BIFLOW) !== 0 || (s.has(c, SEEN_A) && s.has(c, SEEN_B));
  }

  private decide(c: Conv): void {
    const s = this.convs;
    const d: Decision = decideConversation(this.rules, s, c);
    const rank = EVIDENCE_RANK[d.evidence];
    s.set(c, DECIDED, true);
    s.set(c, CLIENT_IS_A, d.firstIsClient);
    s.setField(c, EVIDENCE, rank, 3);
    this.decidedBy[rank]!++;
    let slot = s.pendingFirst[c]!;
    s.pendingFirst[c] = NO_SLOT;
    s.pendingLast[c] = NO_SLOT;
    while (slot !== NO_SLOT) {
      const r = this.pending.record(slot);
      const flags = this.pending.flags(slot);
      slot = this.pending.release(slot);
      this.pendingCount--;
      const fromA = (flags & PENDING_FROM_A) !== 0;
      this.emit(c, r, fromA, (flags & PENDING_FWD) !== 0, (flags & PENDING_REV) !== 0);
    }
  }

  private emit(c: Conv, r: FlowRecord, fromA: boolean, fwd: boolean, rev: boolean): void {
    const s = this.convs;
    let connections = s.unreported[c]!;
    s.unreported[c] = 0;
    if (connections !== 0 && this.config.scaleConnections && r.samplingRate > 1) connections *= r.samplingRate;
    this.out.push(orientedFromConversation(this.pool, s, c, r, fromA, fwd, rev, connections));
  }

  /** the table refused the conversation: orient the record alone (see orientAlone) */
  private orientAlone(ef: EnrichedFlow): void {
    this.counts.untracked++;
    this.out.push(orientAlone(this.pool, this.rules, ef));
  }

  private decideOldest(): void {
    while (this.pendingCount > this.config.maxPendingRecords) {
      const c = this.table.popDue(0, true);
      if (c === undefined) return;
      if (this.convs.has(c, DECIDED)) continue;
      this.counts.forcedDecisions++;
      this.decide(c);
    }
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    this.counts.evicted += this.table.sweep(now, this.config.idleTimeoutMs, this.config.endedLingerMs);
  }

  /** a full table: sweep (at most once a second) and report whether room was made */
  private makeRoom(now: number): boolean {
    if (now - this.lastSweep >= 1_000) this.sweep(now);
    if (this.table.size < this.table.max) return true;
    this.counts.refusedConversations++;
    return false;
  }
}
