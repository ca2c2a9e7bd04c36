/**
 * Builders for link-layer frames, IPv4/IPv6 packets (with options, extension headers, fragments) and TCP/UDP
 * segments with correct lengths and checksums. Addresses are text ("10.0.0.1", "fd00::1"); the IP version follows
 * the address form.
 * @module
 */
import { ipv6ToBytes, parseIpv4 } from '../../src/core/ip.js';

export const IPPROTO = { ICMP: 1, TCP: 6, UDP: 17, ICMPV6: 58 } as const;
export const ETHERTYPE = { IPV4: 0x0800, IPV6: 0x86dd, ARP: 0x0806, VLAN: 0x8100, QINQ: 0x88a8 } as const;

export function isIpv6(address: string): boolean {
  return address.includes(':');
}

/** 4 or 16 address bytes */
export function addressBytes(address: string): Uint8Array {
  if (isIpv6(address)) {
    const bytes = ipv6ToBytes(address);
    if (!bytes) throw new TypeError(`Cannot parse address "${address}": not IPv6`);
    return bytes;
  }
  const v4 = parseIpv4(address);
  if (v4 === undefined) throw new TypeError(`Cannot parse address "${address}": not IPv4`);
  return Uint8Array.of(v4 >>> 24, (v4 >>> 16) & 255, (v4 >>> 8) & 255, v4 & 255);
}

