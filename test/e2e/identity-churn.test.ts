/**
 * Random churn against the fake API server (seeded, so a failure replays): pods come and go and reuse IPs,
 * owners appear, vanish and change, services move; between rounds watches are dropped mid-line, history is
 * compacted and the server goes down and up. After every round the index must match the server.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { owner, pod, service } from '../../src/enrich/testdata/objects.js';
import { converged, type LiveHarness, startLive } from './identity-helpers.js';

function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return (n: number) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}

let h: LiveHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('live source under random churn', () => {
  it.each([7, 1234])('converges to the server after every round (seed %i)', async (seed) => {
    const pick = rng(seed);
    h = await startLive({ goneAs: seed % 2 ? 'event' : 'http' });
    const server = h.server;
    const podIps = Array.from({ length: 24 }, (_, i) => `10.244.3.${i + 1}`);
    const serviceIps = Array.from({ length: 6 }, (_, i) => `10.96.3.${i + 1}`);
    const universe = [...podIps, ...serviceIps];
    let serial = 0;
    const names = (kind: string) => server.objects(kind).map((o) => o.metadata.name);
    const choose = <T>(list: readonly T[]): T | undefined => (list.length ? list[pick(list.length)] : undefined);

    const freeIp = () => {
      const pods = server.objects('Pod') as { status?: { phase?: string; podIPs?: { ip: string }[] } }[];
      const users = (ip: string) => pods.filter((p) => p.status?.podIPs?.some((x) => x.ip === ip));
      return choose(
        podIps.filter((ip) => users(ip).every((p) => p.status?.phase === 'Succeeded') && users(ip).length < 2),
      );
    };
    const ops: (() => void)[] = [
      () => {
        const ip = freeIp();
        if (!ip) return;
        const parent = choose([
          ...names('ReplicaSet').map((n) => ['ReplicaSet', n] as const),
          ...names('Job').map((n) => ['Job', n] as const),
          undefined,
        ]);
        server.apply(
          pod(`p${++serial}`, { ips: [ip], created: new Date().toISOString(), ...(parent ? { owner: parent } : {}) }),
        );
      },
      () => {
        const name = choose(names('Pod'));
        if (name) server.delete('Pod', 'shop', name);
      },
      () => {
        const found = choose(server.objects('Pod'));
        if (!found) return;
        const ips = (found.status as { podIPs: { ip: string }[] }).podIPs;
        const shared = (server.objects('Pod') as { status?: { podIPs?: { ip: string }[] } }[]).filter(
          (p) => p.status?.podIPs?.[0]?.ip === ips[0]?.ip,
        );
        const phase = shared.length === 1 && pick(3) === 0 ? 'Succeeded' : 'Running';
        server.apply({
          ...found,
          metadata: { ...found.metadata, labels: { app: `v${pick(5)}` } },
          status: { ...(found.status as object), phase },
        });
      },
      () =>
        server.apply(
          owner(
            'ReplicaSet',
            `rs${pick(4)}`,
            choose([['Deployment', `d${pick(3)}`], ['Rollout', 'r'], undefined] as const),
          ),
        ),
      () => server.apply(owner('Job', `job${pick(3)}`, pick(2) ? ['CronJob', `cron${pick(2)}`] : undefined)),
      () => {
        const name = choose([...names('ReplicaSet'), ...names('Job')]);
        if (name) server.delete(name.startsWith('rs') ? 'ReplicaSet' : 'Job', 'shop', name);
      },
      () => server.apply(owner('Deployment', `d${pick(3)}`, pick(3) === 0 ? ['Rollout', 'r'] : undefined)),
      () => {
        const taken = new Set(
          server.objects('Service').flatMap((s) => (s.spec as { clusterIPs: string[] }).clusterIPs),
        );
        const ip = choose(serviceIps.filter((i) => !taken.has(i)));
        if (ip) server.apply(service(`svc${pick(8)}`, [ip]));
      },
      () => {
        const name = choose(names('Service'));
        if (name) server.delete('Service', 'shop', name);
      },
    ];
    const disruptions: (() => Promise<void> | void)[] = [
      () => void server.disconnectWatches({ partialLine: true }),
      () => server.compact(),
      () => server.bookmark(),
      async () => {
        server.setDown(true);
        for (let i = 0; i < 5; i++) choose(ops)!();
        server.compact();
        await new Promise((r) => setTimeout(r, 30));
        server.setDown(false);
      },
    ];

    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < 12; i++) {
        choose(ops)!();
        if (pick(6) === 0) await choose(disruptions)!();
      }
      expect(await converged(h, universe), `seed ${seed} round ${round}`).toEqual([]);
    }
    expect(h.live.informers().some((i) => i.relists > 0)).toBe(true);
  });
});
