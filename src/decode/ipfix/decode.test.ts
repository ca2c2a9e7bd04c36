import { describe, expect, it } from 'vitest';
import type { FlowRecord } from '../../core/flow.js';
import { ipv6ToBytes } from '../../core/ip.js';
import type { DecodedFields } from '../contracts.js';
import { NTP_EPOCH_OFFSET_S } from '../cursor.js';
import { createPacketDecoder } from '../decoder.js';
import {
  concat,
  ipfixMessage,
  ipfixOptionsTemplate,
  ipfixTemplates,
  ipfixWithdrawal,
  ipv4,
  set,
  u8,
  u16,
  u32,
  u64,
  varlen,
} from '../testing.js';

const NOW = Date.UTC(2025, 5, 1);
const EXPORT = 1_700_000_000;

/** softflowd-like IPFIX template with absolute millisecond times */
const FLOW = [
  [8, 4],
  [12, 4],
  [7, 2],
  [11, 2],
  [4, 1],
  [6, 1],
  [1, 8],
  [2, 8],
  [152, 8],
  [153, 8],
] as const;

function flow(src: string, dst: string, start = EXPORT * 1000 - 2_000): Uint8Array {
  return concat(
    ipv4(src),
    ipv4(dst),
    u16(5353),
    u16(53),
    u8(17),
    u8(0),
    u64(300),
    u64(2),
    u64(start),
    u64(start + 1_000),
  );
}

function run(...packets: Uint8Array[]) {
  const decoder = createPacketDecoder({ clock: () => NOW });
  const out: FlowRecord[] = [];
  const fields: DecodedFields[] = [];
  for (const packet of packets) decoder.decode(packet, { exporter: '2001:db8::7', receivedAt: NOW, out, fields });
  return { out, fields, stats: decoder.stats, decoder };
}

const text = (s: string) => new TextEncoder().encode(s);

