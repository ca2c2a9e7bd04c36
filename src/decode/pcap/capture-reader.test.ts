import { describe, expect, it } from 'vitest';
import {
  ETHERTYPE,
  ethernetFrame,
  fragmentIpv4,
  fragmentIpv6,
  ipv4Packet,
  ipv6Packet,
  linkFrame,
  tcpSegment,
  udpSegment,
} from '../../../test/tools/packets.js';
import { encodePcap, type PcapOptions, type PcapRecord } from '../../../test/tools/pcap-writer.js';
import { type CaptureConfig, type CaptureReader, openCapture, type UdpDatagram } from './index.js';

const T0 = 1_700_000_000_000;

function payload(length: number, seed = 1): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 7 + seed) & 255);
}

function udpIp(src: string, dst: string, srcPort: number, dstPort: number, data: Uint8Array, id = 1): Uint8Array {
  const segment = udpSegment({ src, dst, srcPort, dstPort, payload: data });
  return src.includes(':')
    ? ipv6Packet({ src, dst, nextHeader: 17, payload: segment })
    : ipv4Packet({ src, dst, protocol: 17, id, payload: segment });
}

function read(records: PcapRecord[], options: PcapOptions = {}, config: Partial<CaptureConfig> = {}) {
  const reader: CaptureReader = openCapture(encodePcap(records, options), config);
  const datagrams: UdpDatagram[] = [...reader.datagrams()];
  return { datagrams, stats: reader.stats };
}

const summary = (d: UdpDatagram) => [d.srcAddr, d.srcPort, d.dstAddr, d.dstPort, Array.from(d.payload)];

describe('openCapture() link types', () => {
  const v4 = udpIp('10.0.0.1', '10.0.0.2', 4000, 2055, payload(100));
  const v6 = udpIp('2001:db8::1', '2001:db8::2', 4001, 4739, payload(64));
  const linkTypes = {
    ethernet: 1,
    'linux cooked v1': 113,
    'linux cooked v2': 276,
    null: 0,
    loop: 108,
    raw: 101,
    'raw (DLT 12)': 12,
    'raw (DLT 14)': 14,
  };
  for (const [name, linkType] of Object.entries(linkTypes)) {
    it(`reads IPv4 and IPv6 UDP from ${name} (${linkType}) frames`, () => {
      const { datagrams, stats } = read(
        [
          { timestamp: T0, data: linkFrame(linkType, v4) },
          { timestamp: T0 + 1, data: linkFrame(linkType, v6) },
        ],
        { linkType },
      );
      expect(datagrams.map(summary)).toEqual([
        ['10.0.0.1', 4000, '10.0.0.2', 2055, Array.from(payload(100))],
        ['2001:db8::1', 4001, '2001:db8::2', 4739, Array.from(payload(64))],
      ]);
      expect(stats).toMatchObject({ frames: 2, datagrams: 2, skipped: {} });
    });
  }

  it('counts frames of an unsupported link type', () => {
    const { datagrams, stats } = read([{ timestamp: T0, data: v4 }], { linkType: 105 });
    expect(datagrams).toEqual([]);
    expect(stats.skipped).toEqual({ 'link-type': 1 });
  });

  it('skips 802.1Q and QinQ tags', () => {
    const { datagrams } = read([
      { timestamp: T0, data: linkFrame(1, v4, { vlans: [100] }) },
      { timestamp: T0, data: linkFrame(1, v6, { vlans: [100, 200] }) },
    ]);
    expect(datagrams.map((d) => d.dstPort)).toEqual([2055, 4739]);
  });
});

