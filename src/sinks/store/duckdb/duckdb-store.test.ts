import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runEdgeStoreContract } from '../contract.test-suite.js';
import { testStoreConfig } from '../testing.js';
import { createDuckDbStore, DATABASE_FILE } from './duckdb-store.js';

runEdgeStoreContract({
  name: 'duckdb',
  async create({ dir, clock, config }) {
    const store = createDuckDbStore({ ...config, dataDir: dir }, { clock });
    await store.start(new AbortController().signal);
    expect(existsSync(join(dir, DATABASE_FILE))).toBe(true);
    return store;
  },
});

describe('createDuckDbStore()', () => {
  it('rejects start() naming the database path when the data directory cannot be created', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowmap-store-'));
    writeFileSync(join(dir, 'file'), '');
    const dataDir = join(dir, 'file', 'sub');
    try {
      const store = createDuckDbStore({ ...testStoreConfig(), dataDir }, { clock: () => 0 });
      await expect(store.start(new AbortController().signal)).rejects.toThrow(`Cannot open history store "${dataDir}/`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
