/**
 * IPFIX over TCP (RFC 7011 section 10.4) on real loopback connections: coalesced and split writes, malformed
 * lengths, the connection limit, the idle timeout, IPv6, the allow-list.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ipfixPackets, startCollector, type TestCollector, waitFor } from './collector-tools.js';

const running: TestCollector[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((t) => t.collector.stop()));
});

async function start(tcp: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<TestCollector> {
  const t = await startCollector({ udp: { enabled: false }, tcp: { enabled: true, ...tcp }, ...extra });
  running.push(t);
  return t;
}

function open(host: string, port: number): Promise<Socket & { closedAt: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port }) as Socket & { closedAt: Promise<void> };
    socket.closedAt = new Promise((done) => socket.once('close', () => done()));
    socket.on('error', () => {});
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

function concat(parts: readonly Uint8Array[]): Buffer {
  return Buffer.concat(parts.map((p) => Buffer.from(p)));
}

describe('collector over TCP', () => {
  it('frames messages written back to back in one write and messages split across writes', async () => {
    const t = await start({});
    const messages = [...ipfixPackets(2), ...ipfixPackets(40), ...ipfixPackets(1)];
    expect(messages.length).toBeGreaterThanOrEqual(3);
    const socket = await open('127.0.0.1', t.port('tcp'));
    socket.write(concat(messages.slice(0, 2)));
    const rest = concat(messages.slice(2));
    // split in awkward places: inside the 4-byte length prefix, then mid-message
    for (const [from, to] of [
      [0, 3],
      [3, 21],
      [21, rest.length],
    ] as const) {
      socket.write(rest.subarray(from, to));
      await pause(20);
    }
    await waitFor(() => t.decoder.payloads.length === messages.length, 5_000, 'every message framed');
    expect(t.decoder.payloads).toEqual(messages);
    expect(t.decoder.seen.every((e) => e === '127.0.0.1')).toBe(true);
    expect(t.collector.stats().listeners[0]).toMatchObject({ transport: 'tcp', packets: messages.length });
    expect(t.collector.stats().tcpConnections).toBe(1);
    socket.end();
    await socket.closedAt;
    await waitFor(() => t.collector.stats().tcpConnections === 0);
  });

  it('closes a connection whose next header has an impossible length and counts it, keeping earlier messages', async () => {
    const t = await start({});
    const socket = await open('127.0.0.1', t.port('tcp'));
    const good = ipfixPackets(1);
    const bad = Buffer.from([0, 10, 0, 8, 0, 0, 0, 0]); // length 8 < 16-byte header
    socket.write(Buffer.concat([concat(good), bad]));
    await socket.closedAt;
    await waitFor(() => t.collector.stats().dropped['tcp-malformed'] === 1);
    expect(t.decoder.payloads).toEqual(good);
    expect(t.collector.stats().tcpConnections).toBe(0);
  });

  it('refuses connections beyond maxConnections and counts them', async () => {
    const t = await start({ maxConnections: 1 });
    const first = await open('127.0.0.1', t.port('tcp'));
    const second = await open('127.0.0.1', t.port('tcp'));
    await second.closedAt;
    expect(t.collector.stats().dropped['tcp-connection-limit']).toBe(1);
    first.write(concat(ipfixPackets(1)));
    await waitFor(() => t.decoder.payloads.length === 1);
    first.destroy();
  });

  it('closes connections idle for idleTimeoutMs', async () => {
    const t = await start({ idleTimeoutMs: 1_000 });
    const socket = await open('127.0.0.1', t.port('tcp'));
    const opened = Date.now();
    await socket.closedAt;
    expect(Date.now() - opened).toBeGreaterThanOrEqual(900);
    await waitFor(() => t.collector.stats().tcpIdleClosed === 1);
  });

  it('accepts IPv6 exporters and applies the allow-list when they connect', async () => {
    const t = await start({ addresses: ['::1', '127.0.0.1'], ipv6Only: true }, { allowedExporters: ['::1'] });
    const v6 = await open('::1', t.port('tcp', '::1'));
    v6.write(concat(ipfixPackets(1)));
    const v4 = await open('127.0.0.1', t.port('tcp', '127.0.0.1'));
    await v4.closedAt;
    await waitFor(() => t.decoder.payloads.length === 1);
    expect(t.decoder.seen).toEqual(['::1']);
    expect(t.collector.stats().dropped['exporter-not-allowed']).toBe(1);
    v6.destroy();
  });

  it('pauses a connection while the queue is full instead of dropping, and loses nothing', async () => {
    const t = await start({}, { queue: { capacity: 2, batchPackets: 1 } });
    const messages = Array.from({ length: 50 }, () => ipfixPackets(1)[0]!);
    const socket = await open('127.0.0.1', t.port('tcp'));
    socket.write(concat(messages));
    await waitFor(() => t.decoder.payloads.length === 50, 5_000, 'all 50 messages decoded');
    expect(t.decoder.payloads).toEqual(messages);
    expect(t.collector.stats().dropped['queue-full']).toBeUndefined();
    expect(t.collector.stats().queue.highWater).toBe(2);
    socket.destroy();
  });
});
