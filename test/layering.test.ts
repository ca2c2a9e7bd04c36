/**
 * Enforces the layer table of ARCHITECTURE.md / anchors.md §3: which folders may import which.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

type Layer = 'core' | 'contract' | 'pure' | 'adapter' | 'composition' | 'browser';

/** the most specific matching prefix wins */
const LAYERS: readonly [string, Layer][] = [
  ['src/core/', 'core'],
  ['src/contract/', 'contract'],
  ['src/pipeline/', 'pure'],
  ['src/decode/', 'pure'],
  ['src/enrich/kubernetes/', 'adapter'],
  ['src/enrich/external/', 'adapter'],
  ['src/enrich/', 'pure'],
  ['src/orient/', 'pure'],
  ['src/aggregate/', 'pure'],
  ['src/export/', 'pure'],
  ['src/collector/', 'adapter'],
  ['src/sinks/', 'adapter'],
  ['src/api/', 'adapter'],
  ['src/app/', 'composition'],
  ['src/cli/', 'composition'],
  ['src/demo/', 'composition'],
  ['web/src/', 'browser'],
];

const MAY_IMPORT: Record<Layer, readonly Layer[]> = {
  core: ['core'],
  contract: ['core', 'contract'],
  pure: ['core', 'contract', 'pure'],
  adapter: ['core', 'contract', 'pure', 'adapter'],
  composition: ['core', 'contract', 'pure', 'adapter', 'composition'],
  browser: ['core', 'contract', 'browser'],
};

/** packages a layer may use besides its own folders; node:* is only for adapters and composition */
const PACKAGES: Record<Layer, (pkg: string) => boolean> = {
  core: () => false,
  contract: (p) => p === 'zod',
  pure: (p) => p === 'zod',
  adapter: () => true,
  composition: () => true,
  browser: (p) => !p.startsWith('node:'),
};

function layerOf(file: string): Layer | undefined {
  let best: [string, Layer] | undefined;
  for (const entry of LAYERS)
    if (file.startsWith(entry[0]) && (!best || entry[0].length > best[0].length)) best = entry;
  return best?.[1];
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist' || name === 'testdata') continue;
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(name) && !/\.(test|bench)\.tsx?$/.test(name) && name !== 'testing.ts') out.push(path);
  }
  return out;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

describe('layering', () => {
  it('every production import respects the layer table', () => {
    const violations: string[] = [];
    const files = [...sourceFiles(join(root, 'src')), ...sourceFiles(join(root, 'web/src'))];
    expect(files.length).toBeGreaterThan(0);
    for (const abs of files) {
      const file = relative(root, abs);
      const layer = layerOf(file);
      if (!layer) continue;
      for (const match of readFileSync(abs, 'utf8').matchAll(IMPORT)) {
        const spec = match[1] ?? match[2]!;
        if (spec.startsWith('.')) {
          const target = relative(root, resolve(dirname(abs), spec));
          const targetLayer = layerOf(target);
          // test helpers are not built or shipped (tsconfig.build.json): production code never imports them
          if (target.startsWith('test/')) violations.push(`${file} (${layer}) imports test code ${target}`);
          else if (targetLayer && !MAY_IMPORT[layer].includes(targetLayer)) {
            violations.push(`${file} (${layer}) imports ${target} (${targetLayer})`);
          }
        } else if (!PACKAGES[layer](spec)) {
          violations.push(`${file} (${layer}) imports package "${spec}"`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it('flags a core file that imports node:fs', () => {
    expect(PACKAGES.core('node:fs')).toBe(false);
    expect(MAY_IMPORT.core.includes('adapter')).toBe(false);
  });
});
