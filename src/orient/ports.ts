/**
 * The port heuristic, the weakest rule that still decides: server ports versus client (ephemeral) ports.
 * @module
 */
import { type FlowRecord, IP_PROTOCOL } from '../core/flow.js';
import { type RecordSide, SIDE_DST, SIDE_NONE, SIDE_SRC } from './evidence.js';

const CLASS_NONE = 0;
const CLASS_EPHEMERAL = 1;
const CLASS_REGISTERED = 2;
const CLASS_SERVER = 3;

/**
 * Classifies ports: server (below 1024, or one of the configured service ports), ephemeral (at or above
 * `ephemeralMin`), registered (the rest of 1024..ephemeralMin-1, e.g. NodePorts 30000-32767).
 */
export interface PortClassifier {
  /** which of two ports serves: SIDE_SRC for `srcPort`, SIDE_DST for `dstPort`, SIDE_NONE when undecided */
  serverOf(srcPort: number, dstPort: number): RecordSide;
}

/**
 * Rules, in order: the side of the higher class serves (server > registered > ephemeral); within the server or
 * registered class the lower port serves; two ephemeral ports, equal ports or a zero port decide nothing.
 */
export function createPortClassifier(ephemeralMin: number, servicePorts: readonly number[]): PortClassifier {
  const server = new Uint8Array(65536);
  for (let p = 1; p < 1024; p++) server[p] = 1;
  for (const p of servicePorts) server[p] = 1;
  const classOf = (port: number): number => {
    if (port <= 0 || port > 65535) return CLASS_NONE;
    if (server[port] === 1) return CLASS_SERVER;
    return port >= ephemeralMin ? CLASS_EPHEMERAL : CLASS_REGISTERED;
  };
  return {
    serverOf(srcPort, dstPort) {
      const s = classOf(srcPort);
      const d = classOf(dstPort);
      if (s === CLASS_NONE || d === CLASS_NONE || srcPort === dstPort) return SIDE_NONE;
      if (s !== d) return s > d ? SIDE_SRC : SIDE_DST;
      if (s === CLASS_EPHEMERAL) return SIDE_NONE;
      return srcPort < dstPort ? SIDE_SRC : SIDE_DST;
    },
  };
}

/**
 * ICMP has no ports; exporters put type * 256 + code in the destination port. A request type (echo, timestamp,
 * information, address mask; ICMPv6 echo request) names its source as the client, an ICMPv6 echo reply its
 * destination. ICMPv4 echo reply is type 0, indistinguishable from "not exported", so it decides nothing.
 */
export function icmpClient(r: FlowRecord): RecordSide {
  const type = r.dstPort >>> 8;
  if (r.ipProtocol === IP_PROTOCOL.ICMP) {
    return type === 8 || type === 13 || type === 15 || type === 17 ? SIDE_SRC : SIDE_NONE;
  }
  if (r.ipProtocol === IP_PROTOCOL.ICMPV6) {
    if (type === 128) return SIDE_SRC;
    if (type === 129) return SIDE_DST;
  }
  return SIDE_NONE;
}
