/**
 * The orientation rules, strongest first, over what a conversation has accumulated (or over one lone record).
 * @module
 */
import type { OrientationEvidence } from '../core/conversation.js';
import type { Endpoint } from '../core/endpoint.js';
import { type FlowRecord, IP_PROTOCOL } from '../core/flow.js';
import type { Conversation } from './conversation.js';
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

const A_CLIENT: Decision = { firstIsClient: true, evidence: 'unknown' };

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
  if (s1 !== s2) return { firstIsClient: s2, evidence: 'service-port' };
  const c1 = isContainerPort(ep1, port1, ipProtocol);
  const c2 = isContainerPort(ep2, port2, ipProtocol);
  if (c1 !== c2) return { firstIsClient: c2, evidence: 'container-port' };
  if (!hasPorts(ipProtocol)) return undefined;
  const server = rules.ports.serverOf(port1, port2);
  if (server === SIDE_NONE) return undefined;
  return { firstIsClient: server === SIDE_DST, evidence: 'port-heuristic' };
}

/** decides a conversation from everything it accumulated; never fails (falls back to A as client, 'unknown') */
export function decideConversation(rules: Rules, c: Conversation): Decision {
  if (c.handshake !== 0) return { firstIsClient: c.handshake === 1, evidence: 'tcp-handshake' };
  if (c.biflow !== 0) return { firstIsClient: c.biflow === 1, evidence: 'biflow' };
  const pairable = c.ipProtocol === IP_PROTOCOL.TCP ? c.synA && c.synB : c.seenA && c.seenB;
  if (pairable && Math.abs(c.startA - c.startB) > rules.tieMs) {
    return { firstIsClient: c.startA < c.startB, evidence: 'flow-pairing' };
  }
  const svcA = c.merged && c.svcSide === 1 ? c.service : undefined;
  const svcB = c.merged && c.svcSide === 2 ? c.service : undefined;
  const byPorts = decideByPorts(rules, c.ipProtocol, c.aEp, c.aPort, c.bEp, c.bPort, svcA, svcB, c.svcPort);
  if (byPorts) return byPorts;
  if (c.icmp !== 0) return { firstIsClient: c.icmp === 1, evidence: 'port-heuristic' };
  return A_CLIENT;
}

/** decides one record on its own (conversation table full): handshake, biflow, then endpoints and ports */
export function decideRecord(rules: Rules, r: FlowRecord, src: Endpoint, dst: Endpoint): Decision {
  const hs = handshakeClient(r);
  if (hs !== SIDE_NONE) return { firstIsClient: hs === SIDE_SRC, evidence: 'tcp-handshake' };
  const bi = biflowClient(r, rules.trustBiflow);
  if (bi !== SIDE_NONE) return { firstIsClient: bi === SIDE_SRC, evidence: 'biflow' };
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
  if (icmp !== SIDE_NONE) return { firstIsClient: icmp === SIDE_SRC, evidence: 'port-heuristic' };
  return A_CLIENT;
}