export function macBytes(mac: string): Uint8Array {
  const parts = mac.split(':').map((p) => Number.parseInt(p, 16));
  if (parts.length !== 6 || parts.some((p) => !(p >= 0 && p <= 255))) throw new TypeError(`Cannot parse MAC "${mac}"`);
  return Uint8Array.from(parts);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function u16(value: number): Uint8Array {
  return Uint8Array.of((value >> 8) & 255, value & 255);
}

/** the Internet checksum (RFC 1071) over the concatenation of `parts` */
export function checksum(...parts: Uint8Array[]): number {
  let sum = 0;
  for (const part of parts) {
    for (let i = 0; i < part.length; i += 2) sum += (part[i]! << 8) | (part[i + 1] ?? 0);
  }
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

function pseudoHeader(src: string, dst: string, protocol: number, length: number): Uint8Array {
  const s = addressBytes(src);
  const d = addressBytes(dst);
  if (s.length === 4) return concat(s, d, Uint8Array.of(0, protocol), u16(length));
  return concat(
    s,
    d,
    Uint8Array.of(length >>> 24, (length >>> 16) & 255, (length >>> 8) & 255, length & 255),
    Uint8Array.of(0, 0, 0, protocol),
  );
}

export interface UdpSpec {
  readonly src: string;
  readonly dst: string;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly payload: Uint8Array;
}

/** a UDP header + payload with its checksum over the pseudo header */
export function udpSegment(spec: UdpSpec): Uint8Array {
  const length = 8 + spec.payload.length;
  const segment = concat(u16(spec.srcPort), u16(spec.dstPort), u16(length), u16(0), spec.payload);
  const sum = checksum(pseudoHeader(spec.src, spec.dst, IPPROTO.UDP, length), segment) || 0xffff;
  segment.set(u16(sum), 6);
  return segment;
}

export interface TcpSpec {
  readonly src: string;
  readonly dst: string;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly seq: number;
  readonly ack: number;
  /** TCP_FLAG bits (FIN 1, SYN 2, RST 4, PSH 8, ACK 16) */
  readonly flags: number;
  readonly window?: number;
  readonly payload?: Uint8Array;
}

/** a 20-byte TCP header + payload with its checksum */
export function tcpSegment(spec: TcpSpec): Uint8Array {
  const payload = spec.payload ?? new Uint8Array(0);
  const header = new Uint8Array(20);
  const view = new DataView(header.buffer);
  view.setUint16(0, spec.srcPort);
  view.setUint16(2, spec.dstPort);
  view.setUint32(4, spec.seq >>> 0);
  view.setUint32(8, spec.ack >>> 0);
  header[12] = 5 << 4;
  header[13] = spec.flags;
  view.setUint16(14, spec.window ?? 64_240);
  const segment = concat(header, payload);
  segment.set(u16(checksum(pseudoHeader(spec.src, spec.dst, IPPROTO.TCP, segment.length), segment)), 16);
  return segment;
}

export interface Ipv4Spec {
  readonly src: string;
  readonly dst: string;
  readonly protocol: number;
  readonly payload: Uint8Array;
  readonly ttl?: number;
  readonly tos?: number;
  readonly id?: number;
  readonly dontFragment?: boolean;
  readonly moreFragments?: boolean;
  /** fragment offset in bytes (a multiple of 8) */
  readonly fragmentOffset?: number;
  /** raw IP options, padded to a multiple of 4 */
  readonly options?: Uint8Array;
}

export function ipv4Packet(spec: Ipv4Spec): Uint8Array {
  const options = spec.options ?? new Uint8Array(0);
  const optionLength = Math.ceil(options.length / 4) * 4;
  const header = new Uint8Array(20 + optionLength);
  const view = new DataView(header.buffer);
  header[0] = 0x40 | (header.length / 4);
  header[1] = spec.tos ?? 0;
  view.setUint16(2, header.length + spec.payload.length);
  view.setUint16(4, spec.id ?? 0);
  const flags = (spec.dontFragment ? 0x4000 : 0) | (spec.moreFragments ? 0x2000 : 0);
  view.setUint16(6, flags | ((spec.fragmentOffset ?? 0) / 8));
  header[8] = spec.ttl ?? 64;
  header[9] = spec.protocol;
  header.set(addressBytes(spec.src), 12);
  header.set(addressBytes(spec.dst), 16);
  header.set(options, 20);
  view.setUint16(10, checksum(header));
  return concat(header, spec.payload);
}

/** an IPv6 extension header: hop-by-hop 0, routing 43, destination options 60 (length padded to 8) */
export interface ExtensionHeader {
  readonly type: number;
  readonly body: Uint8Array;
}

export interface Ipv6Spec {
  readonly src: string;
  readonly dst: string;
  readonly nextHeader: number;
  readonly payload: Uint8Array;
  readonly hopLimit?: number;
  readonly flowLabel?: number;
  readonly trafficClass?: number;
  readonly extensionHeaders?: readonly ExtensionHeader[];
}

export function ipv6Packet(spec: Ipv6Spec): Uint8Array {
  const chain: Uint8Array[] = [];
  const headers = spec.extensionHeaders ?? [];
  headers.forEach((h, i) => {
    const next = headers[i + 1]?.type ?? spec.nextHeader;
    const length = Math.ceil((h.body.length + 2) / 8) * 8;
    const bytes = new Uint8Array(length);
    bytes[0] = next;
    bytes[1] = length / 8 - 1;
    bytes.set(h.body, 2);
    chain.push(bytes);
  });
  const body = concat(...chain, spec.payload);
  const header = new Uint8Array(40);
  const view = new DataView(header.buffer);
  const tc = spec.trafficClass ?? 0;
  view.setUint32(0, ((6 << 28) | (tc << 20) | (spec.flowLabel ?? 0)) >>> 0);
  view.setUint16(4, body.length);
  header[6] = headers[0]?.type ?? spec.nextHeader;
  header[7] = spec.hopLimit ?? 64;
  header.set(addressBytes(spec.src), 8);
  header.set(addressBytes(spec.dst), 24);
  return concat(header, body);
}

/** an IPv4 or IPv6 packet, by the form of `src` */
export function ipPacket(src: string, dst: string, protocol: number, payload: Uint8Array): Uint8Array {
  return isIpv6(src)
    ? ipv6Packet({ src, dst, nextHeader: protocol, payload })
    : ipv4Packet({ src, dst, protocol, payload });
}

/** splits an IPv4 packet (20-byte header, no options) into fragments whose payloads are at most `mtu - 20` bytes */
export function fragmentIpv4(packet: Uint8Array, mtu: number): Uint8Array[] {
  const headerLength = (packet[0]! & 15) * 4;
  const payload = packet.subarray(headerLength);
  const step = Math.floor((mtu - headerLength) / 8) * 8;
  const view = new DataView(packet.buffer, packet.byteOffset);
  const src = Array.from(packet.subarray(12, 16)).join('.');
  const dst = Array.from(packet.subarray(16, 20)).join('.');
  const out: Uint8Array[] = [];
  for (let at = 0; at < payload.length; at += step) {
    out.push(
      ipv4Packet({
        src,
        dst,
        protocol: packet[9]!,
        id: view.getUint16(4),
        ttl: packet[8]!,
        fragmentOffset: at,
        moreFragments: at + step < payload.length,
        payload: payload.subarray(at, at + step),
      }),
    );
  }
  return out;
}

/** fragments an upper-layer payload into IPv6 packets carrying a fragment header (RFC 8200 §4.5) */
export function fragmentIpv6(spec: Omit<Ipv6Spec, 'extensionHeaders'> & { id: number }, mtu: number): Uint8Array[] {
  const step = Math.floor((mtu - 48) / 8) * 8;
  const out: Uint8Array[] = [];
  for (let at = 0; at < spec.payload.length; at += step) {
    const more = at + step < spec.payload.length;
    const fragment = new Uint8Array(8);
    const view = new DataView(fragment.buffer);
    fragment[0] = spec.nextHeader;
    view.setUint16(2, at | (more ? 1 : 0));
    view.setUint32(4, spec.id >>> 0);
    out.push(ipv6Packet({ ...spec, nextHeader: 44, payload: concat(fragment, spec.payload.subarray(at, at + step)) }));
  }
  return out;
}

export interface EthernetSpec {
  readonly src?: string;
  readonly dst?: string;
  /** VLAN ids, outermost first; the outer tag of a stack uses TPID 0x88a8 (QinQ), the others 0x8100 */
  readonly vlans?: readonly number[];
  readonly etherType: number;
  readonly payload: Uint8Array;
}

export function ethernetFrame(spec: EthernetSpec): Uint8Array {
  const tags = (spec.vlans ?? []).map((vlan, i, all) =>
    concat(u16(all.length > 1 && i === 0 ? ETHERTYPE.QINQ : ETHERTYPE.VLAN), u16(vlan & 0xfff)),
  );
  return concat(
    macBytes(spec.dst ?? '02:00:00:00:00:02'),
    macBytes(spec.src ?? '02:00:00:00:00:01'),
    ...tags,
    u16(spec.etherType),
    spec.payload,
  );
}

/** wraps an IP packet in the link header of `linkType` (the LINKTYPE_* values the capture reader supports) */
export function linkFrame(linkType: number, ip: Uint8Array, options: { vlans?: readonly number[] } = {}): Uint8Array {
  const v6 = ip[0]! >> 4 === 6;
  const etherType = v6 ? ETHERTYPE.IPV6 : ETHERTYPE.IPV4;
  switch (linkType) {
    case 1:
      return ethernetFrame({ etherType, payload: ip, ...(options.vlans ? { vlans: options.vlans } : {}) });
    case 113: // Linux cooked v1: packet type, ARPHRD_ETHER, address length, address (8), protocol
      return concat(u16(0), u16(1), u16(6), macBytes('02:00:00:00:00:01'), u16(0), u16(etherType), ip);
    case 276: // Linux cooked v2: protocol, reserved, ifindex, ARPHRD_ETHER, packet type, address length, address
      return concat(
        u16(etherType),
        u16(0),
        Uint8Array.of(0, 0, 0, 2),
        u16(1),
        Uint8Array.of(0, 6),
        macBytes('02:00:00:00:00:01'),
        u16(0),
        ip,
      );
    case 0: // BSD loopback, host byte order (little-endian here); AF_INET6 = 30 as on macOS
      return concat(Uint8Array.of(v6 ? 30 : 2, 0, 0, 0), ip);
    case 108: // OpenBSD loopback, network byte order; AF_INET6 = 24
      return concat(Uint8Array.of(0, 0, 0, v6 ? 24 : 2), ip);
    case 12:
    case 14:
    case 101:
    case 228:
    case 229:
      return ip;
    default:
      throw new TypeError(`Cannot build a frame for link type "${linkType}": unsupported`);
  }
}
