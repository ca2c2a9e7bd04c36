/**
 * Helpers for the collector's socket tests: a collector on loopback with a fake decoder, a blocking sender that
 * fills the kernel buffer while this process cannot read, and real export packets from the demo encoders.
 * @module
 */
import { spawnSync } from 'node:child_process';
import {
  type Collector,
  type CollectorConfigInput,
  collectorConfig,
  createCollector,
} from '../../src/collector/index.js';
import { createFakeDecoder } from '../../src/collector/testing.js';
import type { FlowRecord } from '../../src/core/flow.js';
import { createIpfixEncoder, createNetflowV9Encoder, type ExportRecord } from '../../src/demo/encode/index.js';

export interface TestCollector {
  readonly collector: Collector;
  readonly decoder: ReturnType<typeof createFakeDecoder>;
  readonly batches: FlowRecord[][];
  readonly records: () => number;
  /** the bound port of the first listener of `transport` */
  port(transport: 'udp' | 'tcp', address?: string): number;
  readonly warnings: string[];
}

/** starts a collector from `input` (ports default to 0, TCP off) with a fake decoder */
export async function startCollector(
  input: CollectorConfigInput,
  onBatch?: (batch: FlowRecord[]) => void,
): Promise<TestCollector> {
  const config = collectorConfig.parse({
    ...input,
    udp: { ports: [0], addresses: ['127.0.0.1'], ...input.udp },
    tcp: { enabled: false, ports: [0], addresses: ['127.0.0.1'], ...input.tcp },
  });
  const decoder = createFakeDecoder();
  const batches: FlowRecord[][] = [];
  const warnings: string[] = [];
  const collector = createCollector(config, {
    clock: () => Date.now(),
    decoder,
    consume: (batch) => {
      batches.push(batch);
      onBatch?.(batch);
    },
    log: { warn: (m) => warnings.push(m) },
  });
  await collector.start(new AbortController().signal);
  return {
    collector,
    decoder,
    batches,
    warnings,
    records: () => batches.reduce((n, b) => n + b.length, 0),
    port(transport, address) {
      const l = collector.listeners().find((x) => x.transport === transport && (!address || x.address === address));
      if (!l) throw new Error(`Cannot find a ${transport} listener${address ? ` on "${address}"` : ''}`);
      return l.port;
    },
  };
}

/** polls `done` every 10 ms until true or `ms` pass */
export async function waitFor(done: () => boolean, ms = 5_000, what = 'condition'): Promise<void> {
  const until = Date.now() + ms;
  while (!done()) {
    if (Date.now() > until) throw new Error(`Cannot wait for ${what}: still false after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const SENDER = `
const dgram = require('node:dgram');
const { host, port, packets, family } = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
const s = dgram.createSocket(family === 6 ? 'udp6' : 'udp4');
s.connect(port, host, () => {
  let sent = 0;
  for (const hex of packets) { s.send(Buffer.from(hex, 'hex'), () => { if (++sent === packets.length) s.close(); }); }
});
`;

/**
 * Sends `packets` to host:port from a child process while this process is blocked (spawnSync): nothing here
 * reads the socket meanwhile, so everything lands in (or overflows) the kernel's receive buffer.
 */
export function sendBlocking(host: string, port: number, packets: readonly Uint8Array[]): void {
  const input = JSON.stringify({
    host,
    port,
    family: host.includes(':') ? 6 : 4,
    packets: packets.map((p) => Buffer.from(p).toString('hex')),
  });
  const result = spawnSync(process.execPath, ['-e', SENDER], { input, encoding: 'utf8', timeout: 30_000 });
  if (result.status !== 0) throw new Error(`Cannot send test packets: ${result.stderr}`);
}

/** `count` TCP flows 10.0.0.x -> 10.0.1.1:80 ending at `now` */
export function exportRecords(count: number, now: number): ExportRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    srcAddr: 0x0a000000 + (i % 250) + 1,
    dstAddr: 0x0a000101,
    srcPort: 40_000 + i,
    dstPort: 80,
    ipProtocol: 6,
    tcpFlags: 0x1b,
    bytes: 1000 + i,
    packets: 10,
    start: now - 5_000,
    end: now - 1_000,
  }));
}

/** real export packets: IPFIX messages (ipt_NETFLOW layout) carrying `records` records, templates included */
export function ipfixPackets(records: number, now = Date.now()): Uint8Array[] {
  return createIpfixEncoder({ domainId: 1 }).encode(exportRecords(records, now), now);
}

export function netflowV9Packets(records: number, now = Date.now()): Uint8Array[] {
  return createNetflowV9Encoder({ domainId: 1 }).encode(exportRecords(records, now), now);
}
