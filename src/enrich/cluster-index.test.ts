import { describe, expect, it } from 'vitest';
import { type Endpoint, UNKNOWN_ENDPOINT } from '../core/endpoint.js';
import { parseIp } from '../core/ip.js';
import { type ClusterIndex, createClusterIndex } from './cluster-index.js';
import type { ObjectEventType, ResourceKind } from './kube-objects.js';
import { node, owner, pod, service, slice } from './testdata/objects.js';

const T0 = Date.parse('2024-05-01T10:00:00Z');
const ip = (text: string) => parseIp(text)!;

function setup(graceMs = 60_000, workloadLabel?: string) {
  let now = T0 + 3_600_000;
  const external = { resolve: (addr: unknown) => (addr === ip('8.8.8.8') ? GOOGLE : UNKNOWN_ENDPOINT) };
  const index = createClusterIndex({ tombstoneGraceMs: graceMs, workloadLabel }, { clock: () => now, external });
  const apply = (type: ObjectEventType, raw: Record<string, unknown>) =>
    index.apply(type, index.slim(raw.kind as ResourceKind, raw));
  return {
    index,
    apply,
    add: (raw: Record<string, unknown>) => apply('ADDED', raw),
    at: (ms: number) => {
      now = ms;
    },
    get now() {
      return now;
    },
  };
}

const GOOGLE: Endpoint = Object.freeze({ kind: 'external', name: 'Google LLC', external: { asn: 15169 } });
const who = (index: ClusterIndex, addr: string, at: number, port?: number, proto?: number) => {
  const e = index.lookup(ip(addr), at, port, proto);
  return e.kind === 'pod' ? `${e.name} ${e.workload?.kind}/${e.workload?.name}` : `${e.kind} ${e.name ?? ''}`.trim();
};

