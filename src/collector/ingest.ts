/**
 * The per-packet path: admission (allow-list), the bounded queue, and the drain that decodes a bounded number of
 * packets per event-loop turn and hands their records to the pipeline in one batch.
 * Threading: everything runs on the event loop; nothing here awaits. The socket handlers only count and enqueue;
 * decoding happens in `setImmediate` turns so socket reads, timers and HTTP requests interleave with it.
 * @module
 */
import type { Clock } from '../core/clock.js';
import type { FlowRecord } from '../core/flow.js';
import type { PacketDecoder } from '../decode/contracts.js';
import type { AllowList } from './allow-list.js';
import { ExporterTable } from './exporter-table.js';
import { type CollectorDropReason, emptyByProtocol, type SniffedProtocol, sniffProtocol } from './metrics.js';
import { PacketQueue } from './packet-queue.js';

export interface IngestOptions {
  readonly queueCapacity: number;
  readonly batchPackets: number;
  readonly maxExporters: number;
  readonly exporterIdleMs: number;
}

export interface IngestDeps {
  readonly clock: Clock;
  readonly decoder: PacketDecoder;
  readonly allowList: AllowList;
  /** receives every batch synchronously and owns the array afterwards; a throw loses the batch (counted) */
  readonly consume: (records: FlowRecord[]) => void;
  /** called after a drain turn left room in the queue (TCP connections paused on a full queue resume) */
  readonly onRoom: () => void;
  readonly warn: (message: string) => void;
}

export class Ingest {
  readonly packets = emptyByProtocol();
  readonly records = emptyByProtocol();
  readonly dropped: Partial<Record<CollectorDropReason, number>> = {};
  readonly queue: PacketQueue;
  readonly exporters: ExporterTable;
  readonly #options: IngestOptions;
  readonly #deps: IngestDeps;
  #scheduled = false;
  #out: FlowRecord[] = [];
  readonly #decodeOne = (payload: Uint8Array, exporter: string, receivedAt: number): void => {
    this.#decode(payload, exporter, receivedAt);
  };
  readonly #turn = (): void => {
    this.#scheduled = false;
    this.drain(this.#options.batchPackets);
    if (this.queue.length > 0) this.#schedule();
    if (this.queue.length < this.queue.capacity / 2) this.#deps.onRoom();
  };

  constructor(options: IngestOptions, deps: IngestDeps) {
    this.#options = options;
    this.#deps = deps;
    this.queue = new PacketQueue(options.queueCapacity);
    this.exporters = new ExporterTable(options.maxExporters, options.exporterIdleMs);
  }

  count(reason: CollectorDropReason, n = 1): void {
    this.dropped[reason] = (this.dropped[reason] ?? 0) + n;
  }

  /** a UDP datagram: checks the allow-list, enqueues, or counts the drop */
  receive(payload: Uint8Array, exporter: string, address: string): void {
    if (!this.#deps.allowList.allows(address)) {
      this.count('exporter-not-allowed');
      return;
    }
    if (!this.queue.push(payload, exporter, this.#deps.clock())) {
      this.count('queue-full');
      return;
    }
    this.#schedule();
  }

  /** an IPFIX message from an admitted TCP connection; false (nothing kept) when the queue is full */
  offer(payload: Uint8Array, exporter: string): boolean {
    if (!this.queue.push(payload, exporter, this.#deps.clock())) return false;
    this.#schedule();
    return true;
  }

  /** decodes up to `limit` queued packets now and hands their records on as one batch */
  drain(limit: number): void {
    let n = 0;
    while (n < limit && this.queue.shift(this.#decodeOne)) n++;
    this.#handOff();
  }

  /** decodes one packet now, bypassing the queue (messages held by paused TCP connections at stop) */
  decodeNow(payload: Uint8Array, exporter: string): void {
    this.#decode(payload, exporter, this.#deps.clock());
    this.#handOff();
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(this.#turn);
  }

  #decode(payload: Uint8Array, exporter: string, receivedAt: number): void {
    const protocol: SniffedProtocol = sniffProtocol(payload);
    const out = this.#out;
    const before = out.length;
    try {
      this.#deps.decoder.decode(payload, { exporter, receivedAt, out });
    } catch (error) {
      // the decoder contract says it never throws; a throw is a decoder bug: count it and keep the loop alive
      out.length = before;
      this.count('decode-error');
      this.#deps.warn(`Cannot decode a packet from exporter "${exporter}": ${(error as Error).message}`);
    }
    const records = out.length - before;
    this.packets[protocol]++;
    this.records[protocol] += records;
    this.exporters.record(exporter, protocol, records, receivedAt);
  }

  #handOff(): void {
    const batch = this.#out;
    if (batch.length === 0) return;
    this.#out = [];
    try {
      this.#deps.consume(batch);
    } catch (error) {
      this.count('consumer-error', batch.length);
      this.#deps.warn(`Cannot hand ${batch.length} records to the pipeline: ${(error as Error).message}`);
    }
  }
}
