/**
 * Builders of NetFlow v5, NetFlow v9 and IPFIX export packets for tests (this package's and others'): literal
 * headers, templates, options templates, withdrawals and data sets, with lengths filled in. Values are big-endian.
 * @module
 */

/** concatenates byte parts */
export function concat(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let pos = 0;
  for (const part of parts) {
    out.set(part, pos);
    pos += part.length;
  }
  return out;
}

/** an unsigned big-endian integer of `size` bytes (1 to 8) */
export function uint(value: number, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let v = value;
  for (let i = size - 1; i >= 0; i--) {
    out[i] = v % 256;
    v = Math.floor(v / 256);
  }
  return out;
}

export const u8 = (v: number) => uint(v, 1);
export const u16 = (v: number) => uint(v, 2);
export const u32 = (v: number) => uint(v, 4);
export const u64 = (v: number) => uint(v, 8);

/** dotted-quad IPv4 as 4 bytes */
export function ipv4(text: string): Uint8Array {
  return Uint8Array.from(text.split('.').map(Number));
}

/** an IPFIX variable-length value: 1-byte length below 255, else 255 + 2-byte length */
export function varlen(value: Uint8Array, forceLong = false): Uint8Array {
  return value.length < 255 && !forceLong ? concat(u8(value.length), value) : concat(u8(255), u16(value.length), value);
}

/** a template field: element id, length, and the enterprise number for IPFIX enterprise fields */
export type FieldSpec = readonly [id: number, length: number, enterprise?: number];

/**
 * An ipt_NETFLOW-like data template: IPv4 source and destination, ports, protocol, TCP flags, octets, packets,
 * last and first switched (sysUptime ms); records are 4+4+2+2+1+1+4+4+4+4 bytes in that order
 */
export const V4_FLOW_FIELDS: readonly FieldSpec[] = [
  [8, 4],
  [12, 4],
  [7, 2],
  [11, 2],
  [4, 1],
  [6, 1],
  [1, 4],
  [2, 4],
  [22, 4],
  [21, 4],
];

function specs(fields: readonly FieldSpec[], ipfix: boolean): Uint8Array {
  return concat(
    ...fields.map(([id, length, pen]) =>
      ipfix && pen ? concat(u16(id | 0x8000), u16(length), u32(pen)) : concat(u16(id), u16(length)),
    ),
  );
}

/** a set / flowset: 2-byte id, 2-byte length including this header, then the body (padded to `padTo` bytes) */
export function set(id: number, body: Uint8Array, padTo = 0): Uint8Array {
  const padding = padTo > 0 ? (padTo - ((body.length + 4) % padTo)) % padTo : 0;
  return concat(u16(id), u16(body.length + 4 + padding), body, new Uint8Array(padding));
}

/** NetFlow v9 template flowset (id 0) holding the given templates */
export function v9Templates(
  ...templates: readonly (readonly [id: number, fields: readonly FieldSpec[]])[]
): Uint8Array {
  return set(0, concat(...templates.map(([id, f]) => concat(u16(id), u16(f.length), specs(f, false)))));
}

/** NetFlow v9 options template flowset (id 1): scope fields (type, length) and option fields */
export function v9OptionsTemplate(id: number, scope: readonly FieldSpec[], options: readonly FieldSpec[]): Uint8Array {
  return set(1, concat(u16(id), u16(scope.length * 4), u16(options.length * 4), specs([...scope, ...options], false)));
}

/** a NetFlow v9 packet: 20-byte header, then the flowsets (the header count is the number of flowsets given) */
export function v9Packet(
  h: { sysUptime: number; unixSecs: number; sourceId?: number; sequence?: number },
  ...flowsets: readonly Uint8Array[]
): Uint8Array {
  const header = concat(
    u16(9),
    u16(flowsets.length),
    u32(h.sysUptime),
    u32(h.unixSecs),
    u32(h.sequence ?? 0),
    u32(h.sourceId ?? 0),
  );
  return concat(header, ...flowsets);
}

/** IPFIX template set (id 2) */
export function ipfixTemplates(
  ...templates: readonly (readonly [id: number, fields: readonly FieldSpec[]])[]
): Uint8Array {
  return set(2, concat(...templates.map(([id, f]) => concat(u16(id), u16(f.length), specs(f, true)))));
}

/** IPFIX options template set (id 3); the first `scopeCount` fields are scope fields */
export function ipfixOptionsTemplate(id: number, scopeCount: number, fields: readonly FieldSpec[]): Uint8Array {
  return set(3, concat(u16(id), u16(fields.length), u16(scopeCount), specs(fields, true)));
}

/** IPFIX template withdrawal (a template record with no fields) in a set of `setId` 2 or 3 */
export function ipfixWithdrawal(templateId: number, setId: 2 | 3 = 2): Uint8Array {
  return set(setId, concat(u16(templateId), u16(0)));
}

/** one IPFIX message: 16-byte header with its length, then the sets */
export function ipfixMessage(
  h: { exportTime: number; domain?: number; sequence?: number },
  ...sets: readonly Uint8Array[]
): Uint8Array {
  const body = concat(...sets);
  return concat(u16(10), u16(16 + body.length), u32(h.exportTime), u32(h.sequence ?? 0), u32(h.domain ?? 0), body);
}

/** one NetFlow v5 record (48 bytes) */
export interface V5Record {
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  protocol: number;
  packets: number;
  bytes: number;
  first: number;
  last: number;
  tcpFlags?: number;
}

/** a NetFlow v5 PDU; `count` overrides the header record count (to make it lie) */
export function v5Packet(
  h: { sysUptime: number; unixSecs: number; unixNsecs?: number; sampling?: number; count?: number },
  records: readonly V5Record[],
): Uint8Array {
  const header = concat(
    u16(5),
    u16(h.count ?? records.length),
    u32(h.sysUptime),
    u32(h.unixSecs),
    u32(h.unixNsecs ?? 0),
    u32(0),
    u8(0),
    u8(0),
    u16(h.sampling ?? 0),
  );
  const body = records.map((r) =>
    concat(
      ipv4(r.src),
      ipv4(r.dst),
      u32(0),
      u16(1),
      u16(2),
      u32(r.packets),
      u32(r.bytes),
      u32(r.first),
      u32(r.last),
      u16(r.srcPort),
      u16(r.dstPort),
      u8(0),
      u8(r.tcpFlags ?? 0),
      u8(r.protocol),
      u8(0),
      u16(0),
      u16(0),
      u8(0),
      u8(0),
      u16(0),
    ),
  );
  return concat(header, ...body);
}
