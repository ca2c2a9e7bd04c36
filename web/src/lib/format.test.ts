import { describe, expect, it } from 'vitest';
import { EVIDENCE_BY_RANK } from '../../../src/core/evidence.js';
import {
  badgeOf,
  displayName,
  explainEvidence,
  formatBytes,
  formatCount,
  formatDuration,
  portLabel,
} from './format.js';

describe('formatting', () => {
  it('formats bytes in decimal units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1_234)).toBe('1.2 KB');
    expect(formatBytes(123_456_789)).toBe('123 MB');
  });

  it('formats counts compactly', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(0.5)).toBe('0.5');
    expect(formatCount(12.34)).toBe('12.3');
    expect(formatCount(1_234)).toBe('1234');
    expect(formatCount(12_345)).toBe('12.3k');
  });

  it('formats durations', () => {
    expect(formatDuration(15 * 60_000)).toBe('15m');
    expect(formatDuration(90 * 60_000)).toBe('1h 30m');
    expect(formatDuration(7 * 86_400_000)).toBe('7d');
  });

  it('gives each workload kind its badge', () => {
    const b = (kind: 'workload' | 'service' | 'node' | 'external' | 'unknown', workloadKind = '') =>
      badgeOf({ kind, workloadKind });
    expect([
      b('workload', 'Deployment'),
      b('workload', 'StatefulSet'),
      b('workload', 'DaemonSet'),
      b('workload', 'CronJob'),
    ]).toEqual(['Deploy', 'STS', 'DS', 'CronJob']);
    expect([b('service', 'Service'), b('node', 'Node'), b('external'), b('unknown')]).toEqual([
      'Svc',
      'Node',
      'Ext',
      'IP',
    ]);
  });

  it('names external endpoints by label, then organisation, then AS number', () => {
    const base = { id: 'external:x', kind: 'external' as const, namespace: '', name: 'x', workloadKind: '' };
    expect(displayName({ ...base, label: 'stripe-api', org: 'Stripe' })).toBe('stripe-api');
    expect(displayName({ ...base, org: 'Amazon.com, Inc.', asn: 16509 })).toBe('Amazon.com, Inc.');
    expect(displayName({ ...base, asn: 64500 })).toBe('AS64500');
  });

  it('explains every kind of direction evidence in words', () => {
    const all = EVIDENCE_BY_RANK;
    const texts = all.map((e) => explainEvidence(e).text);
    expect(new Set(texts).size).toBe(all.length);
    expect(explainEvidence('tcp-handshake').strength).toBe('strong');
    expect(explainEvidence('port-heuristic').strength).toBe('weak');
  });

  it('labels ports as port/protocol', () => {
    expect(portLabel(7070, 'TCP')).toBe('7070/TCP');
    expect(portLabel(0, 'ICMP')).toBe('ICMP');
  });
});
