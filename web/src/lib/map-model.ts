/**
 * Turns a GraphResponse into what the map draws: islands (one per group), nodes (or one node per collapsed
 * island), and one visual edge per client -> server pair with its ports merged. Pure and deterministic.
 * @module
 */
import type { GraphEdge, GraphNode, GraphResponse } from '../../../src/contract/responses.js';
import { badgeOf, displayName, portLabel } from './format.js';

/** the compound/collapsed node id of an island */
export const islandId = (group: string): string => `grp:${group}`;

export interface Island {
  readonly id: string;
  readonly group: string;
  readonly label: string;
  readonly collapsed: boolean;
  /** ids of the graph nodes inside, most connected first */
  readonly members: readonly string[];
}

export interface VisNode {
  readonly id: string;
  readonly label: string;
  readonly badge: string;
  /** 'island' for a collapsed island, else the graph node's kind */
  readonly kind: string;
  readonly workloadKind: string;
  /** the island's id when drawn inside one, absent for collapsed islands and flat maps */
  readonly parent?: string;
  readonly group: string;
  /** bytes per second on all visible edges touching it */
  readonly rate: number;
  readonly degree: number;
}

export interface VisEdge {
  /** `${source}->${target}` of the drawn nodes */
  readonly id: string;
  readonly source: string;
  readonly target: string;
  /** bytes per second, both directions */
  readonly rate: number;
  /** "7070/TCP", "80/TCP, 443/TCP" or "5 ports" */
  readonly label: string;
  /** the API edges this visual edge stands for */
  readonly edges: readonly GraphEdge[];
}

export interface MapModel {
  readonly islands: readonly Island[];
  readonly nodes: readonly VisNode[];
  readonly edges: readonly VisEdge[];
  readonly seconds: number;
  /** API node id -> drawn node id (itself, or its collapsed island) */
  readonly drawnAs: ReadonlyMap<string, string>;
}

export interface ModelOptions {
  readonly collapsed: ReadonlySet<string>;
  /** false draws no islands (the namespace level, where every node is its own namespace) */
  readonly islands: boolean;
}

const GROUP_ORDER = (group: string): number =>
  group.startsWith('namespace:') ? 0 : group === 'cluster' ? 1 : group === 'external' ? 2 : 3;

/** "namespace:shop" -> "shop", "cluster" -> "Cluster nodes", ... */
export function groupLabel(group: string): string {
  if (group.startsWith('namespace:')) return group.slice('namespace:'.length) || '(no namespace)';
  if (group === 'cluster') return 'Cluster nodes';
  if (group === 'external') return 'External';
  if (group === 'unknown') return 'Unresolved IPs';
  return group;
}

export const edgeBytes = (e: GraphEdge): number => e.bytesToServer + e.bytesToClient;

/** ports of edges as a label: up to three listed, otherwise a count */
export function portsLabel(edges: readonly GraphEdge[]): string {
  const labels = [...new Set(edges.map((e) => portLabel(e.port, e.protocol)))];
  return labels.length <= 3 ? labels.join(', ') : `${labels.length} ports`;
}

/** line width in px from bytes per second: absolute log scale, so live updates do not rescale every edge */
export function edgeWidth(rate: number): number {
  if (rate <= 100) return 1;
  return Math.min(10, 1 + 1.2 * Math.log10(rate / 100));
}

export function buildMapModel(graph: GraphResponse, options: ModelOptions): MapModel {
  const seconds = Math.max(1, (graph.to - graph.from) / 1000);
  const byGroup = new Map<string, GraphNode[]>();
  for (const node of graph.nodes) {
    const list = byGroup.get(node.group);
    if (list) list.push(node);
    else byGroup.set(node.group, [node]);
  }
  const drawnAs = new Map<string, string>();
  for (const node of graph.nodes) {
    const collapsed = options.islands && options.collapsed.has(node.group);
    drawnAs.set(node.id, collapsed ? islandId(node.group) : node.id);
  }
  const edges = mergeEdges(graph.edges, drawnAs, seconds);
  const degree = new Map<string, number>();
  const rate = new Map<string, number>();
  for (const e of edges) {
    for (const id of [e.source, e.target]) {
      degree.set(id, (degree.get(id) ?? 0) + 1);
      rate.set(id, (rate.get(id) ?? 0) + e.rate);
    }
  }
  const apiDegree = new Map<string, number>();
  for (const e of graph.edges) {
    apiDegree.set(e.source, (apiDegree.get(e.source) ?? 0) + 1);
    apiDegree.set(e.target, (apiDegree.get(e.target) ?? 0) + 1);
  }
  const islands: Island[] = [];
  const nodes: VisNode[] = [];
  const groups = [...byGroup.keys()].sort((a, b) => GROUP_ORDER(a) - GROUP_ORDER(b) || a.localeCompare(b));
  for (const group of groups) {
    const members = [...(byGroup.get(group) ?? [])].sort(
      (a, b) => (apiDegree.get(b.id) ?? 0) - (apiDegree.get(a.id) ?? 0) || a.name.localeCompare(b.name),
    );
    const id = islandId(group);
    const collapsed = options.islands && options.collapsed.has(group);
    if (options.islands) {
      islands.push({ id, group, label: groupLabel(group), collapsed, members: members.map((m) => m.id) });
    }
    if (collapsed) {
      nodes.push({
        id,
        label: `${groupLabel(group)} (${members.length})`,
        badge: group.startsWith('namespace:')
          ? 'NS'
          : group === 'external'
            ? 'Ext'
            : group === 'cluster'
              ? 'Node'
              : 'IP',
        kind: 'island',
        workloadKind: '',
        group,
        rate: rate.get(id) ?? 0,
        degree: degree.get(id) ?? 0,
      });
      continue;
    }
    for (const m of members) nodes.push(visNode(m, options.islands ? id : undefined, rate, degree));
  }
  return { islands, nodes, edges, seconds, drawnAs };
}

function visNode(
  m: GraphNode,
  parent: string | undefined,
  rate: ReadonlyMap<string, number>,
  degree: ReadonlyMap<string, number>,
): VisNode {
  const base = {
    id: m.id,
    label: displayName(m),
    badge: badgeOf(m),
    kind: m.kind,
    workloadKind: m.workloadKind,
    group: m.group,
    rate: rate.get(m.id) ?? 0,
    degree: degree.get(m.id) ?? 0,
  };
  return parent === undefined ? base : { ...base, parent };
}

function mergeEdges(edges: readonly GraphEdge[], drawnAs: ReadonlyMap<string, string>, seconds: number): VisEdge[] {
  const pairs = new Map<string, { source: string; target: string; edges: GraphEdge[]; bytes: number }>();
  for (const e of edges) {
    const source = drawnAs.get(e.source) ?? e.source;
    const target = drawnAs.get(e.target) ?? e.target;
    if (source === target) continue;
    const id = `${source}->${target}`;
    const pair = pairs.get(id);
    if (pair) {
      pair.edges.push(e);
      pair.bytes += edgeBytes(e);
    } else pairs.set(id, { source, target, edges: [e], bytes: edgeBytes(e) });
  }
  const out: VisEdge[] = [];
  for (const [id, p] of pairs) {
    p.edges.sort((a, b) => edgeBytes(b) - edgeBytes(a));
    out.push({
      id,
      source: p.source,
      target: p.target,
      rate: p.bytes / seconds,
      label: portsLabel(p.edges),
      edges: p.edges,
    });
  }
  return out;
}
