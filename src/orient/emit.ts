/**
 * Building OrientedFlows: counts per direction, scaled by the sampling rate, written into the orienter's FlowPool.
 * @module
 */
import type { EnrichedFlow, OrientationEvidence, OrientedFlow } from '../core/conversation.js';
import type { Endpoint } from '../core/endpoint.js';
import { EVIDENCE_BY_RANK } from '../core/evidence.js';
import { type FlowRecord, IP_PROTOCOL, type IpAddress } from '../core/flow.js';
import { CLIENT_IS_A, type Conv, type Conversations, EVIDENCE, MERGED } from './conversation.js';
import { decideRecord, type Rules } from './decide.js';
import { hasPorts, hasSyn } from './evidence.js';
import type { FlowPool } from './flow-pool.js';

/**
 * The OrientedFlow of record `r` of decided conversation `c`. `fromA`: the record goes from side A. `fwd`/`rev`:
 * whether its forward / reverse (biflow) counters count (false when another exporter owns that direction).
 * Bytes and packets are multiplied by the record's sampling rate (0 or missing counts as 1).
 */
export function orientedFromConversation(
  pool: FlowPool,
  s: Conversations,
  c: Conv,
  r: FlowRecord,
  fromA: boolean,
  fwd: boolean,
  rev: boolean,
  connections: number,
): OrientedFlow {
  const service = s.has(c, MERGED) ? s.service[c] : undefined;
  const evidence = EVIDENCE_BY_RANK[s.field(c, EVIDENCE, 3)]!;
  const aEp = s.aEp[c]!;
  const bEp = s.bEp[c]!;
  const aAddr = s.aAddr[c]!;
  const bAddr = s.bAddr[c]!;
  const aPort = s.aPort[c]!;
  const bPort = s.bPort[c]!;
  return s.has(c, CLIENT_IS_A)
    ? build(pool, r, aEp, bEp, aAddr, bAddr, aPort, bPort, evidence, service, fromA, fwd, rev, connections)
    : build(pool, r, bEp, aEp, bAddr, aAddr, bPort, aPort, evidence, service, !fromA, fwd, rev, connections);
}

function build(
  pool: FlowPool,
  r: FlowRecord,
  client: Endpoint,
  server: Endpoint,
  clientAddr: IpAddress,
  serverAddr: IpAddress,
  clientPort: number,
  serverPort: number,
  evidence: OrientationEvidence,
  service: Endpoint | undefined,
  fromClient: boolean,
  fwd: boolean,
  rev: boolean,
  connections: number,
): OrientedFlow {
  const scale = r.samplingRate > 0 ? r.samplingRate : 1;
  const fb = fwd ? r.bytes * scale : 0;
  const fp = fwd ? r.packets * scale : 0;
  const reverse = r.reverse;
  const rb = rev && reverse !== undefined ? reverse.bytes * scale : 0;
  const rp = rev && reverse !== undefined ? reverse.packets * scale : 0;
  const f = pool.take();
  f.flow = r;
  f.client = client;
  f.server = server;
  f.clientAddr = clientAddr;
  f.serverAddr = serverAddr;
  f.clientPort = clientPort;
  f.serverPort = serverPort;
  f.ipProtocol = r.ipProtocol;
  f.service = service;
  f.evidence = evidence;
  f.bytesToServer = fromClient ? fb : rb;
  f.bytesToClient = fromClient ? rb : fb;
  f.packetsToServer = fromClient ? fp : rp;
  f.packetsToClient = fromClient ? rp : fp;
  f.connections = connections;
  f.start = r.start;
  f.end = r.end;
  return f;
}

/**
 * A record whose conversation the table refused, oriented on its own evidence (handshake, biflow, endpoints,
 * ports). No dedup is possible; it counts one connection when it is the client's opening record (TCP with a SYN;
 * any client record of other protocols, an overcount for long flows split by the exporter).
 */
export function orientAlone(pool: FlowPool, rules: Rules, ef: EnrichedFlow): OrientedFlow {
  const r = ef.flow;
  const d = decideRecord(rules, r, ef.src, ef.dst);
  const ports = hasPorts(r.ipProtocol);
  const sp = ports ? r.srcPort : 0;
  const dp = ports ? r.dstPort : 0;
  const s = d.firstIsClient;
  const opens = s && (r.ipProtocol !== IP_PROTOCOL.TCP || hasSyn(r)) ? 1 : 0;
  return s
    ? build(pool, r, ef.src, ef.dst, r.srcAddr, r.dstAddr, sp, dp, d.evidence, undefined, true, true, true, opens)
    : build(pool, r, ef.dst, ef.src, r.dstAddr, r.srcAddr, dp, sp, d.evidence, undefined, false, true, true, opens);
}
