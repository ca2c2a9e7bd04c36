/**
 * Overlay frames for tests: node 192.168.10.11 -> 192.168.10.12 carrying pod 10.244.1.5:43210 -> 10.244.2.9:8080
 * (TCP SYN) in VXLAN or Geneve. Not used by production code.
 * @module
 */
import { ETHERTYPE, ethernetFrame, ipv4Packet, tcpSegment, udpSegment } from './packets.js';

export interface OverlaySpec {
  readonly type: 'vxlan' | 'geneve';
  /** UDP destination port of the tunnel */
  readonly port: number;
  readonly vni: number;
  /** Geneve option length in 4-byte words */
  readonly geneveOptionWords?: number;
  /** the inner Ethernet frame; default the pods' TCP SYN above */
  readonly inner?: Uint8Array;
}

/** the outer Ethernet frame and the offset of the inner Ethernet header in it */
export function overlayFrame(spec: OverlaySpec): { bytes: Uint8Array; innerAt: number } {
  const inner = spec.inner ?? podSyn();
  const vni = [(spec.vni >>> 16) & 255, (spec.vni >>> 8) & 255, spec.vni & 255];
  const words = spec.geneveOptionWords ?? 0;
  const header =
    spec.type === 'vxlan'
      ? [0x08, 0, 0, 0, ...vni, 0]
      : [words & 0x3f, 0, 0x65, 0x58, ...vni, 0, ...new Array<number>(words * 4).fill(0)];
  const payload = Uint8Array.from([...header, ...inner]);
  const udp = udpSegment({ src: '192.168.10.11', dst: '192.168.10.12', srcPort: 51_000, dstPort: spec.port, payload });
  const ip = ipv4Packet({ src: '192.168.10.11', dst: '192.168.10.12', protocol: 17, payload: udp });
  const bytes = ethernetFrame({
    src: '02:00:00:00:0a:0b',
    dst: '02:00:00:00:0a:0c',
    etherType: ETHERTYPE.IPV4,
    payload: ip,
  });
  return { bytes, innerAt: 14 + 20 + 8 + header.length };
}

function podSyn(): Uint8Array {
  return ethernetFrame({
    src: '0a:58:0a:f4:01:05',
    dst: '0a:58:0a:f4:02:09',
    etherType: ETHERTYPE.IPV4,
    payload: ipv4Packet({
      src: '10.244.1.5',
      dst: '10.244.2.9',
      protocol: 6,
      payload: tcpSegment({
        src: '10.244.1.5',
        dst: '10.244.2.9',
        srcPort: 43_210,
        dstPort: 8080,
        seq: 1,
        ack: 0,
        flags: 2,
      }),
    }),
  });
}
