/**
 * The orientation rules, strongest first, over what a conversation has accumulated (or over one lone record).
 * @module
 */
import type { OrientationEvidence } from '../core/conversation.js';
import type { Endpoint } from '../core/endpoint.js';
import { EVIDENCE_BY_RANK, EVIDENCE_RANK } from '../core/evidence.js';
import { type FlowRecord, IP_PROTOCOL } from '../core/flow.js';
import {
  BIFLOW,
  type Conv,
  type Conversations,
  HANDSHAKE,
  ICMP,
  MERGED,
  SEEN_A,
  SEEN_B,
  SVC_SIDE,
  SYN_A,
  SYN_B,
} from './conversation.js';
import {
  biflowClient,
  handshakeClient,
  hasPorts,
  isContainerPort,
  isServicePort,
  type RecordSide,
  SIDE_DST,
  SIDE_NONE,
  SIDE_SRC,
} from './evidence.js';
import { icmpClient, type PortClassifier } from './ports.js';

export interface Rules {
  readonly ports: PortClassifier;
  readonly tieMs: number;
  readonly trustBiflow: boolean;
}

export interface Decision {
  /** true: the first given side (A / the record's source) is the client */
  readonly firstIsClient: boolean;
  readonly evidence: OrientationEvidence;
}

/** every possible decision, shared (no object per decision): index rank * 2 + (firstIsClient ? 1 : 0) */
const DECISIONS: readonly Decision[] = EVIDENCE_BY_RANK.flatMap((evidence) => [
  { firstIsClient: false, evidence },
  { firstIsClient: true, evidence },
]);

function decision(firstIsClient: boolean, evidence: OrientationEvidence): Decision {
  return DECISIONS[EVIDENCE_RANK[evidence] * 2 + (firstIsClient ? 1 : 0)]!;
}

const A_CLIENT = decision(true, 'unknown');

/**
 * Decides who serves from endpoint knowledge and ports (rules 4-6) for two sides; `first` is the default client.
 * - service-port: a Service (ClusterIP) side on one of its ports serves (`svc`: the Service a merged side stands for);
 * - container-port: a pod side declaring its port serves, unless both sides declare theirs;
 * - port-heuristic: see createPortClassifier; ICMP request types name the client.
 */
export function decideByPorts(
  rules: Rules,
  ipProtocol: number,
  ep1: Endpoint,
  port1: number,
  ep2: Endpoint,
  port2: number,
  svc1: Endpoint | undefined,
  svc2: Endpoint | undefined,
  svcPort: number,
): Decision | undefined {
  const s1 = isServicePort(ep1, port1, ipProtocol) || (svc1 !== undefined && isServicePort(svc1, svcPort, ipProtocol));
  const s2 = isServicePort(ep2, port2, ipProtocol) || (svc2 !== undefined && isServicePort(svc2, svcPort, ipProtocol));
  if (s1 !== s2) return decision(s2, 'service-port');
  const c1 = isContainerPort(ep1, port1, ipProtocol);
  const c2 = isContainerPort(ep2, port2, ipProtocol);
  if (c1 !== c2) return decision(c2, 'container-port');
  if (!hasPorts(ipProtocol)) return undefined;
  const server = rules.ports.serverOf(port1, port2);
  if (server === SIDE_NONE) return undefined;
  return decision(server === SIDE_DST, 'port-heuristic');
}

/** decides conversation `c` from everything it accumulated; never fails (falls back to A as client, 'unknown') */
export function decideConversation(rules: Rules, s: Conversations, c: Conv): Decision {
  const handshake = s.field(c, HANDSHAKE);
  if (handshake !== 0) return decision(handshake === 1, 'tcp-handshake');
  const biflow = s.field(c, BIFLOW);
  if (biflow !== 0) return decision(biflow === 1, 'biflow');
  const ipProtocol = s.ipProtocol[c]!;
  const both = ipProtocol === IP_PROTOCOL.TCP ? SYN_A | SYN_B : SEEN_A | SEEN_B;
  const startA = s.startA[c]!;
  const startB = s.startB[c]!;
  if ((s.bits[c]! & both) === both && Math.abs(startA - startB) > rules.tieMs) {
    return decision(startA < startB, 'flow-pairing');
  }
  const merged = s.has(c, MERGED);
  const svcSide = s.field(c, SVC_SIDE);
  const svcA = merged && svcSide === 1 ? s.service[c] : undefined;
  const svcB = merged && svcSide === 2 ? s.service[c] : undefined;
  const aEp = s.aEp[c]!;
  const bEp = s.bEp[c]!;
  const byPorts = decideByPorts(rules, ipProtocol, aEp, s.aPort[c]!, bEp, s.bPort[c]!, svcA, svcB, s.svcPort[c]!);
  if (byPorts) return byPorts;
  const icmp = s.field(c, ICMP);
  if (icmp !== 0) return decision(icmp === 1, 'port-heuristic');
  return A_CLIENT;
}

/** decides one record on its own (conversation table full): handshake, biflow, then endpoints and ports */
export function decideRecord(rules: Rules, r: FlowRecord, src: Endpoint, dst: Endpoint): Decision {
  const hs = handshakeClient(r);
  if (hs !== SIDE_NONE) return decision(hs === SIDE_SRC, 'tcp-handshake');
  const bi = biflowClient(r, rules.trustBiflow);
  if (bi !== SIDE_NONE) return decision(bi === SIDE_SRC, 'biflow');
  const ports = hasPorts(r.ipProtocol);
  const byPorts = decideByPorts(
    rules,
    r.ipProtocol,
    src,
    ports ? r.srcPort : 0,
    dst,
    ports ? r.dstPort : 0,
    undefined,
    undefined,
    0,
  );
  if (byPorts) return byPorts;
  const icmp: RecordSide = icmpClient(r);
  if (icmp !== SIDE_NONE) return decision(icmp === SIDE_SRC, 'port-heuristic');
  return A_CLIENT;
}
