/**
 * Opening the configured listeners: every UDP address x port and every TCP address x port, in config order.
 * On the first failure every listener already opened is closed and the ListenError is rethrown.
 * @module
 */
import type { CollectorConfig } from './config.js';
import { openTcpListener, type TcpHooks, type TcpListener } from './tcp-listener.js';
import { type DatagramHandler, openUdpListener, type UdpListener } from './udp-listener.js';

export interface OpenHandlers {
  readonly onDatagram: DatagramHandler;
  readonly tcpHooks: TcpHooks;
  readonly warn: (message: string) => void;
}

/** fills `udp` and `tcp` as listeners open, so a caller can close them even while opening */
export async function openListeners(
  config: CollectorConfig,
  handlers: OpenHandlers,
  udp: UdpListener[],
  tcp: TcpListener[],
): Promise<void> {
  try {
    if (config.udp.enabled) {
      const { ipv6Only, receiveBufferBytes } = config.udp;
      const onError = (error: Error) => handlers.warn(`UDP socket error: ${error.message}`);
      for (const address of config.udp.addresses) {
        for (const port of config.udp.ports) {
          const options = { address, port, ipv6Only, receiveBufferBytes };
          const listener = await openUdpListener(options, handlers.onDatagram, onError);
          udp.push(listener);
          const effective = listener.counters.receiveBufferBytes ?? 0;
          // Linux doubles the requested size for bookkeeping; less than the request means rmem_max capped it
          if (effective < receiveBufferBytes) {
            handlers.warn(
              `Cannot set the receive buffer of "${listener.counters.name}" to ${receiveBufferBytes} bytes: ` +
                `the kernel set ${effective} (raise net.core.rmem_max)`,
            );
          }
        }
      }
    }
    if (config.tcp.enabled) {
      const { ipv6Only, maxMessageBytes, idleTimeoutMs } = config.tcp;
      for (const address of config.tcp.addresses) {
        for (const port of config.tcp.ports) {
          const options = { address, port, ipv6Only, maxMessageBytes, idleTimeoutMs };
          tcp.push(await openTcpListener(options, handlers.tcpHooks));
        }
      }
    }
  } catch (error) {
    await Promise.all([...udp.map((l) => l.close()), ...tcp.map((l) => l.close())]);
    udp.length = 0;
    tcp.length = 0;
    throw error;
  }
}
