/**
 * The simulated cluster fed to the identity index exactly as the integrator wires it (snapshot, then watch events):
 * at every moment, every running pod address names its workload, every ClusterIP its Service, every node IP its
 * node, host-network ports their DaemonSet, and addresses reused after a CronJob pod finished name the new owner.
 */
import { describe, expect, it } from 'vitest';
import { parseIp } from '../../src/core/ip.js';
import { createSimulatedCluster, type KubeObject } from '../../src/demo/index.js';
import { createClusterIndex, isResourceKind } from '../../src/enrich/index.js';
import { startFakeKube } from '../fake-kube/index.js';

const START = Date.UTC(2025, 5, 15, 12, 0, 0);

describe('demo cluster through the identity index', () => {
  it('resolves pods, services, nodes and host-network ports while pods come and go', () => {
    let now = START;
    const index = createClusterIndex({ tombstoneGraceMs: 60_000 }, { clock: () => now });
    const feed = (type: 'ADDED' | 'MODIFIED' | 'DELETED', o: KubeObject) => {
      if (isResourceKind(o.kind)) index.apply(type, index.slim(o.kind, o));
    };
    const cluster = createSimulatedCluster({ seed: 21, start: START, rolloutEveryMs: 20_000 });
    for (const o of cluster.snapshot().items) feed('ADDED', o);
    let checks = 0;
    for (let t = START; t <= START + 12 * 60_000; t += 5000) {
      now = t;
      for (const e of cluster.advance(t)) feed(e.type, e.object);
      for (const pod of cluster.pods()) {
        if (pod.phase !== 'Running' || !pod.ip) continue;
        const port = pod.workload.ports[0];
        const endpoint = pod.hostNetwork
          ? index.lookup(parseIp(pod.ip)!, t, port?.port, port?.protocol === 'UDP' ? 17 : 6)
          : index.lookup(parseIp(pod.ip)!, t);
        expect(endpoint.kind, `${pod.name} ${pod.ip}`).toBe('pod');
        expect(endpoint.workload).toMatchObject({
          kind: pod.workload.kind,
          namespace: pod.namespace,
          name: pod.workload.name,
        });
        checks++;
      }
      for (const s of cluster.services) {
        const endpoint = index.lookup(parseIp(s.clusterIP)!, t);
        expect(endpoint).toMatchObject({ kind: 'service', namespace: s.namespace, name: s.spec.name });
      }
      for (const n of cluster.nodes)
        expect(index.lookup(parseIp(n.internalIP)!, t)).toMatchObject({ kind: 'node', name: n.name });
    }
    expect(checks).toBeGreaterThan(1000);
  });

  it("drives the fake API server: snapshot loaded, events applied, the server ends with the cluster's objects", async () => {
    const server = await startFakeKube();
    try {
      const cluster = createSimulatedCluster({ seed: 22, start: START, rolloutEveryMs: 20_000 });
      server.load(cluster.snapshot().items);
      for (let t = START; t <= START + 6 * 60_000; t += 5000) {
        for (const e of cluster.advance(t)) {
          if (e.type === 'DELETED') server.delete(e.object.kind, e.object.metadata.namespace, e.object.metadata.name);
          else server.apply(e.object);
        }
      }
      const names = (items: readonly { kind?: unknown; metadata: { name: string } }[], kind: string) =>
        items
          .filter((o) => o.kind === kind)
          .map((o) => o.metadata.name)
          .sort();
      const expected = cluster.snapshot().items;
      for (const kind of ['Pod', 'ReplicaSet', 'Job', 'EndpointSlice', 'Service', 'Node']) {
        const stored = server.objects(kind) as unknown as { metadata: { name: string } }[];
        expect(stored.map((o) => o.metadata.name).sort(), kind).toEqual(names(expected, kind));
      }
    } finally {
      await server.close();
    }
  });
});
