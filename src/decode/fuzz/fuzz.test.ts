import { describe, expect, it } from 'vitest';
import type { FlowRecord } from '../../core/flow.js';
import { createPacketDecoder } from '../decoder.js';
import { type FuzzFormat, runFuzz, seedPackets } from './index.js';

describe('decoder fuzzing (small run; fuzz.bench.ts runs a million packets per decoder)', () => {
  it('starts from seeds that decode cleanly', () => {
    for (const format of ['v5', 'v9', 'ipfix'] as const) {
      const decoder = createPacketDecoder({ clock: () => 0 });
      const out: FlowRecord[] = [];
      for (const packet of seedPackets(format)) decoder.decode(packet, { exporter: 'e', receivedAt: 0, out });
      expect(decoder.stats.dropped, format).toEqual({});
      expect(out.length, format).toBeGreaterThan(0);
    }
  });

  for (const format of ['v5', 'v9', 'ipfix'] satisfies FuzzFormat[]) {
    it(`${format}: 20,000 mutated packets, no exception inside decode, drops counted`, () => {
      const report = runFuzz({ format, packets: 20_000, seed: 42 });
      expect(report.firstError).toBeUndefined();
      expect(report.internalErrors).toBe(0);
      expect(report.stats.packets).toBe(20_000);
      expect(report.stats.records).toBeGreaterThan(1_000);
      expect(Object.values(report.stats.dropped).reduce((a, b) => a + (b ?? 0), 0)).toBeGreaterThan(1_000);
    });
  }

  it('keeps the template cache within its bound while thousands of exporters flood templates', () => {
    const report = runFuzz({ format: 'ipfix', packets: 20_000, seed: 7, flood: true, maxTemplates: 500 });
    expect(report.internalErrors).toBe(0);
    expect(report.maxTemplatesHeld).toBe(500);
    expect(report.stats.dropped['template-limit']).toBeGreaterThan(0);
  });
});
