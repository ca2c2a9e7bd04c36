import { describe, expect, it } from 'vitest';
import type { GraphEdge, GraphNode, GraphResponse } from '../../../src/contract/responses.js';
import { createLayoutMemory, islandRadius, placeNodes, RING_GAP, ringCapacity, slotOffset } from './layout.js';
import { buildMapModel } from './map-model.js';
import { edge, sampleGraph, workload } from './testing.js';

const dist = (a: { x: number; y: number }, b: { x: number; y: number }) => Math.hypot(a.x - b.x, a.y - b.y);

function cluster(namespaces: number, per: number): GraphResponse {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  for (let n = 0; n < namespaces; n++) {
    const list = Array.from({ length: per }, (_, i) => workload(`ns-${n}`, `w-${i}`));
    nodes.push(...list);
    for (let i = 1; i < per; i++) edges.push(edge(list[0]!, list[i]!, 80, 100));
  }
  return { from: 0, to: 60_000, level: 'workload', nodes, edges, truncated: false };
}

describe('ring slots', () => {
  it('gives every slot its own place, at least a ring gap apart from the slots of other rings', () => {
    const points = Array.from({ length: 200 }, (_, i) => slotOffset(i));
    const keys = new Set(points.map((p) => `${p.x},${p.y}`));
    expect(keys.size).toBe(200);
    let min = Number.POSITIVE_INFINITY;
    for (let i = 0; i < points.length; i++)
      for (let j = i + 1; j < points.length; j++) min = Math.min(min, dist(points[i]!, points[j]!));
    expect(min).toBeGreaterThan(RING_GAP * 0.8);
    expect(ringCapacity(0)).toBe(1);
  });

  it('sizes an island to hold its nodes', () => {
    for (const n of [1, 5, 24, 300]) {
      const r = islandRadius(n);
      for (let i = 0; i < n; i++) expect(Math.hypot(slotOffset(i).x, slotOffset(i).y)).toBeLessThan(r);
    }
  });
});

describe('placeNodes()', () => {
  it('puts islands apart: no two islands overlap', () => {
    const m = buildMapModel(cluster(12, 10), { collapsed: new Set(), islands: true });
    const memory = createLayoutMemory();
    const pos = placeNodes(m, memory);
    const islands = m.islands.map((i) => ({ c: pos.get(i.id)!, r: islandRadius(i.members.length) }));
    for (let i = 0; i < islands.length; i++)
      for (let j = i + 1; j < islands.length; j++)
        expect(dist(islands[i]!.c, islands[j]!.c)).toBeGreaterThanOrEqual(islands[i]!.r + islands[j]!.r);
    expect(pos.get('workload:ns-0/Deployment/w-0')).toEqual(pos.get('grp:namespace:ns-0'));
  });

  it('keeps known nodes where they were when new nodes and islands arrive', () => {
    const g = sampleGraph();
    const memory = createLayoutMemory();
    const first = placeNodes(buildMapModel(g, { collapsed: new Set(), islands: true }), memory);
    const extra = workload('shop', 'ads');
    const other = workload('billing', 'invoicer');
    const g2 = { ...g, nodes: [...g.nodes, extra, other], edges: [...g.edges, edge(extra, other, 80, 100)] };
    const second = placeNodes(buildMapModel(g2, { collapsed: new Set(), islands: true }), memory);
    for (const [id, p] of first) expect(second.get(id)).toEqual(p);
    const taken = [...first.entries()].filter(([id]) => !id.startsWith('grp:')).map(([, p]) => p);
    for (const p of taken) expect(dist(p, second.get(extra.id)!)).toBeGreaterThan(50);
    expect(second.has(other.id)).toBe(true);
  });

  it('puts an island that collapses and expands again back exactly as before', () => {
    const g = sampleGraph();
    const memory = createLayoutMemory();
    const open = placeNodes(buildMapModel(g, { collapsed: new Set(), islands: true }), memory);
    placeNodes(buildMapModel(g, { collapsed: new Set(['namespace:shop']), islands: true }), memory);
    const again = placeNodes(buildMapModel(g, { collapsed: new Set(), islands: true }), memory);
    expect(again).toEqual(open);
  });

  it('puts a node on the side of its island that faces the island it talks to', () => {
    const hub = workload('left', 'hub');
    const ring = ['a', 'b', 'c', 'd'].map((n) => workload('left', n));
    const far = workload('right', 'far');
    const g: GraphResponse = {
      from: 0,
      to: 60_000,
      level: 'workload',
      nodes: [hub, ...ring, far],
      // every ring member calls the hub; a, b and d call each other too (so c is placed last); only c calls the
      // other island
      edges: [
        ...ring.map((r) => edge(r, hub, 80, 100)),
        edge(ring[0]!, ring[1]!, 80, 100),
        edge(ring[1]!, ring[3]!, 80, 100),
        edge(ring[3]!, ring[0]!, 80, 100),
        edge(ring[2]!, far, 80, 100),
      ],
      truncated: false,
    };
    const pos = placeNodes(buildMapModel(g, { collapsed: new Set(), islands: true }), createLayoutMemory());
    const center = pos.get('grp:namespace:left')!;
    const other = pos.get('grp:namespace:right')!;
    const towards = (id: string) => {
      const p = pos.get(id)!;
      return ((p.x - center.x) * (other.x - center.x) + (p.y - center.y) * (other.y - center.y)) / dist(p, center);
    };
    const c = towards(ring[2]!.id);
    for (const r of [ring[0]!, ring[1]!, ring[3]!]) expect(c).toBeGreaterThan(towards(r.id));
  });

  it('lays out 1,000 nodes without two of them on the same spot', () => {
    const m = buildMapModel(cluster(40, 25), { collapsed: new Set(), islands: true });
    const pos = placeNodes(m, createLayoutMemory());
    const keys = new Set(m.nodes.map((n) => `${pos.get(n.id)?.x},${pos.get(n.id)?.y}`));
    expect(keys.size).toBe(1000);
  });
});
