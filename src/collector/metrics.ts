/**
 * The collector's counters as plain numbers. The Prometheus sink reads `Collector.stats()` at scrape time; nothing
 * here imports a metrics library.
 * @module
 */
import type { DropReason } from '../core/errors.js';
import type { ExportProtocol } from '../core/flow.js';
import type { DecodeStats } from '../decode/contracts.js';

/** what the collector drops, by name; decode-stage drops are in `decode.dropped` */
export type CollectorDropReason =
  | Extract<DropReason, 'queue-full' | 'exporter-not-allowed' | 'decode-error'>
  /** a TCP stream whose next IPFIX header has a bad version or length (the connection is closed) */
  | 'tcp-malformed'
  /** a TCP connection refused because maxConnections were open */
  | 'tcp-connection-limit'
  /** records the pipeline consumer threw on (a bug downstream; the batch is lost) */
  | 'consumer-error';

/** the wire version sniffed from a packet's first bytes */
export type SniffedProtocol = ExportProtocol | 'unknown';

export interface ListenerStats {
  /** "udp://[::]:2055", "tcp://0.0.0.0:4739" */
  readonly name: string;
  readonly transport: 'udp' | 'tcp';
  readonly address: string;
  /** the bound port (resolved when configured as 0) */
  readonly port: number;
  /** packets (UDP datagrams or IPFIX messages over TCP) and their bytes */
  readonly packets: number;
  readonly bytes: number;
  /** UDP: SO_RCVBUF as the kernel set it (Linux reports double the usable size) */
  readonly receiveBufferBytes?: number;
}

export interface KernelSocketStats {
  /** UDP port -> the kernel's drop counter and queued bytes, summed over our IPv4 and IPv6 sockets on it */
  readonly byPort: readonly { readonly port: number; readonly drops: number; readonly rxQueueBytes: number }[];
  /** RcvbufErrors of the whole network namespace (every process, IPv4 + IPv6); undefined when unreadable */
  readonly rcvbufErrors: number | undefined;
  /** epoch ms of the last successful read, 0 before the first */
  readonly readAt: number;
}

export interface CollectorStats {
  readonly listeners: readonly ListenerStats[];
  readonly queue: { readonly length: number; readonly capacity: number; readonly highWater: number };
  /** packets handed to the decoder, by sniffed version */
  readonly packets: Readonly<Record<SniffedProtocol, number>>;
  /** FlowRecords decoded, by sniffed version */
  readonly records: Readonly<Record<SniffedProtocol, number>>;
  readonly dropped: Readonly<Partial<Record<CollectorDropReason, number>>>;
  readonly tcpConnections: number;
  /** TCP connections closed after idleTimeoutMs of silence */
  readonly tcpIdleClosed: number;
  readonly exporters: number;
  /** exporters not tracked because the table was full */
  readonly exportersUntracked: number;
  readonly kernel: KernelSocketStats;
  /** the decoder's own counters (templates, decode drops by reason); a live reference */
  readonly decode: DecodeStats;
  /** templates in the decoder's cache, when the decoder exposes its cache */
  readonly templatesCached: number | undefined;
}

export function emptyByProtocol(): Record<SniffedProtocol, number> {
  return { 'netflow-v5': 0, 'netflow-v9': 0, ipfix: 0, sflow: 0, unknown: 0 };
}

/** the wire version from the first bytes: u16 5/9/10 for NetFlow/IPFIX, u32 5 for sFlow v5 */
export function sniffProtocol(packet: Uint8Array): SniffedProtocol {
  if (packet.length < 4) return 'unknown';
  const v16 = (packet[0]! << 8) | packet[1]!;
  if (v16 === 9) return 'netflow-v9';
  if (v16 === 10) return 'ipfix';
  if (v16 === 5) return 'netflow-v5';
  if (v16 === 0 && packet[2] === 0 && packet[3] === 5) return 'sflow';
  return 'unknown';
}
