/**
 * A fixed-capacity FIFO of received export packets (a ring of parallel arrays: no allocation per packet).
 * Single-threaded: the socket handlers push, the drain shifts, both on the event loop.
 * @module
 */

export class PacketQueue {
  readonly #payloads: (Uint8Array | undefined)[];
  readonly #exporters: string[];
  readonly #times: Float64Array;
  #head = 0;
  #length = 0;
  /** the most packets ever held at once */
  highWater = 0;

  constructor(readonly capacity: number) {
    this.#payloads = new Array(capacity).fill(undefined);
    this.#exporters = new Array(capacity).fill('');
    this.#times = new Float64Array(capacity);
  }

  get length(): number {
    return this.#length;
  }

  /** appends unless full; returns false (and keeps nothing) when full: the caller counts the drop */
  push(payload: Uint8Array, exporter: string, receivedAt: number): boolean {
    if (this.#length === this.capacity) return false;
    const at = (this.#head + this.#length) % this.capacity;
    this.#payloads[at] = payload;
    this.#exporters[at] = exporter;
    this.#times[at] = receivedAt;
    this.#length++;
    if (this.#length > this.highWater) this.highWater = this.#length;
    return true;
  }

  /** removes the oldest packet and passes its fields to `visit`; false when empty */
  shift(visit: (payload: Uint8Array, exporter: string, receivedAt: number) => void): boolean {
    if (this.#length === 0) return false;
    const at = this.#head;
    const payload = this.#payloads[at]!;
    this.#payloads[at] = undefined;
    this.#head = (at + 1) % this.capacity;
    this.#length--;
    visit(payload, this.#exporters[at]!, this.#times[at]!);
    return true;
  }
}
