import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { watchedResources } from './resources.js';

const ROLE = fileURLToPath(new URL('../../../deploy/rbac/clusterrole.yaml', import.meta.url));

describe('deploy/rbac/clusterrole.yaml', () => {
  it('grants get/list/watch on exactly the collections the informers read, and nothing else', () => {
    const role = parse(readFileSync(ROLE, 'utf8')) as {
      kind: string;
      rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[];
    };
    expect(role.kind).toBe('ClusterRole');
    const granted = role.rules.flatMap((rule) => {
      expect(rule.verbs.sort()).toEqual(['get', 'list', 'watch']);
      return rule.apiGroups.flatMap((group) => rule.resources.map((r) => `${group}/${r}`));
    });
    const kc = new KubeConfig();
    kc.loadFromClusterAndUser({ name: 'c', server: 'https://127.0.0.1:6443', skipTLSVerify: true }, { name: 'u' });
    const read = watchedResources(kc).map((r) => {
      const parts = r.path.split('/').filter(Boolean);
      return parts[0] === 'api' ? `/${parts[2]}` : `${parts[1]}/${parts[3]}`;
    });
    expect(granted.sort()).toEqual(read.sort());
  });
});