describe('createClusterIndex() pods', () => {
  it('names a pod by its top controller through ReplicaSet and Deployment, whatever the arrival order', () => {
    const s = setup();
    s.add(pod('web-5d8f-x1', { ips: ['10.244.1.5'], owner: ['ReplicaSet', 'web-5d8f'] }));
    expect(who(s.index, '10.244.1.5', s.now)).toBe('web-5d8f-x1 ReplicaSet/web-5d8f');
    s.add(owner('ReplicaSet', 'web-5d8f', ['Deployment', 'web']));
    expect(who(s.index, '10.244.1.5', s.now)).toBe('web-5d8f-x1 Deployment/web');
    s.add(owner('Deployment', 'web', ['Rollout', 'web-rollout']));
    expect(who(s.index, '10.244.1.5', s.now)).toBe('web-5d8f-x1 Rollout/web-rollout');
    s.apply('DELETED', owner('Deployment', 'web'));
    expect(who(s.index, '10.244.1.5', s.now)).toBe('web-5d8f-x1 Deployment/web');
  });

  it('guesses the Deployment from the ReplicaSet name and pod-template-hash while the ReplicaSet is unknown', () => {
    const s = setup();
    s.add(
      pod('api-7c9d6b-abcde', {
        ips: ['10.244.1.6'],
        owner: ['ReplicaSet', 'api-7c9d6b'],
        labels: { 'pod-template-hash': '7c9d6b' },
      }),
    );
    expect(who(s.index, '10.244.1.6', s.now)).toBe('api-7c9d6b-abcde Deployment/api');
  });

  it('names Job pods by their CronJob, StatefulSet pods by a CRD owner, bare pods by themselves', () => {
    const s = setup();
    s.add(owner('Job', 'report-28564800', ['CronJob', 'report']));
    s.add(pod('report-28564800-q2x4z', { ips: ['10.244.1.7'], owner: ['Job', 'report-28564800'] }));
    s.add(owner('StatefulSet', 'prometheus-k8s', ['Prometheus', 'k8s'], 'monitoring'));
    s.add(
      pod('prometheus-k8s-0', {
        namespace: 'monitoring',
        ips: ['10.244.1.8'],
        owner: ['StatefulSet', 'prometheus-k8s'],
      }),
    );
    s.add(pod('debug', { ips: ['10.244.1.9'] }));
    expect(who(s.index, '10.244.1.7', s.now)).toBe('report-28564800-q2x4z CronJob/report');
    expect(who(s.index, '10.244.1.8', s.now)).toBe('prometheus-k8s-0 Prometheus/k8s');
    expect(who(s.index, '10.244.1.9', s.now)).toBe('debug Pod/debug');
  });

  it('stops walking an ownerReference cycle', () => {
    const s = setup();
    s.add(owner('ReplicaSet', 'a', ['Deployment', 'b']));
    s.add(owner('Deployment', 'b', ['ReplicaSet', 'a']));
    s.add(pod('p', { ips: ['10.244.1.10'], owner: ['ReplicaSet', 'a'] }));
    expect(s.index.lookup(ip('10.244.1.10'), s.now).workload?.kind).toMatch(/ReplicaSet|Deployment/);
  });

  it('replaces the workload name with the override label, keeping the kind', () => {
    const s = setup(60_000, 'app.kubernetes.io/part-of');
    s.add(owner('ReplicaSet', 'cart-1', ['Deployment', 'cart']));
    s.add(
      pod('cart-1-x', {
        ips: ['10.244.1.11'],
        owner: ['ReplicaSet', 'cart-1'],
        labels: { 'app.kubernetes.io/part-of': 'boutique' },
      }),
    );
    s.add(pod('other', { ips: ['10.244.1.12'], owner: ['ReplicaSet', 'cart-1'] }));
    expect(who(s.index, '10.244.1.11', s.now)).toBe('cart-1-x Deployment/boutique');
    expect(who(s.index, '10.244.1.12', s.now)).toBe('other Deployment/cart');
  });

  it('gives the seed label-chain name', () => {
    const s = setup();
    s.add(pod('a', { ips: ['10.244.2.1'], labels: { name: 'n', 'k8s-app': 'k' } }));
    s.add(pod('b', { ips: ['10.244.2.2'], labels: { 'app.kubernetes.io/name': 'x', component: 'c' } }));
    s.add(pod('c', { ips: ['10.244.2.3'], labels: { 'job-name': 'j' } }));
    s.add(pod('d', { ips: ['10.244.2.4'], labels: { tier: 't' } }));
    const seed = (a: string) => s.index.lookup(ip(a), s.now).seedName;
    expect([seed('10.244.2.1'), seed('10.244.2.2'), seed('10.244.2.3'), seed('10.244.2.4')]).toEqual([
      'n',
      'x',
      'j',
      'd',
    ]);
  });

  it('indexes every podIP, IPv4 and IPv6', () => {
    const s = setup();
    s.add(pod('dual', { ips: ['10.244.1.20', 'fd00:10:244:1::14'] }));
    expect(who(s.index, '10.244.1.20', s.now)).toBe('dual Pod/dual');
    expect(who(s.index, 'fd00:10:244:1:0:0:0:14', s.now)).toBe('dual Pod/dual');
  });

  it('returns the same object for the same pod, and keeps it across updates that change nothing visible', () => {
    const s = setup();
    s.add(pod('p', { ips: ['10.244.1.21'], labels: { app: 'p' } }));
    const first = s.index.lookup(ip('10.244.1.21'), s.now);
    expect(s.index.lookup(ip('10.244.1.21'), s.now + 5)).toBe(first);
    s.apply('MODIFIED', { ...pod('p', { ips: ['10.244.1.21'], labels: { app: 'p' } }), extra: 'status churn' });
    expect(s.index.lookup(ip('10.244.1.21'), s.now)).toBe(first);
    s.apply('MODIFIED', pod('p', { ips: ['10.244.1.21'], labels: { app: 'p', version: '2' } }));
    expect(s.index.lookup(ip('10.244.1.21'), s.now)).not.toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });
});

