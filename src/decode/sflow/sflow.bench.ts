/**
 * sFlow v5 decode throughput: datagrams of 8 flow samples (extended switch + 128-byte Ethernet/IPv4/TCP header,
 * like a switch exports them) plus 2 counter samples; the hot path (FlowRecords only) and the verbose path.
 */
import { bench } from '../../../scripts/bench-kit.js';
import { ETHERTYPE, ethernetFrame, ipv4Packet, tcpSegment } from '../../../test/tools/packets.js';
import type { FlowRecord } from '../../core/flow.js';
import { type DecodedFields, emptyDecodeStats } from '../contracts.js';
import { decodeSflow } from './index.js';
import { encodeSflowDatagram, headerRecord, switchRecord } from './testing.js';

const SAMPLES = 8;

function frame(i: number): Uint8Array {
  const src = `10.0.${i}.1`;
  const dst = `10.1.${i}.2`;
  const tcp = tcpSegment({
    src,
    dst,
    srcPort: 40_000 + i,
    dstPort: 443,
    seq: i,
    ack: 1,
    flags: 0x18,
    payload: new Uint8Array(1400),
  });
  const full = ethernetFrame({
    etherType: ETHERTYPE.IPV4,
    vlans: [100],
    payload: ipv4Packet({ src, dst, protocol: 6, payload: tcp }),
  });
  return full.subarray(0, 128);
}

const datagram = encodeSflowDatagram({
  agent: '192.0.2.10',
  counterSamples: 2,
  flowSamples: Array.from({ length: SAMPLES }, (_, i) => ({
    sequence: i,
    samplingRate: 4096,
    samplePool: i * 4096,
    input: 3,
    output: 7,
    records: [switchRecord(100, 100), headerRecord(frame(i), { frameLength: 1518 })],
  })),
});

const stats = emptyDecodeStats();
const out: FlowRecord[] = [];
const fields: DecodedFields[] = [];

bench(
  'sflow decode (records only)',
  () => {
    for (let i = 0; i < 100; i++) {
      decodeSflow(datagram, { exporter: '192.0.2.10', receivedAt: 0, out }, stats);
      out.length = 0;
    }
    return stats.records;
  },
  { unitsPerRun: 100 * SAMPLES, unit: 'records' },
);

bench(
  'sflow decode (with verbose fields)',
  () => {
    for (let i = 0; i < 10; i++) {
      decodeSflow(datagram, { exporter: '192.0.2.10', receivedAt: 0, out, fields }, stats);
      out.length = 0;
      fields.length = 0;
    }
    return stats.records;
  },
  { unitsPerRun: 10 * SAMPLES, unit: 'records' },
);
