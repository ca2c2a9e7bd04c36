/**
 * Renders deploy/helm/flowmap like `helm template flowmap deploy/helm/flowmap --namespace flowmap` would, with the
 * engine in template-engine.ts. Regenerate the plain manifests with:
 *   npx tsx test/deploy/render.ts > deploy/manifests/flowmap.yaml
 * Options: `--set path.to.key=value` (value parsed as YAML), `-f values.yaml`, `--namespace NS`, `--name RELEASE`.
 * @module
 */
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';
import { TemplateSet } from './template-engine.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CHART_DIR = join(REPO_ROOT, 'deploy/helm/flowmap');
export const MANIFEST_PATH = join(REPO_ROOT, 'deploy/manifests/flowmap.yaml');

export interface RenderOptions {
  /** merged over values.yaml */
  readonly values?: Record<string, unknown>;
  readonly releaseName?: string;
  readonly namespace?: string;
}

export interface RenderedChart {
  /** the multi-document YAML `helm template` would print */
  readonly text: string;
  /** every non-empty document, parsed */
  readonly objects: Record<string, unknown>[];
}

type Values = Record<string, unknown>;

function merge(base: Values, over: Values): Values {
  const out: Values = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b)
        ? merge(b as Values, v as Values)
        : v;
  }
  return out;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listFiles(path));
    else out.push(path);
  }
  return out;
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*\*/g, '\u0001')
    .replace(/\*/g, '[^/]*')
    .split('\u0001')
    .join('.*');
  return new RegExp(`^${body.replace(/\?/g, '[^/]')}$`);
}

/** the `.Files` object: paths relative to the chart; symlinked folders are followed, dangling links skipped */
function chartFiles(chartDir: string) {
  const all = (): string[] => {
    const out: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(join(chartDir, dir)).sort()) {
        const rel = dir ? `${dir}/${name}` : name;
        const st = statSync(join(chartDir, rel), { throwIfNoEntry: false });
        if (!st) continue;
        if (st.isDirectory()) walk(rel);
        else out.push(rel);
      }
    };
    walk('');
    return out;
  };
  return {
    Get(path: string): string {
      try {
        return readFileSync(join(chartDir, path), 'utf8');
      } catch {
        return '';
      }
    },
    Glob(pattern: string): Record<string, string> {
      const re = globToRegExp(pattern);
      const out: Record<string, string> = {};
      for (const rel of all()) if (re.test(rel)) out[rel] = readFileSync(join(chartDir, rel), 'utf8');
      return out;
    },
  };
}

export function renderChart(options: RenderOptions = {}, chartDir = CHART_DIR): RenderedChart {
  const chart = parse(readFileSync(join(chartDir, 'Chart.yaml'), 'utf8')) as Values;
  const defaults = (parse(readFileSync(join(chartDir, 'values.yaml'), 'utf8')) ?? {}) as Values;
  const values = merge(defaults, options.values ?? {});
  const releaseName = options.releaseName ?? 'flowmap';
  const namespace = options.namespace ?? 'flowmap';
  const set = new TemplateSet();
  const templatesDir = join(chartDir, 'templates');
  const templates = listFiles(templatesDir).map((p) => relative(templatesDir, p));
  for (const name of templates) set.add(name, readFileSync(join(templatesDir, name), 'utf8'));
  const root = {
    Values: values,
    Release: {
      Name: releaseName,
      Namespace: namespace,
      Service: 'Helm',
      IsInstall: true,
      IsUpgrade: false,
      Revision: 1,
    },
    Chart: { ...chart, Name: chart.name, Version: chart.version, AppVersion: chart.appVersion },
    Capabilities: { KubeVersion: { Version: 'v1.31.0', Major: '1', Minor: '31' } },
    Files: chartFiles(chartDir),
    Template: { BasePath: `${chart.name}/templates` },
  };
  const chunks: { kind: string; text: string; objects: Values[] }[] = [];
  for (const name of templates) {
    const base = name.split('/').pop()!;
    if (base.startsWith('_') || !/\.(ya?ml|tpl)$/.test(base)) continue;
    const rendered = set.render(name, {
      ...root,
      Template: { ...root.Template, Name: `${chart.name}/templates/${name}` },
    });
    for (const doc of rendered.split(/^---\s*$/m)) {
      if (doc.trim() === '' || /^(\s*#.*\n?)*\s*$/.test(doc)) continue;
      const text = `---\n# Source: ${chart.name}/templates/${name}\n${doc.replace(/^\n+/, '').replace(/\s+$/, '')}\n`;
      const objects: Values[] = [];
      for (const parsed of parseAllDocuments(doc)) {
        if (parsed.errors.length > 0)
          throw new Error(`Cannot parse the rendered "${name}": ${parsed.errors[0]!.message}`);
        const value = parsed.toJS() as Values | null;
        if (value) objects.push(value);
      }
      chunks.push({ kind: String(objects[0]?.kind ?? ''), text, objects });
    }
  }
  // helm template prints documents in Helm's install order (kinds it does not know last), stable otherwise
  const rank = (kind: string) => (INSTALL_ORDER.includes(kind) ? INSTALL_ORDER.indexOf(kind) : INSTALL_ORDER.length);
  const sorted = chunks.map((c, i) => ({ ...c, i })).sort((a, b) => rank(a.kind) - rank(b.kind) || a.i - b.i);
  return { text: sorted.map((c) => c.text).join(''), objects: sorted.flatMap((c) => c.objects) };
}

const INSTALL_ORDER = [
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleBinding',
  'Role',
  'RoleBinding',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'Ingress',
];

function setPath(values: Values, dotted: string, raw: string): void {
  const keys = dotted.split('.');
  let node = values;
  for (const k of keys.slice(0, -1)) {
    node[k] ??= {};
    node = node[k] as Values;
  }
  node[keys[keys.length - 1]!] = parse(raw);
}

function cli(argv: string[]): void {
  let values: Values = {};
  const opts: { releaseName?: string; namespace?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--set') {
      const [k, ...v] = argv[++i]!.split('=');
      setPath(values, k!, v.join('='));
    } else if (arg === '-f' || arg === '--values')
      values = merge(values, parse(readFileSync(argv[++i]!, 'utf8')) as Values);
    else if (arg === '--namespace' || arg === '-n') opts.namespace = argv[++i]!;
    else if (arg === '--name') opts.releaseName = argv[++i]!;
    else throw new Error(`Cannot use argument "${arg}": expected --set, -f, --namespace or --name`);
  }
  process.stdout.write(renderChart({ ...opts, values }).text);
}

if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))) {
  cli(process.argv.slice(2));
}
