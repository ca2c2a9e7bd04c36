/**
 * Where the installed package keeps its files, whether run from src/ (tsx) or dist/ (built).
 * @module
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** the package root: two levels above src/cli or dist/cli */
export const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

/** the built web UI (`npm run build` writes it) */
export function webDistDir(): string {
  return join(packageRoot, 'web', 'dist');
}
