/**
 * The live collector: UDP (NetFlow v5/v9, IPFIX, sFlow) and IPFIX-over-TCP listeners feeding one bounded queue,
 * decoded in bounded batches and handed to the pipeline.
 * @module
 */

import type { ExporterStatus } from '../contract/responses.js';
import type { Clock } from '../core/clock.js';
import type { FlowRecord } from '../core/flow.js';
import type { PacketDecoder } from '../decode/contracts.js';
import type { Lifecycle } from '../pipeline/contracts.js';
import { createAllowList } from './allow-list.js';
import type { CollectorConfig } from './config.js';
import { Ingest } from './ingest.js';
import { readKernelUdpStats } from './kernel-stats.js';
import { openListeners } from './listeners.js';
import type { CollectorStats, KernelSocketStats, ListenerStats } from './metrics.js';
import { exporterKey } from './naming.js';
import { createTcpAdmission } from './tcp-admission.js';
import type { TcpListener } from './tcp-listener.js';
import type { UdpListener } from './udp-listener.js';

export interface CollectorLog {
  warn(message: string): void;
}

export interface CollectorDeps {
  readonly clock: Clock;
  /** decodes every packet; its template state lives as long as the collector (`templates.size` is reported) */
  readonly decoder: PacketDecoder & { readonly templates?: { readonly size: number } };
  /**
   * The pipeline's entry: called synchronously with each batch of decoded records (at most `queue.batchPackets`
   * packets' worth); the callee owns the array. It must not throw or await; a throw loses the batch (counted).
   */
  readonly consume: (records: FlowRecord[]) => void;
  readonly log?: CollectorLog;
}

/**
 * Lifecycle: `start` binds every listener (rejecting with ListenError, nothing left open, when one fails) and
 * resolves once all are bound; `stop` closes the sockets, then decodes and hands on everything still queued.
 * `stop` is idempotent and safe before `start`. Aborting the start signal stops the collector.
 */
export interface Collector extends Lifecycle {
  readonly name: 'collector';
  /** a fresh snapshot of the counters (cheap; read at scrape time) */
  stats(): CollectorStats;
  /** exporters seen recently, most recent first (for /api/v1/status) */
  exporters(): ExporterStatus[];
  /** the bound listeners with resolved ports; empty before start */
  listeners(): readonly ListenerStats[];
  /** reads the kernel counters now (they are also polled every kernelStatsIntervalMs while running) */
  refreshKernelStats(): Promise<void>;
}

function rateLimited(log: CollectorLog | undefined, clock: Clock): (message: string) => void {
  let last = Number.NEGATIVE_INFINITY;
  let suppressed = 0;
  return (message) => {
    const now = clock();
    if (now - last < 10_000) {
      suppressed++;
      return;
    }
    log?.warn(suppressed > 0 ? `${message} (${suppressed} similar messages suppressed)` : message);
    last = now;
    suppressed = 0;
  };
}

export function createCollector(config: CollectorConfig, deps: CollectorDeps): Collector {
  const warn = rateLimited(deps.log, deps.clock);
  const withPort = config.exporterIdentity === 'address-port';
  const allowList = createAllowList(config.allowedExporters);
  const udp: UdpListener[] = [];
  const tcp: TcpListener[] = [];
  const ingest = new Ingest(
    {
      queueCapacity: config.queue.capacity,
      batchPackets: config.queue.batchPackets,
      maxExporters: config.maxExporters,
      exporterIdleMs: config.exporterIdleMs,
    },
    {
      clock: deps.clock,
      decoder: deps.decoder,
      allowList,
      consume: deps.consume,
      onRoom: () => {
        for (const listener of tcp) if (listener.paused > 0) listener.resume();
      },
      warn,
    },
  );
  const admission = createTcpAdmission(config.tcp.maxConnections, allowList, ingest, withPort);
  let kernel: KernelSocketStats = { byPort: [], rcvbufErrors: undefined, readAt: 0 };
  let timer: NodeJS.Timeout | undefined;
  let started = false;
  let stopping: Promise<void> | undefined;

  async function refreshKernelStats(): Promise<void> {
    const read = await readKernelUdpStats(config.procRoot, new Set(udp.map((l) => l.counters.port)));
    const byPort = [...read.byPort].map(([port, s]) => ({ port, drops: s.drops, rxQueueBytes: s.rxQueueBytes }));
    kernel = { byPort, rcvbufErrors: read.rcvbufErrors, readAt: deps.clock() };
    ingest.exporters.prune(deps.clock());
  }

  async function stop(): Promise<void> {
    stopping ??= (async () => {
      if (timer) clearInterval(timer);
      await Promise.all(udp.map((l) => l.close()));
      const held: [Uint8Array, string][] = [];
      const hold = (payload: Uint8Array, address: string, port: number) =>
        held.push([payload, exporterKey(address, port, withPort)]);
      for (const l of tcp) l.takeHeld(hold);
      await Promise.all(tcp.map((l) => l.close()));
      while (ingest.queue.length > 0) ingest.drain(config.queue.batchPackets);
      for (const [payload, exporter] of held) ingest.decodeNow(payload, exporter);
    })();
    return stopping;
  }

  const listeners = () => [...udp, ...tcp].map((l) => ({ ...l.counters }));
  return {
    name: 'collector',
    async start(signal) {
      if (started) return;
      started = true;
      const onDatagram = (payload: Uint8Array, address: string, port: number) =>
        ingest.receive(payload, exporterKey(address, port, withPort), address);
      await openListeners(config, { onDatagram, tcpHooks: admission, warn }, udp, tcp);
      timer = setInterval(() => void refreshKernelStats(), config.kernelStatsIntervalMs);
      timer.unref();
      void refreshKernelStats();
      if (signal.aborted) void stop();
      else signal.addEventListener('abort', () => void stop(), { once: true });
    },
    stop,
    refreshKernelStats,
    exporters: () => ingest.exporters.snapshot(),
    listeners,
    stats: () => ({
      listeners: listeners(),
      queue: { length: ingest.queue.length, capacity: ingest.queue.capacity, highWater: ingest.queue.highWater },
      packets: { ...ingest.packets },
      records: { ...ingest.records },
      dropped: { ...ingest.dropped },
      tcpConnections: admission.open,
      tcpIdleClosed: admission.idleClosed,
      exporters: ingest.exporters.size,
      exportersUntracked: ingest.exporters.refused,
      kernel,
      decode: deps.decoder.stats,
      templatesCached: deps.decoder.templates?.size,
    }),
  };
}
