/**
 * The PacketDecoder: sniffs the wire version of each export datagram and hands it to the NetFlow v5, v9, IPFIX
 * or sFlow v5 decoder. Bytes 0-1 = 5, 9 or 10 select NetFlow v5, v9 or IPFIX; bytes 0-3 = 5 is sFlow v5.
 * Never throws: bad input is skipped and counted in `stats.dropped` (an unexpected exception inside a decoder is
 * counted as `decode-error`). Template state lives in the TemplateCache and persists across calls.
 * @module
 */
import type { Clock } from '../core/clock.js';
import type { DecodeCall, DecodeStats, PacketDecoder, SubDecoder } from './contracts.js';
import { emptyDecodeStats } from './contracts.js';
import { viewOf } from './cursor.js';
import { decodeIpfix } from './ipfix/index.js';
import { decodeNetflowV5 } from './netflow-v5/index.js';
import { decodeNetflowV9 } from './netflow-v9/index.js';
import { decodeSflow } from './sflow/index.js';
import {
  countDrop,
  createTemplateCache,
  PacketContext,
  Scratch,
  type SetDecoding,
  type TemplateCache,
  type TemplateCacheConfig,
} from './templates/index.js';

export interface PacketDecoderDeps {
  /** template expiry clock */
  readonly clock: Clock;
  /** shared or pre-loaded templates; a new cache (with `templateConfig`) when absent */
  readonly templates?: TemplateCache;
  readonly templateConfig?: Partial<TemplateCacheConfig>;
  /** the sFlow v5 decoder; `decodeSflow` (src/decode/sflow) when absent */
  readonly sflow?: SubDecoder;
  /**
   * called with any exception a decoder threw (a bug: bad input is counted, not thrown); the packet is still
   * counted as `decode-error` and decode() still returns normally
   */
  readonly onError?: (error: unknown, packet: Uint8Array) => void;
}

/** a PacketDecoder that also exposes its template cache (for `save()` and metrics) */
export interface TemplatePacketDecoder extends PacketDecoder {
  readonly templates: TemplateCache;
}

const EMPTY = new Uint8Array(0);
const EMPTY_VIEW = viewOf(EMPTY);

/** creates a decoder with its own stats; see PacketDecoder for the contract */
export function createPacketDecoder(deps: PacketDecoderDeps): TemplatePacketDecoder {
  const stats: DecodeStats = emptyDecodeStats();
  const templates = deps.templates ?? createTemplateCache(deps.templateConfig ?? {}, { clock: deps.clock });
  const sflow = deps.sflow ?? decodeSflow;
  const session: SetDecoding = {
    view: EMPTY_VIEW,
    bytes: EMPTY,
    call: { exporter: '', receivedAt: 0, out: [] },
    now: 0,
    ctx: new PacketContext(),
    scratch: new Scratch(),
    stats,
    cache: templates,
  };

  function dispatch(packet: Uint8Array, call: DecodeCall): void {
    const view = viewOf(packet);
    const version = view.getUint16(0);
    if (version === 5) {
      decodeNetflowV5(view, packet, call, stats);
      return;
    }
    if (version !== 9 && version !== 10) {
      if (version === 0 && packet.length >= 4 && view.getUint16(2) === 5) sflow(packet, call, stats);
      else countDrop(stats, 'unknown-version');
      return;
    }
    session.view = view;
    session.bytes = packet;
    session.call = call;
    session.now = deps.clock();
    session.ctx.exporter = call.exporter;
    session.ctx.receivedAt = call.receivedAt;
    if (version === 9) decodeNetflowV9(session);
    else decodeIpfix(session);
  }

  return {
    stats,
    templates,
    decode(packet, call) {
      stats.packets++;
      if (packet.length < 2) {
        countDrop(stats, 'truncated');
        return;
      }
      try {
        dispatch(packet, call);
      } catch (error) {
        countDrop(stats, 'decode-error');
        deps.onError?.(error, packet);
      } finally {
        session.bytes = EMPTY;
        session.view = EMPTY_VIEW;
      }
    },
  };
}
