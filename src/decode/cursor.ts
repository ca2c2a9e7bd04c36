/**
 * Bounds-aware big-endian readers shared by the decoders. Callers check that `[pos, pos + len)` lies inside the
 * view before calling: these helpers assume it (the DataView still throws a RangeError if a caller got it wrong).
 * No BigInt: 64-bit values become `hi * 2^32 + lo`, exact below 2^53.
 * @module
 */

const TWO_32 = 4294967296;

/** an unsigned integer of 1 to 8 bytes (reduced-size encoding, RFC 7011 §6.2); may exceed 2^53 for 8 bytes */
export function readUint(view: DataView, pos: number, len: number): number {
  switch (len) {
    case 1:
      return view.getUint8(pos);
    case 2:
      return view.getUint16(pos);
    case 4:
      return view.getUint32(pos);
    case 8:
      return view.getUint32(pos) * TWO_32 + view.getUint32(pos + 4);
    default: {
      let value = 0;
      for (let i = 0; i < len; i++) value = value * 256 + view.getUint8(pos + i);
      return value;
    }
  }
}

/** a counter: like readUint, clamped to Number.MAX_SAFE_INTEGER so FlowRecord counters stay exact integers */
export function readCounter(view: DataView, pos: number, len: number): number {
  const value = readUint(view, pos, len);
  return Math.min(value, Number.MAX_SAFE_INTEGER);
}

/** a signed two's-complement integer of 1 to 8 bytes */
export function readInt(view: DataView, pos: number, len: number): number {
  switch (len) {
    case 1:
      return view.getInt8(pos);
    case 2:
      return view.getInt16(pos);
    case 4:
      return view.getInt32(pos);
    case 8:
      return view.getInt32(pos) * TWO_32 + view.getUint32(pos + 4);
    default: {
      const unsigned = readUint(view, pos, len);
      const limit = 2 ** (8 * len);
      return unsigned >= limit / 2 ? unsigned - limit : unsigned;
    }
  }
}

/**
 * An NTP-format timestamp (RFC 7011 dateTimeMicroseconds/Nanoseconds: seconds since 1900, 32-bit binary fraction)
 * as epoch ms, rounded down
 */
export function readNtpMs(view: DataView, pos: number): number {
  const seconds = view.getUint32(pos) - NTP_EPOCH_OFFSET_S;
  return seconds * 1000 + Math.floor((view.getUint32(pos + 4) * 1000) / TWO_32);
}

/** seconds between 1900-01-01 (NTP era 0) and 1970-01-01 */
export const NTP_EPOCH_OFFSET_S = 2208988800;

/** a DataView over exactly the bytes of `bytes` (never the whole underlying buffer) */
export function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** lowercase hex of `len` bytes at `pos` */
export function hexOf(bytes: Uint8Array, pos: number, len: number): string {
  let out = '';
  for (let i = 0; i < len; i++) out += HEX[bytes[pos + i]!];
  return out;
}

const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** true when every byte of `bytes[from, to)` is zero (padding) */
export function allZero(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (bytes[i] !== 0) return false;
  return true;
}
