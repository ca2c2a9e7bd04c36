import { describe, expect, it } from 'vitest';
import type { EnrichedFlow } from '../core/conversation.js';
import type { FlowRecord } from '../core/flow.js';
import { parseIp } from '../core/ip.js';
import { createEnricher } from './enricher.js';
import { createStaticIndex, podEndpointFor } from './testing.js';

const flow = (src: string, dst: string, srcPort: number, dstPort: number, start = 1000): FlowRecord => ({
  exporter: '10.0.0.1',
  protocol: 'ipfix',
  observationDomainId: 0,
  receivedAt: start + 10,
  start,
  end: start + 5,
  srcAddr: parseIp(src)!,
  dstAddr: parseIp(dst)!,
  srcPort,
  dstPort,
  ipProtocol: 6,
  tcpFlags: 0,
  bytes: 100,
  packets: 1,
  samplingRate: 1,
});

describe('createEnricher()', () => {
  const web = podEndpointFor('shop', 'web-1', 'web');
  const exporter = podEndpointFor('monitoring', 'node-exporter-1', 'node-exporter', 'DaemonSet');
  const index = createStaticIndex([
    { ip: '10.244.1.5', endpoint: web, to: 5000 },
    { ip: '10.0.0.11', endpoint: exporter, port: 9100, ipProtocol: 6 },
  ]);

  it('names both ends of every flow, looking up each address with its own port at the flow start', () => {
    const enricher = createEnricher(index);
    const out: EnrichedFlow[] = [];
    enricher.apply([flow('10.244.1.5', '10.0.0.11', 40000, 9100), flow('10.0.0.11', '10.244.1.5', 9100, 40000)], out);
    expect(out.map((f) => [f.src.name, f.dst.name])).toEqual([
      ['web-1', 'node-exporter-1'],
      ['node-exporter-1', 'web-1'],
    ]);
    expect(out[0]!.src).toBe(web);
  });

  it('emits flows with unknown ends and counts each unknown end as no-metadata', () => {
    const enricher = createEnricher(index);
    const out: EnrichedFlow[] = [];
    enricher.apply(
      [
        flow('10.244.1.5', '192.0.2.1', 1, 2),
        flow('192.0.2.2', '192.0.2.1', 1, 2),
        flow('10.244.1.5', '10.0.0.11', 1, 9100, 9000),
      ],
      out,
    );
    expect(out).toHaveLength(3);
    expect(out[2]!.src.kind).toBe('unknown');
    expect(enricher.stats).toEqual({ in: 3, out: 3, dropped: { 'no-metadata': 4 } });
  });
});
