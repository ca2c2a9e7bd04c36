/**
 * The OrientedFlow objects of one orienter, reused batch after batch. A batch the orienter returns is read by the
 * pipeline's listeners and the aggregator before the orienter's next `add` or `flush`, which rewrites the same
 * objects instead of allocating one per record. Keeps at most POOL_MAX objects; past them flows are fresh objects.
 * @module
 */
import type { OrientedFlow } from '../core/conversation.js';
import { UNKNOWN_ENDPOINT } from '../core/endpoint.js';
import type { FlowRecord } from '../core/flow.js';
import type { Mutable } from '../core/mutable.js';

/** an OrientedFlow being written; `service` is always present (undefined when none) so every flow has one shape */
export type WritableFlow = Mutable<Required<OrientedFlow>>;

/** flows kept for reuse: a non-final flush returns at most FLUSH_BUDGET (16,384) plus what `add` made ready */
export const POOL_MAX = 32_768;

export class FlowPool {
  private readonly flows: WritableFlow[] = [];
  private used = 0;

  /** every pooled flow may be rewritten: the batch they were handed out in is no longer read */
  reset(): void {
    this.used = 0;
  }

  /** a flow whose every field the caller writes: a pooled one, or a new one (kept while under POOL_MAX) */
  take(): WritableFlow {
    if (this.used < this.flows.length) return this.flows[this.used++]!;
    const flow = blank();
    if (this.flows.length < POOL_MAX) {
      this.flows.push(flow);
      this.used++;
    }
    return flow;
  }
}

function blank(): WritableFlow {
  return {
    flow: undefined as unknown as FlowRecord,
    client: UNKNOWN_ENDPOINT,
    server: UNKNOWN_ENDPOINT,
    clientAddr: 0,
    serverAddr: 0,
    clientPort: 0,
    serverPort: 0,
    ipProtocol: 0,
    service: undefined,
    evidence: 'unknown',
    bytesToServer: 0,
    bytesToClient: 0,
    packetsToServer: 0,
    packetsToClient: 0,
    connections: 0,
    start: 0,
    end: 0,
  };
}
