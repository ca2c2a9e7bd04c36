import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { chooseKubeConfig, loadKubeconfigFile } from './kube-config.js';

const dir = mkdtempSync(join(tmpdir(), 'flowmap-kubeconfig-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
const GOOD = `apiVersion: v1
kind: Config
clusters:
- name: c1
  cluster: { server: "https://10.0.0.1:6443", insecure-skip-tls-verify: true }
- name: c2
  cluster: { server: "https://10.0.0.2:6443" }
users:
- name: u
  user: { token: t }
contexts:
- name: one
  context: { cluster: c1, user: u }
- name: two
  context: { cluster: c2, user: u }
current-context: one
`;

describe('loadKubeconfigFile()', () => {
  it('loads the current context, or the one asked for', () => {
    const path = file('good.yaml', GOOD);
    expect(loadKubeconfigFile(path).getCurrentCluster()?.server).toBe('https://10.0.0.1:6443');
    expect(loadKubeconfigFile(path, 'two').getCurrentCluster()?.server).toBe('https://10.0.0.2:6443');
  });

  it.each([
    ['missing.yaml', undefined, undefined, 'no such file'],
    ['empty.yaml', '', undefined, 'the file is empty'],
    ['broken.yaml', 'clusters: [ {name: c1', undefined, 'unexpected end of the stream'],
    ['noserver.yaml', 'clusters:\n- name: c1\n  cluster: {}\n', undefined, 'clusters[0].cluster.server is missing'],
    ['nocontext.yaml', 'apiVersion: v1\nkind: Config\n', undefined, 'no current-context'],
    ['good2.yaml', GOOD, 'three', 'context "three" is not defined'],
    ['dangling.yaml', GOOD.replace('cluster: c1,', 'cluster: nope,'), undefined, 'context "one" names no cluster'],
    ['badurl.yaml', GOOD.replace('https://10.0.0.1:6443', 'not a url'), undefined, 'invalid server URL "not a url"'],
  ])('refuses %s with a message naming the file and the problem', (name, text, context, reason) => {
    const path = text === undefined ? join(dir, name) : file(name, text);
    expect(() => loadKubeconfigFile(path, context)).toThrow(ConfigError);
    expect(() => loadKubeconfigFile(path, context)).toThrow(`Cannot load kubeconfig "${path}": `);
    expect(() => loadKubeconfigFile(path, context)).toThrow(reason);
  });
});

describe('chooseKubeConfig()', () => {
  const config = { mode: 'auto' as const };
  it('in mode auto: off with snapshots, in-cluster in a pod, else an existing kubeconfig, else off', () => {
    expect(chooseKubeConfig(config, { KUBERNETES_SERVICE_HOST: '10.96.0.1' }, true)).toMatchObject({ mode: 'off' });
    const path = file('auto.yaml', GOOD);
    expect(chooseKubeConfig(config, { KUBECONFIG: path }, false)).toMatchObject({ mode: 'kubeconfig', source: path });
    expect(chooseKubeConfig(config, { HOME: join(dir, 'nohome') }, false)).toMatchObject({ mode: 'off' });
    expect(() =>
      chooseKubeConfig(config, { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' }, false),
    ).toThrow(/Cannot use the in-cluster Kubernetes config: ".*token" is missing/);
  });

  it('in explicit modes fails loudly instead of falling back', () => {
    expect(() => chooseKubeConfig({ mode: 'in-cluster' }, {}, false)).toThrow(
      'KUBERNETES_SERVICE_HOST/PORT are not set',
    );
    expect(() => chooseKubeConfig({ mode: 'kubeconfig', kubeconfig: join(dir, 'absent') }, {}, false)).toThrow(
      'no such file',
    );
    expect(chooseKubeConfig({ mode: 'off' }, { KUBERNETES_SERVICE_HOST: 'x' }, false)).toMatchObject({ mode: 'off' });
  });
});
