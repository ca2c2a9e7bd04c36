import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { storeConfig } from '../sinks/store/index.js';
import { apiConfig } from './config.js';

/** every field of an object schema, recursively, with its description */
function fields(schema: z.ZodType, path = ''): { path: string; description: string | undefined }[] {
  const shape = (schema as unknown as { shape?: Record<string, z.ZodType> }).shape;
  if (!shape) return [];
  return Object.entries(shape).flatMap(([key, field]) => {
    const here = path ? `${path}.${key}` : key;
    let inner: z.ZodType = field;
    for (let i = 0; i < 5; i++) {
      const def = (inner as unknown as { def: { innerType?: z.ZodType; in?: z.ZodType } }).def;
      const next = def.innerType ?? def.in;
      if (!next) break;
      inner = next;
    }
    return [{ path: here, description: field.description }, ...fields(inner, here)];
  });
}

describe('apiConfig and storeConfig', () => {
  it('describe every field, nested ones included', () => {
    const all = [...fields(apiConfig, 'api'), ...fields(storeConfig, 'store')];
    expect(all.length).toBeGreaterThan(25);
    expect(all.filter((f) => !f.description).map((f) => f.path)).toEqual([]);
  });

  it('parse an empty section into the documented defaults', () => {
    const api = apiConfig.parse({});
    expect(api).toMatchObject({ port: 8080, nodeLimit: 1500, source: 'store', cors: { origins: ['*'] } });
    expect(api.prometheus).toMatchObject({ url: 'http://localhost:9090', metricPrefix: 'flowmap_edge' });
    const store = storeConfig.parse({});
    expect(store).toMatchObject({
      backend: 'duckdb',
      dataDir: './data',
      retention: { minutes: 7 * 86_400_000, hours: 90 * 86_400_000 },
    });
    expect(store.queue.maxEdges).toBeGreaterThan(store.queue.batchEdges);
  });

  it('reject values out of range with the field path', () => {
    const r = apiConfig.safeParse({ port: 70_000, prometheus: { url: 'not a url' } });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['port', 'prometheus.url']);
  });
});
