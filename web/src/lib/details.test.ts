import { describe, expect, it } from 'vitest';
import { detailsOf } from './details.js';
import { sampleGraph } from './testing.js';

describe('detailsOf()', () => {
  const g = sampleGraph();

  it('sums what a node received and sent as server and as client', () => {
    const d = detailsOf(g, new Set(['workload:shop/Deployment/cart']));
    // server of frontend (7070: 3000/6000, 9090: 600/1200), client of postgres (1800/3600)
    expect(d.bytesIn).toBe(3_000 + 600 + 3_600);
    expect(d.bytesOut).toBe(6_000 + 1_200 + 1_800);
    expect(d.connectionsIn).toBe(20);
    expect(d.connectionsOut).toBe(10);
    expect(d.servedPorts).toEqual(['7070/TCP', '9090/TCP']);
    expect(d.calledPorts).toEqual(['5432/TCP']);
    expect(d.services).toEqual(['shop/cart']);
    expect(d.clients.map((p) => p.id)).toEqual(['workload:shop/Deployment/frontend']);
    expect(d.clients[0]?.ports).toEqual(['7070/TCP', '9090/TCP']);
    expect(d.firstSeen).toBe(1_000);
    expect(d.lastSeen).toBe(50_000);
  });

  it('counts only traffic crossing an island boundary and reports inside edges', () => {
    const shop = new Set([
      'workload:shop/Deployment/frontend',
      'workload:shop/Deployment/cart',
      'workload:shop/Deployment/checkout',
    ]);
    const d = detailsOf(g, shop);
    expect(d.internalEdges).toBe(3);
    expect(d.clients.map((p) => p.id)).toEqual(['node:worker-1']);
    expect(d.servers.map((p) => p.id)).toEqual(['workload:data/StatefulSet/postgres', 'external:stripe-api']);
    expect(d.bytesIn).toBe(6_000 + 2 * (2_400 + 1_800 + 300));
  });
});
