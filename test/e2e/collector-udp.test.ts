/**
 * The collector's UDP path on real loopback sockets: IPv4 and IPv6, dual-stack, every version on every port,
 * the bounded queue and its drops, the allow-list, stop flushing, bind errors.
 */
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { collectorConfig, createCollector, ListenError } from '../../src/collector/index.js';
import { createFakeDecoder } from '../../src/collector/testing.js';
import {
  ipfixPackets,
  netflowV9Packets,
  sendBlocking,
  startCollector,
  type TestCollector,
  waitFor,
} from './collector-tools.js';

const running: TestCollector[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((t) => t.collector.stop()));
});

async function start(...args: Parameters<typeof startCollector>): Promise<TestCollector> {
  const t = await startCollector(...args);
  running.push(t);
  return t;
}

function send(host: string, port: number, packets: readonly Uint8Array[]): Promise<void> {
  const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.connect(port, host, () => {
      let left = packets.length;
      for (const p of packets)
        socket.send(p, () => {
          if (--left === 0) socket.close(() => resolve());
        });
    });
  });
}

const SFLOW_HEADER = Uint8Array.from([0, 0, 0, 5, 0, 0, 0, 1, 127, 0, 0, 1, 0, 0, 0, 0]);
const GARBAGE = Uint8Array.from([0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4]);

