/**
 * Brings a cytoscape instance in line with a MapModel by difference: removes what went away, adds what is new
 * (at its remembered or newly assigned slot), updates data that changed, and leaves every other node where it
 * is, so a live refresh never moves what the user is looking at.
 *
 * Islands are "backdrop" nodes sized to their members, not cytoscape compound parents: compound nodes make
 * cytoscape re-walk parents, children and their edges for every style property of every element, which doubled
 * the first render of a 1,000-node map. Backdrops are kept in step by `fitBackdrops` (after updates and drags).
 * @module
 */
import type { CollectionArgument, Core, ElementDefinition, NodeCollection, NodeSingular } from 'cytoscape';
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
const BACKDROP_PAD = 34;

export interface ApplyStats {
  readonly nodes: number;
  readonly edges: number;
  readonly layoutMs: number;
  readonly applyMs: number;
  readonly added: number;
  readonly removed: number;
  /** elements whose data, classes or position changed */
  readonly updated: number;
}

type Role = 'backdrop' | 'collapsed' | 'leaf';

function nodeData(n: VisNode): Record<string, unknown> {
  const s = kindStyle(n.kind, n.workloadKind);
  const island = n.kind === 'island';
  const size = island ? Math.min(110, 64 + Math.sqrt(n.degree) * 6) : s.size;
  return {
    id: n.id,
    label: n.label,
    badge: n.badge,
    kind: n.kind,
    workloadKind: n.workloadKind,
    group: n.group,
    island: n.parent ?? '',
    role: (island ? 'collapsed' : 'leaf') satisfies Role,
    color: s.color,
    shape: s.shape,
    w: island ? Math.max(size, n.label.length * 8 + 28) : size,
    h: island ? Math.round(size * 0.8) : size,
    badgeImg: island ? 'none' : badgeImage(n.badge, s.color),
  };
}

const EXTERNAL_KINDS = new Set(['external', 'unknown']);

function changed(node: NodeSingular, data: Record<string, unknown>): boolean {
  for (const [k, v] of Object.entries(data)) if (k !== 'id' && node.data(k) !== v) return true;
  return false;
}

function wantedNodes(model: MapModel): Map<string, Record<string, unknown>> {
  const wanted = new Map<string, Record<string, unknown>>();
  for (const island of model.islands) {
    if (island.collapsed) continue;
    wanted.set(island.id, {
      id: island.id,
      label: island.label,
      group: island.group,
      kind: 'backdrop',
      role: 'backdrop' satisfies Role,
    });
  }
  for (const n of model.nodes) wanted.set(n.id, nodeData(n));
  return wanted;
}

/** updates `cy` to show `model`; returns what it did and how long it took */
export function applyModel(cy: Core, model: MapModel, memory: LayoutMemory): ApplyStats {
  const t0 = performance.now();
  const positions = placeNodes(model, memory);
  const t1 = performance.now();
  const big = model.edges.length > BIG_GRAPH_EDGES;
  (cy as unknown as { renderer(): { hideEdgesOnViewport: boolean } }).renderer().hideEdgesOnViewport = big;
  const wanted = wantedNodes(model);
  const kindOf = new Map(model.nodes.map((n) => [n.id, n.kind]));
  let added = 0;
  let removed = 0;
  let updated = 0;
  cy.batch(() => {
    const edgeIds = new Set(model.edges.map((e) => e.id));
    const goneEdges = cy.edges().filter((e) => !edgeIds.has(e.id()));
    const goneNodes = cy.nodes().filter((n) => wanted.get(n.id())?.role !== n.data('role'));
    removed = goneEdges.length + goneNodes.length;
    goneEdges.remove();
    goneNodes.remove();
    const add: ElementDefinition[] = [];
    for (const [id, data] of wanted) {
      const existing = cy.getElementById(id);
      if (existing.nonempty()) {
        if (data.role !== 'backdrop' && changed(existing as NodeSingular, data)) {
          existing.data(data);
          updated++;
        }
        continue;
      }
      const position: Point = positions.get(id) ?? { x: 0, y: 0 };
      add.push({ group: 'nodes', data, classes: String(data.role), position: { ...position } });
    }
    for (const e of model.edges) {
      const data = { id: e.id, source: e.source, target: e.target, width: edgeWidth(e.rate), label: e.label };
      const external = EXTERNAL_KINDS.has(kindOf.get(e.source) ?? '') || EXTERNAL_KINDS.has(kindOf.get(e.target) ?? '');
      const classes = [external ? 'ext' : '', big ? 'straight' : ''].filter(Boolean).join(' ');
      const existing = cy.getElementById(e.id);
      if (existing.nonempty()) {
        if (existing.data('width') !== data.width || existing.data('label') !== data.label) {
          existing.data(data);
          updated++;
        }
        if (existing.classes().join(' ') !== classes) {
          existing.classes(classes);
          updated++;
        }
        continue;
      }
      add.push({ group: 'edges', data, classes });
    }
    added = add.length;
    cy.add(add);
    updated += fitBackdrops(cy);
  });
  return {
    nodes: model.nodes.length,
    edges: model.edges.length,
    layoutMs: t1 - t0,
    applyMs: performance.now() - t1,
    added,
    removed,
    updated,
  };
}

