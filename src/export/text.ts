/**
 * The plain-text map: one line per client, its servers after "calls:".
 * @module
 */
import type { Edge } from '../core/edge.js';
import { ipProtocolName } from '../core/flow.js';
import { describeNode, formatBytes, targetName } from './describe.js';

/**
 * "frontend (Deployment) in namespace shop calls: cartservice:7070/TCP (1.2 MB, 42 connections), ..." per client,
 * clients in id order, servers in name then port order. Bytes are both directions together. '' for no edges.
 */
export function renderText(edges: readonly Edge[]): string {
  const byClient = new Map<string, Edge[]>();
  for (const e of edges) {
    const list = byClient.get(e.clientId);
    if (list) list.push(e);
    else byClient.set(e.clientId, [e]);
  }
  const lines: string[] = [];
  for (const id of [...byClient.keys()].sort()) {
    const list = byClient.get(id)!;
    const client = list[0]!.client;
    const targets = list
      .map((e) => ({ name: targetName(client, e.server), e }))
      .sort((a, b) => (a.name === b.name ? a.e.port - b.e.port : a.name < b.name ? -1 : 1))
      .map(({ name, e }) => {
        const n = e.connections;
        const bytes = formatBytes(e.bytesToServer + e.bytesToClient);
        return `${name}:${e.port}/${ipProtocolName(e.ipProtocol)} (${bytes}, ${n} connection${n === 1 ? '' : 's'})`;
      });
    lines.push(`${describeNode(client)} calls: ${targets.join(', ')}`);
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
