/**
 * IP fragment reassembly (IPv4 and IPv6 alike) with bounded memory: at most `maxPending` datagrams and `maxBytes`
 * buffered payload at once; the oldest incomplete datagram is dropped first. Time is capture time, so a replayed
 * capture reassembles the same way whenever it is read.
 * @module
 */
import type { ReassemblyConfig } from './config.js';

export type ReassemblyDrop = 'fragment-invalid' | 'fragment-expired' | 'fragment-evicted' | 'fragment-incomplete';

interface Pending {
  readonly firstSeen: number;
  readonly chunks: { readonly offset: number; readonly data: Uint8Array }[];
  /** payload length, known once the last fragment (more-fragments = 0) arrived */
  total: number;
  bytes: number;
}

/** fragments in, whole payloads out; not thread-safe, one per capture read */
export interface Reassembler {
  /**
   * Adds one fragment (`offset` in bytes into the original payload). Returns the whole payload when this fragment
   * completes it (a new buffer), else undefined. Fragment data are kept as views until then.
   */
  add(key: string, offset: number, more: boolean, data: Uint8Array, now: number): Uint8Array | undefined;
  /** drops everything still pending (end of capture), counting each as incomplete */
  finish(): void;
  readonly pending: number;
  readonly bufferedBytes: number;
  readonly peakBufferedBytes: number;
}

const MAX_PAYLOAD = 65_535;

export function createReassembler(config: ReassemblyConfig, drop: (reason: ReassemblyDrop) => void): Reassembler {
  const pending = new Map<string, Pending>();
  let buffered = 0;
  let peak = 0;

  const remove = (key: string, entry: Pending, reason?: ReassemblyDrop) => {
    pending.delete(key);
    buffered -= entry.bytes;
    if (reason) drop(reason);
  };

  const expire = (now: number) => {
    // insertion order approximates age; stop at the first datagram still in time
    for (const [key, entry] of pending) {
      if (now - entry.firstSeen <= config.timeoutMs) break;
      remove(key, entry, 'fragment-expired');
    }
  };

  const makeRoom = (incoming: number) => {
    for (const [key, entry] of pending) {
      if (pending.size < config.maxPending && buffered + incoming <= config.maxBytes) break;
      remove(key, entry, 'fragment-evicted');
    }
  };

  return {
    add(key, offset, more, data, now) {
      const end = offset + data.length;
      if (end > MAX_PAYLOAD || (more && data.length % 8 !== 0) || data.length === 0) {
        drop('fragment-invalid');
        return undefined;
      }
      expire(now);
      let entry = pending.get(key);
      if (!entry) {
        makeRoom(data.length);
        entry = { firstSeen: now, chunks: [], total: -1, bytes: 0 };
        pending.set(key, entry);
      } else if (buffered + data.length > config.maxBytes) {
        makeRoom(data.length);
        if (!pending.has(key)) return undefined;
      }
      if (!more) {
        if (entry.total >= 0 && entry.total !== end) {
          remove(key, entry, 'fragment-invalid');
          return undefined;
        }
        entry.total = end;
      }
      entry.chunks.push({ offset, data });
      entry.bytes += data.length;
      buffered += data.length;
      if (buffered > peak) peak = buffered;
      if (entry.total < 0 || !covers(entry)) return undefined;
      remove(key, entry);
      return assemble(entry);
    },
    finish() {
      for (const [key, entry] of pending) remove(key, entry, 'fragment-incomplete');
    },
    get pending() {
      return pending.size;
    },
    get bufferedBytes() {
      return buffered;
    },
    get peakBufferedBytes() {
      return peak;
    },
  };
}

function covers(entry: Pending): boolean {
  const sorted = [...entry.chunks].sort((a, b) => a.offset - b.offset);
  let reached = 0;
  for (const chunk of sorted) {
    if (chunk.offset > reached) return false;
    reached = Math.max(reached, chunk.offset + chunk.data.length);
  }
  return reached >= entry.total;
}

/** later fragments overwrite earlier ones where they overlap */
function assemble(entry: Pending): Uint8Array {
  const out = new Uint8Array(entry.total);
  for (const chunk of entry.chunks) {
    out.set(chunk.data.subarray(0, Math.max(0, entry.total - chunk.offset)), chunk.offset);
  }
  return out;
}
