/**
 * Conversations (a 5-tuple, both directions, every exporter, before and after DNAT) as rows of typed arrays: a
 * conversation is an integer row id, its numbers live in Float64Array/Int32Array columns and its few references
 * (addresses, endpoints, pending records, aliases) in plain arrays indexed by row. Tens of thousands are created per
 * second and live for minutes; as rows they cost the garbage collector nothing (no object to promote, no pointer
 * from old to young space). Rows are reused through a free list. Owned by one orienter's table.
 * @module
 */
import type { Endpoint } from '../core/endpoint.js';
import { UNKNOWN_ENDPOINT } from '../core/endpoint.js';
import type { FlowRecord, IpAddress } from '../core/flow.js';

/** a conversation: its row in `Conversations` */
export type Conv = number;

/** flags of a pending record: its direction, and which of its counters survived dedup */
export const PENDING_FROM_A = 1;
export const PENDING_FWD = 2;
export const PENDING_REV = 4;

/** no side / side A / side B (A is the first record's source, or the client of a Service-addressed record) */
export type ConvSide = 0 | 1 | 2;

// the bit layout of the `bits` column (small ints and booleans packed into one int32): one-bit flags
export const MERGED = 1 << 2;
export const DECIDED = 1 << 3;
export const CLIENT_IS_A = 1 << 4;
export const SYN_A = 1 << 11;
export const SYN_B = 1 << 12;
export const SEEN_A = 1 << 13;
export const SEEN_B = 1 << 14;
export const ENDED = 1 << 17;
/** the table holds the conversation under A and the Service (a post-DNAT record replaced B), not A and B */
export const B_REPLACED = 1 << 20;
// ... and fields, by shift (two bits each unless said)
/** side holding a Service that a post-DNAT record may replace (unmerged) or replaced (merged) */
export const SVC_SIDE = 0;
/** the client side each kind of record evidence named (0: none yet) */
export const HANDSHAKE = 5;
export const BIFLOW = 7;
export const ICMP = 9;
/** which recency list of the table holds it: 0 none, 1 live, 2 ended */
export const LIST = 18;
/** three bits: rank in EVIDENCE_BY_RANK of what decided it */
export const EVIDENCE = 21;

const INITIAL_BITS = CLIENT_IS_A | (6 << EVIDENCE);
/** ownerA/ownerB of a direction nobody owns yet */
export const NO_OWNER = -1;

/**
 * Every conversation's state, one row each. Sides A and B are fixed at creation; the Service side of a pre-DNAT
 * conversation is replaced by the backing pod when the post-DNAT view is found (MERGED), keeping the Service in
 * `service`. Columns are replaced (doubled) when rows run out, so read them through the store, never keep one.
 */
export class Conversations {
  private capacity = 1024;
  private used = 0;
  private readonly free: number[] = [];
  private readonly exporterIds = new Map<string, number>();
  private lastExporter: string | undefined = undefined;
  private lastExporterId = 0;
  private otherExporter: string | undefined = undefined;
  private otherExporterId = 0;

