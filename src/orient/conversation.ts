/**
 * One conversation (a 5-tuple, both directions, every exporter, before and after DNAT) and its keys.
 * Mutable, owned by one orienter; nothing outside the orient stage sees it.
 * @module
 */
import type { OrientationEvidence } from '../core/conversation.js';
import type { Endpoint } from '../core/endpoint.js';
import type { FlowRecord, IpAddress } from '../core/flow.js';

/** flags of a pending record: its direction, and which of its counters survived dedup */
export const PENDING_FROM_A = 1;
export const PENDING_FWD = 2;
export const PENDING_REV = 4;

/** no side / side A / side B (A is the first record's source, or the client of a Service-addressed record) */
export type ConvSide = 0 | 1 | 2;

/**
 * State of one conversation. Sides A and B are fixed at creation; the Service side of a pre-DNAT conversation is
 * replaced by the backing pod when the post-DNAT view is found (`merged`), keeping the Service in `service`.
 */
export class Conversation {
  /**
   * The table holds the conversation under its first record's 5-tuple: A and B as created, or A and the Service
   * when a post-DNAT record replaced B (`bReplaced`)
   */
  bReplaced = false;
  /** neighbours in the table's recency list (intrusive: no Set entry per conversation) */
  prev: Conversation | undefined = undefined;
  next: Conversation | undefined = undefined;
  /** which recency list holds it: 1 live, 2 ended (FIN/RST seen) */
  list: 0 | 1 | 2 = 0;
  /** other DNAT views' 5-tuples, flat: [addr, port, addr, port, ...] */
  aliases: (IpAddress | number)[] | undefined = undefined;
  aEp: Endpoint;
  bEp: Endpoint;
  /** side holding an unmerged Service that a post-DNAT record may still replace */
  svcSide: ConvSide = 0;
  merged = false;
  service: Endpoint | undefined = undefined;
  svcAddr: IpAddress = 0;
  svcPort = 0;
  decided = false;
  clientIsA = true;
  evidence: OrientationEvidence = 'unknown';
  handshake: ConvSide = 0;
  biflow: ConvSide = 0;
  icmp: ConvSide = 0;
  startA = Number.POSITIVE_INFINITY;
  startB = Number.POSITIVE_INFINITY;
  synA = false;
  synB = false;
  seenA = false;
  seenB = false;
  /**
   * The exporter view owning each direction (see `sameOwner`): exporter, observation domain, IE 61 direction and
   * DNAT view, copied from its first record (so the conversation retains no FlowRecord).
   */
  ownerA: string | undefined = undefined;
  ownerADomain = 0;
  ownerADir: FlowRecord['flowDirection'] = undefined;
  ownerAPre = false;
  ownerB: string | undefined = undefined;
  ownerBDomain = 0;
  ownerBDir: FlowRecord['flowDirection'] = undefined;
  ownerBPre = false;
  /** records waiting for the decision, flat: [record, PENDING_* flags, record, flags, ...] (one array, no objects) */
  pending: (FlowRecord | number)[] | undefined = undefined;
  /** connections opened and not yet reported on an emitted record */
  unreported = 1;
  /** latest end of the owner's records per direction (flow clock; the owner's clock, so no skew between exporters) */
  lastEndA = Number.NEGATIVE_INFINITY;
  lastEndB = Number.NEGATIVE_INFINITY;
  ended = false;
  /** collector clock of the latest record */
  lastArrival: number;

  constructor(
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
    this.lastArrival = now;
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
