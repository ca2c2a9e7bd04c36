/**
 * Writes export datagrams as a classic pcap capture (Ethernet + IPv4 + UDP), the format `tcpdump -w` records on a
 * collector port, so real decoders (tshark, `flowmap decode`) can read what the simulator sent. Pure: returns bytes.
 * @module
 */
import { parseIpv4 } from '../../core/ip.js';

export interface CapturedDatagram {
  /** epoch ms */
  readonly time: number;
  readonly srcAddr: string;
  readonly srcPort: number;
  readonly dstAddr: string;
  readonly dstPort: number;
  readonly payload: Uint8Array;
}

const GLOBAL_HEADER = 24;
const RECORD_HEADER = 16;
const ETH = 14;
const IP = 20;
const UDP = 8;

function ipv4(text: string): number {
  const value = parseIpv4(text);
  if (value === undefined) throw new TypeError(`Cannot write "${text}" to a pcap: only IPv4 addresses are supported`);
  return value;
}

function ipChecksum(bytes: Uint8Array, start: number): number {
  let sum = 0;
  for (let i = 0; i < IP; i += 2) sum += (bytes[start + i]! << 8) | bytes[start + i + 1]!;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** a pcap file (microsecond timestamps, LINKTYPE_ETHERNET) holding the datagrams in order */
export function writePcap(datagrams: readonly CapturedDatagram[]): Uint8Array {
  let total = GLOBAL_HEADER;
  for (const d of datagrams) total += RECORD_HEADER + ETH + IP + UDP + d.payload.length;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0xa1b2c3d4, true);
  view.setUint16(4, 2, true);
  view.setUint16(6, 4, true);
  view.setUint32(16, 65535, true);
  view.setUint32(20, 1, true);
  let at = GLOBAL_HEADER;
  let ipId = 1;
  for (const d of datagrams) {
    const frameLength = ETH + IP + UDP + d.payload.length;
    view.setUint32(at, Math.floor(d.time / 1000), true);
    view.setUint32(at + 4, Math.round((d.time % 1000) * 1000), true);
    view.setUint32(at + 8, frameLength, true);
    view.setUint32(at + 12, frameLength, true);
    at += RECORD_HEADER;
    out.set([0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01], at);
    view.setUint16(at + 12, 0x0800);
    const ip = at + ETH;
    out[ip] = 0x45;
    view.setUint16(ip + 2, IP + UDP + d.payload.length);
    view.setUint16(ip + 4, ipId++ & 0xffff);
    out[ip + 8] = 64;
    out[ip + 9] = 17;
    view.setUint32(ip + 12, ipv4(d.srcAddr));
    view.setUint32(ip + 16, ipv4(d.dstAddr));
    view.setUint16(ip + 10, ipChecksum(out, ip));
    const udp = ip + IP;
    view.setUint16(udp, d.srcPort);
    view.setUint16(udp + 2, d.dstPort);
    view.setUint16(udp + 4, UDP + d.payload.length);
    out.set(d.payload, udp + UDP);
    at = udp + UDP + d.payload.length;
  }
  return out;
}
