/**
 * Conversations and what happens on them: TCP handshakes, requests and responses, closes, DNS exchanges. Each is
 * turned into activities (a few packets in one direction at one time) that exporters observe and the truth counts.
 * @module
 */
import { TCP_FLAG } from '../../core/flow.js';
import type { SimPod, SimService } from '../cluster/index.js';

/** one side of a conversation */
export type Party = { readonly kind: 'pod'; readonly pod: SimPod } | { readonly kind: 'external'; readonly ip: string };

/** one transport conversation (a 5-tuple) between a client and a server */
export interface Connection {
  readonly id: number;
  readonly ipProtocol: number;
  readonly client: Party;
  readonly server: Party;
  readonly clientIp: string;
  readonly clientPort: number;
  /** the server's own address and port (after DNAT) */
  readonly serverIp: string;
  readonly serverPort: number;
  /** set when the client addressed a Service's ClusterIP:port (before DNAT) */
  readonly service?: { readonly service: SimService; readonly ip: string; readonly port: number };
  readonly opened: number;
  /** false for connections that were already open when the simulation started */
  readonly handshake: boolean;
  readonly expiresAt: number;
  closed: boolean;
}

/** packets sent in one direction at one time */
export interface Activity {
  readonly at: number;
  readonly conn: Connection;
  readonly toServer: boolean;
  readonly packets: number;
  readonly bytes: number;
  /** OR of the TCP flags of these packets; 0 for UDP */
  readonly flags: number;
}

const MSS = 1448;
const TCP_HEADERS = 52;
const UDP_HEADERS = 28;
const { SYN, ACK, PSH, FIN } = TCP_FLAG;

/** the three-way handshake starting at `at`; `rtt` ms later the SYN-ACK, then the client's ACK */
export function handshake(conn: Connection, at: number, rtt: number): Activity[] {
  return [
    { at, conn, toServer: true, packets: 1, bytes: 60, flags: SYN },
    { at: at + rtt, conn, toServer: false, packets: 1, bytes: 60, flags: SYN | ACK },
    { at: at + rtt, conn, toServer: true, packets: 1, bytes: TCP_HEADERS, flags: ACK },
  ];
}

function segment(conn: Connection, at: number, toServer: boolean, payload: number): Activity {
  const packets = Math.max(1, Math.ceil(payload / MSS));
  return { at, conn, toServer, packets, bytes: payload + packets * TCP_HEADERS, flags: ACK | PSH };
}

/** a request and its response; the receiver's ACKs ride with its own data or come as one extra packet */
export function exchange(conn: Connection, at: number, request: number, response: number, latency: number): Activity[] {
  const req = segment(conn, at, true, request);
  const resp = segment(conn, at + latency, false, response);
  const acks = Math.floor(resp.packets / 2);
  const out = [req, resp];
  if (acks > 0)
    out.push({ at: at + latency, conn, toServer: true, packets: acks, bytes: acks * TCP_HEADERS, flags: ACK });
  return out;
}

/** an orderly close: FIN from the client, FIN from the server, last ACK */
export function close(conn: Connection, at: number, rtt: number): Activity[] {
  return [
    { at, conn, toServer: true, packets: 1, bytes: TCP_HEADERS, flags: FIN | ACK },
    { at: at + rtt, conn, toServer: false, packets: 1, bytes: TCP_HEADERS, flags: FIN | ACK },
    { at: at + rtt, conn, toServer: true, packets: 1, bytes: TCP_HEADERS, flags: ACK },
  ];
}

/** a UDP exchange: `queries` datagrams out, as many back (DNS: A and AAAA from one socket) */
export function datagrams(
  conn: Connection,
  at: number,
  queries: number,
  request: number,
  response: number,
  latency: number,
) {
  return [
    { at, conn, toServer: true, packets: queries, bytes: queries * (request + UDP_HEADERS), flags: 0 },
    { at: at + latency, conn, toServer: false, packets: queries, bytes: queries * (response + UDP_HEADERS), flags: 0 },
  ] satisfies Activity[];
}

/**
 * Many exchanges on one pooled connection within a step, as few activities: the first exchange as is, the others
 * merged per direction and flags at the last exchange's times (exporters only see per-flow sums and first/last).
 */
export function coalesce(conn: Connection, first: Activity[], rest: readonly Activity[][]): Activity[] {
  if (rest.length === 0) return first;
  const last = rest[rest.length - 1]!;
  const merged = new Map<string, { packets: number; bytes: number; flags: number; toServer: boolean }>();
  for (const acts of rest) {
    for (const a of acts) {
      const key = `${a.toServer}|${a.flags}`;
      const m = merged.get(key);
      if (m) {
        m.packets += a.packets;
        m.bytes += a.bytes;
      } else merged.set(key, { packets: a.packets, bytes: a.bytes, flags: a.flags, toServer: a.toServer });
    }
  }
  const out = [...first];
  for (const m of merged.values()) {
    const at = last.find((a) => a.toServer === m.toServer)?.at ?? last[0]!.at;
    out.push({ at, conn, toServer: m.toServer, packets: m.packets, bytes: m.bytes, flags: m.flags });
  }
  return out;
}
