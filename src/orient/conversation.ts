/**
 * One conversation (a 5-tuple, both directions, every exporter, before and after DNAT) and its keys.
 * Mutable, owned by one orienter; nothing outside the orient stage sees it.
 * @module
 */
import type { OrientationEvidence } from '../core/conversation.js';
import type { Endpoint } from '../core/endpoint.js';
import type { FlowRecord, IpAddress } from '../core/flow.js';
import { EVIDENCE_BY_RANK } from './evidence.js';

/** flags of a pending record: its direction, and which of its counters survived dedup */
export const PENDING_FROM_A = 1;
export const PENDING_FWD = 2;
export const PENDING_REV = 4;

/** no side / side A / side B (A is the first record's source, or the client of a Service-addressed record) */
export type ConvSide = 0 | 1 | 2;

/**
 * Where conversations keep their times (first start and last owner end per direction, last arrival, when put in
 * its recency list): six doubles per conversation in one growing Float64Array, so a conversation carries no boxed numbers. Slots are
 * reused after `release`.
 */
export class ConversationNumbers {
  f64 = new Float64Array(STRIDE * 1024);
  private readonly free: number[] = [];
  private next = 0;

  alloc(): number {
    if (this.free.length > 0) return this.free.pop()!;
    if ((this.next + 1) * STRIDE > this.f64.length) {
      const bigger = new Float64Array(this.f64.length * 2);
      bigger.set(this.f64);
      this.f64 = bigger;
    }
    return this.next++;
  }

  release(slot: number): void {
    this.free.push(slot);
  }
}

const STRIDE = 6;
const START_A = 0;
const START_B = 1;
const END_A = 2;
const END_B = 3;
const ARRIVAL = 4;
const LISTED = 5;

// the bit layout of Conversation.bits (small ints and booleans packed into one small integer)
const SVC_SIDE = 0; // 2 bits
const MERGED = 1 << 2;
const DECIDED = 1 << 3;
const CLIENT_IS_A = 1 << 4;
const HANDSHAKE = 5; // 2 bits
const BIFLOW = 7; // 2 bits
const ICMP = 9; // 2 bits
const SYN_A = 1 << 11;
const SYN_B = 1 << 12;
const SEEN_A = 1 << 13;
const SEEN_B = 1 << 14;
const OWNER_A_PRE = 1 << 15;
const OWNER_B_PRE = 1 << 16;
const ENDED = 1 << 17;
const LIST = 18; // 2 bits
const B_REPLACED = 1 << 20;
const EVIDENCE = 21; // 3 bits: rank in EVIDENCE_BY_RANK
const OWNER_A_DIR = 24; // 2 bits
const OWNER_B_DIR = 26; // 2 bits

const DIRECTIONS: readonly FlowRecord['flowDirection'][] = [undefined, 'ingress', 'egress'];

/**
 * State of one conversation. Sides A and B are fixed at creation; the Service side of a pre-DNAT conversation is
 * replaced by the backing pod when the post-DNAT view is found (`merged`), keeping the Service in `service`.
 * Compact on purpose (tens of thousands are created per second and live for minutes): flags live in `bits`,
 * times in the table's ConversationNumbers; the accessors below read and write them.
 */
export class Conversation {
  private bits = CLIENT_IS_A | (6 << EVIDENCE);
  /** this conversation's row in `nums`; released when the table forgets it */
  private readonly slot: number;
  /** neighbours in the table's recency list (intrusive: no Set entry per conversation) */
  prev: Conversation | undefined = undefined;
  next: Conversation | undefined = undefined;
  /** other DNAT views' 5-tuples, flat: [addr, port, addr, port, ...] */
  aliases: (IpAddress | number)[] | undefined = undefined;
  aEp: Endpoint;
  bEp: Endpoint;
  /** the Service the client addressed (pre-DNAT view), its address and port */
  service: Endpoint | undefined = undefined;
  svcAddr: IpAddress = 0;
  svcPort = 0;
  /**
   * The exporter owning each direction (with ownerXDomain, ownerXDir, ownerXPre: see `isOwner`), copied from its
   * first record, so the conversation retains no FlowRecord
   */
  ownerA: string | undefined = undefined;
  ownerADomain = 0;
  ownerB: string | undefined = undefined;
  ownerBDomain = 0;
  /** records waiting for the decision, flat: [record, PENDING_* flags, record, flags, ...] (one array, no objects) */
  pending: (FlowRecord | number)[] | undefined = undefined;
  /** connections opened and not yet reported on an emitted record */
  unreported = 1;

