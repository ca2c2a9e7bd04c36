import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configJsonSchema, configMarkdown } from './config-docs.js';

describe('configuration reference', () => {
  it('docs/config.md and docs/config.schema.json match the schema (regenerate: npm run docs:config)', () => {
    expect(readFileSync('docs/config.md', 'utf8')).toBe(configMarkdown());
    expect(JSON.parse(readFileSync('docs/config.schema.json', 'utf8'))).toEqual(configJsonSchema());
  });

  it('documents every field with a description and its environment variable', () => {
    const md = configMarkdown();
    const rows = md.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows.length).toBeGreaterThan(80);
    for (const row of rows) {
      const cells = row.split(/(?<!\\)\|/).map((c) => c.trim());
      expect(cells[5], row).not.toBe('');
    }
    expect(md).toContain('`FLOWMAP_COLLECTOR__UDP__PORTS`');
    expect(md).toContain('`FLOWMAP_STORE__RETENTION__MINUTES`');
  });
});
