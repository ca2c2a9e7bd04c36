/**
 * Decode throughput on one core: `npm run bench decoder` (or `npx tsx src/decode/decoder.bench.ts`).
 * Packets are built like real exporters': ipt_NETFLOW's NetFlow v9 template 260 (20 fields, reduced-size
 * encoding, 23 records per packet) and softflowd's IPFIX templates 1024/2048 (16 fields, 30 records per message,
 * times relative to systemInitTimeMilliseconds from options data), each packet with distinct addresses and ports.
 */
import { bench, formatRate } from '../../scripts/bench-kit.js';
import type { FlowRecord } from '../core/flow.js';
import type { DecodedFields } from './contracts.js';
import { createPacketDecoder } from './decoder.js';
import {
  concat,
  type FieldSpec,
  ipfixMessage,
  ipfixOptionsTemplate,
  ipfixTemplates,
  set,
  u8,
  u16,
  u32,
  u64,
  v5Packet,
  v9Packet,
  v9Templates,
} from './testing.js';

const IPT_NETFLOW: readonly FieldSpec[] = [
  [8, 4],
  [12, 4],
  [15, 4],
  [7, 2],
  [11, 2],
  [6, 1],
  [10, 2],
  [14, 2],
  [252, 2],
  [253, 2],
  [2, 4],
  [1, 4],
  [22, 4],
  [21, 4],
  [4, 1],
  [5, 1],
  [209, 4],
  [80, 6],
  [56, 6],
  [256, 2],
];
const SOFTFLOWD_V4: readonly FieldSpec[] = [
  [8, 4],
  [12, 4],
  [1, 4],
  [2, 4],
  [10, 4],
  [14, 4],
  [7, 2],
  [11, 2],
  [4, 1],
  [6, 1],
  [60, 1],
  [5, 1],
  [32, 2],
  [58, 2],
  [22, 4],
  [21, 4],
];
const SOFTFLOWD_V6: readonly FieldSpec[] = [
  [27, 16],
  [28, 16],
  ...SOFTFLOWD_V4.slice(2, 12),
  [139, 2],
  [58, 2],
  [22, 4],
  [21, 4],
];

const V9_RECORDS = 23;
const IPFIX_RECORDS = 30;
const UNIX = 1_700_000_000;

const addr = (seed: number) => u32(0x0a000000 + (seed % 0xffffff));
const addr6 = (seed: number) => concat(u32(0xfd000000), u32(0), u32(0), addr(seed));

function iptNetflowRecord(seed: number): Uint8Array {
  return concat(
    addr(seed),
    addr(seed * 7 + 1),
    addr(1),
    u16(1024 + (seed % 60000)),
    u16(443),
    u8(0x1b),
    u16(2),
    u16(3),
    u16(2),
    u16(3),
    u32(10 + (seed % 90)),
    u32(1500 * (1 + (seed % 40))),
    u32(1_000_000),
    u32(1_005_000),
    u8(6),
    u8(0),
    u32(0),
    new Uint8Array(6).fill(1),
    new Uint8Array(6).fill(2),
    u16(0x0800),
  );
}

function softflowdRecord(seed: number, v6: boolean): Uint8Array {
  const addresses = v6 ? concat(addr6(seed), addr6(seed * 7 + 1)) : concat(addr(seed), addr(seed * 7 + 1));
  return concat(
    addresses,
    u32(1500 * (1 + (seed % 40))),
    u32(10 + (seed % 90)),
    u32(2),
    u32(3),
    u16(1024 + (seed % 60000)),
    u16(80),
    u8(6),
    u8(0x1b),
    u8(v6 ? 6 : 4),
    u8(0),
    u16(0),
    u16(0),
    u32(5_000),
    u32(9_000),
  );
}

function v9Batch(packets: number): Uint8Array[] {
  const header = { sysUptime: 2_000_000, unixSecs: UNIX, sourceId: 1 };
  return Array.from({ length: packets }, (_, p) =>
    v9Packet(header, set(260, concat(...Array.from({ length: V9_RECORDS }, (_, i) => iptNetflowRecord(p * 100 + i))))),
  );
}

