import * as z from 'zod';
import { parseCidr } from './allow-list.js';

const port = z.number().int().min(0).max(65_535);

export const udpListenersConfig = z.object({
  enabled: z.boolean().default(true).describe('receive export packets over UDP'),
  addresses: z
    .array(z.string().min(1))
    .min(1)
    .default(['::'])
    .describe(
      'local addresses to bind; "::" is dual-stack unless ipv6Only (IPv4 exporters then arrive IPv4-mapped and are ' +
        'reported as IPv4); list "0.0.0.0" and "::" with ipv6Only for separate sockets',
    ),
  ports: z
    .array(port)
    .min(1)
    .default([2055, 4739, 6343])
    .describe(
      'UDP ports (2055 NetFlow v5/v9, 4739 IPFIX, 6343 sFlow); every port accepts every version; 0 = ephemeral',
    ),
  ipv6Only: z.boolean().default(false).describe('IPv6 sockets refuse IPv4 (set when also binding "0.0.0.0")'),
  receiveBufferBytes: z
    .number()
    .int()
    .min(65_536)
    .default(8 * 1024 * 1024)
    .describe(
      'SO_RCVBUF requested per socket; Linux caps it at net.core.rmem_max (then doubles it); the effective size is reported',
    ),
});

export const tcpListenersConfig = z.object({
  enabled: z.boolean().default(true).describe('receive IPFIX over TCP (RFC 7011 section 10.4)'),
  addresses: z.array(z.string().min(1)).min(1).default(['::']).describe('local addresses to bind for IPFIX over TCP'),
  ports: z.array(port).min(1).default([4739]).describe('TCP ports for IPFIX; 0 = ephemeral'),
  ipv6Only: z.boolean().default(false).describe('IPv6 sockets refuse IPv4'),
  maxConnections: z
    .number()
    .int()
    .min(1)
    .default(64)
    .describe('open exporter connections across all TCP ports; further connections are closed and counted'),
  idleTimeoutMs: z
    .number()
    .int()
    .min(1_000)
    .default(300_000)
    .describe('a connection that sends nothing for this long is closed'),
  maxMessageBytes: z
    .number()
    .int()
    .min(16)
    .max(65_535)
    .default(65_535)
    .describe('largest IPFIX message accepted; a longer (or shorter than 16) length field closes the connection'),
});

export const queueConfig = z.object({
  capacity: z
    .number()
    .int()
    .min(1)
    .default(16_384)
    .describe('export packets received but not yet decoded; UDP packets beyond it are dropped (queue-full)'),
  batchPackets: z
    .number()
    .int()
    .min(1)
    .default(128)
    .describe(
      'packets decoded per event-loop turn (about 30 records each for full IPFIX packets); each turn hands one ' +
        'batch of records to the pipeline, then sockets, timers and HTTP get their turn',
    ),
});

export const collectorConfig = z.object({
  udp: udpListenersConfig.prefault({}).describe('UDP listeners'),
  tcp: tcpListenersConfig.prefault({}).describe('IPFIX-over-TCP listeners'),
  queue: queueConfig.prefault({}).describe('the bounded queue between the sockets and the decoder'),
  allowedExporters: z
    .array(
      z.string().refine((s) => parseCidr(s) !== undefined, {
        error: (issue) => `Cannot parse CIDR "${String(issue.input)}": expected an address or address/prefix`,
      }),
    )
    .default([])
    .describe('exporter CIDRs (IPv4 and IPv6) allowed to send; empty allows every exporter'),
  exporterIdentity: z
    .enum(['address', 'address-port'])
    .default('address')
    .describe(
      'what names an exporter (template scope, FlowRecord.exporter): its address, or address and source port ' +
        '(for several exporters behind one address)',
    ),
  maxExporters: z
    .number()
    .int()
    .min(1)
    .default(4096)
    .describe('exporters tracked for /api/v1/status; new ones beyond it are not tracked (their packets still are)'),
  exporterIdleMs: z
    .number()
    .int()
    .min(1_000)
    .default(3_600_000)
    .describe('an exporter silent for this long leaves the status table'),
  kernelStatsIntervalMs: z
    .number()
    .int()
    .min(100)
    .default(5_000)
    .describe('how often the kernel UDP counters (/proc/net/udp, /proc/net/snmp) are read'),
  procRoot: z.string().default('/proc').describe('where the kernel counters are read from'),
});
export type CollectorConfig = z.infer<typeof collectorConfig>;
export type CollectorConfigInput = z.input<typeof collectorConfig>;
