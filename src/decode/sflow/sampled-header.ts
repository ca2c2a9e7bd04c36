/**
 * Parses the first bytes of a sampled packet (sFlow raw packet header record): Ethernet with any VLAN stack, IPv4
 * or IPv6 (extension headers skipped), then TCP/UDP/SCTP ports, TCP flags or ICMP type/code. Headers are cut at the
 * sampled length, so every layer is optional: what is missing stays at its "absent" value.
 * Overlay tunnels are opened: a UDP packet to a VXLAN port (4789, or 8472, the Linux kernel's and flannel's
 * default) or the Geneve port (6081) that holds an Ethernet frame is described by that inner frame (the pods'
 * addresses and ports, not the nodes'), with the outer addresses and the VNI kept in the `tunnel*` fields.
 * @module
 */
import type { IpAddress } from '../../core/flow.js';
import { ipv6FromBytes } from '../../core/ip.js';

/** what one sampled packet says about itself; -1 marks absent numbers */
export interface PacketInfo {
  ipVersion: 0 | 4 | 6;
  srcAddr: IpAddress;
  dstAddr: IpAddress;
  protocol: number;
  srcPort: number;
  dstPort: number;
  tcpFlags: number;
  tos: number;
  ttl: number;
  /** IPv4 total length / IPv6 payload length + 40 */
  ipLength: number;
  fragmentId: number;
  flowLabel: number;
  icmpType: number;
  icmpCode: number;
  etherType: number;
  /** offset of the destination MAC in `frame` (source MAC follows), -1 without an Ethernet header */
  macAt: number;
  /** outer and inner VLAN ids from 802.1Q/802.1ad tags in the frame */
  vlan: number;
  innerVlan: number;
  frame: Uint8Array | undefined;
  /** 0 none, 1 VXLAN, 2 Geneve: the IP fields above then describe the inner packet */
  tunnelType: 0 | 1 | 2;
  /** outer (node) addresses of a tunnelled packet */
  tunnelSrcAddr: IpAddress;
  tunnelDstAddr: IpAddress;
  /** VXLAN / Geneve virtual network identifier, -1 when not tunnelled */
  vni: number;
  /** bytes of outer headers in front of the inner Ethernet frame (0 when not tunnelled) */
  encapsulation: number;
}

export function emptyPacketInfo(): PacketInfo {
  return {
    ipVersion: 0,
    srcAddr: 0,
    dstAddr: 0,
    protocol: 0,
    srcPort: 0,
    dstPort: 0,
    tcpFlags: 0,
    tos: -1,
    ttl: -1,
    ipLength: -1,
    fragmentId: -1,
    flowLabel: -1,
    icmpType: -1,
    icmpCode: -1,
    etherType: -1,
    macAt: -1,
    vlan: -1,
    innerVlan: -1,
    frame: undefined,
    tunnelType: 0,
    tunnelSrcAddr: 0,
    tunnelDstAddr: 0,
    vni: -1,
    encapsulation: 0,
  };
}

/** sFlow header_protocol values this parser understands */
export const HEADER_PROTOCOL = { ETHERNET: 1, IPV4: 11, IPV6: 12 } as const;

const VLAN_TAGS = new Set([0x8100, 0x88a8, 0x9100, 0x9200]);

/** UDP destination ports whose payload is a VXLAN header and an Ethernet frame */
export const VXLAN_PORTS: ReadonlySet<number> = new Set([4789, 8472]);
export const GENEVE_PORT = 6081;
const ETHERNET_IN_GENEVE = 0x6558;

/** fills `info` from a sampled header of `protocol`; unknown protocols leave it empty */
export function parseSampledHeader(protocol: number, h: Uint8Array, info: PacketInfo): void {
  info.frame = h;
  if (protocol === HEADER_PROTOCOL.ETHERNET) parseEthernet(h, 0, info);
  else if (protocol === HEADER_PROTOCOL.IPV4) parseIpv4(h, 0, info);
  else if (protocol === HEADER_PROTOCOL.IPV6) parseIpv6(h, 0, info);
}

/** an Ethernet frame at `start`; the MACs, VLANs and EtherType recorded are the outer frame's */
function parseEthernet(h: Uint8Array, start: number, info: PacketInfo): void {
  if (h.length < start + 14) return;
  const outer = info.tunnelType === 0;
  if (outer) info.macAt = start;
  let at = start + 12;
  let type = (h[at]! << 8) | h[at + 1]!;
  while (VLAN_TAGS.has(type) && h.length >= at + 6) {
    const vlan = ((h[at + 2]! << 8) | h[at + 3]!) & 0xfff;
    if (outer && info.vlan < 0) info.vlan = vlan;
    else if (outer && info.innerVlan < 0) info.innerVlan = vlan;
    at += 4;
    type = (h[at]! << 8) | h[at + 1]!;
  }
  if (outer) info.etherType = type;
  if (type === 0x0800) parseIpv4(h, at + 2, info);
  else if (type === 0x86dd) parseIpv6(h, at + 2, info);
}

