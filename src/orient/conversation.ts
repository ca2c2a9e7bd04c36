/**
 * One conversation (a 5-tuple, both directions, every exporter, before and after DNAT) and its keys.
 * Mutable, owned by one orienter; nothing outside the orient stage sees it.
 * @module
 */
import type { OrientationEvidence } from '../core/conversation.js';
import type { Endpoint } from '../core/endpoint.js';
import type { FlowRecord, IpAddress } from '../core/flow.js';
import type { Orientation } from './emit.js';

/** a record waiting for its conversation's decision; `fromA` says its direction, fwd/rev which counts survived dedup */
export interface PendingRecord {
  readonly flow: FlowRecord;
  readonly fromA: boolean;
  readonly fwd: boolean;
  readonly rev: boolean;
}

/** no side / side A / side B (A is the first record's source, or the client of a Service-addressed record) */
export type ConvSide = 0 | 1 | 2;

/**
 * State of one conversation. Sides A and B are fixed at creation; the Service side of a pre-DNAT conversation is
 * replaced by the backing pod when the post-DNAT view is found (`merged`), keeping the Service in `service`.
 */
export class Conversation {
  /** keys under which the table holds this conversation (the pre-DNAT view adds one) */
  readonly keys: (string | number)[] = [];
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
  pending: PendingRecord[] | undefined = undefined;
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

function protoClass(ipProtocol: number): number {
  return ipProtocol === 6 ? 0 : ipProtocol === 17 ? 1 : ipProtocol === 132 ? 2 : 3;
}

/** key of one side (address, port, protocol): an exact number for IPv4, text for IPv6 */
export function halfKey(addr: IpAddress, port: number, ipProtocol: number): number | string {
  if (typeof addr === 'number') return (addr * 65536 + port) * 4 + protoClass(ipProtocol);
  return `${addr}|${port}|${ipProtocol}`;
}

/** direction-free key of a 5-tuple: the same for A->B and B->A */
export function conversationKey(
  ipProtocol: number,
  addr1: IpAddress,
  port1: number,
  addr2: IpAddress,
  port2: number,
): string {
  if (typeof addr1 === 'number' && typeof addr2 === 'number') {
    const firstIs1 = addr1 < addr2 || (addr1 === addr2 && port1 <= port2);
    const la = firstIs1 ? addr1 : addr2;
    const lp = firstIs1 ? port1 : port2;
    const ha = firstIs1 ? addr2 : addr1;
    const hp = firstIs1 ? port2 : port1;
    return String.fromCharCode(ipProtocol, la >>> 16, la & 0xffff, lp, ha >>> 16, ha & 0xffff, hp);
  }
  const s1 = `${addr1}|${port1}`;
  const s2 = `${addr2}|${port2}`;
  return s1 <= s2 ? `${ipProtocol}|${s1}|${s2}` : `${ipProtocol}|${s2}|${s1}`;
}
