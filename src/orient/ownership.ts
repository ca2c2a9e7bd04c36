/**
 * Dedup by ownership: the first exporter view to report a direction of a conversation owns it, and only the
 * owner's records count that direction. Also when a record opens a new connection on a known 5-tuple, and when
 * an owner that stopped reporting hands its direction over. Pure functions over the conversation rows.
 * @module
 */
import type { FlowRecord } from '../core/flow.js';
import { type Conv, type Conversations, ENDED, NO_OWNER } from './conversation.js';
import { hasSyn } from './evidence.js';

/** true when the direction (side A's when `fromA`, else B's) has an owner */
function hasOwner(s: Conversations, c: Conv, fromA: boolean): boolean {
  return (fromA ? s.ownerA[c] : s.ownerB[c]) !== NO_OWNER;
}

/** forgets both directions' owners (a new connection on the same 5-tuple) */
export function clearOwners(s: Conversations, c: Conv): void {
  s.ownerA[c] = NO_OWNER;
  s.ownerB[c] = NO_OWNER;
}

/**
 * Owner identity of a direction: the exporter view (`view`: see `ownerView`; a router exporting ingress and
 * egress reports the same packets twice, and the pre- and post-DNAT views are different reports) and its
 * observation domain. True when they own side A's direction (`fromA`) or B's.
 */
function isOwner(s: Conversations, c: Conv, fromA: boolean, view: number, domain: number): boolean {
  return fromA
    ? s.ownerA[c] === view && s.ownerADomain[c] === domain
    : s.ownerB[c] === view && s.ownerBDomain[c] === domain;
}

/** makes the exporter view `view` (see `ownerView`) in observation domain `domain` the owner of its direction */
function setOwner(s: Conversations, c: Conv, fromA: boolean, view: number, domain: number): void {
  if (fromA) {
    s.ownerA[c] = view;
    s.ownerADomain[c] = domain;
  } else {
    s.ownerB[c] = view;
    s.ownerBDomain[c] = domain;
  }
}

/**
 * A record of a known 5-tuple opens a new connection when it comes from the owner of its direction (so a late
 * copy from another exporter, with another clock, never does) and starts after the owner's previous records of
 * that direction ended: for TCP it must hold a SYN and the conversation must have ended (FIN/RST) or idled for
 * `idleTimeoutMs`; for other protocols the idle gap alone decides.
 */
export function opensConnection(
  s: Conversations,
  c: Conv,
  r: FlowRecord,
  view: number,
  fromA: boolean,
  tcp: boolean,
  idleTimeoutMs: number,
): boolean {
  if (!isOwner(s, c, fromA, view, r.observationDomainId)) return false;
  const gap = r.start - (fromA ? s.lastEndA[c]! : s.lastEndB[c]!);
  if (!tcp) return gap > idleTimeoutMs;
  return hasSyn(r) && ((s.has(c, ENDED) && gap > 0) || gap > idleTimeoutMs);
}

/**
 * An owner that stopped reporting (its exporter died, or restarted under another identity) hands its direction
 * over: another view's record takes it when it starts after everything counted so far in that direction and
 * reaches idleTimeoutMs (record time) past it. Counted records of a direction never overlap, so nothing counts
 * twice. True when `r`'s view took the direction over.
 */
export function takeOver(
  s: Conversations,
  c: Conv,
  fromA: boolean,
  r: FlowRecord,
  view: number,
  idleTimeoutMs: number,
): boolean {
  if (!hasOwner(s, c, fromA) || isOwner(s, c, fromA, view, r.observationDomainId)) return false;
  const lastEnd = fromA ? s.lastEndA[c]! : s.lastEndB[c]!;
  if (r.start <= lastEnd || r.end - lastEnd <= idleTimeoutMs) return false;
  setOwner(s, c, fromA, view, r.observationDomainId);
  return true;
}

/** the first exporter view to report a direction owns it; true when `r` may count that direction */
export function claim(s: Conversations, c: Conv, fromA: boolean, r: FlowRecord, view: number): boolean {
  if (!hasOwner(s, c, fromA)) setOwner(s, c, fromA, view, r.observationDomainId);
  else if (!isOwner(s, c, fromA, view, r.observationDomainId)) return false;
  const end = r.end;
  if (fromA) {
    if (end > s.lastEndA[c]!) s.lastEndA[c] = end;
  } else if (end > s.lastEndB[c]!) s.lastEndB[c] = end;
  return true;
}
