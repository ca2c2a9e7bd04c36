import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { parseIp } from '../../core/ip.js';
import { createClusterIndex } from '../cluster-index.js';
import { node, pod, service } from '../testdata/objects.js';
import { createSnapshotSource, loadClusterSnapshots } from './snapshot.js';

const dir = mkdtempSync(join(tmpdir(), 'flowmap-snapshot-'));
function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}
const newIndex = () => createClusterIndex({ tombstoneGraceMs: 0 }, { clock: () => 0 });

describe('loadClusterSnapshots()', () => {
  it('adds up several files: a kubectl List (JSON), a typed PodList, and YAML documents', async () => {
    const index = newIndex();
    const result = await loadClusterSnapshots(
      [
        file('list.json', {
          apiVersion: 'v1',
          kind: 'List',
          items: [node('n1', '10.0.0.1'), { kind: 'Namespace', metadata: { name: 'x' } }],
        }),
        file('pods.json', {
          kind: 'PodList',
          apiVersion: 'v1',
          items: [{ ...pod('a', { ips: ['10.1.0.1'] }), kind: undefined }],
        }),
        file(
          'more.yaml',
          `kind: List\nitems:\n- kind: Service\n  metadata: {name: s, namespace: shop}\n  spec: {clusterIP: 10.96.0.9}\n---\n${JSON.stringify(pod('b', { ips: ['10.1.0.2'] }))}\n`,
        ),
      ],
      index,
    );
    expect(result).toEqual({ files: 3, objects: { Node: 1, Pod: 2, Service: 1 }, skipped: 1 });
    expect(index.lookup(parseIp('10.0.0.1')!, 0).name).toBe('n1');
    expect(index.lookup(parseIp('10.1.0.1')!, 0).name).toBe('a');
    expect(index.lookup(parseIp('10.1.0.2')!, 0).name).toBe('b');
    expect(index.lookup(parseIp('10.96.0.9')!, 0).name).toBe('s');
  });

  it.each([
    ['missing.json', undefined, 'no such file'],
    ['empty.json', '   \n', 'the file is empty'],
    ['trunc.json', '{"kind":"List","items":[{"kind":"Pod"', 'invalid JSON: '],
    ['bad.yaml', 'kind: List\nitems: [\n  - a: b\n  c', 'invalid YAML: '],
    ['array.json', '[1,2]', 'expected a v1 List (kubectl get ... -o json), found an array'],
    ['scalar.yaml', 'just text', 'expected a v1 List (kubectl get ... -o json), found string'],
    ['noitems.json', { kind: 'List' }, 'the List has no "items" array'],
    ['notobj.json', { kind: 'List', items: [42] }, 'items[0] is not an object'],
    ['nokind.json', { kind: 'List', items: [{ metadata: { name: 'x' } }] }, 'items[0] has no "kind"'],
    [
      'noname.json',
      { kind: 'List', items: [{ kind: 'Pod', metadata: {} }] },
      'items[0] (Pod): metadata.name is missing',
    ],
    [
      'badip.json',
      { kind: 'List', items: [node('n', '10.0.0.1'), pod('p', { ips: ['10.1.1.300'] })] },
      'items[1] (Pod "shop/p"): "10.1.1.300" in status.podIPs is not an IP address',
    ],
  ])(
    'refuses %s with a ConfigError naming the file and the problem, leaving the index untouched',
    async (name, content, reason) => {
      const path = content === undefined ? join(dir, name) : file(name, content);
      const index = newIndex();
      const error = await loadClusterSnapshots(
        [file('ok.json', { kind: 'List', items: [service('s', ['10.96.0.1'])] }), path],
        index,
      ).catch((e) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).toContain(`Cannot load cluster snapshot "${path}": `);
      expect(error.message).toContain(reason);
      expect(index.stats().events).toBe(0);
    },
  );
});

describe('createSnapshotSource()', () => {
  it('is synced after start, and reports a failed load as lastError', async () => {
    const index = newIndex();
    const good = createSnapshotSource(
      { paths: [file('g.json', { kind: 'List', items: [node('n', '10.0.0.5')] })] },
      { index },
    );
    expect(good.synced).toBe(false);
    await good.start(new AbortController().signal);
    expect([good.synced, good.lastError, good.result?.objects]).toEqual([true, undefined, { Node: 1 }]);
    const bad = createSnapshotSource({ paths: [join(dir, 'nope.json')] }, { index });
    await expect(bad.start(new AbortController().signal)).rejects.toThrow(ConfigError);
    expect([bad.synced, bad.lastError]).toEqual([
      false,
      `Cannot load cluster snapshot "${join(dir, 'nope.json')}": no such file`,
    ]);
  });
});