  /** flags and small fields, see the bit layout above */
  bits = new Int32Array(this.capacity);
  /** bumped each time the row is released, so queued references to a forgotten conversation can be told apart */
  gen = new Int32Array(this.capacity);
  ipProtocol = new Int32Array(this.capacity);
  aPort = new Int32Array(this.capacity);
  bPort = new Int32Array(this.capacity);
  /** the port of the Service the client addressed (pre-DNAT view) */
  svcPort = new Int32Array(this.capacity);
  /** connections opened and not yet reported on an emitted record */
  unreported = new Int32Array(this.capacity);
  /**
   * The exporter view owning each direction (an `ownerView`, NO_OWNER for none; with ownerXDomain: see `isOwner`),
   * copied from its first record, so the conversation retains no FlowRecord
   */
  ownerA = new Int32Array(this.capacity);
  ownerB = new Int32Array(this.capacity);
  ownerADomain = new Float64Array(this.capacity);
  ownerBDomain = new Float64Array(this.capacity);
  /** first and last slot of the records waiting for the decision, in the orienter's PendingRecords (-1: none) */
  pendingFirst = new Int32Array(this.capacity);
  pendingLast = new Int32Array(this.capacity);
  /** neighbours in the table's recency list (-1: none) */
  prev = new Int32Array(this.capacity);
  next = new Int32Array(this.capacity);
  /** first packet per direction (flow clock) */
  startA = new Float64Array(this.capacity);
  startB = new Float64Array(this.capacity);
  /** latest end of the owner's records per direction (flow clock; the owner's clock, so no skew between exporters) */
  lastEndA = new Float64Array(this.capacity);
  lastEndB = new Float64Array(this.capacity);
  /** collector clock of the latest record */
  lastArrival = new Float64Array(this.capacity);
  /** collector clock when the table last put it at the young end of its recency list */
  listedAt = new Float64Array(this.capacity);
  aAddr: IpAddress[] = filled(this.capacity, 0);
  bAddr: IpAddress[] = filled(this.capacity, 0);
  /** the Service the client addressed (pre-DNAT view), its address (port in `svcPort`) */
  svcAddr: IpAddress[] = filled(this.capacity, 0);
  aEp: Endpoint[] = filled(this.capacity, UNKNOWN_ENDPOINT);
  bEp: Endpoint[] = filled(this.capacity, UNKNOWN_ENDPOINT);
  service: (Endpoint | undefined)[] = filled(this.capacity, undefined);
  /** other DNAT views' 5-tuples, flat: [addr, port, addr, port, ...] */
  aliases: ((IpAddress | number)[] | undefined)[] = filled(this.capacity, undefined);

  /** a new conversation from A to B, first seen at `now`, undecided, A as the default client */
  open(
    ipProtocol: number,
    aAddr: IpAddress,
    aPort: number,
    aEp: Endpoint,
    bAddr: IpAddress,
    bPort: number,
    bEp: Endpoint,
    now: number,
  ): Conv {
    const c = this.free.length > 0 ? this.free.pop()! : this.fresh();
    this.bits[c] = INITIAL_BITS;
    this.ipProtocol[c] = ipProtocol;
    this.aAddr[c] = aAddr;
    this.aPort[c] = aPort;
    this.aEp[c] = aEp;
    this.bAddr[c] = bAddr;
    this.bPort[c] = bPort;
    this.bEp[c] = bEp;
    this.svcAddr[c] = 0;
    this.svcPort[c] = 0;
    this.unreported[c] = 1;
    this.ownerA[c] = NO_OWNER;
    this.ownerB[c] = NO_OWNER;
    this.prev[c] = -1;
    this.next[c] = -1;
    this.pendingFirst[c] = -1;
    this.pendingLast[c] = -1;
    this.startA[c] = Number.POSITIVE_INFINITY;
    this.startB[c] = Number.POSITIVE_INFINITY;
    this.lastEndA[c] = Number.NEGATIVE_INFINITY;
    this.lastEndB[c] = Number.NEGATIVE_INFINITY;
    this.lastArrival[c] = now;
    this.listedAt[c] = now;
    return c;
  }

  /** frees the row (and its references; it has no pending records: it was decided); `c` must not be used afterwards */
  release(c: Conv): void {
    this.gen[c]!++;
    this.aEp[c] = UNKNOWN_ENDPOINT;
    this.bEp[c] = UNKNOWN_ENDPOINT;
    this.aAddr[c] = 0;
    this.bAddr[c] = 0;
    this.service[c] = undefined;
    this.aliases[c] = undefined;
    this.free.push(c);
  }

  has(c: Conv, flag: number): boolean {
    return (this.bits[c]! & flag) !== 0;
  }
  set(c: Conv, flag: number, on: boolean): void {
    this.bits[c] = on ? this.bits[c]! | flag : this.bits[c]! & ~flag;
  }
  /** a two-bit field (three for EVIDENCE: pass width 3) */
  field(c: Conv, shift: number, width = 2): number {
    return (this.bits[c]! >>> shift) & ((1 << width) - 1);
  }
  setField(c: Conv, shift: number, value: number, width = 2): void {
    const mask = ((1 << width) - 1) << shift;
    this.bits[c] = (this.bits[c]! & ~mask) | ((value << shift) & mask);
  }