function ipfixBatch(packets: number, v6: boolean): Uint8Array[] {
  const id = v6 ? 2048 : 1024;
  return Array.from({ length: packets }, (_, p) =>
    ipfixMessage(
      { exportTime: UNIX, domain: 1 },
      set(id, concat(...Array.from({ length: IPFIX_RECORDS }, (_, i) => softflowdRecord(p * 100 + i, v6)))),
    ),
  );
}

/** a decoder that already holds the exporters' templates and options data */
function primedDecoder() {
  const decoder = createPacketDecoder({ clock: () => UNIX * 1000 });
  const call = { exporter: '192.0.2.10', receivedAt: UNIX * 1000, out: [] as FlowRecord[] };
  decoder.decode(v9Packet({ sysUptime: 1, unixSecs: UNIX, sourceId: 1 }, v9Templates([260, IPT_NETFLOW])), call);
  decoder.decode(
    ipfixMessage(
      { exportTime: UNIX, domain: 1 },
      ipfixTemplates([1024, SOFTFLOWD_V4], [2048, SOFTFLOWD_V6]),
      ipfixOptionsTemplate(256, 1, [
        [143, 4],
        [160, 8],
        [304, 2],
        [305, 2],
        [306, 4],
      ]),
      set(256, concat(u32(1), u64(UNIX * 1000 - 3_600_000), u16(1), u16(1), u32(0))),
    ),
    call,
  );
  return decoder;
}

/**
 * Runs one case through bench-kit (wall clock) and also prints records per second of this process's own CPU time
 * (user + system, GC included): on a shared, loaded machine that is the per-core figure.
 */
function run(name: string, packets: readonly Uint8Array[], recordsPerRun: number, withFields = false): void {
  const decoder = primedDecoder();
  const out: FlowRecord[] = [];
  const fields: DecodedFields[] = [];
  const call = { exporter: '192.0.2.10', receivedAt: UNIX * 1000, out, ...(withFields ? { fields } : {}) };
  let calls = 0;
  const cpu = process.cpuUsage();
  bench(
    name,
    () => {
      calls++;
      out.length = 0;
      fields.length = 0;
      for (const packet of packets) decoder.decode(packet, call);
      if (out.length !== recordsPerRun) throw new Error(`Cannot bench "${name}": decoded ${out.length} records`);
      return out.length;
    },
    { unitsPerRun: recordsPerRun, unit: 'records' },
  );
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  console.log(
    `  per CPU second: ${formatRate((calls * recordsPerRun) / cpuSeconds)} records/s (${cpuSeconds.toFixed(2)} s CPU)`,
  );
}

const v9 = v9Batch(50);
const ipfix4 = ipfixBatch(50, false);
const mix = v9.flatMap((packet, i) => [packet, ipfix4[i]!]);
const v5 = Array.from({ length: 50 }, (_, p) =>
  v5Packet(
    { sysUptime: 2_000_000, unixSecs: UNIX },
    Array.from({ length: 30 }, (_, i) => ({
      src: `10.0.${p}.${i}`,
      dst: '10.1.0.1',
      srcPort: 1024 + i,
      dstPort: 443,
      protocol: 6,
      packets: 10,
      bytes: 15000,
      first: 1_000_000,
      last: 1_005_000,
    })),
  ),
);

run('decode v9 ipt_NETFLOW (23 records/packet)', v9, 50 * V9_RECORDS);
run('decode IPFIX softflowd IPv4 (30 records/message)', ipfix4, 50 * IPFIX_RECORDS);
run('decode mix v9 + IPFIX (realistic, 1:1 packets)', mix, 50 * (V9_RECORDS + IPFIX_RECORDS));
run('decode IPFIX softflowd IPv6 (30 records/message)', ipfixBatch(50, true), 50 * IPFIX_RECORDS);
run('decode NetFlow v5 (30 records/packet)', v5, 50 * 30);
run('decode mix with named fields (verbose path)', mix, 50 * (V9_RECORDS + IPFIX_RECORDS), true);
