import { describe, expect, it } from 'vitest';
import { buildMapModel, edgeWidth, groupLabel, islandId, portsLabel } from './map-model.js';
import { edge, sampleGraph, workload } from './testing.js';

describe('buildMapModel()', () => {
  const graph = sampleGraph();

  it('puts every node in its island, namespaces first, then cluster and external', () => {
    const m = buildMapModel(graph, { collapsed: new Set(), islands: true });
    expect(m.islands.map((i) => i.group)).toEqual(['namespace:data', 'namespace:shop', 'cluster', 'external']);
    expect(m.islands.find((i) => i.group === 'namespace:shop')?.members[0]).toBe('workload:shop/Deployment/frontend');
    expect(m.nodes.find((n) => n.id === 'workload:shop/Deployment/cart')?.parent).toBe('grp:namespace:shop');
    expect(m.nodes).toHaveLength(6);
  });

  it('merges the ports of one client -> server pair into one edge with a port label and summed rate', () => {
    const m = buildMapModel(graph, { collapsed: new Set(), islands: true });
    const e = m.edges.find((x) => x.id === 'workload:shop/Deployment/frontend->workload:shop/Deployment/cart');
    expect(e?.label).toBe('7070/TCP, 9090/TCP');
    expect(e?.edges).toHaveLength(2);
    expect(e?.rate).toBeCloseTo((3_000 + 6_000 + 600 + 1_200) / 60, 6);
    expect(m.edges).toHaveLength(6);
  });

  it('draws a collapsed island as one node, re-points its edges and drops edges inside it', () => {
    const m = buildMapModel(graph, { collapsed: new Set(['namespace:shop']), islands: true });
    const shop = islandId('namespace:shop');
    expect(m.nodes.some((n) => n.id === 'workload:shop/Deployment/cart')).toBe(false);
    expect(m.nodes.find((n) => n.id === shop)?.label).toBe('shop (3)');
    expect(m.drawnAs.get('workload:shop/Deployment/cart')).toBe(shop);
    const toData = m.edges.find((e) => e.id === `${shop}->workload:data/StatefulSet/postgres`);
    expect(toData?.edges).toHaveLength(2);
    expect(toData?.label).toBe('5432/TCP');
    expect(m.edges.some((e) => e.source === shop && e.target === shop)).toBe(false);
    expect(m.islands.find((i) => i.group === 'namespace:shop')?.collapsed).toBe(true);
  });

  it('draws no islands when asked (namespace level)', () => {
    const m = buildMapModel(graph, { collapsed: new Set(['namespace:shop']), islands: false });
    expect(m.islands).toEqual([]);
    expect(m.nodes.every((n) => n.parent === undefined)).toBe(true);
    expect(m.nodes).toHaveLength(6);
  });

  it('labels more than three ports by count', () => {
    const a = workload('x', 'a');
    const b = workload('x', 'b');
    expect(portsLabel([80, 81, 82, 83].map((p) => edge(a, b, p, 1)))).toBe('4 ports');
    expect(portsLabel([edge(a, b, 53, 1, { protocol: 'UDP' })])).toBe('53/UDP');
  });
});

describe('edgeWidth()', () => {
  it('grows with the rate on a log scale and stays within 1..10 px', () => {
    expect(edgeWidth(0)).toBe(1);
    expect(edgeWidth(1_000)).toBeGreaterThan(edgeWidth(100));
    expect(edgeWidth(1_000_000)).toBeGreaterThan(edgeWidth(1_000));
    expect(edgeWidth(1e15)).toBe(10);
  });
});

describe('groupLabel()', () => {
  it('names groups for people', () => {
    expect(groupLabel('namespace:shop')).toBe('shop');
    expect(groupLabel('cluster')).toBe('Cluster nodes');
    expect(groupLabel('external')).toBe('External');
    expect(groupLabel('unknown')).toBe('Unresolved IPs');
  });
});