function parseIpv4(h: Uint8Array, at: number, info: PacketInfo): void {
  if (h.length < at + 20 || h[at]! >> 4 !== 4) return;
  const headerLength = (h[at]! & 15) * 4;
  if (headerLength < 20) return;
  info.ipVersion = 4;
  info.tos = h[at + 1]!;
  info.ipLength = (h[at + 2]! << 8) | h[at + 3]!;
  info.fragmentId = (h[at + 4]! << 8) | h[at + 5]!;
  info.ttl = h[at + 8]!;
  info.protocol = h[at + 9]!;
  info.srcAddr = ((h[at + 12]! << 24) | (h[at + 13]! << 16) | (h[at + 14]! << 8) | h[at + 15]!) >>> 0;
  info.dstAddr = ((h[at + 16]! << 24) | (h[at + 17]! << 16) | (h[at + 18]! << 8) | h[at + 19]!) >>> 0;
  const fragmentOffset = ((h[at + 6]! << 8) | h[at + 7]!) & 0x1fff;
  if (fragmentOffset === 0) parseTransport(h, at + headerLength, info);
}

function parseIpv6(h: Uint8Array, at: number, info: PacketInfo): void {
  if (h.length < at + 40 || h[at]! >> 4 !== 6) return;
  info.ipVersion = 6;
  info.tos = ((h[at]! & 15) << 4) | (h[at + 1]! >> 4);
  info.flowLabel = ((h[at + 1]! & 15) << 16) | (h[at + 2]! << 8) | h[at + 3]!;
  info.ipLength = ((h[at + 4]! << 8) | h[at + 5]!) + 40;
  info.ttl = h[at + 7]!;
  info.srcAddr = ipv6FromBytes(h, at + 8);
  info.dstAddr = ipv6FromBytes(h, at + 24);
  let next = h[at + 6]!;
  let l4 = at + 40;
  // hop-by-hop, routing, destination options, AH, fragment
  while (next === 0 || next === 43 || next === 60 || next === 51 || next === 44) {
    if (h.length < l4 + 8) {
      info.protocol = next;
      return;
    }
    if (next === 44) {
      info.fragmentId = ((h[l4 + 4]! << 24) | (h[l4 + 5]! << 16) | (h[l4 + 6]! << 8) | h[l4 + 7]!) >>> 0;
      const notFirst = ((h[l4 + 2]! << 8) | h[l4 + 3]!) & 0xfff8;
      next = h[l4]!;
      l4 += 8;
      if (notFirst) {
        info.protocol = next;
        return;
      }
      continue;
    }
    const length = next === 51 ? (h[l4 + 1]! + 2) * 4 : (h[l4 + 1]! + 1) * 8;
    next = h[l4]!;
    l4 += length;
  }
  info.protocol = next;
  parseTransport(h, l4, info);
}

function parseTransport(h: Uint8Array, at: number, info: PacketInfo): void {
  const protocol = info.protocol;
  if (protocol === 6 || protocol === 17 || protocol === 132) {
    if (h.length < at + 4) return;
    info.srcPort = (h[at]! << 8) | h[at + 1]!;
    info.dstPort = (h[at + 2]! << 8) | h[at + 3]!;
    if (protocol === 6 && h.length >= at + 14) info.tcpFlags = h[at + 13]!;
    if (protocol === 17 && info.tunnelType === 0) openTunnel(h, at + 8, info);
  } else if (protocol === 1 || protocol === 58) {
    if (h.length < at + 2) return;
    info.icmpType = h[at]!;
    info.icmpCode = h[at + 1]!;
  }
}

/**
 * `at`: the UDP payload. A VXLAN header (I flag set) or a Geneve header carrying Ethernet, followed by an inner
 * Ethernet frame whose IP header was sampled whole: the packet is described by the inner frame from then on (one level: tunnels inside
 * tunnels stay closed). Anything else leaves `info` as the outer UDP packet.
 */
function openTunnel(h: Uint8Array, at: number, info: PacketInfo): void {
  let inner: number;
  let type: 1 | 2;
  let vni: number;
  if (VXLAN_PORTS.has(info.dstPort)) {
    if (h.length < at + 8 || (h[at]! & 0x08) === 0) return;
    type = 1;
    vni = (h[at + 4]! << 16) | (h[at + 5]! << 8) | h[at + 6]!;
    inner = at + 8;
  } else if (info.dstPort === GENEVE_PORT) {
    if (h.length < at + 8 || h[at]! >> 6 !== 0 || ((h[at + 2]! << 8) | h[at + 3]!) !== ETHERNET_IN_GENEVE) return;
    type = 2;
    vni = (h[at + 4]! << 16) | (h[at + 5]! << 8) | h[at + 6]!;
    inner = at + 8 + (h[at]! & 0x3f) * 4;
  } else return;
  const packet = emptyPacketInfo();
  packet.tunnelType = type; // parsed as an inner frame: no MACs or VLANs recorded, no tunnel opened inside
  parseEthernet(h, inner, packet);
  if (packet.ipVersion === 0) return; // no inner IP header sampled: keep the outer packet
  info.tunnelType = type;
  info.tunnelSrcAddr = info.srcAddr;
  info.tunnelDstAddr = info.dstAddr;
  info.vni = vni;
  info.encapsulation = inner;
  // the inner packet's IP and transport fields (the outer frame's MACs, VLANs and EtherType stay)
  info.ipVersion = packet.ipVersion;
  info.srcAddr = packet.srcAddr;
  info.dstAddr = packet.dstAddr;
  info.protocol = packet.protocol;
  info.srcPort = packet.srcPort;
  info.dstPort = packet.dstPort;
  info.tcpFlags = packet.tcpFlags;
  info.tos = packet.tos;
  info.ttl = packet.ttl;
  info.ipLength = packet.ipLength;
  info.fragmentId = packet.fragmentId;
  info.flowLabel = packet.flowLabel;
  info.icmpType = packet.icmpType;
  info.icmpCode = packet.icmpCode;
}
