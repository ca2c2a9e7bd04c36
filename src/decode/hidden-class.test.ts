/**
 * Records of every decoder share V8 hidden classes. The whole flow path reads records' properties; records that
 * each had a class of their own (as a spread `{ ...record, field }` makes) would turn those reads megamorphic and
 * miss V8's stub cache, halving the flow path's speed (docs/benchmarks.md, Conversations). This test checks the
 * classes themselves, through V8's %HaveSameMap.
 */
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import type { FlowRecord } from '../core/flow.js';
import { createPacketDecoder } from './decoder.js';
import { encodeSflowDatagram, sampledIpRecord } from './sflow/testing.js';
import {
  concat,
  type FieldSpec,
  ipfixMessage,
  ipfixTemplates,
  ipv4,
  set,
  u8,
  u16,
  u32,
  V4_FLOW_FIELDS,
  v5Packet,
  v9Packet,
  v9Templates,
} from './testing.js';

setFlagsFromString('--allow-natives-syntax');
/** V8's own answer: do two objects have the same hidden class (map)? */
const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

/** the distinct hidden classes among `objects` (one representative each) */
function classes(objects: readonly object[]): object[] {
  const reps: object[] = [];
  for (const o of objects) if (!reps.some((r) => sameMap(r, o))) reps.push(o);
  return reps;
}

const v6Address = (i: number) => concat(u32(0xfd000000), u32(0), u32(0), u32(i));
const V6_FIELDS: readonly FieldSpec[] = [[27, 16], [28, 16], ...V4_FLOW_FIELDS.slice(2)];
const counters = (i: number) =>
  concat(u16(40_000 + i), u16(443), u8(6), u8(0x1b), u32(1_000 + i), u32(10), u32(5), u32(9));

function decodeAll(): FlowRecord[] {
  const decoder = createPacketDecoder({ clock: () => 1_700_000_000_000 });
  const call = { exporter: '192.0.2.10', receivedAt: 1_700_000_000_000, out: [] as FlowRecord[] };
  for (let p = 0; p < 20; p++) {
    decoder.decode(
      v5Packet(
        { sysUptime: 10_000, unixSecs: 1_700_000_000 },
        Array.from({ length: 10 }, (_, i) => ({
          src: `10.0.${p}.${i + 1}`,
          dst: '10.1.0.1',
          srcPort: 40_000 + i,
          dstPort: 443,
          protocol: 6,
          packets: 10,
          bytes: 1_000 + i,
          first: 5_000,
          last: 9_000,
        })),
      ),
      call,
    );
    const v4 = Array.from({ length: 10 }, (_, i) => concat(ipv4(`10.0.${p}.${i + 1}`), ipv4('10.1.0.1'), counters(i)));
    decoder.decode(
      v9Packet(
        { sysUptime: 10_000, unixSecs: 1_700_000_000 },
        v9Templates([256, V4_FLOW_FIELDS]),
        set(256, concat(...v4)),
      ),
      call,
    );
    const v6 = Array.from({ length: 10 }, (_, i) => concat(v6Address(i + 1), v6Address(1000), counters(i)));
    decoder.decode(
      ipfixMessage(
        { exportTime: 1_700_000_000 },
        ipfixTemplates([256, V4_FLOW_FIELDS], [257, V6_FIELDS]),
        set(256, concat(...v4)),
        set(257, concat(...v6)),
      ),
      call,
    );
    const sampled = (i: number) =>
      sampledIpRecord({ length: 100, protocol: 6, src: `10.0.${p}.${i + 1}`, dst: '10.1.0.1', srcPort: 1, dstPort: 2 });
    decoder.decode(
      encodeSflowDatagram({
        agent: '10.0.0.1',
        flowSamples: Array.from({ length: 10 }, (_, i) => ({ samplingRate: 100, records: [sampled(i)] })),
      }),
      call,
    );
  }
  return call.out;
}

describe('decoded records', () => {
  it('share one hidden class across NetFlow v5, v9, IPFIX (IPv4 and IPv6) and sFlow', () => {
    const records = decodeAll();
    expect(new Set(records.map((r) => r.protocol))).toEqual(new Set(['netflow-v5', 'netflow-v9', 'ipfix', 'sflow']));
    expect(records.length).toBe(20 * 50);
    // none of these records carries an optional field, so one class serves them all
    expect(classes(records).length).toBe(1);
  });

  it('the check itself tells classes apart', () => {
    const [a] = decodeAll();
    expect(classes([a!, { ...a! }, { ...a!, initialTcpFlags: 2 }, { x: 1 }]).length).toBeGreaterThanOrEqual(3);
  });
});