/** members of each island backdrop, by island id */
export function islandMembers(cy: Core): Map<string, NodeCollection> {
  const lists = new Map<string, NodeSingular[]>();
  cy.nodes('.leaf').forEach((n) => {
    const island = n.data('island') as string;
    if (!island) return;
    const list = lists.get(island);
    if (list) list.push(n);
    else lists.set(island, [n]);
  });
  return new Map(
    [...lists].map(([id, list]) => [id, cy.collection(list as unknown as CollectionArgument) as NodeCollection]),
  );
}

/** sizes and places island backdrops around their members (all islands, or only `only`); returns how many moved */
export function fitBackdrops(cy: Core, only?: ReadonlySet<string>): number {
  const members = islandMembers(cy);
  let moved = 0;
  cy.nodes('.backdrop').forEach((b) => {
    if (only && !only.has(b.id())) return;
    const m = members.get(b.id());
    if (!m || m.empty()) return;
    let x1 = Number.POSITIVE_INFINITY;
    let y1 = Number.POSITIVE_INFINITY;
    let x2 = Number.NEGATIVE_INFINITY;
    let y2 = Number.NEGATIVE_INFINITY;
    m.forEach((n) => {
      const p = n.position();
      const r = Number(n.data('w')) / 2;
      x1 = Math.min(x1, p.x - r);
      y1 = Math.min(y1, p.y - r);
      x2 = Math.max(x2, p.x + r);
      y2 = Math.max(y2, p.y + r + 14);
    });
    const w = x2 - x1 + 2 * BACKDROP_PAD;
    const h = y2 - y1 + 2 * BACKDROP_PAD;
    const at = { x: (x1 + x2) / 2, y: (y1 + y2) / 2 };
    if (b.data('w') === w && b.data('h') === h && b.position('x') === at.x && b.position('y') === at.y) return;
    b.data({ w, h });
    b.position(at);
    moved++;
  });
  return moved;
}

/** moves every drawn node to the slot `memory` gives it (memory should be fresh for a full re-layout) */
export function moveToSlots(cy: Core, model: MapModel, memory: LayoutMemory): void {
  const positions = placeNodes(model, memory);
  cy.batch(() => {
    cy.nodes('.leaf, .collapsed').forEach((n) => {
      const p = positions.get(n.id());
      if (p) n.position({ ...p });
    });
    fitBackdrops(cy);
  });
}

/** the drawn map as a plain scene for the SVG serializer */
export function sceneOf(cy: Core, title: string): SvgScene {
  const islands = cy.nodes('.backdrop').map((b) => {
    const bb = b.boundingBox({ includeLabels: false });
    return { x1: bb.x1, y1: bb.y1, x2: bb.x2, y2: bb.y2, label: String(b.data('label')) };
  });
  const nodes = cy.nodes('.leaf, .collapsed').map((n) => ({
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
