/**
 * Per-record and per-endpoint facts the orientation rules read. Pure functions, no state.
 * @module
 */
import type { Endpoint } from '../core/endpoint.js';
import { type FlowRecord, IP_PROTOCOL, TCP_FLAG } from '../core/flow.js';

/** the side a rule names as the client: the record's source, its destination, or no decision */
export const SIDE_NONE = 0;
export const SIDE_SRC = 1;
export const SIDE_DST = 2;
export type RecordSide = typeof SIDE_NONE | typeof SIDE_SRC | typeof SIDE_DST;

const SYN = TCP_FLAG.SYN;
const ACK = TCP_FLAG.ACK;
const SYN_ACK = SYN | ACK;

/**
 * tcp-handshake evidence of one TCP record. Flags of v9/IPFIX are a cumulative OR, so a SYN in them proves nothing
 * alone: only SYN without ACK (all packets of the record are handshake openers: a split first packet, an sFlow
 * sample of the SYN, an unanswered attempt) names the opener, i.e. the record's source is the client. The first
 * packet's flags (initialTcpFlags) decide both ways: SYN without ACK from the client, SYN+ACK from the server.
 */
export function handshakeClient(r: FlowRecord): RecordSide {
  if (r.ipProtocol !== IP_PROTOCOL.TCP) return SIDE_NONE;
  const initial = r.initialTcpFlags;
  if (initial !== undefined && initial !== 0) {
    if ((initial & SYN_ACK) === SYN) return SIDE_SRC;
    if ((initial & SYN_ACK) === SYN_ACK) return SIDE_DST;
  }
  return (r.tcpFlags & SYN_ACK) === SYN ? SIDE_SRC : SIDE_NONE;
}

/**
 * biflow evidence: an RFC 5103 record (it has `reverse`) names its initiator. Without biflowDirection the forward
 * (source) side is the initiator when `trustForward`; 'reverse-initiator' names the destination; 'arbitrary' and
 * 'perimeter' say nothing about who opened.
 */
export function biflowClient(r: FlowRecord, trustForward: boolean): RecordSide {
  if (r.reverse === undefined) return SIDE_NONE;
  switch (r.biflowDirection) {
    case 'initiator':
      return SIDE_SRC;
    case 'reverse-initiator':
      return SIDE_DST;
    case undefined:
      return trustForward ? SIDE_SRC : SIDE_NONE;
    default:
      return SIDE_NONE;
  }
}

/** true when the record (TCP) carries a SYN in its cumulative or initial flags: it holds a connection's first packet */
export function hasSyn(r: FlowRecord): boolean {
  return ((r.tcpFlags | (r.initialTcpFlags ?? 0)) & SYN) !== 0;
}

/** true when the record (TCP) shows the connection ending (FIN or RST, either direction of a biflow) */
export function hasEnd(r: FlowRecord): boolean {
  const flags = r.tcpFlags | (r.reverse?.tcpFlags ?? 0);
  return (flags & (TCP_FLAG.FIN | TCP_FLAG.RST)) !== 0;
}

/** true when `endpoint` declares `port`/`ipProtocol` (containerPort, host-network port, Service port) */
export function declaresPort(endpoint: Endpoint, port: number, ipProtocol: number): boolean {
  const ports = endpoint.ports;
  if (ports === undefined || port === 0) return false;
  for (let i = 0; i < ports.length; i++) {
    const p = ports[i]!;
    if (p.port === port && p.ipProtocol === ipProtocol) return true;
  }
  return false;
}

/** true when the endpoint is a Service declaring the port */
export function isServicePort(endpoint: Endpoint, port: number, ipProtocol: number): boolean {
  return endpoint.kind === 'service' && declaresPort(endpoint, port, ipProtocol);
}

/** true when the endpoint is a pod (host-network or not) declaring the port */
export function isContainerPort(endpoint: Endpoint, port: number, ipProtocol: number): boolean {
  return endpoint.kind === 'pod' && declaresPort(endpoint, port, ipProtocol);
}

/** protocols whose port fields are real ports (others are keyed with ports 0) */
export function hasPorts(ipProtocol: number): boolean {
  return ipProtocol === IP_PROTOCOL.TCP || ipProtocol === IP_PROTOCOL.UDP || ipProtocol === IP_PROTOCOL.SCTP;
}