describe('collector over UDP', () => {
  it('receives IPFIX, NetFlow v9 and sFlow on one port over IPv4 and IPv6 loopback, counted per exporter and version', async () => {
    const t = await start({ udp: { addresses: ['127.0.0.1', '::1'], ipv6Only: true } });
    const v4 = t.port('udp', '127.0.0.1');
    const v6 = t.port('udp', '::1');
    const ipfix = ipfixPackets(3);
    const v9 = netflowV9Packets(2);
    await send('127.0.0.1', v4, [...ipfix, ...v9, SFLOW_HEADER, GARBAGE]);
    await send('::1', v6, ipfix);
    const total = ipfix.length * 2 + v9.length + 2;
    await waitFor(() => t.decoder.stats.packets === total, 5_000, 'every packet decoded');

    const stats = t.collector.stats();
    expect(stats.packets).toEqual({
      ipfix: ipfix.length * 2,
      'netflow-v9': v9.length,
      sflow: 1,
      unknown: 1,
      'netflow-v5': 0,
    });
    // the fake decoder yields one record per recognised packet
    expect(stats.records.ipfix).toBe(ipfix.length * 2);
    expect(t.records()).toBe(total - 1);
    expect(stats.decode.dropped['unknown-version']).toBe(1);
    const byAddress = new Map(t.collector.exporters().map((e) => [e.address, e]));
    expect(byAddress.get('127.0.0.1')).toMatchObject({
      packets: ipfix.length + v9.length + 2,
      records: total - 1 - ipfix.length,
    });
    expect(byAddress.get('::1')).toMatchObject({ protocol: 'ipfix', packets: ipfix.length, records: ipfix.length });
    const listeners = new Map(stats.listeners.map((l) => [l.address, l]));
    expect(listeners.get('127.0.0.1')?.packets).toBe(ipfix.length + v9.length + 2);
    expect(listeners.get('::1')?.bytes).toBe(ipfix.reduce((n, p) => n + p.length, 0));
    // the decoder saw the exact bytes that were sent
    expect(t.decoder.payloads.slice(0, ipfix.length)).toEqual(ipfix);
    expect(listeners.get('::1')?.receiveBufferBytes).toBeGreaterThanOrEqual(131_072);
  });

  it('reports IPv4 exporters reaching a dual-stack "::" socket as IPv4, with the source port on request', async () => {
    const t = await start({ udp: { addresses: ['::'], ipv6Only: false }, exporterIdentity: 'address-port' });
    await send('127.0.0.1', t.port('udp'), ipfixPackets(1));
    await send('::1', t.port('udp'), ipfixPackets(1));
    await waitFor(() => t.decoder.seen.length === 2);
    expect(t.decoder.seen[0]).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(t.decoder.seen[1]).toMatch(/^\[::1\]:\d+$/);
  });

  it('drops the newest packets when the queue is full and counts them as queue-full', async () => {
    const t = await start({ queue: { capacity: 4, batchPackets: 1 } });
    const packets = Array.from({ length: 40 }, () => ipfixPackets(1)[0]!);
    sendBlocking('127.0.0.1', t.port('udp'), packets);
    await waitFor(() => (t.collector.stats().listeners[0]?.packets ?? 0) === 40, 5_000, 'all datagrams read');
    await waitFor(() => t.collector.stats().queue.length === 0);
    const stats = t.collector.stats();
    const dropped = stats.dropped['queue-full'] ?? 0;
    expect(dropped).toBeGreaterThan(0);
    expect(t.records()).toBe(40 - dropped);
    expect(stats.queue.highWater).toBe(4);
  });

  it('drops packets from exporters outside the allow-list (IPv4 and IPv6 CIDRs)', async () => {
    const t = await start({
      udp: { addresses: ['127.0.0.1', '::1'], ipv6Only: true },
      allowedExporters: ['::1/128', '10.0.0.0/8'],
    });
    await send('127.0.0.1', t.port('udp', '127.0.0.1'), ipfixPackets(1));
    await send('::1', t.port('udp', '::1'), ipfixPackets(1));
    await waitFor(() => t.decoder.seen.length === 1 && t.collector.stats().dropped['exporter-not-allowed'] === 1);
    expect(t.decoder.seen).toEqual(['::1']);
    expect(t.collector.exporters().map((e) => e.address)).toEqual(['::1']);
  });

  it('stop() decodes and hands on every packet still queued', async () => {
    let t: TestCollector | undefined;
    let stopped: Promise<void> | undefined;
    t = await start({ queue: { capacity: 1000, batchPackets: 1 } }, () => {
      stopped ??= t?.collector.stop();
    });
    sendBlocking(
      '127.0.0.1',
      t.port('udp'),
      Array.from({ length: 30 }, () => ipfixPackets(1)[0]!),
    );
    await waitFor(() => stopped !== undefined);
    await stopped;
    const read = t.collector.stats().listeners[0]!.packets;
    expect(read).toBeGreaterThan(1);
    expect(t.records()).toBe(read);
    expect(t.batches.length).toBeGreaterThan(1);
    expect(t.collector.stats().queue.length).toBe(0);
    await t.collector.stop();
  });

  it('stops when the start signal aborts, closing its sockets', async () => {
    const controller = new AbortController();
    const decoder = createFakeDecoder();
    const collector = createCollector(
      collectorConfig.parse({ udp: { addresses: ['127.0.0.1'], ports: [0] }, tcp: { enabled: false } }),
      {
        clock: Date.now,
        decoder,
        consume: () => {},
      },
    );
    await collector.start(controller.signal);
    const port = collector.listeners()[0]!.port;
    controller.abort();
    // without calling stop(): the port becomes free once the abort has closed the socket
    const canBind = () =>
      new Promise<boolean>((resolve) => {
        const probe = createSocket('udp4');
        probe.once('error', () => probe.close(() => resolve(false)));
        probe.bind(port, '127.0.0.1', () => probe.close(() => resolve(true)));
      });
    let free = false;
    for (let i = 0; i < 100 && !free; i++) {
      free = await canBind();
      if (!free) await new Promise((r) => setTimeout(r, 10));
    }
    expect(free).toBe(true);
  });

  it('stop() is safe before start and idempotent', async () => {
    const collector = createCollector(collectorConfig.parse({}), {
      clock: Date.now,
      decoder: createFakeDecoder(),
      consume: () => {},
    });
    await collector.stop();
    await collector.stop();
    expect(collector.listeners()).toEqual([]);
  });

  it('start() rejects with a ListenError naming the listener when the port is taken, leaving nothing bound', async () => {
    const t = await start({ udp: { addresses: ['127.0.0.1'] } });
    const port = t.port('udp');
    const clash = createCollector(
      collectorConfig.parse({ udp: { addresses: ['127.0.0.1'], ports: [0, port] }, tcp: { enabled: false } }),
      {
        clock: Date.now,
        decoder: createFakeDecoder(),
        consume: () => {},
      },
    );
    const error = await clash.start(new AbortController().signal).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ListenError);
    expect((error as Error).message).toContain(`Cannot listen on "udp://127.0.0.1:${port}"`);
    expect((error as Error).message).toContain('EADDRINUSE');
    await clash.stop();
  });
});
