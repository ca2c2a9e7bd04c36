/**
 * Access to the shared peer-conformance corpus (`../shared/corpus`, or FLOWMAP_CORPUS).
 * Tests that need it call `corpusPath()` inside `describeWithCorpus`: when the corpus is missing they skip with a
 * reason, except under CI=true, where a missing corpus fails the run.
 * @module
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** the corpus folder, whether or not it exists */
export const CORPUS_DIR = resolve(repoRoot, process.env.FLOWMAP_CORPUS ?? '../shared/corpus');

export const corpusAvailable = existsSync(join(CORPUS_DIR, 'INDEX.md'));

/** absolute path of a file inside the corpus */
export function corpusPath(...parts: string[]): string {
  return join(CORPUS_DIR, ...parts);
}

/** describe() that needs the corpus: skipped with a reason when absent, a failing test under CI=true */
export function describeWithCorpus(name: string, body: () => void): void {
  if (corpusAvailable) {
    describe(name, body);
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs the corpus', () => {
        throw new Error(`Cannot find the corpus at "${CORPUS_DIR}": set FLOWMAP_CORPUS (CI=true makes this fatal)`);
      });
    });
  } else {
    describe.skip(`${name} (skipped: no corpus at "${CORPUS_DIR}"; set FLOWMAP_CORPUS)`, body);
  }
}
