/**
 * The live source against the fake API server, with the real @kubernetes/client-node informers: after every
 * change, disconnect, compaction and outage the index converges to the server's state.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseIp } from '../../src/core/ip.js';
import { node, owner, pod, service } from '../../src/enrich/testdata/objects.js';
import { buildClusterSnapshot } from '../fixtures/cluster-snapshot.js';
import { converged, describeAnswer, type LiveHarness, startLive, waitFor } from './identity-helpers.js';

let h: LiveHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const rs = (name: string, deployment: string) => owner('ReplicaSet', name, ['Deployment', deployment]);

describe('live source on the fake API server', () => {
  it('syncs the realistic cluster, then follows adds, modifies and deletes', async () => {
    h = await startLive({}, buildClusterSnapshot().list.items);
    expect(h.live.synced).toBe(true);
    expect(await converged(h)).toEqual([]);
    expect(h.index.stats().pods).toBeGreaterThan(30);

    h.server.apply(owner('Deployment', 'checkout-v2'));
    h.server.apply(rs('checkout-v2-6f7c8d', 'checkout-v2'));
    h.server.apply(
      pod('checkout-v2-6f7c8d-aaaaa', { ips: ['10.244.2.200'], owner: ['ReplicaSet', 'checkout-v2-6f7c8d'] }),
    );
    h.server.apply(service('checkout-v2', ['10.96.50.1']));
    expect(await converged(h)).toEqual([]);
    expect(describeAnswer(h.index, '10.244.2.200', Date.now())).toBe(
      'pod shop/checkout-v2-6f7c8d-aaaaa Deployment/checkout-v2',
    );

    h.server.apply(
      pod('checkout-v2-6f7c8d-aaaaa', {
        ips: ['10.244.2.200'],
        owner: ['ReplicaSet', 'checkout-v2-6f7c8d'],
        labels: { app: 'checkout' },
      }),
    );
    h.server.apply(service('checkout-v2', ['10.96.50.2']));
    expect(await converged(h, ['10.96.50.1'])).toEqual([]);
    expect(h.index.lookup(parseIp('10.244.2.200')!, Date.now()).seedName).toBe('checkout');

    const deletedAt = Date.now();
    h.server.delete('Pod', 'shop', 'checkout-v2-6f7c8d-aaaaa');
    h.server.delete('Service', 'shop', 'checkout-v2');
    expect(await converged(h, ['10.244.2.200', '10.96.50.2'])).toEqual([]);
    // within the grace period the deleted pod still names late flows
    expect(describeAnswer(h.index, '10.244.2.200', deletedAt)).toBe(
      'pod shop/checkout-v2-6f7c8d-aaaaa Deployment/checkout-v2',
    );
  });

  it('reads LISTs in pages of one snapshot, and starts over when a continue token expires mid-list', async () => {
    const pods = Array.from({ length: 23 }, (_, i) => pod(`web-${i}`, { ips: [`10.244.4.${i + 1}`] }));
    let expireOnce = true;
    h = await startLive({}, pods, {
      listPageSize: 5,
      beforeStart: (server) => {
        server.beforeList = (path, query) => {
          // the second page of the first pod LIST: a pod appears and history is compacted (the token expires)
          if (path !== '/api/v1/pods' || !query.continue || !expireOnce) return;
          expireOnce = false;
          server.apply(pod('late', { ips: ['10.244.4.200'] }));
          server.compact();
        };
      },
    });
    expect(await converged(h)).toEqual([]);
    expect(describeAnswer(h.index, '10.244.4.200', Date.now())).toBe('pod shop/late Pod/late');
    expect(describeAnswer(h.index, '10.244.4.23', Date.now())).toBe('pod shop/web-22 Pod/web-22');
    const podLists = h.server.requests.filter((r) => r.path === '/api/v1/pods' && !r.watch);
    // 5 + 5 (expired) | 5 + 5 + 5 + 5 + 4 over the 24 pods after the restart
    expect(podLists.map((r) => [r.query.limit, r.query.continue !== undefined])).toEqual([
      ['5', false],
      ['5', true],
      ['5', false],
      ['5', true],
      ['5', true],
      ['5', true],
      ['5', true],
    ]);
    expect(h.live.informers().find((i) => i.kind === 'Pod')?.relists).toBe(1);
    // the watch resumes from the snapshot the pages came from: a change after sync arrives
    h.server.apply(pod('later', { ips: ['10.244.4.201'] }));
    expect(await converged(h)).toEqual([]);
  });

  it('resolves a reused pod IP by the flow time', async () => {
    h = await startLive({}, [
      owner('StatefulSet', 'db'),
      pod('db-0', { uid: 'first', ips: ['10.244.1.50'], owner: ['StatefulSet', 'db'] }),
    ]);
    const beforeDelete = Date.now();
    await new Promise((r) => setTimeout(r, 20));
    h.server.delete('Pod', 'shop', 'db-0');
    await waitFor(() => h!.index.stats().tombstones === 1);
    const created = new Date(Date.now() + 5).toISOString();
    await new Promise((r) => setTimeout(r, 20));
    h.server.apply(pod('cache-1', { uid: 'second', ips: ['10.244.1.50'], created }));
    expect(await converged(h)).toEqual([]);
    expect(describeAnswer(h.index, '10.244.1.50', beforeDelete)).toBe('pod shop/db-0 StatefulSet/db');
    expect(describeAnswer(h.index, '10.244.1.50', Date.now())).toBe('pod shop/cache-1 Pod/cache-1');
  });

  it('follows owner chains whatever the order objects arrive in, and when owners change', async () => {
    h = await startLive();
    h.server.apply(pod('api-5c6d7e-xxxxx', { ips: ['10.244.1.60'], owner: ['ReplicaSet', 'api-5c6d7e'] }));
    h.server.apply(pod('report-1-yyyyy', { ips: ['10.244.1.61'], owner: ['Job', 'report-1'] }));
    await waitFor(() => h!.index.stats().pods === 2);
    h.server.apply(rs('api-5c6d7e', 'api'));
    h.server.apply(owner('Deployment', 'api'));
    h.server.apply(owner('Job', 'report-1', ['CronJob', 'report']));
    h.server.apply(owner('CronJob', 'report'));
    expect(await converged(h)).toEqual([]);
    expect(describeAnswer(h.index, '10.244.1.60', Date.now())).toBe('pod shop/api-5c6d7e-xxxxx Deployment/api');
    expect(describeAnswer(h.index, '10.244.1.61', Date.now())).toBe('pod shop/report-1-yyyyy CronJob/report');
    h.server.apply(owner('Deployment', 'api', ['Rollout', 'api']));
    expect(await converged(h)).toEqual([]);
    expect(describeAnswer(h.index, '10.244.1.60', Date.now())).toBe('pod shop/api-5c6d7e-xxxxx Rollout/api');
  });

  it.each(['event', 'http'] as const)(
    'reconnects after dropped watches and relists on 410 Gone (%s)',
    async (goneAs) => {
      const items = [
        node('worker-1', '10.0.0.11'),
        pod('a', { ips: ['10.244.1.1'] }),
        pod('b', { ips: ['10.244.1.2'] }),
      ];
      h = await startLive({ goneAs }, items);
      const listsBefore = h.server.requests.filter((r) => r.path === '/api/v1/pods' && !r.watch).length;
      // a drop with a half-written line: the client resumes from its last resourceVersion and misses nothing
      h.server.disconnectWatches({ partialLine: true });
      h.server.apply(pod('c', { ips: ['10.244.1.3'] }));
      expect(await converged(h)).toEqual([]);
      // changes while nobody watches, then the history is compacted: resuming gets 410 and the informers relist
      h.server.setDown(true);
      h.server.delete('Pod', 'shop', 'a');
      h.server.apply(pod('d', { ips: ['10.244.1.4'] }));
      h.server.delete('Node', undefined, 'worker-1');
      h.server.compact();
      h.server.setDown(false);
      expect(await converged(h, ['10.244.1.1', '10.0.0.11'])).toEqual([]);
      const podInformer = h.live.informers().find((i) => i.kind === 'Pod')!;
      expect(podInformer.relists).toBeGreaterThanOrEqual(1);
      expect(h.server.requests.filter((r) => r.path === '/api/v1/pods' && !r.watch).length).toBeGreaterThan(
        listsBefore,
      );
      await waitFor(() => h!.live.lastError === undefined);
    },
  );

  it('reports an outage in lastError and the logs, keeps serving the last known index, and recovers', async () => {
    h = await startLive({}, [pod('a', { ips: ['10.244.1.1'] }), service('s', ['10.96.0.9'])]);
    h.server.setDown(true);
    h.server.delete('Pod', 'shop', 'a');
    await waitFor(() => h!.live.lastError !== undefined);
    expect(h.live.lastError).toMatch(/^Cannot (watch|list) "\/[^"]+": /);
    expect(h.live.synced).toBe(true);
    expect(h.logs.some((l) => l.level === 'warn' && l.message.startsWith('Cannot '))).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(describeAnswer(h.index, '10.244.1.1', Date.now())).toBe('pod shop/a Pod/a');
    expect(describeAnswer(h.index, '10.96.0.9', Date.now())).toBe('service shop/s');
    const restarts = h.live.informers().reduce((n, i) => n + i.restarts, 0);
    expect(restarts).toBeGreaterThan(0);
    h.server.setDown(false);
    expect(await converged(h, ['10.244.1.1'])).toEqual([]);
    await waitFor(() => h!.live.lastError === undefined);
    expect(h.logs.some((l) => l.level === 'info' && l.message.startsWith('Watching "'))).toBe(true);
  });
});