describe('createClusterIndex() validity over time', () => {
  it('resolves a reused IP by the flow time and keeps the deleted pod for the grace period', () => {
    const s = setup(60_000);
    s.add(pod('old', { ips: ['10.244.1.30'], created: '2024-05-01T10:00:00Z' }));
    const deletedAt = T0 + 3_600_000;
    s.at(deletedAt);
    s.apply('DELETED', pod('old', { ips: ['10.244.1.30'] }));
    expect(who(s.index, '10.244.1.30', deletedAt - 1000)).toBe('old Pod/old');
    expect(who(s.index, '10.244.1.30', deletedAt + 30_000)).toBe('old Pod/old');
    expect(who(s.index, '10.244.1.30', deletedAt + 61_000)).toBe('unknown');
    s.at(deletedAt + 5_000);
    s.add(pod('new', { ips: ['10.244.1.30'], created: new Date(deletedAt + 5_000).toISOString() }));
    expect(who(s.index, '10.244.1.30', deletedAt - 1000)).toBe('old Pod/old');
    expect(who(s.index, '10.244.1.30', deletedAt + 6_000)).toBe('new Pod/new');
    expect(who(s.index, '10.244.1.30', deletedAt + 600_000)).toBe('new Pod/new');
  });

  it('lets a Running pod win over a finished pod that still lists the same IP', () => {
    const s = setup();
    s.add(pod('job-done', { ips: ['10.244.1.31'], phase: 'Succeeded' }));
    expect(who(s.index, '10.244.1.31', s.now)).toBe('job-done Pod/job-done');
    s.add(pod('runner', { ips: ['10.244.1.31'], phase: 'Running' }));
    expect(who(s.index, '10.244.1.31', s.now)).toBe('runner Pod/runner');
  });

  it('turns a pod re-created under the same name (new uid) into a tombstone plus a new pod', () => {
    const s = setup();
    s.add(pod('web-0', { uid: 'u1', ips: ['10.244.1.40'] }));
    s.at(s.now + 10_000);
    s.apply('MODIFIED', pod('web-0', { uid: 'u2', ips: ['10.244.1.41'], created: new Date(s.now).toISOString() }));
    expect(who(s.index, '10.244.1.40', s.now - 1_000)).toBe('web-0 Pod/web-0');
    expect(who(s.index, '10.244.1.41', s.now + 1)).toBe('web-0 Pod/web-0');
    expect(s.index.stats()).toMatchObject({ pods: 1, tombstones: 1 });
  });

  it('prunes tombstones past the grace period', () => {
    const s = setup(1_000);
    s.add(pod('gone', { ips: ['10.244.1.50'] }));
    s.apply('DELETED', pod('gone', { ips: ['10.244.1.50'] }));
    expect(s.index.stats()).toMatchObject({ tombstones: 1, addresses: 1 });
    s.at(s.now + 5_000);
    s.index.prune();
    expect(s.index.stats()).toMatchObject({ tombstones: 0, addresses: 0 });
  });
});

