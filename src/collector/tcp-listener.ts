import { createServer, type Server, type Socket } from 'node:net';
import { ListenError } from './errors.js';
import { createIpfixFramer } from './ipfix-framer.js';
import { listenerName } from './naming.js';
import type { ListenerCounters } from './udp-listener.js';

export interface TcpListenOptions {
  readonly address: string;
  readonly port: number;
  readonly ipv6Only: boolean;
  readonly maxMessageBytes: number;
  readonly idleTimeoutMs: number;
}

/** the collector's side of a TCP listener; all calls are synchronous */
export interface TcpHooks {
  /** whether a new connection from `address` may stay open; a refusal is counted by the hook */
  admit(address: string): boolean;
  /** hands one IPFIX message on; false when the queue is full (the connection pauses until `resume`) */
  offer(payload: Uint8Array, address: string, port: number): boolean;
  /** a connection ended (for whatever reason) */
  closed(): void;
  malformed(): void;
  idle(): void;
}

export interface TcpListener {
  readonly counters: ListenerCounters;
  /** connections paused because the queue was full */
  readonly paused: number;
  /** retries held messages of paused connections and resumes those fully handed on */
  resume(): void;
  /** empties the held messages of paused connections, oldest first per connection (used on stop) */
  takeHeld(visit: (payload: Uint8Array, address: string, port: number) => void): void;
  /** closes the server and every connection; idempotent */
  close(): Promise<void>;
}

interface Connection {
  readonly socket: Socket;
  readonly address: string;
  readonly port: number;
  /** messages framed but refused by a full queue; non-empty only while paused */
  held: Uint8Array[];
}

function flushHeld(conn: Connection, hooks: TcpHooks): boolean {
  let i = 0;
  while (i < conn.held.length && hooks.offer(conn.held[i]!, conn.address, conn.port)) i++;
  conn.held = conn.held.slice(i);
  return conn.held.length === 0;
}

function serve(
  conn: Connection,
  options: TcpListenOptions,
  hooks: TcpHooks,
  counters: ListenerCounters,
  paused: Set<Connection>,
): void {
  const framer = createIpfixFramer(options.maxMessageBytes);
  const { socket } = conn;
  socket.setTimeout(options.idleTimeoutMs, () => {
    hooks.idle();
    socket.destroy();
  });
  socket.on('data', (chunk: Buffer) => {
    const fault = framer.push(chunk, (message) => {
      counters.packets++;
      counters.bytes += message.length;
      if (conn.held.length > 0 || !hooks.offer(message, conn.address, conn.port)) conn.held.push(message);
    });
    if (fault) {
      hooks.malformed();
      socket.destroy();
    } else if (conn.held.length > 0 && !paused.has(conn)) {
      paused.add(conn);
      socket.pause();
    }
  });
  socket.on('error', () => {});
  socket.on('close', () => {
    paused.delete(conn);
    hooks.closed();
  });
}

/** listens for IPFIX over TCP; rejects with ListenError when the bind fails */
export function openTcpListener(options: TcpListenOptions, hooks: TcpHooks): Promise<TcpListener> {
  const sockets = new Set<Socket>();
  const paused = new Set<Connection>();
  let counters: ListenerCounters | undefined;
  const server: Server = createServer((socket) => {
    const address = socket.remoteAddress ?? '';
    if (!counters || !hooks.admit(address)) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serve({ socket, address, port: socket.remotePort ?? 0, held: [] }, options, hooks, counters, paused);
  });
  return new Promise((resolve, reject) => {
    server.once('error', (cause) => {
      const where = listenerName('tcp', options.address, options.port);
      const context = { transport: 'tcp' as const, address: options.address, port: options.port };
      reject(new ListenError(`Cannot listen on "${where}": ${cause.message}`, context, { cause }));
    });
    server.listen({ host: options.address, port: options.port, ipv6Only: options.ipv6Only, exclusive: true }, () => {
      const bound = server.address();
      const port = typeof bound === 'object' && bound ? bound.port : options.port;
      counters = {
        name: listenerName('tcp', options.address, port),
        transport: 'tcp',
        address: options.address,
        port,
        packets: 0,
        bytes: 0,
      };
      const listenerCounters = counters;
      let closed: Promise<void> | undefined;
      resolve({
        counters: listenerCounters,
        get paused() {
          return paused.size;
        },
        resume() {
          for (const conn of paused) {
            if (!flushHeld(conn, hooks)) return;
            paused.delete(conn);
            conn.socket.resume();
          }
        },
        takeHeld(visit) {
          for (const conn of paused) {
            for (const message of conn.held) visit(message, conn.address, conn.port);
            conn.held = [];
          }
        },
        close() {
          closed ??= new Promise((done) => {
            server.close(() => done());
            for (const socket of sockets) socket.destroy();
          });
          return closed;
        },
      });
    });
  });
}
