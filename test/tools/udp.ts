/**
 * A UDP receiver that records every datagram (what a flow collector would have received), and a sender that
 * replays datagrams to a collector.
 * @module
 */
import { createSocket, type Socket } from 'node:dgram';
import { sleep } from './process.js';

export interface ReceivedDatagram {
  readonly payload: Uint8Array;
  readonly srcAddr: string;
  readonly srcPort: number;
  /** epoch ms */
  readonly receivedAt: number;
}

export interface UdpSink {
  readonly port: number;
  readonly address: string;
  readonly datagrams: readonly ReceivedDatagram[];
  /** resolves once no datagram arrived for `quietMs` (or `maxMs` passed) */
  settle(quietMs?: number, maxMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface ListenOptions {
  /**
   * relay: each datagram is also sent on, as it arrives, to this collector from the sink's own socket (so the
   * collector sees one exporter per sink: the sink's address and port), in arrival order and with its timing
   */
  readonly forwardTo?: { readonly port: number; readonly address?: string };
}

/** listens on `address:port` (port 0 = ephemeral) */
export async function listenUdp(port = 0, address = '127.0.0.1', options: ListenOptions = {}): Promise<UdpSink> {
  const socket: Socket = createSocket(address.includes(':') ? 'udp6' : 'udp4');
  const datagrams: ReceivedDatagram[] = [];
  let last = Date.now();
  const forward = options.forwardTo;
  socket.on('message', (message, remote) => {
    last = Date.now();
    if (forward) socket.send(message, forward.port, forward.address ?? '127.0.0.1');
    datagrams.push({
      payload: new Uint8Array(message),
      srcAddr: remote.address,
      srcPort: remote.port,
      receivedAt: last,
    });
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, address, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  return {
    port: socket.address().port,
    address,
    datagrams,
    async settle(quietMs = 300, maxMs = 10_000) {
      const start = Date.now();
      last = Math.max(last, start);
      while (Date.now() - last < quietMs && Date.now() - start < maxMs) await sleep(50);
    },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** sends each payload to `address:port` from one socket, in order, pausing `gapMs` between them */
export async function sendUdp(
  payloads: readonly Uint8Array[],
  port: number,
  address = '127.0.0.1',
  gapMs = 2,
): Promise<void> {
  const socket = createSocket(address.includes(':') ? 'udp6' : 'udp4');
  try {
    for (const payload of payloads) {
      await new Promise<void>((resolve, reject) =>
        socket.send(payload, port, address, (e) => (e ? reject(e) : resolve())),
      );
      if (gapMs) await sleep(gapMs);
    }
  } finally {
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}
