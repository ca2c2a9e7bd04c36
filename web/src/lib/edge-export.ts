/**
 * The visible edges as files: JSON in the shape `flowmap map --format json` prints, and aligned text.
 * @module
 */
import type { GraphEdge, GraphNode, GraphResponse } from '../../../src/contract/responses.js';
import { formatByteRate, formatBytes, portLabel, qualifiedName } from './format.js';

function endpointOf(node: GraphNode | undefined, id: string): Record<string, unknown> {
  if (!node) return { id, kind: 'unknown', namespace: '', name: id, workloadKind: '' };
  const { totals: _t, group: _g, ...rest } = node;
  return rest;
}

/** `{ from, to, level, edges: [{ client, server, port, protocol, bytesToServer, ... }] }` */
export function edgesAsJson(graph: GraphResponse, edges: readonly GraphEdge[]): string {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const out = edges.map((e) => ({
    client: endpointOf(byId.get(e.source), e.source),
    server: endpointOf(byId.get(e.target), e.target),
    port: e.port,
    protocol: e.protocol,
    bytesToServer: e.bytesToServer,
    bytesToClient: e.bytesToClient,
    packetsToServer: e.packetsToServer,
    packetsToClient: e.packetsToClient,
    connections: e.connections,
    firstSeen: e.firstSeen,
    lastSeen: e.lastSeen,
    evidence: e.evidence,
    ...(e.services?.length ? { services: e.services } : {}),
  }));
  return `${JSON.stringify({ from: graph.from, to: graph.to, level: graph.level, edges: out }, null, 2)}\n`;
}

/** one line per edge: client -> server  port  bytes  rate  connections  evidence */
export function edgesAsText(graph: GraphResponse, edges: readonly GraphEdge[]): string {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const seconds = Math.max(1, (graph.to - graph.from) / 1000);
  const name = (id: string) => {
    const n = byId.get(id);
    return n ? qualifiedName(n) : id;
  };
  const rows = edges.map((e) => [
    name(e.source),
    '->',
    name(e.target),
    portLabel(e.port, e.protocol),
    formatBytes(e.bytesToServer + e.bytesToClient),
    formatByteRate((e.bytesToServer + e.bytesToClient) / seconds),
    `${e.connections} conn`,
    e.evidence,
  ]);
  const header = [
    `# flowmap edges ${new Date(graph.from).toISOString()} .. ${new Date(graph.to).toISOString()} level=${graph.level}`,
  ];
  const widths = rows.reduce<number[]>((w, r) => r.map((c, i) => Math.max(w[i] ?? 0, c.length)), []);
  const lines = rows.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
  return `${[...header, ...lines].join('\n')}\n`;
}
