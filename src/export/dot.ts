/**
 * Graphviz DOT of the map: clients point at servers, nodes grouped in one cluster per namespace.
 * @module
 */
import type { Edge, MapNode } from '../core/edge.js';
import { ipProtocolName } from '../core/flow.js';
import { formatBytes } from './describe.js';

function escapeDot(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/** a DOT double-quoted string of `lines` joined by DOT line breaks */
function quote(...lines: string[]): string {
  return `"${lines.map(escapeDot).join('\\n')}"`;
}

const SHAPES: Readonly<Record<MapNode['kind'], string>> = {
  workload: 'box',
  pod: 'box',
  namespace: 'folder',
  service: 'ellipse',
  node: 'hexagon',
  external: 'octagon',
  unknown: 'note',
};

function nodeLine(node: MapNode): string {
  const detail = node.workloadKind || node.kind;
  return `${quote(node.id)} [label=${quote(node.name, detail)}, shape=${SHAPES[node.kind]}];`;
}

/**
 * `digraph flowmap { ... }`: one node statement per map node (id as the DOT id, "name\nkind" as label), namespaced
 * nodes inside `subgraph "cluster_<namespace>"`, one edge per map edge labelled "port/protocol" and
 * "bytes, connections".
 */
export function renderDot(edges: readonly Edge[]): string {
  const nodes = new Map<string, MapNode>();
  for (const e of edges) {
    nodes.set(e.clientId, e.client);
    nodes.set(e.serverId, e.server);
  }
  const byNamespace = new Map<string, MapNode[]>();
  for (const node of [...nodes.values()].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const list = byNamespace.get(node.namespace);
    if (list) list.push(node);
    else byNamespace.set(node.namespace, [node]);
  }
  const out = ['digraph flowmap {', '  rankdir=LR;', '  node [fontname="Helvetica", style=rounded];'];
  for (const ns of [...byNamespace.keys()].sort()) {
    const list = byNamespace.get(ns)!;
    if (ns === '') {
      for (const node of list) out.push(`  ${nodeLine(node)}`);
      continue;
    }
    out.push(`  subgraph ${quote(`cluster_${ns}`)} {`, `    label=${quote(`namespace ${ns}`)};`);
    for (const node of list) out.push(`    ${nodeLine(node)}`);
    out.push('  }');
  }
  for (const e of edges) {
    const n = e.connections;
    const label = quote(
      `${e.port}/${ipProtocolName(e.ipProtocol)}`,
      `${formatBytes(e.bytesToServer + e.bytesToClient)}, ${n} conn`,
    );
    out.push(`  ${quote(e.clientId)} -> ${quote(e.serverId)} [label=${label}];`);
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}
