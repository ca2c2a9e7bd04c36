/**
 * Reading edges back from what flowmap answers (/api/v1/graph, the edges document of /api/v1/export and
 * `flowmap map --format json`) in the shape of ExpectedEdge, and writing the exporters' datagrams as one capture.
 * @module
 */
import { writeFileSync } from 'node:fs';
import type { GraphEdge } from '../../src/contract/responses.js';
import { ETHERTYPE, encodePcap, ethernetFrame, ipv4Packet, type ReceivedDatagram, udpSegment } from '../tools/index.js';
import type { ExpectedEdge } from './serve-traffic.js';

/** the compared fields of a graph edge */
export function fromGraph(edges: readonly GraphEdge[]): ExpectedEdge[] {
  return edges
    .map((e) => ({
      id: e.id,
      source: e.source,
      target: e.target,
      port: e.port,
      protocol: e.protocol,
      bytesToServer: e.bytesToServer,
      bytesToClient: e.bytesToClient,
      packetsToServer: e.packetsToServer,
      packetsToClient: e.packetsToClient,
      connections: e.connections,
      ...(e.services?.length ? { services: e.services } : {}),
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

interface DocEndpoint {
  kind: string;
  namespace: string;
  name: string;
  workloadKind: string;
}

export interface DocEdge {
  client: DocEndpoint;
  server: DocEndpoint;
  port: number;
  protocol: string;
  bytesToServer: number;
  bytesToClient: number;
  packetsToServer: number;
  packetsToClient: number;
  connections: number;
  evidence: string;
  services?: string[];
}

/** the id of a document endpoint, by the rule ARCHITECTURE.md states for map node ids */
function docId(e: DocEndpoint): string {
  if (e.kind === 'workload') return `workload:${e.namespace}/${e.workloadKind}/${e.name}`;
  if (e.kind === 'service' || e.kind === 'pod') return `${e.kind}:${e.namespace}/${e.name}`;
  return `${e.kind}:${e.name}`;
}

/** the compared fields of an edges document (`{ edges: [...] }`) */
export function fromDocument(doc: { edges: readonly DocEdge[] }): ExpectedEdge[] {
  return doc.edges
    .map((e) => {
      const source = docId(e.client);
      const target = docId(e.server);
      return {
        id: `${source}->${target}:${e.port}/${e.protocol}`,
        source,
        target,
        port: e.port,
        protocol: e.protocol,
        bytesToServer: e.bytesToServer,
        bytesToClient: e.bytesToClient,
        packetsToServer: e.packetsToServer,
        packetsToClient: e.packetsToClient,
        connections: e.connections,
        ...(e.services?.length ? { services: e.services } : {}),
      };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * One capture of every export datagram, in arrival order, each from its exporter's source port on 127.0.0.1 (what
 * tcpdump on the collector port records), timestamped when it arrived.
 */
export function writeExportCapture(path: string, datagrams: readonly ReceivedDatagram[], dstPort: number): void {
  const sorted = [...datagrams].sort((a, b) => a.receivedAt - b.receivedAt);
  const records = sorted.map((d, i) => {
    const segment = udpSegment({ src: d.srcAddr, dst: '127.0.0.1', srcPort: d.srcPort, dstPort, payload: d.payload });
    const ip = ipv4Packet({ src: d.srcAddr, dst: '127.0.0.1', protocol: 17, id: i & 0xffff, payload: segment });
    return { timestamp: d.receivedAt, data: ethernetFrame({ etherType: ETHERTYPE.IPV4, payload: ip }) };
  });
  writeFileSync(path, encodePcap(records));
}
