/**
 * What each record teaches a conversation about its direction: first packets per direction, SYNs, handshake,
 * biflow and ICMP evidence. Mutates the conversation's row; no other state.
 * @module
 */
import type { FlowRecord } from '../core/flow.js';
import {
  BIFLOW,
  type Conv,
  type Conversations,
  HANDSHAKE,
  ICMP,
  SEEN_A,
  SEEN_B,
  SYN_A,
  SYN_B,
} from './conversation.js';
import { biflowClient, handshakeClient, hasPorts, hasSyn, SIDE_SRC } from './evidence.js';
import { icmpClient } from './ports.js';

/** files `r` (from side A when `fromA`) into the evidence of conversation `c` */
export function accumulateEvidence(
  s: Conversations,
  c: Conv,
  r: FlowRecord,
  fromA: boolean,
  tcp: boolean,
  trustBiflow: boolean,
): void {
  const start = r.start;
  const syn = tcp && hasSyn(r);
  let bits = s.bits[c]!;
  if (fromA) {
    bits |= SEEN_A | (syn ? SYN_A : 0);
    if (start < s.startA[c]!) s.startA[c] = start;
  } else {
    bits |= SEEN_B | (syn ? SYN_B : 0);
    if (start < s.startB[c]!) s.startB[c] = start;
  }
  if (r.reverse !== undefined) {
    // a biflow holds no start of its own for the reverse side: the record's start stands for both, so flow
    // pairing sees a tie instead of taking the record's side order for "first"
    const revSyn = tcp && (r.reverse.tcpFlags & 2) !== 0;
    if (fromA) {
      bits |= SEEN_B | (revSyn ? SYN_B : 0);
      if (start < s.startB[c]!) s.startB[c] = start;
    } else {
      bits |= SEEN_A | (revSyn ? SYN_A : 0);
      if (start < s.startA[c]!) s.startA[c] = start;
    }
  }
  s.bits[c] = bits;
  if (s.field(c, HANDSHAKE) === 0) {
    const hs = handshakeClient(r);
    if (hs !== 0) s.setField(c, HANDSHAKE, (hs === SIDE_SRC) === fromA ? 1 : 2);
  }
  if (s.field(c, BIFLOW) === 0) {
    const bi = biflowClient(r, trustBiflow);
    if (bi !== 0) s.setField(c, BIFLOW, (bi === SIDE_SRC) === fromA ? 1 : 2);
  }
  if (s.field(c, ICMP) === 0 && !hasPorts(r.ipProtocol)) {
    const ic = icmpClient(r);
    if (ic !== 0) s.setField(c, ICMP, (ic === SIDE_SRC) === fromA ? 1 : 2);
  }
}
