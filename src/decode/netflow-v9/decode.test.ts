import { describe, expect, it } from 'vitest';
import type { FlowRecord } from '../../core/flow.js';
import type { DecodedFields } from '../contracts.js';
import { createPacketDecoder } from '../decoder.js';
import {
  concat,
  ipv4,
  set,
  u8,
  u16,
  u32,
  u64,
  uint,
  V4_FLOW_FIELDS,
  v9OptionsTemplate,
  v9Packet,
  v9Templates,
  varlen,
} from '../testing.js';

const NOW = Date.UTC(2025, 5, 1);
const UNIX = 1_700_000_000;
const EXPORT_MS = UNIX * 1000;

/** ipt_NETFLOW-like template: addresses, ports, protocol, flags, counters, sysUptime-relative times */
const FLOW_TEMPLATE = V4_FLOW_FIELDS;

function flow(src: string, dst: string, bytes: number, first: number, last: number): Uint8Array {
  return concat(ipv4(src), ipv4(dst), u16(40000), u16(443), u8(6), u8(0x1b), u32(bytes), u32(3), u32(first), u32(last));
}

function run(...packets: Uint8Array[]) {
  const decoder = createPacketDecoder({ clock: () => NOW });
  const out: FlowRecord[] = [];
  const fields: DecodedFields[] = [];
  for (const packet of packets) decoder.decode(packet, { exporter: '10.0.0.7', receivedAt: NOW, out, fields });
  return { decoder, out, fields, stats: decoder.stats };
}

