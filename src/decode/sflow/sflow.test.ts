import { describe, expect, it } from 'vitest';
import {
  ETHERTYPE,
  ethernetFrame,
  ipv4Packet,
  ipv6Packet,
  tcpSegment,
  udpSegment,
} from '../../../test/tools/packets.js';
import type { FlowRecord } from '../../core/flow.js';
import { type DecodedFields, type DecodeStats, emptyDecodeStats } from '../contracts.js';
import { decodeSflow, readDatagramHeader } from './index.js';
import {
  encodeSflowDatagram,
  gatewayRecord,
  headerRecord,
  routerRecord,
  type SflowDatagramSpec,
  sampledIpRecord,
  switchRecord,
} from './testing.js';

function decode(packet: Uint8Array, stats: DecodeStats = emptyDecodeStats()) {
  const out: FlowRecord[] = [];
  const fields: DecodedFields[] = [];
  decodeSflow(packet, { exporter: '192.0.2.7', receivedAt: 1_700_000_000_000, out, fields }, stats);
  return { out, fields, stats };
}

const tcpFrame = (vlans?: number[]) =>
  ethernetFrame({
    src: '02:00:00:00:00:aa',
    dst: '02:00:00:00:00:bb',
    etherType: ETHERTYPE.IPV4,
    ...(vlans ? { vlans } : {}),
    payload: ipv4Packet({
      src: '10.1.2.3',
      dst: '10.4.5.6',
      protocol: 6,
      ttl: 61,
      tos: 0x10,
      id: 4242,
      payload: tcpSegment({
        src: '10.1.2.3',
        dst: '10.4.5.6',
        srcPort: 43210,
        dstPort: 8080,
        seq: 1,
        ack: 2,
        flags: 0x12,
      }),
    }),
  });

const datagram = (spec: Partial<SflowDatagramSpec>) => encodeSflowDatagram({ agent: '172.16.0.3', ...spec });

