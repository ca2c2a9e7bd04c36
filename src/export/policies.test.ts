import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { buildNetworkPolicies, renderClientIntents, renderNetworkPolicies } from './index.js';
import { EDGES } from './testing.js';

const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS());
const comments = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.startsWith('# '))
    .map((l) => l.slice(2));

describe('renderNetworkPolicies()', () => {
  const text = renderNetworkPolicies(EDGES);
  const policies = docs(text);
  const byName = new Map(policies.map((p) => [`${p.metadata.namespace}/${p.metadata.name}`, p]));

  it('writes one ingress policy per server workload', () => {
    expect([...byName.keys()]).toEqual([
      'db/flowmap-statefulset-redis',
      'kube-system/flowmap-deployment-coredns',
      'shop/flowmap-deployment-cart',
      'shop/flowmap-deployment-frontend',
    ]);
    for (const p of policies) {
      expect(p.apiVersion).toBe('networking.k8s.io/v1');
      expect(p.kind).toBe('NetworkPolicy');
      expect(p.spec.policyTypes).toEqual(['Ingress']);
      expect(p.metadata.annotations['flowmap.io/selector']).toBe('assumed');
    }
  });

  it('allows same-namespace clients by pod selector on the ports they used', () => {
    const cart = byName.get('shop/flowmap-deployment-cart');
    expect(cart.spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'cart' } });
    expect(cart.spec.ingress).toEqual([
      {
        from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'yes' } } }],
        ports: [{ port: 7070, protocol: 'TCP' }],
      },
      {
        from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'frontend' } } }],
        ports: [{ port: 7070, protocol: 'TCP' }],
      },
    ]);
  });

  it('selects clients of other namespaces by namespace and pod labels', () => {
    expect(byName.get('kube-system/flowmap-deployment-coredns').spec.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'frontend' } },
          },
        ],
        ports: [{ port: 53, protocol: 'UDP' }],
      },
    ]);
  });

  it('turns unknown addresses into ipBlocks and lists what it cannot express', () => {
    expect(byName.get('shop/flowmap-deployment-frontend').spec.ingress).toEqual([
      { from: [{ ipBlock: { cidr: '198.51.100.7/32' } }], ports: [{ port: 8080, protocol: 'TCP' }] },
    ]);
    const notes = comments(text);
    expect(notes[0]).toBe('flowmap could not express:');
    expect(notes.some((n) => n.startsWith('- node worker-1 -> cart (Deployment)') && n.includes('7070/TCP'))).toBe(
      true,
    );
    expect(notes.some((n) => n.startsWith('- corp-vpn (external) -> frontend'))).toBe(true);
    expect(notes.some((n) => n.includes('0/ICMP') && n.includes('not a policy port'))).toBe(true);
    expect(notes.some((n) => n.startsWith('- service legacy-svc in namespace shop on 80/TCP'))).toBe(true);
  });

  it('uses the selectors and CIDRs the caller knows', () => {
    const { policies: built, notes } = buildNetworkPolicies(EDGES, {
      selectorFor: (node) => ({ app: node.name, tier: 'web' }),
      cidrsFor: (node) => (node.id === 'node:worker-1' ? ['10.0.0.11/32'] : undefined),
    });
    const cart = built.find((p) => p.metadata.name === 'flowmap-deployment-cart')!;
    expect(cart.spec.podSelector.matchLabels).toEqual({ app: 'cart', tier: 'web' });
    expect(cart.metadata.annotations['flowmap.io/selector']).toBeUndefined();
    expect(cart.spec.ingress.map((r) => r.from[0])).toContainEqual({ ipBlock: { cidr: '10.0.0.11/32' } });
    expect(notes.some((n) => n.includes('worker-1'))).toBe(false);
  });
});

describe('renderClientIntents()', () => {
  const text = renderClientIntents(EDGES);
  const intents = docs(text);

  it('writes one ClientIntents per client workload with its targets', () => {
    expect(intents.map((i) => `${i.metadata.namespace}/${i.metadata.name}`)).toEqual(['shop/frontend', 'shop/yes']);
    const frontend = intents[0];
    expect(frontend.apiVersion).toBe('k8s.otterize.com/v2');
    expect(frontend.kind).toBe('ClientIntents');
    expect(frontend.spec.workload).toEqual({ name: 'frontend', kind: 'Deployment' });
    expect(frontend.spec.targets).toEqual([
      { internet: { ips: ['203.0.113.9'], ports: [443] } },
      { kubernetes: { name: 'redis.db', kind: 'StatefulSet' } },
      { kubernetes: { name: 'coredns.kube-system', kind: 'Deployment' } },
      { kubernetes: { name: 'cart', kind: 'Deployment' } },
      { service: { name: 'legacy-svc' } },
    ]);
  });

  it('notes clients that are not workloads and targets it cannot name', () => {
    const notes = comments(text);
    expect(notes).toContain('- node worker-1: not a workload, no ClientIntents');
    expect(notes.some((n) => n.includes('Example "Quoted" Org, Inc.') && n.includes('not expressible'))).toBe(true);
  });
});
