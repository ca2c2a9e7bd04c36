/**
 * Renders one field value for the verbose (`fields`) output, as the DecodedFields contract says: numbers for
 * integers (decimal text from 2^53), IPs and MACs as text, strings as UTF-8 without trailing NULs, times as epoch ms,
 * anything else (octet arrays, lists, unknown elements, lengths that do not fit the type) as lowercase hex.
 * Slow path only: never called when the caller did not ask for fields.
 * @module
 */
import { formatIp, ipv6FromBytes } from '../../core/ip.js';
import { hexOf, readInt, readNtpMs, readUint } from '../cursor.js';
import type { ElementInfo } from './types.js';

const utf8 = new TextDecoder('utf-8', { fatal: false });

function unsignedValue(view: DataView, pos: number, len: number): number | string {
  const value = readUint(view, pos, len);
  if (value <= Number.MAX_SAFE_INTEGER) return value;
  let big = 0n;
  for (let i = 0; i < len; i++) big = (big << 8n) | BigInt(view.getUint8(pos + i));
  return big.toString();
}

function signedValue(view: DataView, pos: number, len: number): number | string {
  const value = readInt(view, pos, len);
  if (Math.abs(value) <= Number.MAX_SAFE_INTEGER) return value;
  return BigInt.asIntN(64, BigInt(unsignedValue(view, pos, len))).toString();
}

function stringValue(bytes: Uint8Array, pos: number, len: number): string {
  let end = pos + len;
  while (end > pos && bytes[end - 1] === 0) end--;
  return utf8.decode(bytes.subarray(pos, end));
}

function macValue(bytes: Uint8Array, pos: number): string {
  const hex = hexOf(bytes, pos, 6);
  return `${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}:${hex.slice(6, 8)}:${hex.slice(8, 10)}:${hex.slice(10, 12)}`;
}

/** the printable value of `len` bytes at `pos` for an element of the given registry type (undefined: unknown) */
export function formatValue(
  bytes: Uint8Array,
  view: DataView,
  pos: number,
  len: number,
  info: ElementInfo | undefined,
): unknown {
  if (!info || len === 0) return hexOf(bytes, pos, len);
  switch (info.type) {
    case 'u8':
    case 'u16':
    case 'u32':
    case 'u64':
      return len <= 8 ? unsignedValue(view, pos, len) : hexOf(bytes, pos, len);
    case 's8':
    case 's16':
    case 's32':
    case 's64':
      return len <= 8 ? signedValue(view, pos, len) : hexOf(bytes, pos, len);
    case 'f32':
    case 'f64':
      if (len === 4) return view.getFloat32(pos);
      return len === 8 ? view.getFloat64(pos) : hexOf(bytes, pos, len);
    case 'bool': {
      const value = len === 1 ? view.getUint8(pos) : -1;
      return value === 1 ? true : value === 2 ? false : hexOf(bytes, pos, len);
    }
    case 'mac':
      return len === 6 ? macValue(bytes, pos) : hexOf(bytes, pos, len);
    case 'string':
      return stringValue(bytes, pos, len);
    case 'ipv4':
      return len === 4 ? formatIp(view.getUint32(pos)) : hexOf(bytes, pos, len);
    case 'ipv6':
      return len === 16 ? formatIp(ipv6FromBytes(bytes, pos)) : hexOf(bytes, pos, len);
    case 'dtSec':
      return len <= 8 ? readUint(view, pos, len) * 1000 : hexOf(bytes, pos, len);
    case 'dtMs':
      return len <= 8 ? unsignedValue(view, pos, len) : hexOf(bytes, pos, len);
    case 'dtUs':
    case 'dtNs':
      return len === 8 ? readNtpMs(view, pos) : hexOf(bytes, pos, len);
    default:
      return hexOf(bytes, pos, len);
  }
}
