/**
 * Test helpers for the flow stages: terse FlowRecords and a small static MetadataIndex.
 * Never imported by production code.
 * @module
 */
import type { OrientedFlow } from '../core/conversation.js';
import type { DeclaredPort, Endpoint } from '../core/endpoint.js';
import { UNKNOWN_ENDPOINT } from '../core/endpoint.js';
import type { FlowRecord, IpAddress } from '../core/flow.js';
import { parseIp } from '../core/ip.js';
import type { MetadataIndex } from '../enrich/contracts.js';

/** a FlowRecord from `src`/`dst` written "addr:port" (IPv6 as "[addr]:port"); everything else defaults */
export function rec(
  src: string,
  dst: string,
  fields: Partial<Omit<FlowRecord, 'srcAddr' | 'dstAddr' | 'srcPort' | 'dstPort'>> = {},
): FlowRecord {
  const [srcAddr, srcPort] = hostPort(src);
  const [dstAddr, dstPort] = hostPort(dst);
  const start = fields.start ?? 1_000_000;
  return {
    exporter: '192.0.2.1',
    protocol: 'netflow-v9',
    observationDomainId: 0,
    receivedAt: fields.end ?? start,
    end: start,
    ipProtocol: 6,
    tcpFlags: 0x18,
    bytes: 1000,
    packets: 10,
    samplingRate: 1,
    ...fields,
    start,
    srcAddr,
    dstAddr,
    srcPort,
    dstPort,
  };
}

function hostPort(text: string): [IpAddress, number] {
  const v6 = /^\[(.+)\]:(\d+)$/.exec(text);
  const [host, port] = v6
    ? [v6[1]!, v6[2]!]
    : [text.slice(0, text.lastIndexOf(':')), text.slice(text.lastIndexOf(':') + 1)];
  const addr = parseIp(host);
  if (addr === undefined) throw new TypeError(`Cannot parse address "${text}": not an IP`);
  return [addr, Number(port)];
}

export interface FakePod {
  readonly ip: string;
  readonly namespace: string;
  readonly name: string;
  readonly workload?: { readonly kind: string; readonly name: string };
  readonly ports?: readonly DeclaredPort[];
  /** host-network pods answer only for their node IP with a declared port */
  readonly hostNetwork?: boolean;
}

export interface FakeService {
  readonly ip: string;
  readonly namespace: string;
  readonly name: string;
  readonly ports: readonly DeclaredPort[];
  /** pod IPs backing the Service */
  readonly backends: readonly string[];
}

export interface FakeCluster {
  readonly pods?: readonly FakePod[];
  readonly services?: readonly FakeService[];
  readonly nodes?: readonly { readonly ip: string; readonly name: string }[];
  readonly externals?: readonly { readonly ip: string; readonly label?: string; readonly asn?: number }[];
}

/** a MetadataIndex over a fixed cluster; endpoints are shared objects, times are ignored */
export function createFakeIndex(cluster: FakeCluster): MetadataIndex & { readonly lookups: number } {
  const byIp = new Map<IpAddress, Endpoint>();
  const hostPorts = new Map<IpAddress, Endpoint[]>();
  const backends = new Map<Endpoint, Set<IpAddress>>();
  const ip = (text: string) => parseIp(text)!;
  for (const n of cluster.nodes ?? []) byIp.set(ip(n.ip), Object.freeze({ kind: 'node', name: n.name }));
  for (const p of cluster.pods ?? []) {
    const workload = { kind: p.workload?.kind ?? 'Pod', namespace: p.namespace, name: p.workload?.name ?? p.name };
    const ep: Endpoint = Object.freeze({
      kind: 'pod',
      namespace: p.namespace,
      name: p.name,
      workload,
      ...(p.ports ? { ports: p.ports } : {}),
      ...(p.hostNetwork ? { hostNetwork: true } : {}),
    });
    if (p.hostNetwork) hostPorts.set(ip(p.ip), [...(hostPorts.get(ip(p.ip)) ?? []), ep]);
    else byIp.set(ip(p.ip), ep);
  }
  for (const s of cluster.services ?? []) {
    const ep: Endpoint = Object.freeze({ kind: 'service', namespace: s.namespace, name: s.name, ports: s.ports });
    byIp.set(ip(s.ip), ep);
    backends.set(ep, new Set(s.backends.map(ip)));
  }
  for (const e of cluster.externals ?? []) {
    const external = {
      ...(e.label ? { label: e.label } : {}),
      ...(e.asn ? { asn: e.asn, org: `AS${e.asn} org` } : {}),
    };
    byIp.set(ip(e.ip), Object.freeze({ kind: 'external', external }));
  }
  let lookups = 0;
  return {
    get lookups() {
      return lookups;
    },
    lookup(addr, _at, port, ipProtocol) {
      lookups++;
      if (port !== undefined) {
        for (const ep of hostPorts.get(addr) ?? []) {
          if (ep.ports?.some((p) => p.port === port && (ipProtocol === undefined || p.ipProtocol === ipProtocol))) {
            return ep;
          }
        }
      }
      return byIp.get(addr) ?? UNKNOWN_ENDPOINT;
    },
    isServiceBackend(service, backend) {
      return backends.get(service)?.has(backend) ?? false;
    },
  };
}

/** TCP flag combinations as exporters report them (cumulative OR) */
export const FLAGS = {
  SYN: 0x02,
  SYN_ACK: 0x12,
  /** a whole client side: SYN, ACK, PSH, FIN */
  CLIENT_FULL: 0x1b,
  /** a whole server side: SYN+ACK, ACK, PSH, FIN */
  SERVER_FULL: 0x1b,
  /** a middle fragment (active-timeout split): ACK, PSH */
  MIDDLE: 0x18,
  FIN_ACK: 0x11,
  RST: 0x04,
} as const;

/**
 * What an orienter's `flush` returns, as copies: its flows are the stage's own objects, rewritten by its next
 * `add` or `flush`, so a test that keeps them past that call copies them first.
 */
export function flushed(
  o: { flush(now: number, final?: boolean): OrientedFlow[] | undefined },
  now: number,
  final = false,
): OrientedFlow[] {
  return (o.flush(now, final) ?? []).map((f) => ({ ...f }));
}
