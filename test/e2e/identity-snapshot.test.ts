/**
 * The realistic cluster (several namespaces, host-network DaemonSets, a CronJob, dual-stack pods and services)
 * loaded from snapshot files, JSON or YAML, whole or split, and served live by the fake API server: every pod
 * IP, host-network port, service IP and node IP resolves to what the fixture declares.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseIp } from '../../src/core/ip.js';
import { type ClusterIndex, enrichConfig } from '../../src/enrich/index.js';
import { createIdentity } from '../../src/enrich/kubernetes/index.js';
import { buildClusterSnapshot, type ExpectedAnswer } from '../fixtures/cluster-snapshot.js';
import { type LiveHarness, startLive } from './identity-helpers.js';

const fixture = buildClusterSnapshot();
const dir = mkdtempSync(join(tmpdir(), 'flowmap-identity-'));
const AT = Date.parse('2024-05-01T12:00:00Z');

function answer(index: ClusterIndex, e: ExpectedAnswer): Record<string, unknown> {
  const got = index.lookup(parseIp(e.ip)!, AT, e.port, e.ipProtocol);
  return {
    ip: e.ip,
    ...(e.port === undefined ? {} : { port: e.port, ipProtocol: e.ipProtocol }),
    kind: got.kind,
    ...(got.namespace ? { namespace: got.namespace } : {}),
    name: got.name,
    ...(e.workload ? { workload: `${got.workload?.kind}/${got.workload?.name}` } : {}),
    ...(e.seedName ? { seedName: got.seedName } : {}),
    ...(e.hostNetwork ? { hostNetwork: got.hostNetwork } : {}),
  };
}

function expectAll(index: ClusterIndex): void {
  const got = fixture.expected.map((e) => answer(index, e));
  expect(got).toEqual(fixture.expected);
}

async function loadFiles(paths: string[]): Promise<ClusterIndex> {
  const identity = createIdentity(enrichConfig.parse({ snapshots: paths, asn: false }), {
    clock: () => AT,
    log: () => {},
    env: {},
  });
  await identity.start(new AbortController().signal);
  expect(identity.status()).toEqual({
    ready: true,
    sources: [{ name: 'snapshot', synced: true, lastError: undefined }],
  });
  return identity.index;
}

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('realistic cluster snapshot', () => {
  it('covers every pod IP, every ClusterIP/external/LB IP and every node IP of the fixture', () => {
    const items = fixture.list.items;
    const pods = items.filter((i) => i.kind === 'Pod');
    const hostNetworkPods = pods.filter((p) => (p.spec as { hostNetwork?: boolean }).hostNetwork);
    const podIps = pods
      .filter((p) => !hostNetworkPods.includes(p))
      .flatMap((p) => (p.status as { podIPs: { ip: string }[] }).podIPs.map((x) => x.ip));
    const expectedIps = new Set(fixture.expected.map((e) => e.ip));
    for (const ip of podIps) expect(expectedIps, ip).toContain(ip);
    for (const s of items.filter((i) => i.kind === 'Service')) {
      for (const ip of (s.spec as { clusterIPs: string[] }).clusterIPs) expect(expectedIps, ip).toContain(ip);
    }
    const namespaces = new Set(pods.map((p) => p.metadata.namespace));
    expect([...namespaces].sort()).toEqual(['default', 'kube-system', 'monitoring', 'shop']);
    expect(hostNetworkPods.length).toBeGreaterThanOrEqual(8);
    expect(items.filter((i) => i.kind === 'CronJob')).toHaveLength(1);
    expect(items.filter((i) => i.kind === 'Node')).toHaveLength(3);
  });

  it('resolves every address from one JSON file (what kubectl -o json prints)', async () => {
    expectAll(await loadFiles([write('cluster.json', JSON.stringify(fixture.list, null, 2))]));
  });

  it('resolves every address from YAML files split by kind', async () => {
    const byKind = new Map<string, typeof fixture.list.items>();
    for (const item of fixture.list.items) byKind.set(item.kind, [...(byKind.get(item.kind) ?? []), item]);
    const paths = [...byKind].map(([kind, items]) =>
      write(`${kind}.yaml`, stringify({ apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } })),
    );
    expect(paths.length).toBeGreaterThan(5);
    expectAll(await loadFiles(paths.reverse()));
  });

  describe('served by the fake API server', () => {
    let h: LiveHarness;
    afterAll(async () => {
      await h?.close();
    });
    it('resolves every address the same way through the live informers', async () => {
      h = await startLive({}, fixture.list.items);
      expectAll(h.index);
    });
  });
});
