/**
 * The flow record every decoder produces and every later stage reads.
 * @module
 */

/** which wire format a record arrived in */
export type ExportProtocol = 'netflow-v5' | 'netflow-v9' | 'ipfix' | 'sflow';

/**
 * An IP address in the form the hot path can hash cheaply:
 * IPv4 as an unsigned 32-bit number (10.0.0.1 = 0x0a000001), IPv6 as RFC 5952 text.
 * IPv4-mapped IPv6 (::ffff:a.b.c.d) is stored as the IPv4 number. See `ip.ts` to parse and format.
 */
export type IpAddress = number | string;

/** IANA protocol numbers we name; any other number passes through */
export const IP_PROTOCOL = { ICMP: 1, TCP: 6, UDP: 17, ICMPV6: 58, SCTP: 132 } as const;

/** TCP control bits as exported in IE 6 (tcpControlBits) */
export const TCP_FLAG = {
  FIN: 0x01,
  SYN: 0x02,
  RST: 0x04,
  PSH: 0x08,
  ACK: 0x10,
  URG: 0x20,
  ECE: 0x40,
  CWR: 0x80,
} as const;

/** RFC 5103 reverse direction of a biflow record */
export interface ReverseCounters {
  readonly bytes: number;
  readonly packets: number;
  /** cumulative OR of the reverse direction's flags; 0 when absent */
  readonly tcpFlags: number;
}

/**
 * One flow as one exporter reported it: not enriched, not oriented, not scaled.
 * Decoders allocate one per data record; later stages never mutate it.
 */
export interface FlowRecord {
  /** source address of the export packet (text form), the template scope */
  readonly exporter: string;
  readonly protocol: ExportProtocol;
  /** v9 source id / IPFIX observation domain / sFlow agent sub-id; 0 for v5 */
  readonly observationDomainId: number;
  /** collector clock when the export packet arrived, epoch ms */
  readonly receivedAt: number;
  /** first and last packet, epoch ms; sysUptime-relative fields already resolved; receivedAt when not exported */
  readonly start: number;
  readonly end: number;
  readonly srcAddr: IpAddress;
  readonly dstAddr: IpAddress;
  /** 0 when the protocol has no ports */
  readonly srcPort: number;
  readonly dstPort: number;
  /** IANA protocol number: 6 TCP, 17 UDP, 132 SCTP */
  readonly ipProtocol: number;
  /** cumulative OR of all packets' flags (v9/IPFIX/v5); for sFlow the sampled packet's flags; 0 when absent */
  readonly tcpFlags: number;
  /** flags of the first packet when the exporter reports them (IPFIX initialTCPFlags, YAF 6871/14) */
  readonly initialTcpFlags?: number;
  /** as exported, not scaled by sampling; always < 2^53 */
  readonly bytes: number;
  readonly packets: number;
  /** 1 when unsampled; aggregate/ scales counts by it */
  readonly samplingRate: number;
  /** IE 61 when exported */
  readonly flowDirection?: 'ingress' | 'egress';
  /** IE 239 biflowDirection when exported */
  readonly biflowDirection?: 'arbitrary' | 'initiator' | 'reverse-initiator' | 'perimeter';
  /** RFC 5103 biflow: counters of the dst -> src direction */
  readonly reverse?: ReverseCounters;
  /** NAT translations when exported (IEs 225-228, 281/282): e.g. a ClusterIP rewritten to a pod IP */
  readonly postNatSrcAddr?: IpAddress;
  readonly postNatDstAddr?: IpAddress;
  readonly postNatSrcPort?: number;
  readonly postNatDstPort?: number;
}

const PROTOCOL_NAMES: Readonly<Record<number, string>> = { 1: 'ICMP', 6: 'TCP', 17: 'UDP', 58: 'ICMPv6', 132: 'SCTP' };

/** "TCP", "UDP", ... for known numbers, else the number as text */
export function ipProtocolName(ipProtocol: number): string {
  return PROTOCOL_NAMES[ipProtocol] ?? String(ipProtocol);
}

/** the IANA number for a name ipProtocolName returns (case-insensitive) or a decimal string; undefined otherwise */
export function parseIpProtocol(text: string): number | undefined {
  const upper = text.toUpperCase();
  for (const [num, name] of Object.entries(PROTOCOL_NAMES)) if (name.toUpperCase() === upper) return Number(num);
  return /^\d{1,3}$/.test(text) && Number(text) < 256 ? Number(text) : undefined;
}
