import { describe, expect, it } from 'vitest';
import { overlayFrame } from '../../../test/tools/overlay.js';
import {
  ETHERTYPE,
  ethernetFrame,
  ipv4Packet,
  ipv6Packet,
  tcpSegment,
  udpSegment,
} from '../../../test/tools/packets.js';
import type { FlowRecord } from '../../core/flow.js';
import { formatIp } from '../../core/ip.js';
import { type DecodedFields, emptyDecodeStats } from '../contracts.js';
import { decodeSflow } from './index.js';
import { encodeSflowDatagram, headerRecord } from './testing.js';

function decode(header: Uint8Array, frameLength: number) {
  const out: FlowRecord[] = [];
  const fields: DecodedFields[] = [];
  const packet = encodeSflowDatagram({
    agent: '172.16.0.3',
    flowSamples: [{ samplingRate: 512, records: [headerRecord(header, { frameLength })] }],
  });
  decodeSflow(packet, { exporter: '172.16.0.3', receivedAt: 1_700_000_000_000, out, fields }, emptyDecodeStats());
  return { record: out[0], fields: fields[0]?.fields };
}

describe('sFlow samples of overlay traffic', () => {
  it.each([
    ['VXLAN on the IANA port', 'vxlan', 4789],
    ["VXLAN on the Linux kernel's port (flannel)", 'vxlan', 8472],
    ['Geneve with options', 'geneve', 6081],
  ] as const)('%s: describes the pods inside, keeps the nodes and the VNI aside', (_name, type, port) => {
    const frame = overlayFrame({ type, port, vni: 4242, geneveOptionWords: type === 'geneve' ? 2 : 0 });
    const { record, fields } = decode(frame.bytes, frame.bytes.length + 4);
    expect(record).toMatchObject({
      srcAddr: 0x0af40105, // 10.244.1.5
      dstAddr: 0x0af40209, // 10.244.2.9
      srcPort: 43_210,
      dstPort: 8080,
      ipProtocol: 6,
      tcpFlags: 0x02,
      // the inner Ethernet frame (+ the 4 FCS bytes the agent counted), not the tunnel's overhead
      bytes: frame.bytes.length + 4 - frame.innerAt,
      samplingRate: 512,
    });
    expect(fields).toMatchObject({
      tunnelType: type,
      tunnelSourceAddress: '192.168.10.11',
      tunnelDestinationAddress: '192.168.10.12',
      tunnelNetworkId: 4242,
      sourceIPv4Address: '10.244.1.5',
      destinationIPv4Address: '10.244.2.9',
      sourceTransportPort: 43_210,
      destinationTransportPort: 8080,
      // the wire: the outer frame's MACs
      sourceMacAddress: '02:00:00:00:0a:0b',
    });
  });

  it('keeps the outer packet when the sample was cut before the inner IP header, or the port is not a tunnel', () => {
    const frame = overlayFrame({ type: 'vxlan', port: 4789, vni: 1 });
    const cut = decode(frame.bytes.subarray(0, frame.innerAt + 20), frame.bytes.length + 4).record!;
    expect([formatIp(cut.srcAddr), formatIp(cut.dstAddr), cut.dstPort, cut.ipProtocol]).toEqual([
      '192.168.10.11',
      '192.168.10.12',
      4789,
      17,
    ]);
    const other = overlayFrame({ type: 'vxlan', port: 4790, vni: 1 });
    const plain = decode(other.bytes, other.bytes.length).record!;
    expect([formatIp(plain.srcAddr), plain.dstPort]).toEqual(['192.168.10.11', 4790]);
  });

  it('keeps the outer packet when an inner IPv6 header was cut short, and reads a whole one', () => {
    const v6 = ethernetFrame({
      etherType: ETHERTYPE.IPV6,
      payload: ipv6Packet({ src: 'fd00::1', dst: 'fd00::2', nextHeader: 58, payload: Uint8Array.from([128, 0, 0, 0]) }),
    });
    const frame = overlayFrame({ type: 'vxlan', port: 4789, vni: 1, inner: v6 });
    const cut = decode(frame.bytes.subarray(0, frame.innerAt + 14 + 30), frame.bytes.length).record!;
    expect([formatIp(cut.srcAddr), cut.dstPort, cut.ipProtocol]).toEqual(['192.168.10.11', 4789, 17]);
    const whole = decode(frame.bytes, frame.bytes.length);
    expect([formatIp(whole.record!.srcAddr), whole.record!.ipProtocol]).toEqual(['fd00::1', 58]);
    expect(whole.fields).toMatchObject({ tunnelType: 'vxlan', icmpTypeIPv6: 128 });
  });

  it('keeps the outer packet when the VXLAN header lacks its I flag', () => {
    const frame = overlayFrame({ type: 'vxlan', port: 4789, vni: 1 });
    const bytes = frame.bytes.slice();
    bytes[frame.innerAt - 8] = 0; // flags
    expect(formatIp(decode(bytes, bytes.length).record!.srcAddr)).toBe('192.168.10.11');
  });

  it('opens one level only: a tunnel inside a tunnel is the inner UDP packet', () => {
    const innerTunnel = overlayFrame({ type: 'vxlan', port: 4789, vni: 7 });
    const outerIp = ipv4Packet({
      src: '192.168.20.1',
      dst: '192.168.20.2',
      protocol: 17,
      payload: udpSegment({
        src: '192.168.20.1',
        dst: '192.168.20.2',
        srcPort: 50_000,
        dstPort: 4789,
        payload: Uint8Array.from([0x08, 0, 0, 0, 0, 0, 9, 0, ...innerTunnel.bytes]),
      }),
    });
    const bytes = ethernetFrame({ etherType: ETHERTYPE.IPV4, payload: outerIp });
    const { record } = decode(bytes, bytes.length);
    expect([formatIp(record!.srcAddr), record!.dstPort]).toEqual(['192.168.10.11', 4789]);
  });

  it('leaves plain TCP alone', () => {
    const bytes = ethernetFrame({
      etherType: ETHERTYPE.IPV4,
      payload: ipv4Packet({
        src: '10.0.0.1',
        dst: '10.0.0.2',
        protocol: 6,
        payload: tcpSegment({ src: '10.0.0.1', dst: '10.0.0.2', srcPort: 1, dstPort: 4789, seq: 0, ack: 0, flags: 2 }),
      }),
    });
    const { record, fields } = decode(bytes, bytes.length);
    expect(formatIp(record!.srcAddr)).toBe('10.0.0.1');
    expect(fields).not.toHaveProperty('tunnelType');
  });
});
