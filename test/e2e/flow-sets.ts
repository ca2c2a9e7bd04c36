/**
 * Taking NetFlow v9 / IPFIX export packets apart at the set level, from RFC 3954 and RFC 7011 (not from flowmap's
 * decoder): the record length each template announces, and a packet's data sets repacked without its template sets
 * (what an exporter sends between template refreshes).
 * @module
 */

interface SetView {
  readonly id: number;
  readonly body: Uint8Array;
}

function headerLength(packet: Uint8Array): number {
  const version = (packet[0]! << 8) | packet[1]!;
  if (version === 9) return 20;
  if (version === 10) return 16;
  throw new Error(`Cannot read sets of a version ${version} packet`);
}

function setsOf(packet: Uint8Array): SetView[] {
  const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  const sets: SetView[] = [];
  for (let at = headerLength(packet); at + 4 <= packet.length; ) {
    const id = view.getUint16(at);
    const length = view.getUint16(at + 2);
    if (length < 4 || at + length > packet.length) throw new Error(`Cannot read set ${id}: bad length ${length}`);
    sets.push({ id, body: packet.subarray(at + 4, at + length) });
    at += length;
  }
  return sets;
}

/** template id -> data record length, from the template sets (v9 set 0, IPFIX set 2) of `packets` */
export function templateRecordLengths(packets: readonly Uint8Array[]): Map<number, number> {
  const lengths = new Map<number, number>();
  for (const packet of packets) {
    const ipfix = headerLength(packet) === 16;
    for (const set of setsOf(packet)) {
      if (set.id !== (ipfix ? 2 : 0)) continue;
      const v = new DataView(set.body.buffer, set.body.byteOffset, set.body.byteLength);
      for (let at = 0; at + 4 <= set.body.length; ) {
        const id = v.getUint16(at);
        const fields = v.getUint16(at + 2);
        at += 4;
        let length = 0;
        for (let i = 0; i < fields; i++) {
          const type = v.getUint16(at);
          length += v.getUint16(at + 2);
          at += ipfix && type & 0x8000 ? 8 : 4;
        }
        lengths.set(id, length);
      }
    }
  }
  return lengths;
}

/** the flow records a packet holds (its data sets' lengths over the templates' record lengths) */
export function dataRecordCount(packet: Uint8Array, lengths: ReadonlyMap<number, number>): number {
  let n = 0;
  for (const set of setsOf(packet)) {
    const length = set.id >= 256 ? lengths.get(set.id) : undefined;
    if (length) n += Math.floor(set.body.length / length);
  }
  return n;
}

/**
 * `packet` with only the data sets of (non-options) templates seen in `lengths`; undefined when it holds none.
 * Header count/length fields are fixed up.
 */
export function dataOnly(packet: Uint8Array, lengths: ReadonlyMap<number, number>): Uint8Array | undefined {
  const header = headerLength(packet);
  const data = setsOf(packet).filter((s) => s.id >= 256 && lengths.has(s.id));
  if (data.length === 0) return undefined;
  const size = header + data.reduce((n, s) => n + 4 + s.body.length, 0);
  const out = new Uint8Array(size);
  out.set(packet.subarray(0, header));
  const view = new DataView(out.buffer);
  let at = header;
  for (const s of data) {
    view.setUint16(at, s.id);
    view.setUint16(at + 2, 4 + s.body.length);
    out.set(s.body, at + 4);
    at += 4 + s.body.length;
  }
  if (header === 16) view.setUint16(2, size);
  else view.setUint16(2, dataRecordCount(out, lengths));
  return out;
}