  constructor(
    private readonly nums: ConversationNumbers,
    readonly ipProtocol: number,
    public aAddr: IpAddress,
    public aPort: number,
    aEp: Endpoint,
    public bAddr: IpAddress,
    public bPort: number,
    bEp: Endpoint,
    now: number,
  ) {
    this.aEp = aEp;
    this.bEp = bEp;
    this.slot = nums.alloc();
    const o = this.slot * STRIDE;
    const f = nums.f64;
    f[o + START_A] = Number.POSITIVE_INFINITY;
    f[o + START_B] = Number.POSITIVE_INFINITY;
    f[o + END_A] = Number.NEGATIVE_INFINITY;
    f[o + END_B] = Number.NEGATIVE_INFINITY;
    f[o + ARRIVAL] = now;
    f[o + LISTED] = now;
  }

  /** frees the numbers row; the conversation must not be used afterwards except for `decided` */
  release(): void {
    this.nums.release(this.slot);
  }

  private num(field: number): number {
    return this.nums.f64[this.slot * STRIDE + field]!;
  }
  private setNum(field: number, value: number): void {
    this.nums.f64[this.slot * STRIDE + field] = value;
  }
  private flag(mask: number): boolean {
    return (this.bits & mask) !== 0;
  }
  private setFlag(mask: number, on: boolean): void {
    this.bits = on ? this.bits | mask : this.bits & ~mask;
  }
  private field(shift: number, width: number): number {
    return (this.bits >>> shift) & ((1 << width) - 1);
  }
  private setField(shift: number, width: number, value: number): void {
    const mask = ((1 << width) - 1) << shift;
    this.bits = (this.bits & ~mask) | ((value << shift) & mask);
  }

  /** first packet per direction (flow clock) */
  get startA(): number {
    return this.num(START_A);
  }
  set startA(v: number) {
    this.setNum(START_A, v);
  }
  get startB(): number {
    return this.num(START_B);
  }
  set startB(v: number) {
    this.setNum(START_B, v);
  }
  /** latest end of the owner's records per direction (flow clock; the owner's clock, so no skew between exporters) */
  get lastEndA(): number {
    return this.num(END_A);
  }
  set lastEndA(v: number) {
    this.setNum(END_A, v);
  }
  get lastEndB(): number {
    return this.num(END_B);
  }
  set lastEndB(v: number) {
    this.setNum(END_B, v);
  }
  /** collector clock of the latest record */
  get lastArrival(): number {
    return this.num(ARRIVAL);
  }
  set lastArrival(v: number) {
    this.setNum(ARRIVAL, v);
  }

  /** collector clock when the table last put it at the young end of its recency list */
  get listedAt(): number {
    return this.num(LISTED);
  }
  set listedAt(v: number) {
    this.setNum(LISTED, v);
  }