describe('decodeIpfix()', () => {
  it('decodes templates and data, with absolute millisecond times', () => {
    const { out, stats } = run(
      ipfixMessage(
        { exportTime: EXPORT, domain: 9 },
        ipfixTemplates([256, FLOW]),
        set(256, flow('10.0.0.1', '10.0.0.2')),
      ),
    );
    expect(out).toEqual([
      {
        exporter: '2001:db8::7',
        protocol: 'ipfix',
        observationDomainId: 9,
        receivedAt: NOW,
        start: EXPORT * 1000 - 2_000,
        end: EXPORT * 1000 - 1_000,
        srcAddr: 0x0a000001,
        dstAddr: 0x0a000002,
        srcPort: 5353,
        dstPort: 53,
        ipProtocol: 17,
        tcpFlags: 0,
        bytes: 300,
        packets: 2,
        samplingRate: 1,
      },
    ]);
    expect(stats).toMatchObject({ records: 1, templates: 1, dropped: {} });
  });

  it('decodes every message of a datagram, each with its own observation domain', () => {
    const { out } = run(
      concat(
        ipfixMessage(
          { exportTime: EXPORT, domain: 1 },
          ipfixTemplates([256, FLOW]),
          set(256, flow('10.0.0.1', '10.0.0.2')),
        ),
        ipfixMessage(
          { exportTime: EXPORT, domain: 2 },
          ipfixTemplates([256, FLOW]),
          set(256, flow('10.0.0.3', '10.0.0.4')),
        ),
      ),
    );
    expect(out.map((r) => [r.observationDomainId, r.srcAddr])).toEqual([
      [1, 0x0a000001],
      [2, 0x0a000003],
    ]);
  });

  it('reads 1-byte and 3-byte variable lengths and names enterprise fields <pen>:<id> with hex values', () => {
    const template = [
      [8, 4],
      [12, 4],
      [82, 65535],
      [130, 65535, 5951],
      [33, 2, 6871],
    ] as const;
    const long = 'x'.repeat(300);
    const record = concat(ipv4('10.0.0.1'), ipv4('10.0.0.2'), varlen(text('eth0'), true), varlen(text(long)), u16(53));
    const { fields } = run(ipfixMessage({ exportTime: EXPORT }, ipfixTemplates([300, template]), set(300, record)));
    expect(fields[0]?.fields).toEqual({
      sourceIPv4Address: '10.0.0.1',
      destinationIPv4Address: '10.0.0.2',
      interfaceName: 'eth0',
      '5951:130': Buffer.from(long).toString('hex'),
      silkAppLabel: 53,
    });
  });

  it('withdraws one template, then all data templates of the domain', () => {
    const header = { exportTime: EXPORT, domain: 4 };
    const data = set(256, flow('10.0.0.1', '10.0.0.2'));
    const other = set(257, flow('10.0.0.1', '10.0.0.2'));
    const { out, stats } = run(
      ipfixMessage(header, ipfixTemplates([256, FLOW], [257, FLOW]), data, other),
      ipfixMessage(header, ipfixWithdrawal(256), data, other),
      ipfixMessage(header, ipfixWithdrawal(2), other),
    );
    expect(out).toHaveLength(3);
    expect(stats.dropped).toEqual({ 'template-missing': 2 });
  });

  it('attaches sampling (selectorId scope, 305/306) and system init time from options data to later records', () => {
    const header = { exportTime: EXPORT };
    const sampling = ipfixOptionsTemplate(500, 1, [
      [302, 4],
      [305, 4],
      [306, 4],
    ]);
    const init = ipfixOptionsTemplate(501, 1, [
      [144, 4],
      [160, 8],
    ]);
    const template = [
      [8, 4],
      [12, 4],
      [302, 4],
      [22, 4],
      [21, 4],
    ] as const;
    const record = concat(ipv4('10.0.0.1'), ipv4('10.0.0.2'), u32(7), u32(1_000), u32(4_000));
    const { out, stats } = run(
      ipfixMessage(
        header,
        sampling,
        init,
        set(500, concat(u32(7), u32(1), u32(99))),
        set(501, concat(u32(1), u64(1_600_000_000_000))),
      ),
      ipfixMessage(header, ipfixTemplates([256, template]), set(256, record)),
    );
    expect(stats.optionsRecords).toBe(2);
    expect(out[0]).toMatchObject({ samplingRate: 100, start: 1_600_000_001_000, end: 1_600_000_004_000 });
  });

  it('anchors sysUpTime-relative times at the export time while the system init time is unknown', () => {
    const template = [
      [8, 4],
      [12, 4],
      [22, 4],
      [21, 4],
    ] as const;
    const record = concat(ipv4('10.0.0.1'), ipv4('10.0.0.2'), u32(10_000), u32(12_500));
    const { out } = run(ipfixMessage({ exportTime: EXPORT }, ipfixTemplates([256, template]), set(256, record)));
    expect(out[0]).toMatchObject({ start: EXPORT * 1000 - 2_500, end: EXPORT * 1000 });
  });

  it('maps RFC 5103 reverse fields, YAF flags, directions, IPv6 and post-NAT addresses onto the FlowRecord', () => {
    const template = [
      [27, 16],
      [28, 16],
      [1, 4],
      [1, 4, 29305],
      [2, 4, 29305],
      [6, 1, 29305],
      [14, 1, 6871],
      [15, 1, 6871],
      [61, 1],
      [239, 1],
      [281, 16],
      [227, 2],
    ] as const;
    const record = concat(
      ipv6ToBytes('2001:db8::1')!,
      ipv6ToBytes('2001:db8::2')!,
      u32(100),
      u32(900),
      u32(7),
      u8(0x12),
      u8(0x02),
      u8(0x18),
      u8(0),
      u8(1),
      ipv6ToBytes('fd00::9')!,
      u16(8080),
    );
    const { out } = run(ipfixMessage({ exportTime: EXPORT }, ipfixTemplates([256, template]), set(256, record)));
    expect(out[0]).toMatchObject({
      srcAddr: '2001:db8::1',
      dstAddr: '2001:db8::2',
      bytes: 100,
      tcpFlags: 0x1a,
      initialTcpFlags: 0x02,
      reverse: { bytes: 900, packets: 7, tcpFlags: 0x12 },
      flowDirection: 'ingress',
      biflowDirection: 'initiator',
      postNatSrcAddr: 'fd00::9',
      postNatSrcPort: 8080,
    });
  });

  it('reads seconds, NTP micro/nanosecond and delta-microsecond times', () => {
    const ntp = (ms: number) =>
      concat(u32(Math.floor(ms / 1000) + NTP_EPOCH_OFFSET_S), u32(((ms % 1000) / 1000) * 2 ** 32));
    const template = (start: number, end: number, len: number) =>
      [
        [8, 4],
        [12, 4],
        [start, len],
        [end, len],
      ] as const;
    const addresses = concat(ipv4('10.0.0.1'), ipv4('10.0.0.2'));
    const t0 = 1_650_000_000_000;
    const { out } = run(
      ipfixMessage(
        { exportTime: EXPORT },
        ipfixTemplates([256, template(150, 151, 4)], [257, template(154, 157, 8)], [258, template(158, 159, 4)]),
        set(256, concat(addresses, u32(t0 / 1000), u32(t0 / 1000 + 5))),
        set(257, concat(addresses, ntp(t0 + 250), ntp(t0 + 750))),
        set(258, concat(addresses, u32(3_000_000), u32(1_000_000))),
      ),
    );
    expect(out.map((r) => [r.start, r.end])).toEqual([
      [t0, t0 + 5_000],
      [t0 + 250, t0 + 750],
      [EXPORT * 1000 - 3_000, EXPORT * 1000 - 1_000],
    ]);
  });

  it('ignores non-zero bytes after the last record of a set (MikroTik) and counts a message that overruns the datagram', () => {
    const padded = concat(set(256, concat(flow('10.0.0.1', '10.0.0.2'), new Uint8Array([1, 2, 3]))));
    const message = ipfixMessage({ exportTime: EXPORT }, ipfixTemplates([256, FLOW]), padded);
    const { out, stats } = run(message, message.subarray(0, message.length - 10));
    expect(out).toHaveLength(1);
    expect(stats.dropped).toEqual({ truncated: 1 });
  });

  it('never throws on a datagram truncated at any offset, and records only what is complete', () => {
    const message = ipfixMessage(
      { exportTime: EXPORT },
      ipfixTemplates(
        [256, FLOW],
        [
          257,
          [
            [8, 4],
            [12, 4],
            [82, 65535],
          ],
        ],
      ),
      set(256, flow('10.0.0.1', '10.0.0.2')),
      set(257, concat(ipv4('10.0.0.1'), ipv4('10.0.0.2'), varlen(text('x'.repeat(300))))),
    );
    for (let length = 0; length < message.length; length++) {
      const { stats } = run(message.subarray(0, length));
      expect(stats.packets).toBe(1);
      expect(stats.records).toBeLessThan(2);
      if (length > 16) expect(stats.dropped.truncated, `cut at ${length}`).toBe(1);
    }
  });
});
