import { describe, expect, it } from 'vitest';
import { createSimulatedCluster } from './simulation.js';
import type { ClusterEvent, KubeList } from './store.js';

const START = Date.UTC(2025, 5, 15, 12, 0, 0);
const key = (o: { kind: string; metadata: { namespace?: string; name: string } }) =>
  `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const DNS1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function byKey(list: KubeList) {
  return new Map(list.items.map((o) => [key(o), o]));
}

function apply(list: KubeList, events: readonly ClusterEvent[]) {
  const objects = byKey(list);
  for (const e of events) {
    if (e.type === 'DELETED') objects.delete(key(e.object));
    else objects.set(key(e.object), e.object);
  }
  return objects;
}

function ownerChain(objects: Map<string, KubeList['items'][number]>, pod: KubeList['items'][number]): string[] {
  const chain: string[] = [];
  let current = pod;
  for (let hops = 0; hops < 5; hops++) {
    const ref = current.metadata.ownerReferences?.[0];
    if (!ref) break;
    const owner = objects.get(`${ref.kind}/${current.metadata.namespace}/${ref.name}`);
    expect(owner, `owner ${ref.kind}/${ref.name} of ${current.metadata.name}`).toBeDefined();
    expect(owner!.metadata.uid).toBe(ref.uid);
    chain.push(ref.kind);
    current = owner!;
  }
  return chain;
}

describe('createSimulatedCluster', () => {
  it('starts with every kind of object kubectl lists, each a well-formed v1 object', () => {
    const snapshot = createSimulatedCluster({ seed: 1, start: START }).snapshot();
    expect(snapshot.apiVersion).toBe('v1');
    expect(snapshot.kind).toBe('List');
    const kinds = new Set(snapshot.items.map((o) => o.kind));
    for (const k of [
      'Node',
      'Pod',
      'Service',
      'EndpointSlice',
      'ReplicaSet',
      'Deployment',
      'StatefulSet',
      'DaemonSet',
      'Job',
      'CronJob',
    ])
      expect(kinds.has(k), k).toBe(true);
    const uids = new Set<string>();
    for (const o of snapshot.items) {
      expect(o.metadata.name).toMatch(DNS1123);
      expect(Number(o.metadata.resourceVersion)).toBeGreaterThan(0);
      expect(uids.has(o.metadata.uid)).toBe(false);
      uids.add(o.metadata.uid);
      expect(Number.isNaN(Date.parse(o.metadata.creationTimestamp))).toBe(false);
    }
    expect(snapshot.items.filter((o) => o.kind === 'Node')).toHaveLength(3);
  });

  it('gives every pod an owner chain to its top controller', () => {
    const snapshot = createSimulatedCluster({ seed: 2, start: START }).snapshot();
    const objects = byKey(snapshot);
    const chains = new Map<string, string>();
    for (const pod of snapshot.items.filter((o) => o.kind === 'Pod'))
      chains.set(pod.metadata.name, ownerChain(objects, pod).join('>'));
    const values = new Set(chains.values());
    expect(values).toEqual(new Set(['ReplicaSet>Deployment', 'StatefulSet', 'DaemonSet', 'Job>CronJob']));
    expect(chains.get('redis-cart-0')).toBe('StatefulSet');
  });

  it('publishes the ready pods of each Service in its EndpointSlice, with target ports', () => {
    const cluster = createSimulatedCluster({ seed: 3, start: START });
    const snapshot = cluster.snapshot();
    const pods = snapshot.items.filter((o) => o.kind === 'Pod');
    for (const service of snapshot.items.filter((o) => o.kind === 'Service')) {
      const selector = service.spec!.selector as Record<string, string>;
      const matching = pods.filter(
        (p) =>
          p.metadata.namespace === service.metadata.namespace &&
          Object.entries(selector).every(([k, v]) => p.metadata.labels?.[k] === v),
      );
      const slice = snapshot.items.find(
        (o) =>
          o.kind === 'EndpointSlice' && o.metadata.labels?.['kubernetes.io/service-name'] === service.metadata.name,
      )!;
      const addresses = (slice.endpoints as { addresses: string[] }[]).flatMap((e) => e.addresses).sort();
      expect(addresses.length).toBeGreaterThan(0);
      expect(addresses).toEqual(matching.map((p) => (p.status as { podIP: string }).podIP).sort());
      const targetPorts = (service.spec!.ports as { targetPort: number }[]).map((p) => p.targetPort).sort();
      expect((slice.ports as { port: number }[]).map((p) => p.port).sort()).toEqual(targetPorts);
    }
    expect(snapshot.items.find((o) => o.kind === 'Service' && o.metadata.name === 'kube-dns')!.spec!.clusterIP).toBe(
      '10.96.0.10',
    );
  });

  it('reuses the address of a finished CronJob pod for a running pod, and host-network pods use their node IP', () => {
    const snapshot = createSimulatedCluster({ seed: 4, start: START }).snapshot();
    const pods = snapshot.items.filter((o) => o.kind === 'Pod');
    const status = (p: (typeof pods)[number]) => p.status as { phase: string; podIP: string; hostIP: string };
    const finished = pods.filter((p) => status(p).phase === 'Succeeded');
    expect(finished.length).toBe(2);
    for (const done of finished) {
      const reused = pods.find(
        (p) => p !== done && status(p).phase === 'Running' && status(p).podIP === status(done).podIP,
      );
      expect(reused, `a running pod reuses ${status(done).podIP}`).toBeDefined();
    }
    for (const p of pods.filter((x) => (x.spec as { hostNetwork?: boolean }).hostNetwork))
      expect(status(p).podIP).toBe(status(p).hostIP);
  });

  it('replaying its watch events onto the first snapshot gives the current snapshot (rollouts, CronJob runs)', () => {
    const cluster = createSimulatedCluster({ seed: 5, start: START, rolloutEveryMs: 60_000 });
    const first = cluster.snapshot();
    const events: ClusterEvent[] = [];
    for (let t = START + 1000; t <= START + 15 * 60_000; t += 1000) events.push(...cluster.advance(t));
    const replayed = apply(first, events);
    const current = byKey(cluster.snapshot());
    expect([...replayed.keys()].sort()).toEqual([...current.keys()].sort());
    for (const [k, o] of current) expect(replayed.get(k), k).toEqual(o);
    const count = (type: string, kind: string) =>
      events.filter((e) => e.type === type && e.object.kind === kind).length;
    expect(count('ADDED', 'ReplicaSet')).toBeGreaterThan(3);
    expect(count('DELETED', 'Pod')).toBeGreaterThan(5);
    expect(count('ADDED', 'Job')).toBeGreaterThanOrEqual(7);
    expect(count('DELETED', 'Job')).toBeGreaterThan(3);
    expect(count('MODIFIED', 'EndpointSlice')).toBeGreaterThan(5);
    const versions = events.map((e) => Number(e.object.metadata.resourceVersion));
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(events.map((e) => e.at)).toEqual([...events.map((e) => e.at)].sort((a, b) => a - b));
  });

  it('is deterministic for a seed', () => {
    const run = (seed: number) => {
      const c = createSimulatedCluster({ seed, start: START });
      const events = c.advance(START + 10 * 60_000);
      return JSON.stringify([c.snapshot(), events]);
    };
    expect(run(9)).toBe(run(9));
    expect(run(9)).not.toBe(run(10));
  });
});
