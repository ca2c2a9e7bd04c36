/**
 * The collector with the real decoder: NetFlow v9 and IPFIX packets from the demo encoders (ipt_NETFLOW layouts)
 * sent over UDP and TCP come out as the FlowRecords that were encoded; data before its template is counted as
 * template-missing.
 */
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type Collector, collectorConfig, createCollector } from '../../src/collector/index.js';
import type { FlowRecord } from '../../src/core/flow.js';
import { createPacketDecoder } from '../../src/decode/index.js';
import { createIpfixEncoder, createNetflowV9Encoder } from '../../src/demo/encode/index.js';
import { exportRecords, waitFor } from './collector-tools.js';

let collector: Collector | undefined;
afterEach(async () => {
  await collector?.stop();
});

async function startReal(): Promise<{ records: FlowRecord[]; udp: number; tcp: number; c: Collector }> {
  const records: FlowRecord[] = [];
  const config = collectorConfig.parse({
    udp: { addresses: ['127.0.0.1'], ports: [0] },
    tcp: { addresses: ['127.0.0.1'], ports: [0] },
  });
  const c = createCollector(config, {
    clock: Date.now,
    decoder: createPacketDecoder({ clock: Date.now }),
    consume: (batch) => records.push(...batch),
  });
  collector = c;
  await c.start(new AbortController().signal);
  const port = (t: string) => c.listeners().find((l) => l.transport === t)!.port;
  return { records, udp: port('udp'), tcp: port('tcp'), c };
}

function sendUdp(port: number, packets: readonly Uint8Array[]): Promise<void> {
  const socket = createSocket('udp4');
  return new Promise((resolve) => {
    socket.connect(port, '127.0.0.1', () => {
      let left = packets.length;
      for (const p of packets) socket.send(p, () => --left === 0 && socket.close(() => resolve()));
    });
  });
}

const key = (r: { srcAddr: unknown; srcPort: number; dstPort: number; bytes: number; packets: number }) =>
  `${String(r.srcAddr)}:${r.srcPort}->${r.dstPort} ${r.bytes}B ${r.packets}p`;

describe('collector with the real decoder', () => {
  it('turns NetFlow v9 over UDP and IPFIX over TCP into the records that were encoded', async () => {
    const { records, udp, tcp, c } = await startReal();
    const now = Math.floor(Date.now() / 1000) * 1000;
    const sent = exportRecords(120, now);
    const v9 = createNetflowV9Encoder({ domainId: 7 }).encode(sent.slice(0, 60), now);
    const ipfix = createIpfixEncoder({ domainId: 8 }).encode(sent.slice(60), now);
    await sendUdp(udp, v9);
    const socket = connect({ host: '127.0.0.1', port: tcp });
    await new Promise((r) => socket.once('connect', r));
    socket.write(Buffer.concat(ipfix.map((p) => Buffer.from(p))));
    await waitFor(() => records.length === 120, 5_000, '120 records');
    socket.destroy();

    expect(records.map(key).sort()).toEqual(sent.map(key).sort());
    const v9Records = records.filter((r) => r.protocol === 'netflow-v9');
    expect(v9Records).toHaveLength(60);
    expect(v9Records.every((r) => r.observationDomainId === 7 && r.exporter === '127.0.0.1')).toBe(true);
    expect(records.find((r) => r.protocol === 'ipfix')).toMatchObject({
      start: now - 5_000,
      end: now - 1_000,
      dstAddr: 0x0a000101,
    });
    const stats = c.stats();
    expect(stats.records).toMatchObject({ 'netflow-v9': 60, ipfix: 60 });
    expect(stats.templatesCached).toBe(2);
    expect(stats.decode.templates).toBeGreaterThanOrEqual(2);
  });

  it('counts data that arrives before its template as template-missing', async () => {
    const { records, udp, c } = await startReal();
    const now = Date.now();
    const packets = createIpfixEncoder({ domainId: 3, templateRefreshPackets: 1000 }).encode(
      exportRecords(200, now),
      now,
    );
    expect(packets.length).toBeGreaterThan(1);
    await sendUdp(udp, packets.slice(1)); // the template travelled in the first packet only
    await waitFor(() => c.stats().packets.ipfix === packets.length - 1);
    expect(records).toHaveLength(0);
    expect(c.stats().decode.dropped['template-missing']).toBeGreaterThan(0);
  });
});
