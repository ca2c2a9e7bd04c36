import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  formatBytes,
  parseEdgesDocument,
  renderEdges,
  renderJson,
  renderText,
  renderYaml,
  toEdgesDocument,
} from './index.js';
import { EDGES } from './testing.js';
import { toYaml } from './yaml.js';

describe('renderText()', () => {
  const lines = renderText(EDGES).trimEnd().split('\n');
  const targetsOf = (prefix: string) => {
    const line = lines.find((l) => l.startsWith(`${prefix} calls: `));
    expect(line, prefix).toBeDefined();
    return line!.slice(`${prefix} calls: `.length).split(/(?<=\)), /);
  };

  it('writes one line per client naming its servers, ports, bytes and connections', () => {
    expect(lines).toHaveLength(5);
    expect(targetsOf('frontend (Deployment) in namespace shop')).toEqual([
      '203.0.113.9:443/TCP (5.0 kB, 1 connection)',
      'Example "Quoted" Org, Inc.:443/TCP (7.0 kB, 2 connections)',
      'cart:0/ICMP (84 B, 1 connection)',
      'cart:7070/TCP (1.2 MB, 42 connections)',
      'coredns.kube-system:53/UDP (900 B, 6 connections)',
      'redis.db:6379/TCP (80.0 kB, 3 connections)',
      'service/legacy-svc:80/TCP (700 B, 1 connection)',
    ]);
    expect(targetsOf('node worker-1')).toEqual(['cart.shop:7070/TCP (2.0 kB, 12 connections)']);
    expect(targetsOf('corp-vpn (external)')).toEqual(['frontend.shop:8080/TCP (3.0 GB, 1000 connections)']);
    expect(targetsOf('198.51.100.7 (unknown)')).toHaveLength(1);
  });

  it('formats sizes in decimal units', () => {
    expect([999, 1000, 999_949, 999_950, 1_234_567, 3e12].map(formatBytes)).toEqual([
      '999 B',
      '1.0 kB',
      '999.9 kB',
      '1.0 MB',
      '1.2 MB',
      '3.0 TB',
    ]);
  });
});

describe('JSON and YAML documents', () => {
  it('JSON round-trips to the same edges, times as ISO-8601', () => {
    const text = renderJson(EDGES);
    const doc = JSON.parse(text);
    expect(doc.edges[0]).toMatchObject({
      client: { kind: 'workload', namespace: 'shop', name: 'frontend', workloadKind: 'Deployment' },
      port: 7070,
      protocol: 'TCP',
      firstSeen: '2024-05-01T12:00:01.001Z',
      services: ['shop/cartservice'],
    });
    expect(doc.edges[0].client.id).toBeUndefined();
    expect(parseEdgesDocument(doc)).toEqual(EDGES);
  });

  it('YAML parses (yaml package) to the same document as JSON', () => {
    const text = renderYaml(EDGES);
    expect(parseYaml(text)).toEqual(toEdgesDocument(EDGES));
    expect(parseEdgesDocument(parseYaml(text))).toEqual(EDGES);
    expect(text).toContain('name: "yes"');
    expect(text).toContain('namespace: ""');
  });

  it('the YAML emitter quotes whatever a YAML parser would read differently', () => {
    const tricky = {
      s: ['yes', 'No', 'null', '~', '007', '1e3', '.inf', '- x', 'a: b', '#c', ' lead', 'é', 'multi\nline', ''],
      nested: [[1, 2], [], {}, { a: [{ b: true }] }],
      n: [0, -1.5, 1e21],
      'key with space': 1,
    };
    expect(parseYaml(toYaml(tricky))).toEqual(tricky);
  });

  it('rejects a malformed document naming the field', () => {
    const doc = toEdgesDocument(EDGES) as { edges: Record<string, unknown>[] };
    doc.edges[1] = { ...doc.edges[1], protocol: 'XYZ' };
    expect(() => parseEdgesDocument(doc)).toThrow(/edges.*1.*protocol|protocol/);
  });
});

/** a tokenizer and recursive-descent check of the DOT subset renderDot writes (graphviz grammar) */
function parseDot(text: string) {
  const tokens = [...text.matchAll(/"(?:[^"\\]|\\.)*"|->|[{}[\];=,]|[A-Za-z_][A-Za-z0-9_]*|\s+/g)];
  expect(tokens.map((t) => t[0]).join('')).toBe(text); // every character belongs to a token
  const t = tokens.map((m) => m[0]).filter((s) => !/^\s+$/.test(s));
  let i = 0;
  const nodes = new Set<string>();
  const edges: [string, string, string][] = [];
  const next = () => t[i++]!;
  const expectTok = (s: string) => expect(next()).toBe(s);
  const id = () => {
    const tok = next();
    expect(tok).toMatch(/^("|[A-Za-z_])/);
    return tok.startsWith('"') ? JSON.parse(tok.replace(/\\n/g, '\\\\n')) : tok;
  };
  const attrs = () => {
    const out: Record<string, string> = {};
    expectTok('[');
    while (t[i] !== ']') {
      const k = id();
      expectTok('=');
      out[k] = id();
      if (t[i] === ',') i++;
    }
    expectTok(']');
    return out;
  };
  const stmts = () => {
    while (t[i] !== '}') {
      if (t[i] === 'subgraph') {
        i++;
        id();
        expectTok('{');
        stmts();
        expectTok('}');
      } else if (t[i] === 'node' || t[i] === 'edge' || t[i] === 'graph') {
        i++;
        attrs();
      } else {
        const a = id();
        if (t[i] === '=') {
          i++;
          id();
        } else if (t[i] === '->') {
          i++;
          const b = id();
          edges.push([a, b, attrs().label!]);
        } else {
          nodes.add(a);
          attrs();
        }
      }
      if (t[i] === ';') i++; // optional in the DOT grammar
    }
  };
  expectTok('digraph');
  id();
  expectTok('{');
  stmts();
  expectTok('}');
  expect(i).toBe(t.length);
  return { nodes, edges };
}

describe('renderDot()', () => {
  const text = renderEdges('dot', EDGES);

  it('writes valid DOT: every edge between declared nodes, labels with port and traffic', () => {
    const { nodes, edges } = parseDot(text);
    expect(edges).toHaveLength(EDGES.length);
    for (const [a, b] of edges) expect(nodes.has(a) && nodes.has(b)).toBe(true);
    expect(edges[0]).toEqual([
      'workload:shop/Deployment/frontend',
      'workload:shop/Deployment/cart',
      '7070/TCP\\n1.2 MB, 42 conn',
    ]);
    expect(nodes.has('external:Example "Quoted" Org, Inc.')).toBe(true);
    expect(text).toContain('subgraph "cluster_kube-system" {');
  });
});