describe('openCapture() file formats', () => {
  const frames = [0, 1, 2].map((i) => ({
    timestamp: T0 + i * 1000 + 0.123456,
    data: linkFrame(1, udpIp('10.0.0.1', '10.0.0.9', 1000 + i, 6343, payload(20 + i))),
  }));
  const variants: [string, PcapOptions][] = [
    ['pcap little-endian microseconds', {}],
    ['pcap big-endian microseconds', { byteOrder: 'big' }],
    ['pcap little-endian nanoseconds', { nanosecond: true }],
    ['pcap big-endian nanoseconds', { byteOrder: 'big', nanosecond: true }],
    ['pcapng little-endian', { format: 'pcapng' }],
    ['pcapng big-endian nanoseconds', { format: 'pcapng', byteOrder: 'big', nanosecond: true }],
    ['pcapng with unknown blocks between packets', { format: 'pcapng', unknownBlocks: true }],
  ];
  for (const [name, options] of variants) {
    it(`reads ${name}`, () => {
      const { datagrams, stats } = read(frames, options);
      expect(stats.format).toBe(options.format ?? 'pcap');
      expect(datagrams.map((d) => d.srcPort)).toEqual([1000, 1001, 1002]);
      expect(datagrams.map((d) => d.frame)).toEqual([1, 2, 3]);
      const precision = options.nanosecond ? 6 : 3;
      datagrams.forEach((d, i) => {
        expect(d.timestamp).toBeCloseTo(frames[i]!.timestamp, precision - 1);
      });
    });
  }

  it('reads simple packet blocks (no timestamp: 0 before any timed packet)', () => {
    const { datagrams } = read(frames, { format: 'pcapng', simplePackets: true });
    expect(datagrams.map((d) => [d.srcPort, d.timestamp])).toEqual([
      [1000, 0],
      [1001, 0],
      [1002, 0],
    ]);
  });

  it('reads every section of a pcapng file made of several (each with its own byte order and interfaces)', () => {
    const first = encodePcap(frames.slice(0, 1), { format: 'pcapng' });
    // the second section is big-endian and declares a raw-IP interface
    const raw = encodePcap(
      frames.slice(1).map((f) => ({ ...f, data: f.data.subarray(14) })),
      { format: 'pcapng', byteOrder: 'big', linkType: 101 },
    );
    const bytes = new Uint8Array(first.length + raw.length);
    bytes.set(first);
    bytes.set(raw, first.length);
    const reader = openCapture(bytes);
    expect([...reader.datagrams()].map((d) => d.srcPort)).toEqual([1000, 1001, 1002]);
  });

  it('returns what precedes a truncation and reports where it happened', () => {
    const bytes = encodePcap(frames);
    const cut = bytes.subarray(0, bytes.length - 5);
    const reader = openCapture(cut);
    expect([...reader.datagrams()].map((d) => d.srcPort)).toEqual([1000, 1001]);
    const thirdRecord = bytes.length - (16 + frames[2]!.data.length);
    expect(reader.stats.truncated).toEqual({ offset: thirdRecord, reason: expect.stringContaining('past the end') });
  });

  it('reports a damaged pcapng block with its offset and keeps the packets before it', () => {
    const bytes = encodePcap(frames, { format: 'pcapng' }).slice();
    const view = new DataView(bytes.buffer);
    // SHB (28) + IDB (32) + first EPB: damage the second EPB's length
    const firstEpb = 28 + 32;
    const second = firstEpb + view.getUint32(firstEpb + 4, true);
    view.setUint32(second + 4, 7, true);
    const reader = openCapture(bytes);
    expect([...reader.datagrams()]).toHaveLength(1);
    expect(reader.stats.truncated).toMatchObject({ offset: second });
  });

  it('throws CaptureError at offset 0 for files that are not captures or too short', () => {
    expect(() => openCapture(new TextEncoder().encode('{"json": true}'))).toThrow(
      expect.objectContaining({ name: 'CaptureError', code: 'not-a-capture', context: { offset: 0 } }),
    );
    expect(() => openCapture(encodePcap([]).subarray(0, 20))).toThrow(
      expect.objectContaining({
        code: 'truncated',
        message: expect.stringMatching(/^Cannot read capture at offset 0: /),
      }),
    );
  });
});

