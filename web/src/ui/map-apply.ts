/**
 * Brings a cytoscape instance in line with a MapModel by difference: removes what went away, adds what is new
 * (at its remembered or newly assigned slot), updates data that changed, and leaves every other node where it
 * is, so a live refresh never moves what the user is looking at.
 * @module
 */
import type { Core, ElementDefinition, NodeSingular } from 'cytoscape';
import {
  badgeImage,
  edgeWidth,
  kindStyle,
  type LayoutMemory,
  type MapModel,
  type Point,
  placeNodes,
  type SvgScene,
  type VisNode,
} from '../lib/index.js';

/** above this many edges the map draws straight edges and hides them while panning */
export const BIG_GRAPH_EDGES = 1500;

export interface ApplyStats {
  readonly nodes: number;
  readonly edges: number;
  readonly layoutMs: number;
  readonly applyMs: number;
  readonly added: number;
  readonly removed: number;
}

type Role = 'compound' | 'collapsed' | 'leaf';

function nodeData(n: VisNode): Record<string, unknown> {
  const s = kindStyle(n.kind, n.workloadKind);
  const size = n.kind === 'island' ? Math.min(110, 64 + Math.sqrt(n.degree) * 6) : s.size;
  return {
    id: n.id,
    label: n.label,
    badge: n.badge,
    kind: n.kind,
    workloadKind: n.workloadKind,
    group: n.group,
    role: (n.kind === 'island' ? 'collapsed' : 'leaf') satisfies Role,
    color: s.color,
    shape: s.shape,
    w: n.kind === 'island' ? Math.max(size, n.label.length * 8 + 28) : size,
    h: n.kind === 'island' ? Math.round(size * 0.8) : size,
    badgeImg: badgeImage(n.badge, s.color),
    ...(n.parent ? { parent: n.parent } : {}),
  };
}

const EXTERNAL_KINDS = new Set(['external', 'unknown']);

function changed(node: NodeSingular | ReturnType<Core['getElementById']>, data: Record<string, unknown>): boolean {
  for (const [k, v] of Object.entries(data)) if (k !== 'id' && k !== 'parent' && node.data(k) !== v) return true;
  return false;
}

/** updates `cy` to show `model`; returns what it did and how long it took */
export function applyModel(cy: Core, model: MapModel, memory: LayoutMemory): ApplyStats {
  const t0 = performance.now();
  const positions = placeNodes(model, memory);
  const t1 = performance.now();
  const big = model.edges.length > BIG_GRAPH_EDGES;
  (cy as unknown as { renderer(): { hideEdgesOnViewport: boolean } }).renderer().hideEdgesOnViewport = big;
  const wanted = new Map<string, Record<string, unknown>>();
  for (const island of model.islands) {
    if (island.collapsed) continue;
    wanted.set(island.id, {
      id: island.id,
      label: island.label,
      group: island.group,
      kind: 'namespace-island',
      role: 'compound' satisfies Role,
      color: '#cbd5e1',
      shape: 'round-rectangle',
      w: 10,
      h: 10,
      badgeImg: 'none',
      labelSize: Math.min(40, 14 + Math.sqrt(island.members.length) * 2.5),
    });
  }
  for (const n of model.nodes) wanted.set(n.id, nodeData(n));
  const kindOf = new Map(model.nodes.map((n) => [n.id, n.kind]));
  let added = 0;
  let removed = 0;
  cy.batch(() => {
    const edgeIds = new Set(model.edges.map((e) => e.id));
    const goneEdges = cy.edges().filter((e) => !edgeIds.has(e.id()));
    removed += goneEdges.length;
    goneEdges.remove();
    const goneNodes = cy.nodes().filter((n) => {
      const want = wanted.get(n.id());
      return !want || want.role !== n.data('role') || (want.parent ?? undefined) !== (n.data('parent') ?? undefined);
    });
    removed += goneNodes.length;
    goneNodes.remove();
    const add: ElementDefinition[] = [];
    for (const [id, data] of wanted) {
      const existing = cy.getElementById(id);
      if (existing.nonempty()) {
        if (changed(existing, data)) existing.data(data);
        continue;
      }
      const position: Point | undefined = data.role === 'compound' ? undefined : positions.get(id);
      const classes = data.role === 'collapsed' ? 'island' : '';
      add.push(
        position ? { group: 'nodes', data, classes, position: { ...position } } : { group: 'nodes', data, classes },
      );
    }
    for (const e of model.edges) {
      const data = { id: e.id, source: e.source, target: e.target, width: edgeWidth(e.rate), label: e.label };
      const external = EXTERNAL_KINDS.has(kindOf.get(e.source) ?? '') || EXTERNAL_KINDS.has(kindOf.get(e.target) ?? '');
      const classes = [external ? 'ext' : '', big ? 'straight' : ''].filter(Boolean).join(' ');
      const existing = cy.getElementById(e.id);
      if (existing.nonempty()) {
        if (existing.data('width') !== data.width || existing.data('label') !== data.label) existing.data(data);
        existing.classes(classes);
        continue;
      }
      add.push({ group: 'edges', data, classes });
    }
    added = add.length;
    cy.add(add);
  });
  return {
    nodes: model.nodes.length,
    edges: model.edges.length,
    layoutMs: t1 - t0,
    applyMs: performance.now() - t1,
    added,
    removed,
  };
}

/** moves every drawn leaf node to the slot `memory` gives it (memory should be fresh for a full re-layout) */
export function moveToSlots(cy: Core, model: MapModel, memory: LayoutMemory): void {
  const positions = placeNodes(model, memory);
  cy.batch(() => {
    cy.nodes(':childless').forEach((n) => {
      const p = positions.get(n.id());
      if (p) n.position({ ...p });
    });
  });
}

/** the drawn map as a plain scene for the SVG serializer */
export function sceneOf(cy: Core, title: string): SvgScene {
  const islands = cy.nodes(':parent').map((p) => {
    const bb = p.boundingBox({ includeLabels: false });
    return { x1: bb.x1, y1: bb.y1, x2: bb.x2, y2: bb.y2, label: String(p.data('label')) };
  });
  const nodes = cy.nodes(':childless').map((n) => ({
    id: n.id(),
    x: n.position('x'),
    y: n.position('y'),
    kind: String(n.data('kind')),
    workloadKind: String(n.data('workloadKind') ?? ''),
    label: String(n.data('label')),
    badge: String(n.data('badge') ?? ''),
  }));
  const edges = cy.edges().map((e) => {
    const s = e.sourceEndpoint();
    const t = e.targetEndpoint();
    return { x1: s.x, y1: s.y, x2: t.x, y2: t.y, width: Number(e.data('width')), label: String(e.data('label')) };
  });
  return { islands, nodes, edges, title };
}