describe('decodeNetflowV9()', () => {
  it('turns sysUptime-relative first/last switched into epoch ms from the header', () => {
    const packet = v9Packet(
      { sysUptime: 10_000, unixSecs: UNIX, sourceId: 3 },
      v9Templates([256, FLOW_TEMPLATE]),
      set(256, flow('10.1.0.1', '10.2.0.2', 1500, 4_000, 9_000)),
    );
    const { out, stats } = run(packet);
    expect(out).toEqual([
      {
        exporter: '10.0.0.7',
        protocol: 'netflow-v9',
        observationDomainId: 3,
        receivedAt: NOW,
        start: EXPORT_MS - 6_000,
        end: EXPORT_MS - 1_000,
        srcAddr: 0x0a010001,
        dstAddr: 0x0a020002,
        srcPort: 40000,
        dstPort: 443,
        ipProtocol: 6,
        tcpFlags: 0x1b,
        bytes: 1500,
        packets: 3,
        samplingRate: 1,
      },
    ]);
    expect(stats).toMatchObject({ packets: 1, records: 1, templates: 1, dropped: {} });
  });

  it('resolves times across a sysUptime wrap and times slightly after the header uptime', () => {
    const packet = v9Packet(
      { sysUptime: 500, unixSecs: UNIX },
      v9Templates([256, FLOW_TEMPLATE]),
      set(256, concat(flow('10.0.0.1', '10.0.0.2', 1, 2 ** 32 - 500, 400), flow('10.0.0.1', '10.0.0.2', 1, 600, 700))),
    );
    const { out } = run(packet);
    expect(out.map((r) => [r.start - EXPORT_MS, r.end - EXPORT_MS])).toEqual([
      [-1_000, -100],
      [100, 200],
    ]);
  });

  it('counts a data flowset that precedes its template as template-missing, then decodes later ones', () => {
    const data = set(256, flow('10.0.0.1', '10.0.0.2', 10, 1, 2));
    const header = { sysUptime: 10, unixSecs: UNIX };
    const { out, stats } = run(v9Packet(header, data, v9Templates([256, FLOW_TEMPLATE])), v9Packet(header, data));
    expect(out).toHaveLength(1);
    expect(stats.dropped).toEqual({ 'template-missing': 1 });
  });

  it('keeps templates of different source ids apart', () => {
    const { out, stats } = run(
      v9Packet({ sysUptime: 10, unixSecs: UNIX, sourceId: 1 }, v9Templates([256, FLOW_TEMPLATE])),
      v9Packet({ sysUptime: 10, unixSecs: UNIX, sourceId: 2 }, set(256, flow('10.0.0.1', '10.0.0.2', 10, 1, 2))),
    );
    expect(out).toHaveLength(0);
    expect(stats.dropped).toEqual({ 'template-missing': 1 });
  });

  it('ignores a lying header count, zero padding after the last flowset and padding inside a flowset', () => {
    const padded = set(256, flow('10.0.0.1', '10.0.0.2', 10, 1, 2), 8);
    const packet = concat(
      v9Packet({ sysUptime: 10, unixSecs: UNIX }, v9Templates([256, FLOW_TEMPLATE]), padded),
      new Uint8Array(64),
    );
    packet.set(u16(40), 2);
    const { out, stats } = run(packet);
    expect(out).toHaveLength(1);
    expect(stats.dropped).toEqual({});
  });

  it('reads reduced-size counters and 64-bit counters as exact numbers', () => {
    const template = [
      [8, 4],
      [12, 4],
      [1, 8],
      [2, 3],
    ] as const;
    const record = concat(ipv4('10.0.0.1'), ipv4('10.0.0.2'), u64(2 ** 40 + 5), uint(70_000, 3));
    const { out, fields } = run(
      v9Packet({ sysUptime: 1, unixSecs: UNIX }, v9Templates([300, template]), set(300, record)),
    );
    expect(out[0]).toMatchObject({ bytes: 2 ** 40 + 5, packets: 70_000, start: NOW, end: NOW });
    expect(fields[0]?.fields).toMatchObject({ octetDeltaCount: 2 ** 40 + 5, packetDeltaCount: 70_000 });
  });

  it('reads field length 65535 as a variable-length field (H3C)', () => {
    const template = [
      [8, 4],
      [236, 65535],
      [12, 4],
    ] as const;
    const record = concat(ipv4('10.0.0.1'), varlen(new TextEncoder().encode('vrf-blue')), ipv4('10.0.0.2'));
    const { out, fields } = run(
      v9Packet({ sysUptime: 1, unixSecs: UNIX }, v9Templates([257, template]), set(257, record)),
    );
    expect(out[0]).toMatchObject({ srcAddr: 0x0a000001, dstAddr: 0x0a000002 });
    expect(fields[0]?.fields).toEqual({
      sourceIPv4Address: '10.0.0.1',
      VRFname: 'vrf-blue',
      destinationIPv4Address: '10.0.0.2',
    });
  });

  it('decodes with a redefined template from then on', () => {
    const header = { sysUptime: 10, unixSecs: UNIX };
    const second = [
      [12, 4],
      [8, 4],
    ] as const;
    const { out } = run(
      v9Packet(header, v9Templates([256, FLOW_TEMPLATE]), set(256, flow('10.0.0.1', '10.0.0.2', 1, 1, 2))),
      v9Packet(header, v9Templates([256, second]), set(256, concat(ipv4('10.9.9.9'), ipv4('10.8.8.8')))),
    );
    expect(out.map((r) => [r.srcAddr, r.dstAddr])).toEqual([
      [0x0a000001, 0x0a000002],
      [0x0a080808, 0x0a090909],
    ]);
  });

  it('attaches sampling rates from options data (0-length scope, keyed by sampler id) to later records', () => {
    const header = { sysUptime: 10, unixSecs: UNIX, sourceId: 5 };
    const options = v9OptionsTemplate(
      400,
      [[1, 0]],
      [
        [48, 1],
        [34, 4],
      ],
    );
    const samplers = set(400, concat(u8(1), u32(100), u8(2), u32(10)));
    const template = [...FLOW_TEMPLATE, [48, 1]] as const;
    const data = set(
      256,
      concat(flow('10.0.0.1', '10.0.0.2', 1, 1, 2), u8(2), flow('10.0.0.3', '10.0.0.4', 1, 1, 2), u8(7)),
    );
    const { out, fields, stats } = run(v9Packet(header, options, samplers, v9Templates([256, template]), data));
    expect(out.map((r) => r.samplingRate)).toEqual([10, 1]);
    expect(stats.optionsRecords).toBe(2);
    expect(fields[0]).toMatchObject({
      recordKind: 'options',
      templateId: 400,
      fields: { samplerId: 1, samplingInterval: 100 },
    });
  });

  it('uses a record sampling interval (IE 34) before options data, and names v9 scope fields by scope type', () => {
    const header = { sysUptime: 10, unixSecs: UNIX };
    const options = v9OptionsTemplate(400, [[1, 4]], [[34, 4]]);
    const template = [...FLOW_TEMPLATE, [34, 2]] as const;
    const { out, fields } = run(
      v9Packet(header, options, set(400, concat(u32(0x0a000001), u32(50)))),
      v9Packet(
        header,
        v9Templates([256, template]),
        set(256, concat(flow('10.0.0.1', '10.0.0.2', 1, 1, 2), u16(1000))),
      ),
    );
    expect(fields[0]?.fields).toEqual({ scopeSystem: 0x0a000001, samplingInterval: 50 });
    expect(out[0]?.samplingRate).toBe(1000);
  });

  it('uses OUT_BYTES/OUT_PKTS when IN counters are zero, and NSEL initiator/responder octets as a biflow', () => {
    const egress = [
      [8, 4],
      [12, 4],
      [1, 4],
      [2, 4],
      [23, 4],
      [24, 4],
      [61, 1],
    ] as const;
    const nsel = [
      [8, 4],
      [12, 4],
      [231, 4],
      [232, 4],
      [40001, 4],
      [40003, 2],
    ] as const;
    const { out } = run(
      v9Packet(
        { sysUptime: 10, unixSecs: UNIX },
        v9Templates([256, egress], [257, nsel]),
        set(256, concat(ipv4('10.0.0.1'), ipv4('10.0.0.2'), u32(0), u32(0), u32(32), u32(1), u8(1))),
        set(257, concat(ipv4('10.0.0.1'), ipv4('10.0.0.2'), u32(69), u32(14178), ipv4('192.0.2.9'), u16(1025))),
      ),
    );
    expect(out[0]).toMatchObject({ bytes: 32, packets: 1, flowDirection: 'egress' });
    expect(out[1]).toMatchObject({ bytes: 69, reverse: { bytes: 14178, packets: 0, tcpFlags: 0 } });
    expect(out[1]).toMatchObject({ postNatSrcAddr: 0xc0000209, postNatSrcPort: 1025 });
  });

  it('never throws on a packet truncated at any offset; counts a drop unless only zeros follow a flowset end', () => {
    const templates = v9Templates([256, FLOW_TEMPLATE]);
    const packet = v9Packet(
      { sysUptime: 10_000, unixSecs: UNIX },
      templates,
      set(256, concat(flow('10.0.0.1', '10.0.0.2', 1, 1, 2), flow('10.0.0.3', '10.0.0.4', 1, 1, 2))),
    );
    const clean = (length: number) =>
      [20, 20 + templates.length].some((b) => length >= b && packet.subarray(b, length).every((x) => x === 0));
    for (let length = 0; length < packet.length; length++) {
      const { stats } = run(packet.subarray(0, length));
      expect(stats.packets).toBe(1);
      const dropped = Object.values(stats.dropped).reduce((a, b) => a + (b ?? 0), 0);
      expect(dropped > 0, `cut at ${length}`).toBe(!clean(length));
      expect(stats.records).toBe(length >= packet.length - 30 ? 1 : 0);
    }
  });
});