describe('openCapture() network and transport layers', () => {
  it('skips IPv4 options and Ethernet padding', () => {
    const segment = udpSegment({ src: '10.0.0.1', dst: '10.0.0.2', srcPort: 1, dstPort: 2, payload: payload(3) });
    const ip = ipv4Packet({
      src: '10.0.0.1',
      dst: '10.0.0.2',
      protocol: 17,
      options: Uint8Array.of(1, 1, 1, 0, 7, 3, 4, 0),
      payload: segment,
    });
    const padded = new Uint8Array(60);
    padded.set(ethernetFrame({ etherType: ETHERTYPE.IPV4, payload: ip }));
    const { datagrams } = read([{ timestamp: T0, data: padded }]);
    expect(datagrams.map(summary)).toEqual([['10.0.0.1', 1, '10.0.0.2', 2, [1, 8, 15]]]);
  });

  it('walks IPv6 extension headers (hop-by-hop, routing, destination options) to UDP', () => {
    const segment = udpSegment({ src: 'fd00::1', dst: 'fd00::2', srcPort: 7, dstPort: 9, payload: payload(5) });
    const ip = ipv6Packet({
      src: 'fd00::1',
      dst: 'fd00::2',
      nextHeader: 17,
      payload: segment,
      extensionHeaders: [
        { type: 0, body: new Uint8Array(6) },
        { type: 43, body: new Uint8Array(14) },
        { type: 60, body: new Uint8Array(6) },
      ],
    });
    const { datagrams } = read([{ timestamp: T0, data: linkFrame(1, ip) }]);
    expect(datagrams.map(summary)).toEqual([['fd00::1', 7, 'fd00::2', 9, Array.from(payload(5))]]);
  });

  it('counts TCP, other IP protocols, non-IP frames, malformed and snap-truncated frames', () => {
    const tcp = ipv4Packet({
      src: '10.0.0.1',
      dst: '10.0.0.2',
      protocol: 6,
      payload: tcpSegment({ src: '10.0.0.1', dst: '10.0.0.2', srcPort: 1, dstPort: 179, seq: 0, ack: 0, flags: 2 }),
    });
    const icmp = ipv4Packet({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 1, payload: new Uint8Array(8) });
    const arp = ethernetFrame({ etherType: ETHERTYPE.ARP, payload: new Uint8Array(28) });
    const udp = linkFrame(1, udpIp('10.0.0.1', '10.0.0.2', 1, 2, payload(200)));
    const broken = linkFrame(1, udpIp('10.0.0.1', '10.0.0.2', 1, 2, payload(10))).slice();
    broken[14] = 0x43; // IHL 3
    const { datagrams, stats } = read([
      { timestamp: T0, data: linkFrame(1, tcp) },
      { timestamp: T0, data: linkFrame(1, icmp) },
      { timestamp: T0, data: arp },
      { timestamp: T0, data: udp.subarray(0, 100), originalLength: udp.length },
      { timestamp: T0, data: broken },
      { timestamp: T0, data: udp },
    ]);
    expect(datagrams).toHaveLength(1);
    expect(stats.skipped).toEqual({ tcp: 1, 'other-protocol': 1, 'not-ip': 1, 'snap-truncated': 1, malformed: 1 });
    expect(stats.frames).toBe(6);
  });
});

