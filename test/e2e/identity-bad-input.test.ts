/**
 * Bad input: malformed snapshots and kubeconfigs fail at startup with a message naming the file and the problem;
 * an unreachable API server shows in the readiness status and the logs while the last known index keeps serving.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { parseIp } from '../../src/core/ip.js';
import { type EnrichConfigInput, enrichConfig } from '../../src/enrich/index.js';
import { createIdentity, type Identity, type LogLevel } from '../../src/enrich/kubernetes/index.js';
import { node, pod } from '../../src/enrich/testdata/objects.js';
import { type FakeKubeServer, startFakeKube } from '../fake-kube/index.js';
import { waitFor } from './identity-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'flowmap-bad-'));
function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const logs: { level: LogLevel; message: string }[] = [];
let identity: Identity | undefined;
let server: FakeKubeServer | undefined;
afterEach(async () => {
  await identity?.stop();
  await server?.close();
  identity = undefined;
  server = undefined;
  logs.length = 0;
});

function create(config: EnrichConfigInput): Identity {
  identity = createIdentity(enrichConfig.parse({ asn: false, ...config }), {
    clock: Date.now,
    log: (level, message) => logs.push({ level, message }),
    env: {},
  });
  return identity;
}

describe('bad input', () => {
  it.each([
    ['truncated.json', '{"apiVersion":"v1","kind":"List","items":[{"kind":"Pod",', /invalid JSON: .*JSON/],
    ['tabs.yaml', 'kind: List\nitems:\n\t- kind: Pod\n', /invalid YAML: /],
    ['deployment.json', '{"kind":"Deployment"}', /Deployment\): metadata.name is missing/],
    ['numbers.json', '42', /expected a v1 List .* found number/],
  ])(
    'a malformed snapshot (%s) stops startup with a ConfigError naming the file and the problem',
    async (name, text, reason) => {
      const path = write(name, text);
      const started = create({ snapshots: [path] }).start(new AbortController().signal);
      await expect(started).rejects.toThrow(ConfigError);
      await expect(started).rejects.toThrow(`Cannot load cluster snapshot "${path}": `);
      await expect(started).rejects.toThrow(reason);
      expect(identity!.status()).toMatchObject({ ready: false, sources: [{ name: 'snapshot', synced: false }] });
    },
  );

  it.each([
    ['garbage.yaml', 'clusters: [ {name: ', /unexpected end of the stream/],
    [
      'no-server.yaml',
      'clusters:\n- name: c\n  cluster: {}\ncontexts: []\n',
      /clusters\[0\]\.cluster\.server is missing/,
    ],
    ['no-context.yaml', 'apiVersion: v1\nkind: Config\nclusters: []\n', /no current-context/],
  ])(
    'a malformed kubeconfig (%s) fails at creation with a ConfigError naming the file and the problem',
    (name, text, reason) => {
      const path = write(name, text);
      const attempt = () => create({ kubernetes: { mode: 'kubeconfig', kubeconfig: path } });
      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow(`Cannot load kubeconfig "${path}": `);
      expect(attempt).toThrow(reason);
    },
  );

  it('an API server that never answers is reported as not ready, with the reason, in the status and the logs', async () => {
    const gone = await startFakeKube();
    const kubeconfig = write('unreachable.yaml', gone.kubeconfig());
    await gone.close();
    const id = create({ kubernetes: { mode: 'kubeconfig', kubeconfig, backoffInitialMs: 20, backoffMaxMs: 100 } });
    await id.start(new AbortController().signal);
    await waitFor(() => id.status().sources[0]?.lastError !== undefined);
    const status = id.status();
    expect(status.ready).toBe(false);
    expect(status.sources[0]).toMatchObject({ name: 'kubernetes', synced: false });
    expect(status.sources[0]!.lastError).toMatch(/^Cannot list "\/[^"]+": .*ECONNREFUSED/);
    expect(logs.some((l) => l.level === 'warn' && /ECONNREFUSED.*retrying in \d+ ms/.test(l.message))).toBe(true);
    expect(id.index.lookup(parseIp('10.244.1.1')!, Date.now()).kind).toBe('unknown');
  });

  it('an outage after sync turns readiness off while the last known index keeps answering', async () => {
    server = await startFakeKube();
    server.load([node('worker-1', '10.0.0.11'), pod('cart-1', { ips: ['10.244.1.7'] })]);
    const kubeconfig = write('fake.yaml', server.kubeconfig());
    const id = create({ kubernetes: { mode: 'kubeconfig', kubeconfig, backoffInitialMs: 20, backoffMaxMs: 100 } });
    await id.start(new AbortController().signal);
    await id.live!.whenSynced(10_000);
    expect(id.status().ready).toBe(true);

    server.setDown(true);
    await waitFor(() => !id.status().ready);
    expect(id.status().sources[0]).toMatchObject({
      synced: true,
      lastError: expect.stringMatching(/^Cannot (watch|list) /),
    });
    expect(id.index.lookup(parseIp('10.244.1.7')!, Date.now()).name).toBe('cart-1');
    expect(id.index.lookup(parseIp('10.0.0.11')!, Date.now()).name).toBe('worker-1');

    server.setDown(false);
    await waitFor(() => id.status().ready);
    expect(logs.filter((l) => l.level === 'warn').length).toBeGreaterThan(0);
  });
});