  /**
   * The exporter view of record `r` (seen in DNAT view `pre`: addressed to a ClusterIP) as one small integer: its
   * exporter (interned for the store's life; exporters are few), IE 61 direction and DNAT view
   */
  ownerView(r: FlowRecord, pre: boolean): number {
    const dir = r.flowDirection;
    return this.exporterId(r.exporter) * 8 + (dir === undefined ? 0 : dir === 'ingress' ? 2 : 4) + (pre ? 1 : 0);
  }

  /** the exporter's id; the last two asked are answered without a lookup (records of two nodes interleave) */
  private exporterId(exporter: string): number {
    if (exporter === this.lastExporter) return this.lastExporterId;
    let id = exporter === this.otherExporter ? this.otherExporterId : this.exporterIds.get(exporter);
    if (id === undefined) {
      id = this.exporterIds.size;
      this.exporterIds.set(exporter, id);
    }
    this.otherExporter = this.lastExporter;
    this.otherExporterId = this.lastExporterId;
    this.lastExporter = exporter;
    this.lastExporterId = id;
    return id;
  }

  private fresh(): Conv {
    if (this.used === this.capacity) this.grow();
    return this.used++;
  }

  private grow(): void {
    const n = this.capacity * 2;
    this.capacity = n;
    this.bits = i32(this.bits, n);
    this.gen = i32(this.gen, n);
    this.ipProtocol = i32(this.ipProtocol, n);
    this.aPort = i32(this.aPort, n);
    this.bPort = i32(this.bPort, n);
    this.svcPort = i32(this.svcPort, n);
    this.unreported = i32(this.unreported, n);
    this.ownerA = i32(this.ownerA, n);
    this.ownerB = i32(this.ownerB, n);
    this.ownerADomain = f64(this.ownerADomain, n);
    this.ownerBDomain = f64(this.ownerBDomain, n);
    this.pendingFirst = i32(this.pendingFirst, n);
    this.pendingLast = i32(this.pendingLast, n);
    this.prev = i32(this.prev, n);
    this.next = i32(this.next, n);
    this.startA = f64(this.startA, n);
    this.startB = f64(this.startB, n);
    this.lastEndA = f64(this.lastEndA, n);
    this.lastEndB = f64(this.lastEndB, n);
    this.lastArrival = f64(this.lastArrival, n);
    this.listedAt = f64(this.listedAt, n);
    extend(this.aAddr, n, 0);
    extend(this.bAddr, n, 0);
    extend(this.svcAddr, n, 0);
    extend(this.aEp, n, UNKNOWN_ENDPOINT);
    extend(this.bEp, n, UNKNOWN_ENDPOINT);
    extend(this.service, n, undefined);
    extend(this.aliases, n, undefined);
  }
}

function filled<T>(n: number, value: T): T[] {
  return extend([], n, value);
}

/** pushes `value` until `a` has `n` elements (pushing keeps the array packed, unlike setting its length) */
function extend<T>(a: T[], n: number, value: T): T[] {
  while (a.length < n) a.push(value);
  return a;
}

function i32(a: Int32Array, n: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}

function f64(a: Float64Array, n: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(n);
  b.set(a);
  return b;
}

/** true when the record goes from side A to side B (works for either DNAT view: the client half is shared) */
export function isFromA(
  s: Conversations,
  c: Conv,
  srcAddr: IpAddress,
  srcPort: number,
  dstAddr: IpAddress,
  dstPort: number,
): boolean {
  if (srcAddr === s.aAddr[c] && srcPort === s.aPort[c]) return true;
  if (dstAddr === s.aAddr[c] && dstPort === s.aPort[c]) return false;
  if (srcAddr === s.bAddr[c] && srcPort === s.bPort[c]) return false;
  return true;
}
