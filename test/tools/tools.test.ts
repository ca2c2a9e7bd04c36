/**
 * The test harnesses checked against an independent reader: tshark must see in the generated captures exactly
 * the packets the builders meant (addresses, ports, flags, lengths, valid checksums, timestamps, fragments), and
 * the runners must fail with clear messages.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeWithTools,
  flowTruth,
  fragmentIpv4,
  ipv4Packet,
  itWithTools,
  linkFrame,
  mergeTraffic,
  requireTool,
  runSoftflowd,
  TCP,
  tcpConversation,
  toPcapRecords,
  tsharkFields,
  udpExchange,
  udpSegment,
  writePcap,
} from './index.js';

const T0 = Date.UTC(2024, 1, 3, 4, 5, 6) + 789;
const CHECKSUMS = ['ip.check_checksum:TRUE', 'tcp.check_checksum:TRUE', 'udp.check_checksum:TRUE'];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'flowmap-tools-test-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeWithTools(['tshark'], 'pcap writer and traffic builders, read back by tshark', () => {
  const packets = mergeTraffic(
    tcpConversation({
      client: '10.1.0.1',
      clientPort: 40000,
      server: '10.2.0.2',
      serverPort: 80,
      start: T0,
      exchanges: [{ request: 100, response: 3000 }],
    }),
    tcpConversation({
      client: 'fd00::1',
      clientPort: 40001,
      server: 'fd00::2',
      serverPort: 443,
      start: T0 + 50,
      close: 'rst',
    }),
    udpExchange({
      a: '10.1.0.1',
      aPort: 5000,
      b: '10.2.0.2',
      bPort: 53,
      start: T0 + 3,
      messages: [
        { from: 'a', bytes: 30 },
        { from: 'b', bytes: 90 },
      ],
    }),
  );
  const fields = [
    'frame.time_epoch',
    'ip.src',
    'ipv6.src',
    'tcp.srcport',
    'udp.srcport',
    'tcp.flags',
    'ip.len',
    'ipv6.plen',
    'ip.checksum.status',
    'tcp.checksum.status',
    'udp.checksum.status',
  ];

  for (const variant of [
    { name: 'pcap, microseconds', options: {} },
    {
      name: 'pcapng, big-endian, nanoseconds',
      options: { format: 'pcapng' as const, byteOrder: 'big' as const, nanosecond: true },
    },
  ]) {
    it(`writes ${variant.name} that tshark reads packet for packet, with valid checksums`, async () => {
      const path = join(dir, `traffic-${variant.name.replace(/\W+/g, '-')}.pcap`);
      writePcap(path, toPcapRecords(packets), variant.options);
      const rows = await tsharkFields(path, fields, { preferences: CHECKSUMS });
      expect(rows).toHaveLength(packets.length);
      rows.forEach((row, i) => {
        const p = packets[i]!;
        const [time, ipSrc, ipv6Src, tcpPort, udpPort, flags, ipLen, ipv6Len, ...checks] = row;
        expect(Number(time) * 1000).toBeCloseTo(p.timestamp, 2);
        expect(ipSrc || ipv6Src).toBe(p.flow.srcAddr);
        expect(Number(tcpPort || udpPort)).toBe(p.flow.srcPort);
        if (p.flow.protocol === 6) expect(Number(flags)).toBe(p.tcpFlags);
        expect(ipLen ? Number(ipLen) : Number(ipv6Len) + 40).toBe(p.ip.length);
        // 1 = good (0 bad, 2 unverified); IPv6 has no header checksum
        expect(checks.filter(Boolean)).toEqual(p.flow.srcAddr.includes(':') ? ['1'] : ['1', '1']);
      });
    });
  }

  it('builds a truth that counts every packet once, per direction', () => {
    const truth = flowTruth(packets);
    const total = [...truth.values()].reduce((n, t) => n + t.packets, 0);
    expect(total).toBe(packets.length);
    const rst = truth.get('fd00::1|fd00::2|40001|443|6')!;
    expect(rst.tcpFlags).toBe(TCP.SYN | TCP.ACK | TCP.RST);
    expect(truth.get('10.2.0.2|10.1.0.1|80|40000|6')).toMatchObject({ packets: 5, bytes: 3000 + 5 * 40 });
  });

  it('writes IPv4 fragments that tshark reassembles into the original datagram', async () => {
    const segment = udpSegment({
      src: '10.0.0.1',
      dst: '10.0.0.2',
      srcPort: 1234,
      dstPort: 2055,
      payload: new Uint8Array(3000).fill(9),
    });
    const whole = ipv4Packet({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 17, id: 99, payload: segment });
    const path = join(dir, 'fragments.pcap');
    writePcap(
      path,
      fragmentIpv4(whole, 1500).map((f, i) => ({ timestamp: T0 + i, data: linkFrame(1, f) })),
    );
    const rows = await tsharkFields(path, ['ip.flags.mf', 'ip.frag_offset', 'udp.length'], { filter: 'udp' });
    // the last fragment completes the datagram: offset 2960 bytes (370 units of 8), UDP length 3008
    expect(rows).toEqual([['0', '370', '3008']]);
  });
});

describe('runners', () => {
  it('requireTool names the Debian package of a missing tool', () => {
    expect(() => requireTool('definitely-not-installed-tool')).toThrow(
      'Cannot run "definitely-not-installed-tool": not installed (apt-get install -y --no-install-recommends definitely-not-installed-tool)',
    );
  });

  itWithTools(
    ['softflowd'],
    'runSoftflowd rejects clearly, without leaving softflowd running, when it cannot read the capture',
    async () => {
      const missing = join(dir, 'missing.pcap');
      await expect(runSoftflowd({ pcap: missing, version: 9, packets: 1, timeoutMs: 5000 })).rejects.toThrow(
        `Cannot export "${missing}" with softflowd`,
      );
    },
  );
});
