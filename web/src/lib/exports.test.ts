import { describe, expect, it } from 'vitest';
import { edgesAsJson, edgesAsText } from './edge-export.js';
import { sceneToSvg } from './svg-export.js';
import { sampleGraph } from './testing.js';

describe('edge exports', () => {
  const g = sampleGraph();

  it('writes JSON in the `flowmap map` shape with client and server endpoints', () => {
    const doc = JSON.parse(edgesAsJson(g, g.edges)) as { level: string; edges: Record<string, unknown>[] };
    expect(doc.level).toBe('workload');
    expect(doc.edges).toHaveLength(g.edges.length);
    const first = doc.edges[0]!;
    expect(first.client).toEqual({
      id: 'node:worker-1',
      kind: 'node',
      namespace: '',
      name: 'worker-1',
      workloadKind: 'Node',
    });
    expect(first).toMatchObject({
      port: 8080,
      protocol: 'TCP',
      bytesToServer: 6_000,
      bytesToClient: 12_000,
      evidence: 'tcp-handshake',
    });
    expect(doc.edges[1]?.services).toEqual(['shop/cart']);
  });

  it('writes one aligned text line per edge', () => {
    const lines = edgesAsText(g, g.edges).trimEnd().split('\n');
    expect(lines).toHaveLength(g.edges.length + 1);
    expect(lines[1]).toMatch(
      /^worker-1\s+->\s+shop\/frontend\s+8080\/TCP\s+18 KB\s+300 B\/s\s+10 conn\s+tcp-handshake$/,
    );
  });
});

describe('sceneToSvg()', () => {
  it('draws islands, nodes and edges with arrowheads and escapes labels', () => {
    const svg = sceneToSvg({
      title: 'map <1>',
      islands: [{ x1: 0, y1: 0, x2: 300, y2: 200, label: 'shop' }],
      nodes: [
        { id: 'a', x: 50, y: 50, kind: 'workload', workloadKind: 'Deployment', label: 'front&end', badge: 'Deploy' },
        { id: 'b', x: 250, y: 150, kind: 'service', workloadKind: 'Service', label: 'cart', badge: 'Svc' },
      ],
      edges: [{ x1: 60, y1: 60, x2: 240, y2: 140, width: 3, label: '7070/TCP' }],
    });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<g class="node"/g)).toHaveLength(2);
    expect(svg.match(/<g class="island"/g)).toHaveLength(1);
    expect(svg).toContain('marker-end="url(#arrow)"');
    expect(svg).toContain('front&#38;end');
    expect(svg).toContain('<title>map &#60;1&#62;</title>');
    expect(svg).toContain('7070/TCP');
    expect(svg).toContain('<polygon');
  });
});
