import { describe, expect, it } from 'vitest';
import { prometheusSinkConfig } from './config.js';

/** the issues of parsing `flowMetrics`, as "path: message" lines */
function issues(flowMetrics: unknown[]): string[] {
  const result = prometheusSinkConfig.safeParse({ flowMetrics });
  if (result.success) return [];
  return result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

const ok = { name: 'x_total', type: 'counter' };

describe('flowMetrics config', () => {
  it('accepts a complete metric and fills defaults', () => {
    const parsed = prometheusSinkConfig.parse({
      flowMetrics: [
        {
          ...ok,
          labels: ['clientName', 'tcpFlags'],
          flatten: ['tcpFlags'],
          remap: { clientName: 'src' },
          filters: [{ field: 'serverPort', value: 53 }],
        },
      ],
    });
    expect(parsed.flowMetrics[0]).toMatchObject({
      prefix: 'flowmap_user_',
      valueField: 'none',
      divider: 1,
      filters: [{ match: 'equal', value: '53' }],
    });
    expect(parsed.flowMetricDefaults).toEqual({ idleTtlMs: 900_000, maxSeries: 10_000 });
  });

  it('names the field of an unknown key, unknown flow field or bad regex', () => {
    expect(issues([{ ...ok, lables: ['clientName'] }])).toEqual([expect.stringMatching(/^flowMetrics\.0: .*lables/)]);
    expect(issues([{ ...ok, labels: ['clientNamespace', 'podName'] }])).toEqual([
      expect.stringMatching(
        /^flowMetrics\.0\.labels\.1: Cannot use flow field "podName": expected one of clientNamespace, /,
      ),
    ]);
    expect(issues([{ ...ok, filters: [{ field: 'serverName', match: 'regex', value: 'cart(' }] }])).toEqual([
      expect.stringMatching(/^flowMetrics\.0\.filters\.0\.value: Cannot compile regex "cart\(": /),
    ]);
  });

  it('rejects duplicate names, reserved names and bad metric or label names', () => {
    expect(issues([ok, { ...ok, type: 'gauge' }])).toEqual([
      'flowMetrics.1.name: Cannot define flow metric "flowmap_user_x_total" twice: also defined at index 0',
    ]);
    expect(issues([{ ...ok, prefix: '', name: 'flowmap_edge_bytes_total' }])).toEqual([
      expect.stringMatching(/^flowMetrics\.0\.name: .*reserved/),
    ]);
    expect(issues([{ ...ok, prefix: '', name: 'netflow_connection_count' }])).toHaveLength(1);
    expect(issues([{ ...ok, name: 'bad-name' }])).toEqual([
      expect.stringMatching(/^flowMetrics\.0\.name: Cannot use this metric name/),
    ]);
    expect(issues([{ ...ok, labels: ['clientName'], remap: { clientName: 'src-name' } }])).toEqual([
      expect.stringMatching(/^flowMetrics\.0\.remap\.clientName: Cannot use this label name/),
    ]);
  });

  it('checks cross-field rules: values, flatten, remap, buckets', () => {
    expect(issues([{ ...ok, filters: [{ field: 'serverName' }] }])).toEqual([
      'flowMetrics.0.filters.0.value: Cannot filter "serverName" with equal: value is required',
    ]);
    expect(issues([{ ...ok, filters: [{ field: 'service', match: 'presence', value: 'x' }] }])).toEqual([
      'flowMetrics.0.filters.0.value: Cannot filter "service" with presence: it takes no value',
    ]);
    expect(issues([{ ...ok, flatten: ['tcpFlags'] }])).toEqual([
      'flowMetrics.0.flatten.0: Cannot flatten "tcpFlags": it is not in labels',
    ]);
    expect(issues([{ ...ok, labels: ['clientName'], remap: { serverName: 'dst' } }])).toEqual([
      'flowMetrics.0.remap.serverName: Cannot remap "serverName": it is not in labels',
    ]);
    expect(issues([{ ...ok, labels: ['clientName', 'serverName'], remap: { clientName: 'server_name' } }])).toEqual([
      'flowMetrics.0.remap: Cannot name both "clientName" and "serverName" label "server_name"',
    ]);
    expect(issues([{ ...ok, buckets: [1, 2] }])).toEqual(['flowMetrics.0.buckets: Cannot use buckets on a counter']);
    expect(issues([{ ...ok, type: 'histogram', buckets: [1, 5, 5] }])).toEqual([
      'flowMetrics.0.buckets.2: Cannot use these buckets: bounds must increase',
    ]);
    expect(issues([{ ...ok, type: 'histogram', labels: ['protocol'], remap: { protocol: 'le' } }])).toEqual([
      'flowMetrics.0.remap.protocol: Cannot use label name "le" on a histogram',
    ]);
    expect(issues([{ ...ok, valueField: 'octets' }])).toEqual([expect.stringMatching(/^flowMetrics\.0\.valueField: /)]);
  });
});
