import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ConfigError } from '../core/errors.js';
import { loadConfig } from './config-loader.js';

const schema = z.object({
  collector: z
    .object({
      netflowPort: z.number().int().min(1).max(65535).default(2055),
      allowedExporters: z.array(z.string()).default([]),
      enabled: z.boolean().default(true),
    })
    .prefault({}),
  logLevel: z.enum(['debug', 'info', 'warn']).default('info'),
  labels: z.record(z.string(), z.string()).default({}),
});

function file(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'flowmap-config-'));
  const path = join(dir, 'config.yaml');
  writeFileSync(path, text);
  return path;
}

describe('loadConfig()', () => {
  it('applies defaults, then the file, then FLOWMAP_* variables, then overrides', () => {
    const path = file('collector:\n  netflowPort: 9995\nlogLevel: warn\n');
    expect(loadConfig(schema, {})).toEqual({
      collector: { netflowPort: 2055, allowedExporters: [], enabled: true },
      logLevel: 'info',
      labels: {},
    });
    const config = loadConfig(schema, {
      file: path,
      env: { FLOWMAP_COLLECTOR__ALLOWED_EXPORTERS: '10.0.0.0/8, 192.168.0.0/16', FLOWMAP_COLLECTOR__ENABLED: 'false' },
      overrides: { logLevel: 'debug' },
    });
    expect(config.collector).toEqual({
      netflowPort: 9995,
      allowedExporters: ['10.0.0.0/8', '192.168.0.0/16'],
      enabled: false,
    });
    expect(config.logLevel).toBe('debug');
  });

  it('names the field and the file when a value is invalid', () => {
    const path = file('collector:\n  netflowPort: 70000\n');
    expect(() => loadConfig(schema, { file: path })).toThrowError(ConfigError);
    expect(() => loadConfig(schema, { file: path })).toThrowError(
      /config file ".*config\.yaml"[\s\S]*collector\.netflowPort/,
    );
  });

  it('rejects unknown fields instead of ignoring typos, but allows record keys', () => {
    const path = file('collector:\n  netflowPrt: 9995\nlabels:\n  team: net\n');
    expect(() => loadConfig(schema, { file: path })).toThrowError(/unknown field "collector\.netflowPrt"/);
  });

  it('reports unparsable YAML and unreadable files with the file name', () => {
    expect(() => loadConfig(schema, { file: file('collector: [unclosed\n') })).toThrowError(/Cannot parse config file/);
    expect(() => loadConfig(schema, { file: '/nonexistent/flowmap.yaml' })).toThrowError(
      /Cannot read config file "\/nonexistent\/flowmap.yaml"/,
    );
  });

  it('rejects an environment value of the wrong type with the variable name', () => {
    expect(() => loadConfig(schema, { env: { FLOWMAP_COLLECTOR__NETFLOW_PORT: 'abc' } })).toThrowError(
      /FLOWMAP_COLLECTOR__NETFLOW_PORT/,
    );
  });
});