describe('decodeSflow()', () => {
  it('turns a flow sample with an Ethernet/IPv4/TCP header into a FlowRecord', () => {
    const packet = datagram({
      subAgentId: 7,
      sequence: 99,
      uptime: 123_456,
      flowSamples: [
        {
          sequence: 5,
          sourceIdIndex: 28,
          samplingRate: 1024,
          samplePool: 2048,
          drops: 3,
          input: 27,
          output: 28,
          records: [headerRecord(tcpFrame(), { frameLength: 1518 })],
        },
      ],
    });
    const { out, fields, stats } = decode(packet);
    expect(out).toEqual([
      {
        exporter: '192.0.2.7',
        protocol: 'sflow',
        observationDomainId: 7,
        receivedAt: 1_700_000_000_000,
        start: 1_700_000_000_000,
        end: 1_700_000_000_000,
        packets: 1,
        samplingRate: 1024,
        srcAddr: 0x0a010203,
        dstAddr: 0x0a040506,
        srcPort: 43210,
        dstPort: 8080,
        ipProtocol: 6,
        tcpFlags: 0x12,
        bytes: 1518,
      },
    ]);
    expect(stats.records).toBe(1);
    expect(fields).toHaveLength(1);
    expect(fields[0]).toMatchObject({
      exporter: '192.0.2.7',
      version: 'sflow5',
      observationDomainId: 7,
      templateId: 1,
    });
    expect(fields[0]!.record).toBe(out[0]);
    expect(fields[0]!.fields).toMatchObject({
      agentAddress: '172.16.0.3',
      sequenceNumber: 99,
      agentUptime: 123_456,
      sampleSequenceNumber: 5,
      sourceIdIndex: 28,
      samplingPacketInterval: 1024,
      samplePool: 2048,
      drops: 3,
      ingressInterface: 27,
      egressInterface: 28,
      octetDeltaCount: 1518,
      packetDeltaCount: 1,
      sourceMacAddress: '02:00:00:00:00:aa',
      destinationMacAddress: '02:00:00:00:00:bb',
      ethernetType: 0x0800,
      sourceIPv4Address: '10.1.2.3',
      destinationIPv4Address: '10.4.5.6',
      protocolIdentifier: 6,
      ipClassOfService: 0x10,
      ipTTL: 61,
      fragmentIdentification: 4242,
      sourceTransportPort: 43210,
      destinationTransportPort: 8080,
      tcpControlBits: 0x12,
    });
    expect(fields[0]!.fields).not.toHaveProperty('egressInterfaceFormat');
  });

  it('reads an IPv6 agent, an IPv6 header behind a destination-options header, and UDP ports', () => {
    const udp = udpSegment({ src: 'fd00::1', dst: 'fd00::2', srcPort: 5353, dstPort: 53, payload: new Uint8Array(10) });
    const ip = ipv6Packet({
      src: 'fd00::1',
      dst: 'fd00::2',
      nextHeader: 17,
      flowLabel: 0x12345,
      payload: udp,
      extensionHeaders: [{ type: 60, body: new Uint8Array(6) }],
    });
    const packet = datagram({
      agent: '2001:db8::9',
      flowSamples: [{ records: [headerRecord(ethernetFrame({ etherType: ETHERTYPE.IPV6, payload: ip }))] }],
    });
    const { out, fields } = decode(packet);
    expect(out[0]).toMatchObject({
      srcAddr: 'fd00::1',
      dstAddr: 'fd00::2',
      srcPort: 5353,
      dstPort: 53,
      ipProtocol: 17,
    });
    expect(fields[0]!.fields).toMatchObject({ agentAddress: '2001:db8::9', flowLabelIPv6: 0x12345, ipVersion: 6 });
  });

  it('reads both tags of a QinQ header and the ICMP type and code', () => {
    const icmp = ipv4Packet({
      src: '10.0.0.1',
      dst: '10.0.0.2',
      protocol: 1,
      payload: Uint8Array.of(8, 0, 0, 0, 0, 1, 0, 1),
    });
    const frame = ethernetFrame({ etherType: ETHERTYPE.IPV4, vlans: [1062, 1493], payload: icmp });
    const { out, fields } = decode(datagram({ flowSamples: [{ records: [headerRecord(frame)] }] }));
    expect(out[0]).toMatchObject({ ipProtocol: 1, srcPort: 0, dstPort: 0 });
    expect(fields[0]!.fields).toMatchObject({
      dot1qVlanId: 1062,
      dot1qCustomerVlanId: 1493,
      icmpTypeIPv4: 8,
      icmpCodeIPv4: 0,
    });
  });

  it('reads ICMPv6 type and code from a raw IPv6 header (header protocol 12)', () => {
    const ip = ipv6Packet({ src: 'fd00::1', dst: 'fd00::2', nextHeader: 58, payload: Uint8Array.of(128, 0, 0, 0) });
    const { out, fields } = decode(
      datagram({ flowSamples: [{ records: [headerRecord(ip, { protocol: 12, frameLength: 104 })] }] }),
    );
    expect(out[0]).toMatchObject({ ipProtocol: 58, srcAddr: 'fd00::1', bytes: 104 });
    expect(fields[0]!.fields).toMatchObject({ icmpTypeIPv6: 128, icmpCodeIPv6: 0, headerProtocol: 12 });
  });

  it('reads a raw IPv4 header (header protocol 11)', () => {
    const ip = ipv4Packet({
      src: '192.168.1.1',
      dst: '192.168.1.2',
      protocol: 6,
      payload: tcpSegment({
        src: '192.168.1.1',
        dst: '192.168.1.2',
        srcPort: 1,
        dstPort: 2,
        seq: 0,
        ack: 0,
        flags: 0x02,
      }),
    });
    const { out } = decode(datagram({ flowSamples: [{ records: [headerRecord(ip, { protocol: 11 })] }] }));
    expect(out[0]).toMatchObject({ srcAddr: 0xc0a80101, dstAddr: 0xc0a80102, srcPort: 1, dstPort: 2, tcpFlags: 2 });
  });

  it('reads expanded samples with separate interface formats, and compact interface formats', () => {
    const expanded = decode(
      datagram({
        flowSamples: [
          {
            expanded: true,
            sourceIdType: 0,
            sourceIdIndex: 11001,
            input: 29001,
            output: 7,
            outputFormat: 1,
            records: [headerRecord(tcpFrame())],
          },
        ],
      }),
    );
    expect(expanded.fields[0]).toMatchObject({ templateId: 3 });
    expect(expanded.fields[0]!.fields).toMatchObject({
      sourceIdIndex: 11001,
      ingressInterface: 29001,
      egressInterface: 7,
      egressInterfaceFormat: 1,
    });
    const multiple = decode(
      datagram({ flowSamples: [{ input: 5, output: 0, outputFormat: 2, records: [headerRecord(tcpFrame())] }] }),
    );
    expect(multiple.fields[0]!.fields).toMatchObject({
      ingressInterface: 5,
      egressInterface: 0,
      egressInterfaceFormat: 2,
    });
  });

  it('falls back to the sampled IPv4/IPv6 records when there is no header record', () => {
    const v4 = sampledIpRecord({
      length: 600,
      protocol: 17,
      src: '10.9.9.9',
      dst: '10.8.8.8',
      srcPort: 53,
      dstPort: 3333,
    });
    const v6 = sampledIpRecord({
      length: 90,
      protocol: 6,
      src: 'fd00::a',
      dst: 'fd00::b',
      srcPort: 22,
      dstPort: 5555,
      tcpFlags: 0x18,
    });
    const { out, fields } = decode(
      datagram({ flowSamples: [{ samplingRate: 100, records: [v4] }, { records: [v6] }] }),
    );
    expect(out.map((r) => [r.srcAddr, r.dstAddr, r.srcPort, r.dstPort, r.ipProtocol, r.bytes, r.tcpFlags])).toEqual([
      [0x0a090909, 0x0a080808, 53, 3333, 17, 600, 0],
      ['fd00::a', 'fd00::b', 22, 5555, 6, 90, 0x18],
    ]);
    expect(fields[1]!.fields).toMatchObject({ sourceIPv6Address: 'fd00::a', octetDeltaCount: 90 });
  });

  it('keeps non-IP samples as fields only and counts them as non-flow records', () => {
    const arp = ethernetFrame({ etherType: ETHERTYPE.ARP, payload: new Uint8Array(28) });
    const { out, fields, stats } = decode(datagram({ flowSamples: [{ records: [headerRecord(arp)] }] }));
    expect(out).toEqual([]);
    expect(stats.nonFlowRecords).toBe(1);
    expect(fields[0]!.fields).toMatchObject({ ethernetType: 0x0806 });
    expect(fields[0]).not.toHaveProperty('record');
  });

  it('counts counter samples (formats 2 and 4) and decodes the flow samples beside them', () => {
    const stats = emptyDecodeStats();
    decode(datagram({ counterSamples: 3, flowSamples: [{ records: [headerRecord(tcpFrame())] }] }), stats);
    decode(datagram({ counterSamples: 2, expandedCounters: true }), stats);
    expect(stats).toMatchObject({ counterSamples: 5, records: 1, dropped: {} });
  });

  it('exposes the extended switch, router and gateway records', () => {
    const records = [
      switchRecord(10, 20, 1, 2),
      headerRecord(tcpFrame()),
      routerRecord('10.0.0.254', 24, 16),
      gatewayRecord('192.0.2.1', 65000, 65001, 65002, [65010, 65020, 65030]),
    ];
    const { fields } = decode(datagram({ flowSamples: [{ records }] }));
    expect(fields[0]!.fields).toMatchObject({
      vlanId: 10,
      postVlanId: 20,
      dot1qPriority: 1,
      postDot1qPriority: 2,
      ipNextHopIPv4Address: '10.0.0.254',
      sourceIPv4PrefixLength: 24,
      destinationIPv4PrefixLength: 16,
      bgpNextHopIPv4Address: '192.0.2.1',
      bgpSourceAsNumber: 65001,
      bgpPeerAsNumber: 65002,
      bgpNextAdjacentAsNumber: 65010,
      bgpDestinationAsNumber: 65030,
    });
  });

  it('skips records and samples of other enterprises', () => {
    const vendor = { format: (4300 << 12) | 1, body: new Uint8Array(12) };
    const { out } = decode(datagram({ flowSamples: [{ records: [vendor, headerRecord(tcpFrame())] }] }));
    expect(out).toHaveLength(1);
  });

  it('drops what it cannot read and never throws: bad version, short datagrams, every truncation', () => {
    const stats = emptyDecodeStats();
    decode(Uint8Array.of(0, 0, 0, 4, ...new Uint8Array(40)), stats);
    expect(stats.dropped).toEqual({ 'unknown-version': 1 });
    const packet = datagram({
      counterSamples: 1,
      flowSamples: [{ records: [switchRecord(1, 2), headerRecord(tcpFrame())] }],
    });
    const counterSampleSize = 20; // written after the flow sample
    for (let length = 0; length < packet.length; length++) {
      const cut = decode(packet.subarray(0, length));
      expect(cut.out).toHaveLength(length < packet.length - counterSampleSize ? 0 : 1);
      expect(Object.keys(cut.stats.dropped).length + cut.stats.counterSamples).toBeGreaterThan(0);
    }
    expect(decode(packet).out).toHaveLength(1);
  });

  it('survives random corruption without reaching its exception guard', () => {
    const packet = datagram({
      counterSamples: 1,
      flowSamples: [
        { records: [switchRecord(1, 2), headerRecord(tcpFrame([5, 6])), routerRecord('fd00::1', 64, 64)] },
        {
          expanded: true,
          records: [
            gatewayRecord('10.0.0.1', 1, 2, 3, [4, 5]),
            sampledIpRecord({ length: 1, protocol: 6, src: '1.1.1.1', dst: '2.2.2.2', srcPort: 1, dstPort: 2 }),
          ],
        },
      ],
    });
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    const stats = emptyDecodeStats();
    for (let i = 0; i < 20_000; i++) {
      const mutated = packet.slice();
      for (let flips = 1 + (random() % 4); flips > 0; flips--) {
        const at = 8 + (random() % (mutated.length - 8)); // keep the version and agent address type
        mutated[at] = random() & 255;
      }
      decode(mutated.subarray(0, mutated.length - (random() % 8)), stats);
    }
    expect(stats.dropped['decode-error']).toBeUndefined();
    expect(stats.records).toBeGreaterThan(0);
  });
});

describe('readDatagramHeader()', () => {
  it('reads agent, sub-agent id, sequence, uptime and sample count', () => {
    const heading = readDatagramHeader(
      datagram({ agent: '30::1:1:1', subAgentId: 2, sequence: 109, uptime: 113000, counterSamples: 1 }),
    );
    expect(heading).toMatchObject({
      header: { agent: '30::1:1:1', subAgentId: 2, sequence: 109, uptime: 113000 },
      samples: 1,
    });
  });
});
