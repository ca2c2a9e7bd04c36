import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { prometheusSinkConfig } from './config.js';
import { FLOW_FIELDS, VALUE_FIELDS } from './flow-fields.js';
import { createPrometheusSink } from './sink.js';
import { parseExposition } from './testing.js';

const doc = readFileSync(new URL('../../../docs/metrics.md', import.meta.url), 'utf8');

describe('docs/metrics.md', () => {
  it('documents every family the sink can export', async () => {
    const sink = createPrometheusSink(prometheusSinkConfig.parse({ processMetrics: false }), { clock: Date.now });
    // readers are only called on render; listing the registry is enough
    sink.registerCollector(() => {
      throw new Error('not read');
    });
    sink.registerStage('orient', () => ({ in: 0, out: 0, dropped: {} }));
    sink.registerKubernetes(() => ({ source: 'none', synced: false }));
    sink.registerPipeline(() => ({}));
    const all = sink.registry.getMetricsAsArray().map((m) => m.name);
    expect(all.length).toBeGreaterThan(30);
    const missing = all.filter((name) => !doc.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });

  it('documents every flow field and value field', () => {
    const missing = [...Object.keys(FLOW_FIELDS), ...Object.keys(VALUE_FIELDS)].filter(
      (f) => !doc.includes(`\`${f}\``),
    );
    expect(missing).toEqual([]);
  });

  it('shows a flowMetrics example that the schema accepts', async () => {
    const yaml = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(yaml).toBeDefined();
    const { parse } = await import('yaml');
    const config = prometheusSinkConfig.parse({ ...parse(yaml!).prometheus, processMetrics: false });
    expect(config.flowMetrics.map((m) => `${m.prefix}${m.name}`)).toContain('flowmap_user_dns_flows_total');
    const sink = createPrometheusSink(config, { clock: Date.now });
    expect(parseExposition(await sink.render()).families.has('flowmap_user_flow_kilobytes')).toBe(true);
  });
});
