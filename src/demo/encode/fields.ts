/**
 * Writing template fields: how each information element takes its value from an ExportRecord, and how a value
 * is laid out in the number of bytes the template gives it (reduced-size encoding included).
 * @module
 */
import type { IpAddress } from '../../core/flow.js';
import { ipv6ToBytes } from '../../core/ip.js';
import { IE, REVERSE_PEN, type TemplateField } from './ie.js';
import type { ExportRecord } from './record.js';

/** per-packet values some fields need besides the record */
export interface FieldContext {
  /** epoch ms at which the exporter's sysUptime was 0 (NetFlow v9 FIRST/LAST_SWITCHED) */
  readonly bootTime: number;
}

export type FieldValue = number | IpAddress;

const ZERO_V6 = '::';

/** the value of `field` for `record`; undefined for elements the encoders do not know */
export function recordValue(field: TemplateField, record: ExportRecord, ctx: FieldContext): FieldValue | undefined {
  if (field.enterprise === REVERSE_PEN) {
    const reverse = record.reverse;
    if (field.id === IE.octetDeltaCount) return reverse?.bytes ?? 0;
    if (field.id === IE.packetDeltaCount) return reverse?.packets ?? 0;
    if (field.id === IE.tcpControlBits) return reverse?.tcpFlags ?? 0;
    return undefined;
  }
  if (field.enterprise) return undefined;
  switch (field.id) {
    case IE.octetDeltaCount:
      return record.bytes;
    case IE.packetDeltaCount:
      return record.packets;
    case IE.protocolIdentifier:
      return record.ipProtocol;
    case IE.ipClassOfService:
      return record.tos ?? 0;
    case IE.tcpControlBits:
      return record.tcpFlags;
    case IE.sourceTransportPort:
      return record.srcPort;
    case IE.destinationTransportPort:
      return record.dstPort;
    case IE.sourceIPv4Address:
    case IE.sourceIPv6Address:
      return record.srcAddr;
    case IE.destinationIPv4Address:
    case IE.destinationIPv6Address:
      return record.dstAddr;
    case IE.ingressInterface:
      return record.inputIf ?? 0;
    case IE.egressInterface:
      return record.outputIf ?? 0;
    case IE.ipNextHopIPv4Address:
      return record.nextHop ?? 0;
    case IE.ipNextHopIPv6Address:
      return record.nextHop ?? ZERO_V6;
    case IE.flowStartSysUpTime:
      return record.start - ctx.bootTime;
    case IE.flowEndSysUpTime:
      return record.end - ctx.bootTime;
    case IE.flowStartMilliseconds:
      return record.start;
    case IE.flowEndMilliseconds:
      return record.end;
    case IE.icmpTypeCodeIPv4:
    case IE.icmpTypeCodeIPv6:
      return record.dstPort;
    case IE.flowEndReason:
      return record.flowEndReason ?? 0;
    case IE.biflowDirection:
      return record.biflowDirection ?? 0;
    default:
      return undefined;
  }
}

/** writes an unsigned integer in `length` big-endian bytes (1-8); values must be below 2^53 */
export function writeUnsigned(view: DataView, offset: number, length: number, value: number): void {
  switch (length) {
    case 1:
      view.setUint8(offset, value & 0xff);
      return;
    case 2:
      view.setUint16(offset, value & 0xffff);
      return;
    case 4:
      view.setUint32(offset, value >>> 0);
      return;
    case 8:
      view.setUint32(offset, Math.floor(value / 0x1_0000_0000));
      view.setUint32(offset + 4, value >>> 0);
      return;
    default: {
      let rest = value;
      for (let i = length - 1; i >= 0; i--) {
        view.setUint8(offset + i, rest % 256);
        rest = Math.floor(rest / 256);
      }
    }
  }
}

/** writes `value` into the `field.length` bytes at `offset`: addresses for 4/16-byte address fields, else numbers */
export function writeField(
  bytes: Uint8Array,
  view: DataView,
  offset: number,
  field: TemplateField,
  value: FieldValue,
): void {
  if (typeof value === 'string') {
    const v6 = ipv6ToBytes(value);
    if (!v6 || field.length !== 16) {
      throw new RangeError(`Cannot encode "${value}" into element ${field.id}: expected a 16-byte IPv6 field`);
    }
    bytes.set(v6, offset);
    return;
  }
  if (field.length === 16) {
    // an IPv4 number in an IPv6 field: IPv4-mapped form
    bytes.fill(0, offset, offset + 10);
    view.setUint16(offset + 10, 0xffff);
    view.setUint32(offset + 12, value >>> 0);
    return;
  }
  writeUnsigned(view, offset, field.length, value);
}

/** total bytes one record of these fields takes */
export function recordLength(fields: readonly TemplateField[]): number {
  let n = 0;
  for (const f of fields) n += f.length;
  return n;
}
