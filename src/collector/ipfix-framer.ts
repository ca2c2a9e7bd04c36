/**
 * IPFIX over a byte stream (RFC 7011 section 10.4): messages back to back, each message's length in bytes 2-3 of
 * its 16-byte header. The framer holds at most one incomplete message, so its memory is bounded by
 * `maxMessageBytes` plus one chunk.
 * @module
 */

const HEADER_BYTES = 16;
const IPFIX_VERSION = 10;

/** why a stream cannot be framed; the connection is closed */
export type FramingFault = 'bad-version' | 'bad-length';

export interface IpfixFramer {
  /**
   * Feeds the next chunk of the stream; calls `message` once per complete message (a view into `chunk` or a
   * copy when the message spans chunks; the callee owns it). Returns the fault that makes the rest of the stream
   * unreadable, or undefined. After a fault the framer must not be fed again.
   */
  push(chunk: Uint8Array, message: (payload: Uint8Array) => void): FramingFault | undefined;
  /** bytes held for an incomplete message */
  readonly pending: number;
}

export function createIpfixFramer(maxMessageBytes: number): IpfixFramer {
  let held: Uint8Array = new Uint8Array(0);

  const check = (bytes: Uint8Array, at: number): FramingFault | number => {
    const version = (bytes[at]! << 8) | bytes[at + 1]!;
    if (version !== IPFIX_VERSION) return 'bad-version';
    const length = (bytes[at + 2]! << 8) | bytes[at + 3]!;
    if (length < HEADER_BYTES || length > maxMessageBytes) return 'bad-length';
    return length;
  };

  return {
    get pending() {
      return held.length;
    },
    push(chunk, message) {
      let bytes = chunk;
      if (held.length > 0) {
        const joined = new Uint8Array(held.length + chunk.length);
        joined.set(held, 0);
        joined.set(chunk, held.length);
        bytes = joined;
        held = new Uint8Array(0);
      }
      let at = 0;
      while (bytes.length - at >= 4) {
        const length = check(bytes, at);
        if (typeof length !== 'number') return length;
        if (bytes.length - at < length) break;
        message(bytes.subarray(at, at + length));
        at += length;
      }
      // copy the tail: the caller may reuse `chunk`, and a view would pin the whole chunk
      if (at < bytes.length) held = bytes.slice(at);
      return undefined;
    },
  };
}
