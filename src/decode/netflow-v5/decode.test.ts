import { describe, expect, it } from 'vitest';
import type { FlowRecord } from '../../core/flow.js';
import type { DecodedFields } from '../contracts.js';
import { createPacketDecoder } from '../decoder.js';
import { concat, type V5Record, v5Packet } from '../testing.js';

const NOW = Date.UTC(2025, 5, 1);
const UNIX = 1_700_000_000;

const record = (n: number): V5Record => ({
  src: `10.0.0.${n}`,
  dst: '192.0.2.1',
  srcPort: 1000 + n,
  dstPort: 80,
  protocol: 6,
  packets: n,
  bytes: 100 * n,
  first: 1_000,
  last: 9_000,
  tcpFlags: 0x12,
});

function run(packet: Uint8Array) {
  const decoder = createPacketDecoder({ clock: () => NOW });
  const out: FlowRecord[] = [];
  const fields: DecodedFields[] = [];
  decoder.decode(packet, { exporter: '10.0.0.7', receivedAt: NOW, out, fields });
  return { out, fields, stats: decoder.stats };
}

describe('decodeNetflowV5()', () => {
  it('decodes records with header times (nanoseconds included) and the header sampling interval', () => {
    const packet = v5Packet({ sysUptime: 10_000, unixSecs: UNIX, unixNsecs: 250_000_000, sampling: (1 << 14) | 512 }, [
      record(1),
    ]);
    const { out, fields } = run(packet);
    expect(out[0]).toEqual({
      exporter: '10.0.0.7',
      protocol: 'netflow-v5',
      observationDomainId: 0,
      receivedAt: NOW,
      start: UNIX * 1000 + 250 - 9_000,
      end: UNIX * 1000 + 250 - 1_000,
      srcAddr: 0x0a000001,
      dstAddr: 0xc0000201,
      srcPort: 1001,
      dstPort: 80,
      ipProtocol: 6,
      tcpFlags: 0x12,
      bytes: 100,
      packets: 1,
      samplingRate: 512,
    });
    expect(fields[0]).toMatchObject({
      version: 5,
      templateId: 0,
      fields: { sourceIPv4Address: '10.0.0.1', samplingAlgorithm: 1, samplingInterval: 512, flowEndSysUpTime: 9_000 },
    });
  });

  it('decodes every PDU of a payload holding several', () => {
    const header = { sysUptime: 10_000, unixSecs: UNIX };
    const { out, stats } = run(concat(v5Packet(header, [record(1), record(2)]), v5Packet(header, [record(3)])));
    expect(out.map((r) => r.srcPort)).toEqual([1001, 1002, 1003]);
    expect(stats.dropped).toEqual({});
  });

  it('decodes the records present when the header count is larger, and counts truncated', () => {
    const { out, stats } = run(v5Packet({ sysUptime: 10_000, unixSecs: UNIX, count: 30 }, [record(1), record(2)]));
    expect(out).toHaveLength(2);
    expect(stats.dropped).toEqual({ truncated: 1 });
  });

  it('never throws on a PDU truncated at any offset', () => {
    const packet = v5Packet({ sysUptime: 10_000, unixSecs: UNIX }, [record(1), record(2)]);
    for (let length = 0; length < packet.length; length++) {
      const { stats } = run(packet.subarray(0, length));
      expect(stats.records).toBe(Math.max(0, Math.floor((length - 24) / 48)));
      expect(stats.dropped.truncated, `cut at ${length}`).toBe(1);
    }
  });
});
