/**
 * `createDemo` live: three node exporters send real UDP from three source addresses at the configured rate; every
 * datagram reaches the collector port, tshark and flowmap's own decoder accept all of them, and the decoded
 * records are exactly the records the exporters exported (sampling announced by the sampled exporter).
 */
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowRecord } from '../../src/core/flow.js';
import { formatIp } from '../../src/core/ip.js';
import { createPacketDecoder } from '../../src/decode/index.js';
import { type ClusterEvent, createDemo, type ExportRecord, writePcap } from '../../src/demo/index.js';
import { itWithTools } from '../tools/process.js';
import { tsharkDecode } from './demo-tools.js';

interface Received {
  readonly payload: Uint8Array;
  readonly address: string;
  readonly port: number;
  readonly dstPort: number;
  readonly time: number;
}

async function listen(into: Received[]): Promise<Socket> {
  const socket = createSocket({ type: 'udp4', recvBufferSize: 8 * 1024 * 1024 });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  const dstPort = socket.address().port;
  socket.on('message', (msg, rinfo) =>
    into.push({ payload: new Uint8Array(msg), address: rinfo.address, port: rinfo.port, dstPort, time: Date.now() }),
  );
  return socket;
}

const RATE = 400;
const LIVE_MS = 6000;

describe('createDemo over UDP', () => {
  const received: Received[] = [];
  const sent: { exporter: number; records: ExportRecord[] }[] = [];
  const events: ClusterEvent[] = [];
  let netflow: Socket;
  let ipfix: Socket;
  let recordsAtStart = 0;
  let stats: ReturnType<ReturnType<typeof createDemo>['stats']>;
  let demo: ReturnType<typeof createDemo>;
  const dir = mkdtempSync(join(tmpdir(), 'flowmap-demo-live-'));

  beforeAll(async () => {
    netflow = await listen(received);
    ipfix = await listen(received);
    demo = createDemo(
      {
        rate: RATE,
        warmupMs: 20_000,
        rolloutEveryMs: 3000,
        collector: { host: '127.0.0.1', netflowPort: netflow.address().port, ipfixPort: ipfix.address().port },
      },
      { onExport: (exporter, batch) => sent.push({ exporter, records: [...batch.records] }) },
    );
    demo.cluster.subscribe((e) => events.push(...e));
    const controller = new AbortController();
    await demo.start(controller.signal);
    recordsAtStart = demo.stats().records;
    await new Promise((r) => setTimeout(r, LIVE_MS));
    stats = demo.stats();
    await demo.stop();
    await new Promise((r) => setTimeout(r, 300));
    netflow.close();
    ipfix.close();
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('sends every datagram from one source address per node exporter', () => {
    const packets = sent.length > 0 ? demo.stats().packets : 0;
    expect(received.length).toBe(packets);
    expect(new Set(received.map((r) => r.address))).toEqual(new Set(['127.0.1.1', '127.0.1.2', '127.0.1.3']));
    expect(stats.exporters.map((e) => [e.node, e.version, e.samplingRate])).toEqual([
      ['node-1', 9, 1],
      ['node-2', 9, 10],
      ['node-3', 10, 1],
    ]);
  });

  it('sends close to the configured rate once running', () => {
    const live = ((stats.records - recordsAtStart) * 1000) / LIVE_MS;
    expect(live).toBeGreaterThan(RATE * 0.4);
    expect(live).toBeLessThan(RATE * 2.5);
    expect(stats.sendErrors).toBe(0);
  });

  it('streams cluster events and offers the snapshot and the truth', () => {
    expect(events.length).toBeGreaterThan(0);
    expect(events.some((e) => e.object.kind === 'Pod')).toBe(true);
    expect(demo.cluster.snapshot().items.some((o) => o.kind === 'Deployment' && o.metadata.name === 'frontend')).toBe(
      true,
    );
    expect(demo.truth().some((e) => e.clientId === 'workload:shop/Deployment/loadgenerator')).toBe(true);
  });

  it("flowmap's decoder decodes exactly the records each exporter sent, with the announced sampling rate", () => {
    const decoder = createPacketDecoder({ clock: () => Date.now() });
    const byExporter = new Map<string, FlowRecord[]>();
    for (const r of received) {
      const out: FlowRecord[] = [];
      decoder.decode(r.payload, { exporter: r.address, receivedAt: r.time, out });
      byExporter.set(r.address, [...(byExporter.get(r.address) ?? []), ...out]);
    }
    expect(decoder.stats.dropped).toEqual({});
    const key = (r: {
      srcAddr: unknown;
      dstAddr: unknown;
      srcPort: number;
      dstPort: number;
      ipProtocol: number;
      bytes: number;
      packets: number;
      tcpFlags: number;
      start: number;
      end: number;
    }) =>
      [
        formatIp(r.srcAddr as number),
        formatIp(r.dstAddr as number),
        r.srcPort,
        r.dstPort,
        r.ipProtocol,
        r.bytes,
        r.packets,
        r.tcpFlags,
        r.start,
        r.end,
      ].join(' ');
    for (let i = 0; i < 3; i++) {
      const mine = sent.filter((s) => s.exporter === i).flatMap((s) => s.records);
      const decoded = byExporter.get(`127.0.1.${i + 1}`) ?? [];
      expect(decoded.length).toBe(mine.length);
      expect(decoded.map(key).sort()).toEqual(mine.map(key).sort());
      const rates = new Set(decoded.map((d) => d.samplingRate));
      expect(rates).toEqual(new Set([i === 1 ? 10 : 1]));
    }
  });

  itWithTools(['tshark'], 'tshark decodes every datagram and every record', () => {
    const pcap = join(dir, 'demo.pcap');
    writeFileSync(
      pcap,
      writePcap(
        received.map((r) => ({
          time: r.time,
          srcAddr: r.address,
          srcPort: r.port,
          dstAddr: '127.0.0.1',
          dstPort: r.dstPort,
          payload: r.payload,
        })),
      ),
    );
    const ports = [...new Set(received.map((r) => r.dstPort))];
    const decoded = tsharkDecode(pcap, ports);
    expect(decoded.length).toBe(received.length);
    const dataRecords = decoded.flatMap((p) => p.flows).filter((f) => f['cflow.srcaddr']);
    expect(dataRecords.length).toBe(sent.reduce((n, s) => n + s.records.length, 0));
    const sampling = decoded.flatMap((p) => p.flows).filter((f) => f['cflow.sampling_interval']);
    expect(sampling.length).toBeGreaterThan(0);
    expect(new Set(sampling.map((f) => f['cflow.sampling_interval']![0]))).toEqual(new Set(['10']));
  });
});
