/**
 * Which node exporters see an activity, and with which addresses. A conversation between pods on two nodes is
 * seen by both; on one node, once. The client's node sees the Service's ClusterIP:port (before DNAT); the server's
 * node sees the pod's address and target port (after DNAT). `natView` decides how the client's node sees replies:
 * 'conntrack' mirrors the request (ClusterIP -> client), 'wire' shows them as they arrive (pod IP -> client, and for
 * external calls the reply to the node's SNAT address), as an iptables rule in raw PREROUTING would.
 * @module
 */
import type { Activity, Connection } from './connection.js';

export type NatView = 'conntrack' | 'wire';

/** one activity as one node's exporter sees it */
export interface Observation {
  /** the node whose exporter sees it */
  readonly node: string;
  readonly at: number;
  readonly srcAddr: string;
  readonly dstAddr: string;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly ipProtocol: number;
  readonly packets: number;
  readonly bytes: number;
  readonly flags: number;
  readonly activity: Activity;
}

interface Tuple {
  readonly srcAddr: string;
  readonly dstAddr: string;
  readonly srcPort: number;
  readonly dstPort: number;
}

function nodeOf(party: Connection['client']): string | undefined {
  return party.kind === 'pod' ? party.pod.node.name : undefined;
}

function clientView(c: Connection, toServer: boolean, natView: NatView): Tuple {
  const dstAddr = c.service ? c.service.ip : c.serverIp;
  const dstPort = c.service ? c.service.port : c.serverPort;
  if (toServer) return { srcAddr: c.clientIp, srcPort: c.clientPort, dstAddr, dstPort };
  if (natView === 'conntrack')
    return { srcAddr: dstAddr, srcPort: dstPort, dstAddr: c.clientIp, dstPort: c.clientPort };
  const snat = c.server.kind === 'external' && c.client.kind === 'pod' && !c.client.pod.hostNetwork;
  const clientAddr = snat && c.client.kind === 'pod' ? c.client.pod.node.internalIP : c.clientIp;
  return { srcAddr: c.serverIp, srcPort: c.serverPort, dstAddr: clientAddr, dstPort: c.clientPort };
}

function serverView(c: Connection, toServer: boolean): Tuple {
  return toServer
    ? { srcAddr: c.clientIp, srcPort: c.clientPort, dstAddr: c.serverIp, dstPort: c.serverPort }
    : { srcAddr: c.serverIp, srcPort: c.serverPort, dstAddr: c.clientIp, dstPort: c.clientPort };
}

/** the observations of `a` by node exporters (none for traffic between two outside parties) */
export function observe(a: Activity, natView: NatView): Observation[] {
  const c = a.conn;
  const clientNode = nodeOf(c.client);
  const serverNode = nodeOf(c.server);
  const base = { at: a.at, ipProtocol: c.ipProtocol, packets: a.packets, bytes: a.bytes, flags: a.flags, activity: a };
  const out: Observation[] = [];
  if (clientNode) out.push({ node: clientNode, ...clientView(c, a.toServer, natView), ...base });
  if (serverNode && serverNode !== clientNode) out.push({ node: serverNode, ...serverView(c, a.toServer), ...base });
  return out;
}
