/**
 * What each record teaches a conversation about its direction: first packets per direction, SYNs, handshake,
 * biflow and ICMP evidence. Mutates the conversation; no other state.
 * @module
 */
import type { FlowRecord } from '../core/flow.js';
import type { Conversation } from './conversation.js';
import { biflowClient, handshakeClient, hasPorts, hasSyn, SIDE_SRC } from './evidence.js';
import { icmpClient } from './ports.js';

/** files `r` (from side A when `fromA`) into the conversation's evidence */
export function accumulateEvidence(
  c: Conversation,
  r: FlowRecord,
  fromA: boolean,
  tcp: boolean,
  trustBiflow: boolean,
): void {
  const syn = tcp && hasSyn(r);
  if (fromA) {
    c.seenA = true;
    if (r.start < c.startA) c.startA = r.start;
    if (syn) c.synA = true;
  } else {
    c.seenB = true;
    if (r.start < c.startB) c.startB = r.start;
    if (syn) c.synB = true;
  }
  if (r.reverse !== undefined) {
    // a biflow holds no start of its own for the reverse side: the record's start stands for both, so flow
    // pairing sees a tie instead of taking the record's side order for "first"
    const revSyn = tcp && (r.reverse.tcpFlags & 2) !== 0;
    if (fromA) {
      c.seenB = true;
      if (r.start < c.startB) c.startB = r.start;
      if (revSyn) c.synB = true;
    } else {
      c.seenA = true;
      if (r.start < c.startA) c.startA = r.start;
      if (revSyn) c.synA = true;
    }
  }
  if (c.handshake === 0) {
    const hs = handshakeClient(r);
    if (hs !== 0) c.handshake = (hs === SIDE_SRC) === fromA ? 1 : 2;
  }
  if (c.biflow === 0) {
    const bi = biflowClient(r, trustBiflow);
    if (bi !== 0) c.biflow = (bi === SIDE_SRC) === fromA ? 1 : 2;
  }
  if (c.icmp === 0 && !hasPorts(r.ipProtocol)) {
    const ic = icmpClient(r);
    if (ic !== 0) c.icmp = (ic === SIDE_SRC) === fromA ? 1 : 2;
  }
}