  /** side holding a Service that a post-DNAT record may replace (unmerged) or replaced (merged) */
  get svcSide(): ConvSide {
    return this.field(SVC_SIDE, 2) as ConvSide;
  }
  set svcSide(v: ConvSide) {
    this.setField(SVC_SIDE, 2, v);
  }
  get merged(): boolean {
    return this.flag(MERGED);
  }
  set merged(v: boolean) {
    this.setFlag(MERGED, v);
  }
  get decided(): boolean {
    return this.flag(DECIDED);
  }
  set decided(v: boolean) {
    this.setFlag(DECIDED, v);
  }
  get clientIsA(): boolean {
    return this.flag(CLIENT_IS_A);
  }
  set clientIsA(v: boolean) {
    this.setFlag(CLIENT_IS_A, v);
  }
  get evidence(): OrientationEvidence {
    return EVIDENCE_BY_RANK[this.field(EVIDENCE, 3)]!;
  }
  set evidence(v: OrientationEvidence) {
    this.setField(EVIDENCE, 3, EVIDENCE_BY_RANK.indexOf(v));
  }
  /** the client side each kind of record evidence named (0: none yet) */
  get handshake(): ConvSide {
    return this.field(HANDSHAKE, 2) as ConvSide;
  }
  set handshake(v: ConvSide) {
    this.setField(HANDSHAKE, 2, v);
  }
  get biflow(): ConvSide {
    return this.field(BIFLOW, 2) as ConvSide;
  }
  set biflow(v: ConvSide) {
    this.setField(BIFLOW, 2, v);
  }
  get icmp(): ConvSide {
    return this.field(ICMP, 2) as ConvSide;
  }
  set icmp(v: ConvSide) {
    this.setField(ICMP, 2, v);
  }
  /** a record of the direction held a SYN (TCP) / the direction was seen */
  get synA(): boolean {
    return this.flag(SYN_A);
  }
  set synA(v: boolean) {
    this.setFlag(SYN_A, v);
  }
  get synB(): boolean {
    return this.flag(SYN_B);
  }
  set synB(v: boolean) {
    this.setFlag(SYN_B, v);
  }
  get seenA(): boolean {
    return this.flag(SEEN_A);
  }
  set seenA(v: boolean) {
    this.setFlag(SEEN_A, v);
  }
  get seenB(): boolean {
    return this.flag(SEEN_B);
  }
  set seenB(v: boolean) {
    this.setFlag(SEEN_B, v);
  }
  get ownerAPre(): boolean {
    return this.flag(OWNER_A_PRE);
  }
  set ownerAPre(v: boolean) {
    this.setFlag(OWNER_A_PRE, v);
  }
  get ownerBPre(): boolean {
    return this.flag(OWNER_B_PRE);
  }
  set ownerBPre(v: boolean) {
    this.setFlag(OWNER_B_PRE, v);
  }
  get ownerADir(): FlowRecord['flowDirection'] {
    return DIRECTIONS[this.field(OWNER_A_DIR, 2)];
  }
  set ownerADir(v: FlowRecord['flowDirection']) {
    this.setField(OWNER_A_DIR, 2, DIRECTIONS.indexOf(v));
  }
  get ownerBDir(): FlowRecord['flowDirection'] {
    return DIRECTIONS[this.field(OWNER_B_DIR, 2)];
  }
  set ownerBDir(v: FlowRecord['flowDirection']) {
    this.setField(OWNER_B_DIR, 2, DIRECTIONS.indexOf(v));
  }
  /** FIN or RST seen */
  get ended(): boolean {
    return this.flag(ENDED);
  }
  set ended(v: boolean) {
    this.setFlag(ENDED, v);
  }
  /** which recency list of the table holds it: 0 none, 1 live, 2 ended */
  get list(): 0 | 1 | 2 {
    return this.field(LIST, 2) as 0 | 1 | 2;
  }
  set list(v: 0 | 1 | 2) {
    this.setField(LIST, 2, v);
  }
  /**
   * The table holds the conversation under its first record's 5-tuple: A and B as created, or A and the Service
   * when a post-DNAT record replaced B
   */
  get bReplaced(): boolean {
    return this.flag(B_REPLACED);
  }
  set bReplaced(v: boolean) {
    this.setFlag(B_REPLACED, v);
  }
}

/** true when the record goes from side A to side B (works for either DNAT view: the client half is shared) */
export function isFromA(c: Conversation, srcAddr: IpAddress, srcPort: number, dstAddr: IpAddress, dstPort: number) {
  if (srcAddr === c.aAddr && srcPort === c.aPort) return true;
  if (dstAddr === c.aAddr && dstPort === c.aPort) return false;
  if (srcAddr === c.bAddr && srcPort === c.bPort) return false;
  return true;
}

/**
 * Owner identity of a direction: the exporter, its observation domain, the IE 61 direction (a router exporting
 * ingress and egress reports the same packets twice) and the DNAT view (pre: addressed to a ClusterIP).
 * True when `r` (seen in view `pre`) comes from the owner of side A's direction (`fromA`) or B's.
 */
export function isOwner(c: Conversation, fromA: boolean, r: FlowRecord, pre: boolean): boolean {
  return fromA
    ? c.ownerA === r.exporter &&
        c.ownerADomain === r.observationDomainId &&
        c.ownerADir === r.flowDirection &&
        c.ownerAPre === pre
    : c.ownerB === r.exporter &&
        c.ownerBDomain === r.observationDomainId &&
        c.ownerBDir === r.flowDirection &&
        c.ownerBPre === pre;
}

/** makes `r`'s exporter view the owner of its direction */
export function setOwner(c: Conversation, fromA: boolean, r: FlowRecord, pre: boolean): void {
  if (fromA) {
    c.ownerA = r.exporter;
    c.ownerADomain = r.observationDomainId;
    c.ownerADir = r.flowDirection;
    c.ownerAPre = pre;
  } else {
    c.ownerB = r.exporter;
    c.ownerBDomain = r.observationDomainId;
    c.ownerBDir = r.flowDirection;
    c.ownerBPre = pre;
  }
}
