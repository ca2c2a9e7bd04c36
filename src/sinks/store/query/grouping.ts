/**
 * Re-keying edges onto coarser nodes: the namespace level, and the node limit that folds the smallest nodes
 * into their group so that a graph never exceeds what the client can draw (Grafana: 1,500 nodes).
 * @module
 */

import { sumEdges } from '../../../aggregate/index.js';
import type { Edge, MapNode } from '../../../core/edge.js';
import { namespaceNode } from '../../../core/map-node.js';
import { edgeBytes } from './filters.js';

/** maps every node through `map` and sums the edges that then share a key */
export function regroup(edges: readonly Edge[], map: (node: MapNode) => MapNode): Edge[] {
  const moved = edges.map((e): Edge => {
    const client = map(e.client);
    const server = map(e.server);
    return Object.assign({}, e, { client, server, clientId: client.id, serverId: server.id }); // no spread: see withServices
  });
  return sumEdges([moved]);
}

/** the namespace-level node of a workload-level node: namespaced nodes fold into their namespace */
export function toNamespaceLevel(node: MapNode): MapNode {
  return node.namespace !== '' && node.kind !== 'namespace' ? namespaceNode(node.namespace) : node;
}

/** the island a node is drawn in */
export function groupOf(node: MapNode): string {
  if (node.namespace !== '') return `namespace:${node.namespace}`;
  if (node.kind === 'node') return 'cluster';
  if (node.kind === 'external') return 'external';
  return 'unknown';
}

const OTHER: Record<string, MapNode> = {
  cluster: { id: 'node:*', kind: 'node', namespace: '', name: 'other nodes', workloadKind: 'Node' },
  external: { id: 'external:*', kind: 'external', namespace: '', name: 'other external endpoints', workloadKind: '' },
  unknown: { id: 'unknown:*', kind: 'unknown', namespace: '', name: 'other unknown addresses', workloadKind: '' },
};

/** the node a grouped-away node is folded into */
function foldedNode(node: MapNode): MapNode {
  if (node.namespace !== '') return namespaceNode(node.namespace);
  return OTHER[groupOf(node)] ?? OTHER.unknown!;
}

function trafficByNode(edges: readonly Edge[]): Map<string, { node: MapNode; bytes: number }> {
  const out = new Map<string, { node: MapNode; bytes: number }>();
  for (const e of edges) {
    for (const node of [e.client, e.server]) {
      const t = out.get(node.id) ?? { node, bytes: 0 };
      t.bytes += edgeBytes(e);
      out.set(node.id, t);
    }
  }
  return out;
}

const byTrafficDesc = (a: { node: MapNode; bytes: number }, b: { node: MapNode; bytes: number }) =>
  b.bytes - a.bytes || (a.node.id < b.node.id ? -1 : 1);

/**
 * Keeps the busiest nodes and folds the rest into their namespace node (or "other nodes/external/unknown");
 * if that is still too many (more groups than the limit), drops the quietest nodes with their edges.
 */
export function limitNodes(edges: readonly Edge[], limit: number): { edges: Edge[]; truncated: boolean } {
  const traffic = trafficByNode(edges);
  if (traffic.size <= limit) return { edges: [...edges], truncated: false };
  const ranked = [...traffic.values()].sort(byTrafficDesc);
  const groups = new Set(ranked.map((t) => foldedNode(t.node).id));
  const keep = new Set(ranked.slice(0, Math.max(0, limit - groups.size)).map((t) => t.node.id));
  let out = regroup(edges, (n) => (keep.has(n.id) ? n : foldedNode(n)));
  const after = trafficByNode(out);
  if (after.size > limit) {
    const survivors = new Set(
      [...after.values()]
        .sort(byTrafficDesc)
        .slice(0, limit)
        .map((t) => t.node.id),
    );
    out = out.filter((e) => survivors.has(e.clientId) && survivors.has(e.serverId));
  }
  return { edges: out, truncated: true };
}
