/**
 * Test helpers: a fake decoder that stands in for src/decode in collector tests. Never imported by production code.
 * (Real export packets for tests and benchmarks come from src/demo/encode.)
 * @module
 */
import type { FlowRecord } from '../core/flow.js';
import { type DecodeStats, emptyDecodeStats, type PacketDecoder } from '../decode/contracts.js';
import { sniffProtocol } from './metrics.js';

/**
 * A stand-in decoder for collector tests: every NetFlow/IPFIX/sFlow packet yields `recordsPerPacket` records
 * (bytes = packet length) and anything else counts as unknown-version. Templates are not modelled. `seen` and
 * `payloads` keep every packet's exporter and a copy of its bytes, in decode order.
 */
export function createFakeDecoder(
  recordsPerPacket = 1,
): PacketDecoder & { readonly seen: string[]; readonly payloads: Uint8Array[] } {
  const stats: DecodeStats = emptyDecodeStats();
  const seen: string[] = [];
  const payloads: Uint8Array[] = [];
  return {
    stats,
    seen,
    payloads,
    decode(packet, call) {
      stats.packets++;
      seen.push(call.exporter);
      payloads.push(Uint8Array.from(packet));
      const protocol = sniffProtocol(packet);
      if (protocol === 'unknown') {
        stats.dropped['unknown-version'] = (stats.dropped['unknown-version'] ?? 0) + 1;
        return;
      }
      for (let i = 0; i < recordsPerPacket; i++)
        call.out.push(fakeRecord(call.exporter, protocol, call.receivedAt, packet.length));
      stats.records += recordsPerPacket;
    },
  };
}

function fakeRecord(exporter: string, protocol: FlowRecord['protocol'], at: number, bytes: number): FlowRecord {
  return {
    exporter,
    protocol,
    observationDomainId: 0,
    receivedAt: at,
    start: at,
    end: at,
    srcAddr: 0x0a000001,
    dstAddr: 0x0a000002,
    srcPort: 40000,
    dstPort: 80,
    ipProtocol: 6,
    tcpFlags: 0x1b,
    bytes,
    packets: 1,
    samplingRate: 1,
  };
}
