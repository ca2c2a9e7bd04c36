/**
 * The load generator: paced replay of precomputed v9 / IPFIX packets reaches the target rate, every datagram
 * arrives, and flowmap's decoder reads every record with current times and no sequence surprises.
 */
import { createSocket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import type { FlowRecord } from '../../src/core/flow.js';
import { createPacketDecoder } from '../../src/decode/index.js';
import { createLoadGenerator } from '../../src/demo/index.js';

describe('createLoadGenerator', () => {
  for (const version of [9, 10] as const) {
    it(`replays NetFlow ${version === 9 ? 'v9' : 'IPFIX'} at the target rate and every record decodes as current`, async () => {
      const socket = createSocket({ type: 'udp4', recvBufferSize: 16 * 1024 * 1024 });
      const received: { payload: Uint8Array; address: string; port: number; at: number }[] = [];
      socket.on('message', (m, r) =>
        received.push({ payload: new Uint8Array(m), address: r.address, port: r.port, at: Date.now() }),
      );
      await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
      const generator = createLoadGenerator({
        target: { host: '127.0.0.1', port: socket.address().port },
        rate: 50_000,
        durationMs: 2000,
        version,
        records: 20_000,
      });
      generator.prepare();
      const report = await generator.run();
      await new Promise((r) => setTimeout(r, 200));
      socket.close();
      expect(report.achievedRate).toBeGreaterThan(50_000 * 0.9);
      expect(report.achievedRate).toBeLessThan(50_000 * 1.1);
      expect(report.sendErrors).toBe(0);
      expect(received.length).toBe(report.packets);
      expect(new Set(received.map((r) => r.port)).size).toBe(3);

      const decoder = createPacketDecoder({ clock: () => Date.now() });
      let records = 0;
      let stale = 0;
      for (const r of received) {
        const out: FlowRecord[] = [];
        decoder.decode(r.payload, { exporter: `${r.address}:${r.port}`, receivedAt: r.at, out });
        records += out.length;
        for (const f of out) if (f.end > r.at + 1500 || f.end < r.at - 15 * 60_000 || f.start > f.end) stale++;
      }
      expect(decoder.stats.dropped).toEqual({});
      expect(records).toBe(report.records);
      expect(stale).toBe(0);
    }, 60_000);
  }
});
