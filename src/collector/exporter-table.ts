import type { ExporterStatus } from '../contract/responses.js';

/** mutable per-exporter counters; owned by the collector */
interface ExporterEntry {
  address: string;
  protocol: string;
  packets: number;
  records: number;
  lastSeen: number;
}

/** a capped table of exporters; entries silent longer than the idle limit are pruned */
export class ExporterTable {
  readonly #entries = new Map<string, ExporterEntry>();
  /** exporters not tracked because the table was full */
  refused = 0;

  constructor(
    readonly capacity: number,
    readonly idleMs: number,
  ) {}

  get size(): number {
    return this.#entries.size;
  }

  /** counts one packet and its records for `exporter` */
  record(exporter: string, protocol: string, records: number, now: number): void {
    let entry = this.#entries.get(exporter);
    if (!entry) {
      if (this.#entries.size >= this.capacity) {
        this.refused++;
        return;
      }
      entry = { address: exporter, protocol, packets: 0, records: 0, lastSeen: now };
      this.#entries.set(exporter, entry);
    }
    entry.packets++;
    entry.records += records;
    entry.lastSeen = now;
    if (protocol !== 'unknown') entry.protocol = protocol;
  }

  /** removes entries silent for longer than `idleMs` */
  prune(now: number): void {
    for (const [key, entry] of this.#entries) if (now - entry.lastSeen > this.idleMs) this.#entries.delete(key);
  }

  /** a copy, most recently seen first */
  snapshot(): ExporterStatus[] {
    return [...this.#entries.values()].map((e) => ({ ...e })).sort((a, b) => b.lastSeen - a.lastSeen);
  }
}
