/**
 * Finds the IP header inside a captured frame for the link types flow collectors see in practice.
 * @module
 */

/** LINKTYPE_* numbers from the tcpdump.org registry */
export const LINK_TYPE = {
  NULL: 0,
  ETHERNET: 1,
  RAW_DLT12: 12,
  RAW_DLT14: 14,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
/** 802.1Q, 802.1ad (QinQ) and the two pre-standard QinQ tags */
const VLAN_TAGS = new Set([0x8100, 0x88a8, 0x9100, 0x9200]);

/** where the IP header of a frame starts: the offset, set by locateNetworkLayer */
export interface NetworkLocation {
  offset: number;
}

/**
 * The IP version of `frame` (4 or 6; 0 = not IP, -1 = unsupported link type, -2 = frame too short for its link
 * header); `out.offset` receives the offset of the IP header.
 */
export function locateNetworkLayer(frame: Uint8Array, linkType: number, out: NetworkLocation): number {
  out.offset = 0;
  switch (linkType) {
    case LINK_TYPE.ETHERNET:
      return etherTypeChain(frame, 12, out);
    case LINK_TYPE.LINUX_SLL:
      return etherTypeChain(frame, 14, out);
    case LINK_TYPE.LINUX_SLL2:
      if (frame.length < 20) return -2;
      out.offset = 20;
      return fromEtherType((frame[0]! << 8) | frame[1]!, frame, out);
    case LINK_TYPE.NULL:
    case LINK_TYPE.LOOP:
      return loopback(frame, out);
    case LINK_TYPE.RAW:
    case LINK_TYPE.RAW_DLT12:
    case LINK_TYPE.RAW_DLT14:
    case LINK_TYPE.IPV4:
    case LINK_TYPE.IPV6:
      return fromVersionNibble(frame, 0, out);
    default:
      return -1;
  }
}

/** reads the EtherType at `at`, skipping any stack of VLAN tags, then places the IP header after it */
function etherTypeChain(frame: Uint8Array, at: number, out: NetworkLocation): number {
  let typeAt = at;
  if (frame.length < typeAt + 2) return -2;
  let type = (frame[typeAt]! << 8) | frame[typeAt + 1]!;
  while (VLAN_TAGS.has(type)) {
    typeAt += 4;
    if (frame.length < typeAt + 2) return -2;
    type = (frame[typeAt]! << 8) | frame[typeAt + 1]!;
  }
  out.offset = typeAt + 2;
  return fromEtherType(type, frame, out);
}

function fromEtherType(type: number, frame: Uint8Array, out: NetworkLocation): number {
  if (type === ETHERTYPE_IPV4 || type === ETHERTYPE_IPV6) return fromVersionNibble(frame, out.offset, out);
  return 0;
}

/** BSD loopback: a 4-byte address family in the capturing host's byte order (NULL) or network order (LOOP) */
function loopback(frame: Uint8Array, out: NetworkLocation): number {
  if (frame.length < 4) return -2;
  const le = frame[0]! | (frame[1]! << 8) | (frame[2]! << 16) | (frame[3]! << 24);
  const be = (frame[0]! << 24) | (frame[1]! << 16) | (frame[2]! << 8) | frame[3]!;
  const family = le >>> 16 === 0 ? le : be;
  // AF_INET is 2 everywhere; AF_INET6 is 24 (NetBSD/OpenBSD), 28 (FreeBSD), 30 (macOS), 10 (Linux)
  if (family === 2 || family === 24 || family === 28 || family === 30 || family === 10) {
    return fromVersionNibble(frame, 4, out);
  }
  return 0;
}

function fromVersionNibble(frame: Uint8Array, at: number, out: NetworkLocation): number {
  out.offset = at;
  if (frame.length <= at) return -2;
  const version = frame[at]! >> 4;
  return version === 4 || version === 6 ? version : 0;
}
