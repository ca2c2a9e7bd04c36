import { createSocket, type Socket } from 'node:dgram';
import { ListenError } from './errors.js';
import { listenerName } from './naming.js';

/** mutable counters of one listener; the collector owns and reads them */
export interface ListenerCounters {
  readonly name: string;
  readonly transport: 'udp' | 'tcp';
  readonly address: string;
  readonly port: number;
  packets: number;
  bytes: number;
  receiveBufferBytes?: number;
}

/** called synchronously for every datagram; must not throw and must not await */
export type DatagramHandler = (payload: Uint8Array, address: string, port: number) => void;

export interface UdpListener {
  readonly counters: ListenerCounters;
  /** idempotent */
  close(): Promise<void>;
}

export interface UdpListenOptions {
  readonly address: string;
  readonly port: number;
  readonly ipv6Only: boolean;
  readonly receiveBufferBytes: number;
}

/**
 * Binds one UDP socket and counts every datagram before handing it on. Rejects with ListenError when the bind
 * fails; the socket is closed then.
 */
export function openUdpListener(
  options: UdpListenOptions,
  onDatagram: DatagramHandler,
  onError: (error: Error) => void,
): Promise<UdpListener> {
  const v6 = options.address.includes(':');
  const socket: Socket = createSocket({
    type: v6 ? 'udp6' : 'udp4',
    ipv6Only: v6 && options.ipv6Only,
    recvBufferSize: options.receiveBufferBytes,
  });
  return new Promise((resolve, reject) => {
    const onBindError = (cause: Error) => {
      socket.close();
      const where = listenerName('udp', options.address, options.port);
      reject(
        new ListenError(
          `Cannot listen on "${where}": ${cause.message}`,
          { transport: 'udp', address: options.address, port: options.port },
          { cause },
        ),
      );
    };
    socket.once('error', onBindError);
    socket.bind({ address: options.address, port: options.port, exclusive: true }, () => {
      socket.off('error', onBindError);
      const port = socket.address().port;
      const counters: ListenerCounters = {
        name: listenerName('udp', options.address, port),
        transport: 'udp',
        address: options.address,
        port,
        packets: 0,
        bytes: 0,
        receiveBufferBytes: socket.getRecvBufferSize(),
      };
      socket.on('message', (msg, rinfo) => {
        counters.packets++;
        counters.bytes += msg.length;
        onDatagram(msg, rinfo.address, rinfo.port);
      });
      // after bind, errors are reported but the socket keeps receiving
      socket.on('error', onError);
      let closed: Promise<void> | undefined;
      resolve({
        counters,
        close: () => {
          closed ??= new Promise((done) => socket.close(() => done()));
          return closed;
        },
      });
    });
  });
}
