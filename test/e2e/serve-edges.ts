/**
 * Reading edges back from what flowmap answers (/api/v1/graph, the edges document of /api/v1/export and
 * `flowmap map --format json`) in the shape of ExpectedEdge, and writing the exporters' datagrams as one capture.
 * @module
 */
import { writeFileSync } from 'node:fs';
import type { GraphEdge } from '../../src/contract/responses.js';
import { writePcap as udpCapture } from '../../src/demo/pcap/index.js';
import { type EdgeDocument, nodeIdOf } from '../../src/export/index.js';
import type { ReceivedDatagram } from '../tools/index.js';
import type { ExpectedEdge } from './serve-traffic.js';

type Counted = Pick<
  GraphEdge,
  'port' | 'protocol' | 'bytesToServer' | 'bytesToClient' | 'packetsToServer' | 'packetsToClient' | 'connections'
> & { readonly services?: readonly string[] | undefined };

/** the compared fields of one edge, whichever answer it came from */
function compared(source: string, target: string, e: Counted): ExpectedEdge {
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
    ...(e.services?.length ? { services: [...e.services] } : {}),
  };
}

const byId = (a: ExpectedEdge, b: ExpectedEdge) => a.id.localeCompare(b.id);

/** the compared fields of a graph edge (its id is the API's own: source->target:port/protocol) */
export function fromGraph(edges: readonly GraphEdge[]): ExpectedEdge[] {
  return edges.map((e) => ({ ...compared(e.source, e.target, e), id: e.id })).sort(byId);
}

/** the compared fields of an edges document (`{ edges: [...] }`), endpoints named by their map node ids */
export function fromDocument(doc: { readonly edges: readonly EdgeDocument[] }): ExpectedEdge[] {
  return doc.edges.map((e) => compared(nodeIdOf(e.client), nodeIdOf(e.server), e)).sort(byId);
}

/**
 * One capture of every export datagram, in arrival order, each from its exporter's source port on 127.0.0.1 (what
 * tcpdump on the collector port records), timestamped when it arrived.
 */
export function writeExportCapture(path: string, datagrams: readonly ReceivedDatagram[], dstPort: number): void {
  const sorted = [...datagrams].sort((a, b) => a.receivedAt - b.receivedAt);
  const captured = sorted.map((d) => ({ ...d, time: d.receivedAt, dstAddr: '127.0.0.1', dstPort }));
  writeFileSync(path, udpCapture(captured)); // the demo's capture writer (config `capture: true`)
}
