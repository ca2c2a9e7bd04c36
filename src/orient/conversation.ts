/**
 * One conversation (a 5-tuple, both directions, every exporter, before and after DNAT) and its keys.
 * Mutable, owned by one orienter; nothing outside the orient stage sees it.
 * @module
 */
import type { OrientationEvidence } from '../core/conversation.js';
import type { Endpoint } from '../core/endpoint.js';
import type { FlowRecord, IpAddress } from '../core/flow.js';
import type { Orientation } from './emit.js';

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
  /** the 5-tuple the table holds this conversation under (its first record's), fixed at creation */
  readonly keyAddr1: IpAddress;
  readonly keyPort1: number;
  readonly keyAddr2: IpAddress;
  readonly keyPort2: number;
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
  /** the decided client/server view, rebuilt when a merge replaces the Service side */
  orientation: Orientation | undefined = undefined;
  handshake: ConvSide = 0;
  biflow: ConvSide = 0;
  icmp: ConvSide = 0;
  startA = Number.POSITIVE_INFINITY;
  startB = Number.POSITIVE_INFINITY;
  synA = false;
  synB = false;
  seenA = false;
  seenB = false;
  /** first record of each direction's owning exporter view (see `sameOwner`) */
  ownerA: FlowRecord | undefined = undefined;
  ownerAPre = false;
  ownerB: FlowRecord | undefined = undefined;
  ownerBPre = false;
  /** records waiting for the decision, flat: [record, PENDING_* flags, record, flags, ...] (one array, no objects) */
  pending: (FlowRecord | number)[] | undefined = undefined;
  deadline = 0;
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
    this.keyAddr1 = aAddr;
    this.keyPort1 = aPort;
    this.keyAddr2 = bAddr;
    this.keyPort2 = bPort;
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
 */
export function sameOwner(owner: FlowRecord, ownerPre: boolean, r: FlowRecord, pre: boolean): boolean {
  return (
    owner.exporter === r.exporter &&
    owner.observationDomainId === r.observationDomainId &&
    owner.flowDirection === r.flowDirection &&
    ownerPre === pre
  );
}
