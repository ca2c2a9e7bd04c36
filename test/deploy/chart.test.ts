/**
 * The Helm chart renders (with the engine beside this file) into valid Kubernetes objects of the declared kinds,
 * with defaults and with every option on; the plain manifests equal a fresh render; kustomize (kubectl's) parses
 * them; the ClusterRole grants exactly what identity watches.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { itWithTools } from '../tools/process.js';
import { CHART_DIR, MANIFEST_PATH, REPO_ROOT, renderChart } from './render.js';
import { validateObjects } from './validate.js';

const ALL_ON = {
  serviceMonitor: { enabled: true, labels: { release: 'kube-prometheus-stack' } },
  grafana: { dashboards: { enabled: true }, datasource: { enabled: true } },
  iptNetflow: { enabled: true, sampling: 10 },
  service: { type: 'NodePort', nodePorts: { netflow: 32055, ipfix: 32739 } },
  persistence: { enabled: true, storageClass: 'fast' },
  env: [{ name: 'FLOWMAP_LOG_LEVEL', value: 'debug' }],
};

const kinds = (objects: Record<string, unknown>[]) =>
  objects.map((o) => `${o.kind}/${(o.metadata as { name: string }).name}`).sort();

describe('deploy/helm/flowmap', () => {
  it('renders valid objects with the default values', () => {
    const { objects } = renderChart();
    expect(kinds(objects)).toEqual([
      'ClusterRole/flowmap',
      'ClusterRoleBinding/flowmap',
      'ConfigMap/flowmap',
      'Deployment/flowmap',
      'PersistentVolumeClaim/flowmap',
      'Service/flowmap',
      'ServiceAccount/flowmap',
    ]);
    expect(validateObjects(objects)).toEqual([]);
  });

  it('renders valid objects with every option on', () => {
    const { objects, text } = renderChart({ values: ALL_ON, releaseName: 'netmap', namespace: 'observability' });
    expect(validateObjects(objects)).toEqual([]);
    const names = kinds(objects);
    for (const k of [
      'ServiceMonitor/netmap-flowmap',
      'DaemonSet/netmap-flowmap-ipt-netflow',
      'ConfigMap/netmap-flowmap-datasources',
    ])
      expect(names).toContain(k);
    expect(text).not.toContain('<no value>');
    const service = objects.find((o) => o.kind === 'Service') as {
      spec: { type: string; externalTrafficPolicy: string; ports: { name: string; nodePort?: number }[] };
    };
    expect(service.spec.type).toBe('NodePort');
    expect(service.spec.externalTrafficPolicy).toBe('Local');
    expect(service.spec.ports.find((p) => p.name === 'netflow')!.nodePort).toBe(32055);
    const ds = objects.find((o) => o.kind === 'DaemonSet') as { spec: { template: { spec: Record<string, unknown> } } };
    expect(ds.spec.template.spec).toMatchObject({ hostNetwork: true, hostPID: true });
    const env = (ds.spec.template.spec.initContainers as { env: { name: string; value: string }[] }[])[0]!.env;
    expect(Object.fromEntries(env.map((e) => [e.name, e.value]))).toMatchObject({
      SERVICE_HOST: 'netmap-flowmap.observability.svc.cluster.local',
      SERVICE_PORT: '2055',
      SAMPLING: '10',
      RULES: 'raw:PREROUTING raw:OUTPUT',
    });
  });

  it('exposes UDP 2055/4739/6343 and TCP 4739/8080, probes /healthz and /readyz on the HTTP port', () => {
    const { objects } = renderChart();
    const service = objects.find((o) => o.kind === 'Service') as {
      spec: { ports: { port: number; protocol: string }[] };
    };
    expect(service.spec.ports.map((p) => `${p.port}/${p.protocol}`).sort()).toEqual([
      '2055/UDP',
      '4739/TCP',
      '4739/UDP',
      '6343/UDP',
      '8080/TCP',
    ]);
    const deployment = objects.find((o) => o.kind === 'Deployment') as {
      spec: { template: { spec: { containers: Record<string, unknown>[] } } };
    };
    const c = deployment.spec.template.spec.containers[0]!;
    expect(c.args).toEqual(['serve', '--config', '/etc/flowmap/config.yaml']);
    expect(c).toMatchObject({
      livenessProbe: { httpGet: { path: '/healthz', port: 'http' } },
      readinessProbe: { httpGet: { path: '/readyz', port: 'http' } },
    });
    const config = objects.find((o) => o.kind === 'ConfigMap') as { data: Record<string, string> };
    expect(parse(config.data['config.yaml']!)).toEqual({ store: { dataDir: '/var/lib/flowmap' } });
  });

  it('grants get/list/watch on exactly the kinds identity watches (and matches deploy/rbac when present)', () => {
    const role = renderChart().objects.find((o) => o.kind === 'ClusterRole') as {
      rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[];
    };
    const grants = role.rules
      .flatMap((r) => r.resources.map((res) => `${r.apiGroups[0]}/${res}:${[...r.verbs].sort().join(',')}`))
      .sort();
    expect(grants).toEqual(
      [
        '/nodes',
        '/pods',
        '/services',
        'apps/daemonsets',
        'apps/deployments',
        'apps/replicasets',
        'apps/statefulsets',
        'batch/cronjobs',
        'batch/jobs',
        'discovery.k8s.io/endpointslices',
      ].map((g) => `${g}:get,list,watch`),
    );
    const rbacDir = join(REPO_ROOT, 'deploy/rbac');
    const files = existsSync(rbacDir) ? readdirSync(rbacDir).filter((f) => /\.ya?ml$/.test(f)) : [];
    for (const file of files) {
      for (const doc of parseAllDocuments(readFileSync(join(rbacDir, file), 'utf8'))) {
        const o = doc.toJS() as {
          kind?: string;
          rules?: { apiGroups: string[]; resources: string[]; verbs: string[] }[];
        } | null;
        if (o?.kind !== 'ClusterRole') continue;
        const theirs = o
          .rules!.flatMap((r) =>
            r.apiGroups.flatMap((g) => r.resources.map((res) => `${g}/${res}:${[...r.verbs].sort().join(',')}`)),
          )
          .sort();
        expect(theirs, `deploy/rbac/${file}`).toEqual(grants);
      }
    }
  });

  it('packages the Grafana dashboards of deploy/grafana/dashboards when they exist', () => {
    const dir = join(REPO_ROOT, 'deploy/grafana/dashboards');
    const dashboards = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
    const cm = renderChart({ values: ALL_ON }).objects.find(
      (o) => (o.metadata as { name: string }).name === 'flowmap-dashboards',
    ) as { data: Record<string, string> } | undefined;
    if (dashboards.length === 0) expect(cm).toBeUndefined();
    else {
      const hint = 'link them into the chart: ln -s ../../grafana/dashboards deploy/helm/flowmap/dashboards';
      expect(cm, hint).toBeDefined();
      expect(Object.keys(cm!.data).sort()).toEqual(dashboards.sort());
      for (const d of dashboards)
        expect(JSON.parse(cm!.data[d]!)).toEqual(JSON.parse(readFileSync(join(dir, d), 'utf8')));
    }
  });

  it('provisions every data source the dashboards refer to', () => {
    const dir = join(REPO_ROOT, 'deploy/grafana/dashboards');
    const used = new Set<string>();
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      const walk = (v: unknown): void => {
        if (Array.isArray(v)) v.forEach(walk);
        else if (v && typeof v === 'object') {
          for (const [k, child] of Object.entries(v)) {
            const uid = (child as { uid?: unknown } | null)?.uid;
            if (k === 'datasource' && typeof uid === 'string' && !uid.startsWith('$')) used.add(uid);
            walk(child);
          }
        }
      };
      walk(JSON.parse(readFileSync(join(dir, f), 'utf8')));
    }
    const cm = renderChart({ values: ALL_ON }).objects.find(
      (o) => (o.metadata as { name: string }).name === 'flowmap-datasources',
    ) as { data: Record<string, string> } | undefined;
    const provisioned = parse(cm!.data['flowmap-datasources.yaml']!) as { datasources: { uid: string }[] };
    expect(used.size).toBeGreaterThan(0);
    expect([...used].filter((uid) => !provisioned.datasources.some((d) => d.uid === uid))).toEqual([]);
  });

  it('deploy/manifests/flowmap.yaml is the default render (regenerate: npx tsx test/deploy/render.ts > deploy/manifests/flowmap.yaml)', () => {
    expect(readFileSync(MANIFEST_PATH, 'utf8')).toBe(renderChart().text);
  });

  itWithTools(['kubectl'], "kubectl's kustomize reads the manifests as the same objects", () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowmap-kustomize-'));
    try {
      writeFileSync(join(dir, 'flowmap.yaml'), readFileSync(MANIFEST_PATH));
      writeFileSync(join(dir, 'kustomization.yaml'), 'resources:\n  - flowmap.yaml\n');
      const out = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
      const objects = parseAllDocuments(out).map((d) => d.toJS() as Record<string, unknown>);
      expect(kinds(objects)).toEqual(kinds(renderChart().objects));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has a values.yaml whose every top-level key the templates use', () => {
    const values = parse(readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8')) as Record<string, unknown>;
    const templates = readdirSync(join(CHART_DIR, 'templates'))
      .map((f) => readFileSync(join(CHART_DIR, 'templates', f), 'utf8'))
      .join('\n');
    for (const key of Object.keys(values)) expect(templates, key).toContain(`.Values.${key}`);
  });
});
