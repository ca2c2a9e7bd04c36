/**
 * Conversations in creation order with their pairing deadlines (collector clock): a FIFO of (row, generation,
 * deadline) in typed arrays, so queueing a conversation allocates nothing. The generation tells a queued row from
 * a later conversation reusing it.
 * @module
 */

export class DeadlineQueue {
  private rows = new Int32Array(1024);
  private gens = new Int32Array(1024);
  private deadlines = new Float64Array(1024);
  private head = 0;
  private tail = 0;

  empty(): boolean {
    return this.head === this.tail;
  }

  push(row: number, gen: number, deadline: number): void {
    if (this.tail === this.rows.length) this.makeRoom();
    this.rows[this.tail] = row;
    this.gens[this.tail] = gen;
    this.deadlines[this.tail] = deadline;
    this.tail++;
  }

  /** the oldest entry's deadline; the queue must not be empty */
  headDeadline(): number {
    return this.deadlines[this.head]!;
  }

  /** the oldest entry's generation; the queue must not be empty */
  headGen(): number {
    return this.gens[this.head]!;
  }

  /** removes the oldest entry and returns its row; the queue must not be empty */
  pop(): number {
    return this.rows[this.head++]!;
  }

  /** full at the end: slides the entries to the front, or doubles the arrays when more than half are live */
  private makeRoom(): void {
    const live = this.tail - this.head;
    if (live * 2 > this.rows.length) {
      this.rows = resized(this.rows, new Int32Array(this.rows.length * 2), this.head, this.tail);
      this.gens = resized(this.gens, new Int32Array(this.gens.length * 2), this.head, this.tail);
      this.deadlines = resized(this.deadlines, new Float64Array(this.deadlines.length * 2), this.head, this.tail);
    } else {
      this.rows.copyWithin(0, this.head, this.tail);
      this.gens.copyWithin(0, this.head, this.tail);
      this.deadlines.copyWithin(0, this.head, this.tail);
    }
    this.head = 0;
    this.tail = live;
  }
}

function resized<T extends Int32Array | Float64Array>(from: T, to: T, head: number, tail: number): T {
  to.set(from.subarray(head, tail));
  return to;
}
