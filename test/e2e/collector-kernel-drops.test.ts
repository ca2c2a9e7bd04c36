/**
 * The kernel's own UDP drops for our socket, read from /proc/net/udp: flood a collector socket with a small receive
 * buffer while this process is blocked (so nothing reads it), then compare the kernel's count with what was lost.
 */
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { sendBlocking, startCollector, type TestCollector, waitFor } from './collector-tools.js';

const running: TestCollector[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((t) => t.collector.stop()));
});

describe.runIf(existsSync('/proc/net/udp'))('collector kernel drop counters', () => {
  it('reports exactly the datagrams the kernel dropped for our port', async () => {
    const t = await startCollector({ udp: { addresses: ['127.0.0.1'], receiveBufferBytes: 65_536 } });
    running.push(t);
    const port = t.port('udp');
    await t.collector.refreshKernelStats();
    expect(t.collector.stats().kernel.byPort).toEqual([{ port, drops: 0, rxQueueBytes: 0 }]);
    const before = t.collector.stats().kernel.rcvbufErrors ?? 0;

    const sent = 2_000;
    const payload = new Uint8Array(1_200);
    payload[1] = 10; // looks like IPFIX to the fake decoder
    sendBlocking(
      '127.0.0.1',
      port,
      Array.from({ length: sent }, () => payload),
    );

    // the buffered datagrams are read once the event loop runs again; then the socket goes quiet
    let last = -1;
    await waitFor(
      () => {
        const read = t.collector.stats().listeners[0]!.packets;
        const settled = read === last && read > 0;
        last = read;
        return settled;
      },
      5_000,
      'the socket to be drained',
    );
    await t.collector.refreshKernelStats();
    const stats = t.collector.stats();
    const read = stats.listeners[0]!.packets;
    const drops = stats.kernel.byPort.find((p) => p.port === port)?.drops ?? 0;
    expect(read).toBeLessThan(sent);
    expect(drops).toBe(sent - read);
    // the namespace-wide counter moved at least as much (other sockets may add to it)
    expect((stats.kernel.rcvbufErrors ?? 0) - before).toBeGreaterThanOrEqual(drops);
    expect(stats.kernel.readAt).toBeGreaterThan(0);
  });
});
