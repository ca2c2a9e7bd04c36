/**
 * Synthetic traffic with its own truth: TCP conversations (handshake, request/response data both ways, FIN or RST)
 * and UDP exchanges, as timed IP packets, plus the per-direction flow counters they add up to. Feed the packets to
 * `toPcapRecords` + `writePcap` to get a capture an exporter such as softflowd can read.
 * @module
 */
import { IPPROTO, ipPacket, linkFrame, tcpSegment, udpSegment } from './packets.js';
import type { PcapRecord } from './pcap-writer.js';

/** one direction of a conversation, as a flow exporter keys it */
export interface FlowKey {
  readonly srcAddr: string;
  readonly dstAddr: string;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly protocol: number;
}

export interface TrafficPacket {
  /** epoch ms */
  readonly timestamp: number;
  /** the whole IP packet (header included) */
  readonly ip: Uint8Array;
  readonly flow: FlowKey;
  /** TCP flags of this packet, 0 for UDP */
  readonly tcpFlags: number;
}

/** what an unsampled exporter should report for one direction */
export interface FlowTruth extends FlowKey {
  readonly packets: number;
  /** sum of IP total lengths (what NetFlow octet counters count) */
  readonly bytes: number;
  /** OR of all packets' TCP flags */
  readonly tcpFlags: number;
  readonly first: number;
  readonly last: number;
}

export const TCP = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10 } as const;

export interface TcpConversationSpec {
  readonly client: string;
  readonly clientPort: number;
  readonly server: string;
  readonly serverPort: number;
  /** epoch ms of the SYN */
  readonly start: number;
  /** request and response payload sizes in bytes, one pair per exchange */
  readonly exchanges?: readonly { readonly request: number; readonly response: number }[];
  /** how the conversation ends: FIN both ways (default), a client RST, or left open */
  readonly close?: 'fin' | 'rst' | 'none';
  /** time between consecutive packets; default 1 ms */
  readonly gapMs?: number;
  /** largest TCP payload per segment; default 1400 */
  readonly mss?: number;
}

function payloadOf(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + seed) & 255;
  return bytes;
}

/** the packets of one TCP conversation in time order */
export function tcpConversation(spec: TcpConversationSpec): TrafficPacket[] {
  const gap = spec.gapMs ?? 1;
  const mss = spec.mss ?? 1400;
  const packets: TrafficPacket[] = [];
  const c = {
    addr: spec.client,
    port: spec.clientPort,
    seq: 1000,
    key: key(spec.client, spec.server, spec.clientPort, spec.serverPort, IPPROTO.TCP),
  };
  const s = {
    addr: spec.server,
    port: spec.serverPort,
    seq: 5000,
    key: key(spec.server, spec.client, spec.serverPort, spec.clientPort, IPPROTO.TCP),
  };
  let time = spec.start;
  const send = (from: typeof c, to: typeof c, flags: number, length = 0) => {
    const payload = payloadOf(length, from.seq);
    const ack = flags & TCP.ACK ? to.seq : 0;
    const segment = tcpSegment({
      src: from.addr,
      dst: to.addr,
      srcPort: from.port,
      dstPort: to.port,
      seq: from.seq,
      ack,
      flags,
      payload,
    });
    from.seq = (from.seq + length + (flags & (TCP.SYN | TCP.FIN) ? 1 : 0)) >>> 0;
    packets.push({
      timestamp: time,
      ip: ipPacket(from.addr, to.addr, IPPROTO.TCP, segment),
      flow: from.key,
      tcpFlags: flags,
    });
    time += gap;
  };
  const data = (from: typeof c, to: typeof c, total: number) => {
    for (let sent = 0; sent < total; ) {
      const length = Math.min(mss, total - sent);
      sent += length;
      send(from, to, TCP.ACK | (sent === total ? TCP.PSH : 0), length);
    }
  };
  send(c, s, TCP.SYN);
  send(s, c, TCP.SYN | TCP.ACK);
  send(c, s, TCP.ACK);
  for (const exchange of spec.exchanges ?? []) {
    data(c, s, exchange.request);
    data(s, c, exchange.response);
    send(c, s, TCP.ACK);
  }
  const close = spec.close ?? 'fin';
  if (close === 'fin') {
    send(c, s, TCP.FIN | TCP.ACK);
    send(s, c, TCP.FIN | TCP.ACK);
    send(c, s, TCP.ACK);
  } else if (close === 'rst') {
    send(c, s, TCP.RST | TCP.ACK);
  }
  return packets;
}

export interface UdpExchangeSpec {
  readonly a: string;
  readonly aPort: number;
  readonly b: string;
  readonly bPort: number;
  readonly start: number;
  /** datagrams in order: who sends, and the payload size */
  readonly messages: readonly { readonly from: 'a' | 'b'; readonly bytes: number }[];
  readonly gapMs?: number;
}

/** the packets of a UDP exchange (DNS-like request/response, or a one-way stream) */
export function udpExchange(spec: UdpExchangeSpec): TrafficPacket[] {
  const gap = spec.gapMs ?? 1;
  return spec.messages.map((message, i) => {
    const [src, dst, srcPort, dstPort] =
      message.from === 'a' ? [spec.a, spec.b, spec.aPort, spec.bPort] : [spec.b, spec.a, spec.bPort, spec.aPort];
    const segment = udpSegment({ src, dst, srcPort, dstPort, payload: payloadOf(message.bytes, i) });
    return {
      timestamp: spec.start + i * gap,
      ip: ipPacket(src, dst, IPPROTO.UDP, segment),
      flow: key(src, dst, srcPort, dstPort, IPPROTO.UDP),
      tcpFlags: 0,
    };
  });
}

function key(srcAddr: string, dstAddr: string, srcPort: number, dstPort: number, protocol: number): FlowKey {
  return { srcAddr, dstAddr, srcPort, dstPort, protocol };
}

/** merges several packet lists into one, ordered by time (stable for equal times) */
export function mergeTraffic(...lists: readonly (readonly TrafficPacket[])[]): TrafficPacket[] {
  return lists.flat().sort((x, y) => x.timestamp - y.timestamp);
}

/** `src|dst|srcPort|dstPort|protocol`, a stable text key for a FlowKey */
export function flowKeyText(k: FlowKey): string {
  return `${k.srcAddr}|${k.dstAddr}|${k.srcPort}|${k.dstPort}|${k.protocol}`;
}

/** per-direction counters of `packets`, keyed by flowKeyText */
export function flowTruth(packets: readonly TrafficPacket[]): Map<string, FlowTruth> {
  const out = new Map<string, FlowTruth>();
  for (const p of packets) {
    const k = flowKeyText(p.flow);
    const bytes = p.ip.length;
    const prev = out.get(k);
    out.set(
      k,
      prev
        ? {
            ...prev,
            packets: prev.packets + 1,
            bytes: prev.bytes + bytes,
            tcpFlags: prev.tcpFlags | p.tcpFlags,
            last: p.timestamp,
          }
        : { ...p.flow, packets: 1, bytes, tcpFlags: p.tcpFlags, first: p.timestamp, last: p.timestamp },
    );
  }
  return out;
}

/** frames for a capture file: each IP packet wrapped for `linkType` (default Ethernet) */
export function toPcapRecords(packets: readonly TrafficPacket[], linkType = 1): PcapRecord[] {
  return packets.map((p) => ({ timestamp: p.timestamp, data: linkFrame(linkType, p.ip) }));
}
