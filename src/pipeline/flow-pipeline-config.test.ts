import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { flowPipelineConfig } from './flow-pipeline-config.js';

interface JsonSchema {
  readonly type?: string;
  readonly description?: string;
  readonly default?: unknown;
  readonly properties?: Record<string, JsonSchema>;
}

/** every property path whose schema lacks a description or a default */
function undocumented(schema: JsonSchema, path = ''): string[] {
  const out: string[] = [];
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    const here = `${path}${name}`;
    if (!prop.description) out.push(`${here}: no description`);
    if (prop.default === undefined) out.push(`${here}: no default`);
    out.push(...undocumented(prop, `${here}.`));
  }
  return out;
}

describe('flowPipelineConfig', () => {
  it('describes every field and gives it a default (the JSON Schema the docs are generated from)', () => {
    const schema = z.toJSONSchema(flowPipelineConfig, { io: 'input' }) as JsonSchema;
    expect(Object.keys(schema.properties?.orient?.properties ?? {}).length).toBeGreaterThan(5);
    expect(undocumented(schema)).toEqual([]);
  });

  it('fills nested defaults from an empty object', () => {
    const config = flowPipelineConfig.parse({ aggregate: { levels: ['workload', 'pod'] } });
    expect(config.orient).toMatchObject({ pairingDelayMs: 2_000, idleTimeoutMs: 300_000, dnatMerge: true });
    expect(config.aggregate).toMatchObject({
      bucketMs: 60_000,
      levels: ['workload', 'pod'],
      maxEdgesPerWindow: 50_000,
    });
  });

  it('names the field that is wrong', () => {
    const bad = flowPipelineConfig.safeParse({
      aggregate: { levels: ['pod', 'pod'] },
      orient: { ephemeralPortMin: 80 },
    });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['aggregate.levels', 'orient.ephemeralPortMin']));
  });
});