describe('openCapture() fragment reassembly', () => {
  const big = payload(4000, 3);
  const whole = udpIp('10.1.1.1', '10.2.2.2', 9995, 2055, big, 777);

  it('reassembles IPv4 fragments, in order and out of order, with duplicates', () => {
    const fragments = fragmentIpv4(whole, 1500);
    expect(fragments).toHaveLength(3);
    const shuffled = [fragments[2]!, fragments[0]!, fragments[0]!, fragments[1]!];
    for (const order of [fragments, shuffled]) {
      const { datagrams, stats } = read(order.map((f, i) => ({ timestamp: T0 + i, data: linkFrame(1, f) })));
      expect(datagrams.map(summary)).toEqual([['10.1.1.1', 9995, '10.2.2.2', 2055, Array.from(big)]]);
      expect(stats).toMatchObject({ fragments: order.length, reassembled: 1, skipped: {} });
      expect(datagrams[0]!.frame).toBe(order.length);
    }
  });

  it('reassembles IPv6 fragments', () => {
    const segment = udpSegment({ src: 'fd00::1', dst: 'fd00::2', srcPort: 1, dstPort: 4739, payload: big });
    const fragments = fragmentIpv6(
      { src: 'fd00::1', dst: 'fd00::2', nextHeader: 17, payload: segment, id: 0xdeadbeef },
      1280,
    );
    expect(fragments.length).toBeGreaterThan(3);
    const { datagrams, stats } = read(fragments.reverse().map((f) => ({ timestamp: T0, data: linkFrame(1, f) })));
    expect(datagrams.map(summary)).toEqual([['fd00::1', 1, 'fd00::2', 4739, Array.from(big)]]);
    expect(stats.reassembled).toBe(1);
  });

  it('keeps interleaved datagrams apart by identification', () => {
    const other = udpIp('10.1.1.1', '10.2.2.2', 9996, 2055, payload(3000, 9), 778);
    const a = fragmentIpv4(whole, 1500);
    const b = fragmentIpv4(other, 1500);
    const mixed = [a[0]!, b[0]!, a[1]!, b[1]!, b[2]!, a[2]!];
    const { datagrams } = read(mixed.map((f) => ({ timestamp: T0, data: linkFrame(1, f) })));
    expect(datagrams.map((d) => [d.srcPort, d.payload.length])).toEqual([
      [9996, 3000],
      [9995, 4000],
    ]);
  });

  it('drops datagrams whose fragments arrive after the timeout, and counts the unfinished at the end', () => {
    const [first, second, third] = fragmentIpv4(whole, 1500);
    const { datagrams, stats } = read(
      [
        { timestamp: T0, data: linkFrame(1, first!) },
        { timestamp: T0 + 1, data: linkFrame(1, second!) },
        { timestamp: T0 + 31_000, data: linkFrame(1, third!) },
      ],
      {},
      { reassembly: { timeoutMs: 30_000, maxPending: 256, maxBytes: 1 << 22 } },
    );
    expect(datagrams).toEqual([]);
    expect(stats.skipped).toEqual({ 'fragment-expired': 1, 'fragment-incomplete': 1 });
  });

  it('bounds memory: a flood of first fragments never holds more than the configured datagrams and bytes', () => {
    const config = { reassembly: { maxPending: 16, maxBytes: 65_535, timeoutMs: 30_000 } };
    const flood: PcapRecord[] = [];
    for (let id = 0; id < 5000; id++) {
      const packet = udpIp('10.9.9.9', '10.8.8.8', 1, 2, payload(3000, id), id);
      flood.push({ timestamp: T0 + id, data: linkFrame(1, fragmentIpv4(packet, 1500)[0]!) });
    }
    // a complete datagram still gets through at the end
    for (const f of fragmentIpv4(whole, 1500)) flood.push({ timestamp: T0 + 6000, data: linkFrame(1, f) });
    const { datagrams, stats } = read(flood, {}, config);
    expect(datagrams.map((d) => d.srcPort)).toEqual([9995]);
    expect(stats.peakReassemblyBytes).toBeLessThanOrEqual(65_535);
    const dropped = (stats.skipped['fragment-evicted'] ?? 0) + (stats.skipped['fragment-incomplete'] ?? 0);
    expect(dropped).toBe(5000);
    expect(stats.skipped['fragment-incomplete']).toBeLessThanOrEqual(16);
  });

  it('rejects fragments that would grow a datagram past 65535 bytes', () => {
    const huge = ipv4Packet({
      src: '10.0.0.1',
      dst: '10.0.0.2',
      protocol: 17,
      id: 5,
      moreFragments: true,
      fragmentOffset: 65_528,
      payload: new Uint8Array(16),
    });
    const { stats } = read([{ timestamp: T0, data: linkFrame(1, huge) }]);
    expect(stats.skipped).toEqual({ 'fragment-invalid': 1 });
  });
});