describe('createClusterIndex() host network, services, nodes, external', () => {
  it('finds host-network pods by node IP and declared port only; the node otherwise', () => {
    const s = setup();
    s.add(node('worker-1', '10.0.0.11', '198.51.100.11'));
    s.add(owner('DaemonSet', 'node-exporter', undefined, 'monitoring'));
    s.add(
      pod('node-exporter-abc', {
        namespace: 'monitoring',
        hostNetwork: true,
        ips: ['10.0.0.11'],
        owner: ['DaemonSet', 'node-exporter'],
        ports: [{ port: 9100, hostPort: 9100 }],
      }),
    );
    s.add(
      pod('dns', {
        ips: ['10.244.1.60'],
        hostIPs: ['10.0.0.11'],
        ports: [{ port: 53, protocol: 'UDP', hostPort: 5353 }],
      }),
    );
    const e = s.index.lookup(ip('10.0.0.11'), s.now, 9100, 6);
    expect(e).toMatchObject({ kind: 'pod', name: 'node-exporter-abc', hostNetwork: true });
    expect(s.index.lookup(ip('10.0.0.11'), s.now, 9100)).toBe(e);
    expect(who(s.index, '10.0.0.11', s.now, 9100, 17)).toBe('node worker-1');
    expect(who(s.index, '10.0.0.11', s.now, 22, 6)).toBe('node worker-1');
    expect(who(s.index, '10.0.0.11', s.now)).toBe('node worker-1');
    expect(who(s.index, '198.51.100.11', s.now)).toBe('node worker-1');
    expect(who(s.index, '10.0.0.11', s.now, 5353, 17)).toBe('dns Pod/dns');
    expect(s.index.lookup(ip('10.0.0.11'), s.now, 5353, 17).hostNetwork).toBeUndefined();
  });

  it('names ClusterIPs, externalIPs and load-balancer IPs by their service, with ports', () => {
    const s = setup();
    s.add(
      service('frontend', ['10.96.0.20', 'fd00:10:96::20'], {
        externalIPs: ['192.0.2.1'],
        lb: ['203.0.113.7'],
        ports: [
          { port: 80, targetPort: 8080 },
          { port: 443, targetPort: 'https' },
        ],
      }),
    );
    for (const addr of ['10.96.0.20', 'fd00:10:96::20', '192.0.2.1', '203.0.113.7']) {
      expect(who(s.index, addr, s.now)).toBe('service frontend');
    }
    expect(s.index.lookup(ip('10.96.0.20'), s.now).ports).toEqual([
      { port: 80, ipProtocol: 6, targetPort: 8080 },
      { port: 443, ipProtocol: 6, targetPort: 0 },
    ]);
    s.apply('DELETED', service('frontend', ['10.96.0.20']));
    expect(who(s.index, '10.96.0.20', s.now)).toBe('unknown');
  });

  it('tells services sharing a load-balancer IP apart by port', () => {
    const s = setup();
    s.add(service('web', ['10.96.0.40'], { lb: ['203.0.113.9'], ports: [{ port: 443 }] }));
    s.add(service('dns', ['10.96.0.41'], { lb: ['203.0.113.9'], ports: [{ port: 53, protocol: 'UDP' }] }));
    expect(who(s.index, '203.0.113.9', s.now, 443, 6)).toBe('service web');
    expect(who(s.index, '203.0.113.9', s.now, 53, 17)).toBe('service dns');
    expect(who(s.index, '10.96.0.41', s.now)).toBe('service dns');
  });

  it('answers isServiceBackend from EndpointSlices, else from the selector', () => {
    const s = setup();
    s.add(service('cart', ['10.96.0.30'], { selector: { app: 'cart' } }));
    s.add(service('db', ['10.96.0.31']));
    s.add(pod('cart-1', { ips: ['10.244.1.70'], labels: { app: 'cart' } }));
    s.add(pod('web-1', { ips: ['10.244.1.71'], labels: { app: 'web' } }));
    s.add(slice('db-abc', 'db', ['10.1.2.3']));
    const cart = s.index.lookup(ip('10.96.0.30'), s.now);
    const db = s.index.lookup(ip('10.96.0.31'), s.now);
    expect(s.index.isServiceBackend(cart, ip('10.244.1.70'), s.now)).toBe(true);
    expect(s.index.isServiceBackend(cart, ip('10.244.1.71'), s.now)).toBe(false);
    expect(s.index.isServiceBackend(db, ip('10.1.2.3'), s.now)).toBe(true);
    expect(s.index.isServiceBackend(db, ip('10.244.1.70'), s.now)).toBe(false);
    s.apply('DELETED', slice('db-abc', 'db', []));
    expect(s.index.isServiceBackend(db, ip('10.1.2.3'), s.now)).toBe(false);
  });

  it("names a Service's backing workload when every EndpointSlice address is a pod of one workload", () => {
    const s = setup();
    const backend = () => s.index.lookup(ip('10.96.0.50'), s.now).backend;
    s.add(service('cart', ['10.96.0.50'], { ports: [{ port: 80, targetPort: 8080 }] }));
    expect(backend()).toBeUndefined();
    // the slice may list addresses before their pods arrive: the pods complete it
    s.add(slice('cart-a', 'cart', ['10.244.1.80', '10.244.2.80']));
    expect(backend()).toBeUndefined();
    s.add(pod('cart-5d-a', { ips: ['10.244.1.80'], owner: ['ReplicaSet', 'cart-5d'] }));
    expect(backend()).toBeUndefined();
    s.add(pod('cart-5d-b', { ips: ['10.244.2.80'], owner: ['ReplicaSet', 'cart-5d'] }));
    expect(backend()).toMatchObject({ kind: 'ReplicaSet', name: 'cart-5d' });
    s.add(owner('ReplicaSet', 'cart-5d', ['Deployment', 'cart']));
    expect(backend()).toEqual({ kind: 'Deployment', namespace: 'shop', name: 'cart' });
    const before = s.index.lookup(ip('10.96.0.50'), s.now);
    s.add(slice('cart-a', 'cart', ['10.244.1.80']));
    expect(s.index.lookup(ip('10.96.0.50'), s.now)).toBe(before);
    // a second workload behind the same Service: no single backend
    s.add(pod('legacy-1', { ips: ['10.244.3.81'] }));
    s.add(slice('cart-b', 'cart', ['10.244.3.81']));
    expect(backend()).toBeUndefined();
    s.apply('DELETED', slice('cart-b', 'cart', []));
    expect(backend()).toEqual({ kind: 'Deployment', namespace: 'shop', name: 'cart' });
    s.apply('DELETED', slice('cart-a', 'cart', []));
    expect(backend()).toBeUndefined();
  });

  it("recomputes a Service's backing workload when a pod update changes what lookups see, not otherwise", () => {
    const s = setup();
    const backend = () => s.index.lookup(ip('10.96.0.50'), s.now).backend;
    s.add(service('cart', ['10.96.0.50'], { ports: [{ port: 80, targetPort: 8080 }] }));
    s.add(slice('cart-a', 'cart', ['10.244.1.80']));
    s.add(pod('cart-5d-a', { ips: ['10.244.1.80'], owner: ['ReplicaSet', 'cart-5d'] }));
    expect(backend()).toMatchObject({ kind: 'ReplicaSet', name: 'cart-5d' });
    const named = s.index.lookup(ip('10.96.0.50'), s.now);
    s.add(pod('cart-5d-a', { ips: ['10.244.1.80'], owner: ['ReplicaSet', 'cart-5d'] })); // a status-only update
    expect(s.index.lookup(ip('10.96.0.50'), s.now)).toBe(named);
    s.add(pod('cart-5d-a', { ips: ['10.244.1.80'], owner: ['ReplicaSet', 'cart-6e'] })); // now another workload's
    expect(backend()).toMatchObject({ kind: 'ReplicaSet', name: 'cart-6e' });
  });

  it('falls back to the external resolver for addresses no object claims', () => {
    const s = setup();
    expect(s.index.lookup(ip('8.8.8.8'), s.now)).toBe(GOOGLE);
    expect(s.index.lookup(ip('10.9.9.9'), s.now)).toBe(UNKNOWN_ENDPOINT);
  });

  it('rejects objects without a name or with invalid IPs', () => {
    const s = setup();
    expect(() => s.index.slim('Pod', { metadata: {} })).toThrow('Cannot read Pod: metadata.name is missing');
    expect(() => s.add(pod('bad', { ips: ['10.0.0.999'] }))).toThrow(
      'Cannot read Pod "shop/bad": "10.0.0.999" in status.podIPs is not an IP address',
    );
  });
});
