/**
 * End-to-end throughput of the flow path after decoding: FlowRecords -> enrich -> orient -> aggregate ->
 * EdgeWindows, on one core, with the identity helper's real ClusterIndex filled from the realistic test cluster.
 * The traffic mix: Service calls seen before DNAT by the client's node and after DNAT by the server's node (both
 * directions, so half the records are duplicates), some long ones split by the active timeout, DNS to the kube-dns
 * ClusterIP, direct pod-to-pod calls with handshakes, and traffic to and from the internet.
 * Run: npm run bench flow-pipeline
 */
import { bench, consume, formatRate } from '../../scripts/bench-kit.js';
import { buildClusterSnapshot } from '../../test/fixtures/cluster-snapshot.js';
import { WORKLOADS } from '../../test/fixtures/cluster-spec.js';
import type { FlowRecord } from '../core/flow.js';
import { parseIp } from '../core/ip.js';
import { createClusterIndex, createEnricher, RESOURCE_KINDS, type ResourceKind } from '../enrich/index.js';
import { createOrienter } from '../orient/orienter.js';
import { createFlowPipeline } from './flow-pipeline.js';
import { flowPipelineConfig } from './flow-pipeline-config.js';

const T0 = Date.UTC(2024, 4, 1, 12);
const fixture = buildClusterSnapshot();
const index = createClusterIndex({ tombstoneGraceMs: 60_000 }, { clock: () => T0 });
const objects = fixture.list.items.map((item) => index.slim(item.kind as ResourceKind, item));
objects.sort((a, b) => RESOURCE_KINDS.indexOf(a.kind) - RESOURCE_KINDS.indexOf(b.kind));
for (const o of objects) index.apply('ADDED', o);

const ip = (text: string) => parseIp(text)!;
const podIps = fixture.expected.filter((e) => e.kind === 'pod' && !e.hostNetwork && !e.ip.includes(':'));
/** Services of Deployments: ClusterIP, port, targetPort and the backends' IPs */
const calls = WORKLOADS.flatMap((w) => {
  const backends = podIps.filter((p) => p.workload === `${w.kind}/${w.name}`).map((p) => ip(p.ip));
  const port = w.service?.ports[0];
  if (w.kind !== 'Deployment' || !w.service || !port || backends.length === 0) return [];
  return [{ clusterIp: ip(w.service.clusterIP), port: port.port, targetPort: port.targetPort, backends }];
});
const kubeDns = ip('10.96.0.10');

let seed = 42;
const random = () => {
  seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
  return seed / 2 ** 32;
};
const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;

function record(
  exporter: string,
  src: number | string,
  sp: number,
  dst: number | string,
  dp: number,
  t: number,
  over: Partial<FlowRecord> = {},
): FlowRecord {
  return {
    exporter,
    protocol: 'ipfix',
    observationDomainId: 1,
    receivedAt: t + 1_000,
    start: t,
    end: t + 800,
    srcAddr: src,
    dstAddr: dst,
    srcPort: sp,
    dstPort: dp,
    ipProtocol: 6,
    tcpFlags: 0x1b,
    bytes: 1_500,
    packets: 12,
    samplingRate: 1,
    ...over,
  };
}

/** ~`count` records over `seconds` of traffic, in arrival order */
function traffic(count: number, seconds: number): FlowRecord[] {
  const out: FlowRecord[] = [];
  let port = 32768;
  const nextPort = () => (port = port >= 60999 ? 32768 : port + 1);
  while (out.length < count) {
    const t = T0 + Math.floor((out.length / count) * seconds * 1000);
    const client = ip(pick(podIps).ip);
    const r = random();
    const cp = nextPort();
    if (r < 0.5) {
      const call = pick(calls);
      const s = call.clusterIp;
      const b = pick(call.backends);
      const sPort = call.port;
      const bPort = call.targetPort;
      const splits = random() < 0.1 ? 3 : 1;
      for (let k = 0; k < splits; k++) {
        const flags = splits === 1 ? 0x1b : k === 0 ? 0x1a : k === splits - 1 ? 0x19 : 0x18;
        const tk = t + k * 60_000;
        out.push(record('10.0.0.11', client, cp, s, sPort, tk, { tcpFlags: flags }));
        out.push(record('10.0.0.12', client, cp, b, bPort, tk, { tcpFlags: flags }));
        out.push(record('10.0.0.11', s, sPort, client, cp, tk + 1, { tcpFlags: flags, bytes: 20_000 }));
        out.push(record('10.0.0.12', b, bPort, client, cp, tk + 1, { tcpFlags: flags, bytes: 20_000 }));
      }
    } else if (r < 0.75) {
      const dns = { ipProtocol: 17, tcpFlags: 0, bytes: 80, packets: 1 };
      out.push(record('10.0.0.11', client, cp, kubeDns, 53, t, dns));
      out.push(record('10.0.0.11', kubeDns, 53, client, cp, t + 1, { ...dns, bytes: 200 }));
    } else if (r < 0.9) {
      const server = ip(pick(podIps).ip);
      out.push(record('10.0.0.12', client, cp, server, 8080, t, { tcpFlags: 0x1b, initialTcpFlags: 0x02 }));
      out.push(record('10.0.0.12', server, 8080, client, cp, t + 1, { tcpFlags: 0x1b, initialTcpFlags: 0x12 }));
    } else {
      const outside = (0x08080800 + Math.floor(random() * 256)) >>> 0; // 256 internet addresses
      out.push(record('10.0.0.11', client, cp, outside, 443, t));
      out.push(record('10.0.0.11', outside, 443, client, cp, t + 2, { bytes: 60_000 }));
    }
  }
  return out;
}

const RECORDS = traffic(200_000, 120).sort((a, b) => a.receivedAt - b.receivedAt);
const BATCH = 500;

/**
 * Replaying the same records lap after lap as new traffic: each lap moves every time forward by the span of the
 * data and every client port by a prime, so conversations are new, as they would be (the benchmark owns these
 * objects; the pipeline only keeps them as references for dedup ownership).
 */
type Mutable<T> = { -readonly [K in keyof T]: T[K] };
const base = RECORDS.map((r) => ({
  start: r.start,
  end: r.end,
  receivedAt: r.receivedAt,
  src: r.srcPort,
  dst: r.dstPort,
}));
const SPAN = RECORDS[RECORDS.length - 1]!.receivedAt - RECORDS[0]!.receivedAt + 1_000;
let lap = 0;
function nextLap(): void {
  lap++;
  const shift = lap * SPAN;
  const portShift = (lap * 7919) % 28232;
  const move = (p: number) => (p >= 32768 ? 32768 + ((p - 32768 + portShift) % 28232) : p);
  for (let i = 0; i < RECORDS.length; i++) {
    const r = RECORDS[i] as Mutable<FlowRecord>;
    const b = base[i]!;
    r.start = b.start + shift;
    r.end = b.end + shift;
    r.receivedAt = b.receivedAt + shift;
    r.srcPort = move(b.src);
    r.dstPort = move(b.dst);
  }
}

/** pushes one lap in batches, flushing once a second of the collector clock, as `serve` does */
function replay(p: ReturnType<typeof createFlowPipeline>, clock: { now: number }): number {
  let windows = 0;
  let nextFlush = clock.now + 1_000;
  for (let i = 0; i < RECORDS.length; i += BATCH) {
    const batch = RECORDS.slice(i, i + BATCH);
    clock.now = batch[batch.length - 1]!.receivedAt;
    p.push(batch);
    if (clock.now >= nextFlush) {
      windows += p.flush(clock.now).length;
      nextFlush = clock.now + 1_000;
    }
  }
  return windows;
}

const steadyClock = { now: T0 };
const steady = createFlowPipeline(flowPipelineConfig.parse({}), { index, clock: () => steadyClock.now });
/** `serve`: one long-lived pipeline, conversations created and forgotten continuously */
function runSteady(): number {
  nextLap();
  return replay(steady, steadyClock);
}

/** `map`: a fresh pipeline over one capture's worth of records, final flush at the end */
function runCold(): number {
  nextLap();
  const clock = { now: RECORDS[0]!.receivedAt };
  const p = createFlowPipeline(flowPipelineConfig.parse({}), { index, clock: () => clock.now });
  return replay(p, clock) + p.flush(clock.now, true).length;
}

const enricher = createEnricher(index);
const orienterClock = { now: T0 };
const orienter = createOrienter(flowPipelineConfig.parse({}).orient, { index });
/** enrich + orient only, long-lived */
function runEnrichOrient(): number {
  nextLap();
  const enriched: Parameters<typeof orienter.add>[0][number][] = [];
  let n = 0;
  for (let i = 0; i < RECORDS.length; i += BATCH) {
    const batch = RECORDS.slice(i, i + BATCH);
    orienterClock.now = batch[batch.length - 1]!.receivedAt;
    enriched.length = 0;
    enricher.apply(batch, enriched);
    orienter.add(enriched, orienterClock.now);
    n += orienter.flush(orienterClock.now)?.length ?? 0;
  }
  return n;
}

function runEnrich(): number {
  const out: Parameters<typeof enricher.apply>[1] = [];
  for (let i = 0; i < RECORDS.length; i += BATCH) {
    out.length = 0;
    enricher.apply(RECORDS.slice(i, i + BATCH), out);
  }
  return out.length;
}

console.log(
  `# ${RECORDS.length} records per lap (${SPAN / 1000} s of traffic), ${podIps.length} pod IPs, ` +
    `${calls.length} Services with backends, batches of ${BATCH}`,
);
const check = createFlowPipeline(flowPipelineConfig.parse({}), { index, clock: () => RECORDS[0]!.receivedAt });
check.push(RECORDS);
const edges = check.flush(RECORDS[RECORDS.length - 1]!.receivedAt + 1e6, true).reduce((n, w) => n + w.edges.length, 0);
const st = check.stats();
consume(edges);
console.log(
  `# one lap: ${edges} edges in all windows, ${st.orient.dropped.duplicate} duplicates dropped, ` +
    `${st.orient.dnatMerges} DNAT merges, ${st.orient.decided['flow-pairing']} conversations decided by pairing`,
);
/** FLOWMAP_BENCH_CASE=<substring> runs only the matching cases (profiling) */
const only = process.env.FLOWMAP_BENCH_CASE;
const cases: [string, () => number, number][] = [
  ['enrich', runEnrich, 3000],
  ['enrich+orient (long-lived)', runEnrichOrient, 5000],
  ['enrich+orient+aggregate, long-lived pipeline (serve)', runSteady, 8000],
  ['enrich+orient+aggregate, fresh pipeline per lap (map)', runCold, 5000],
];
// the machine is shared: each case runs in ROUNDS short rounds; the best round is the least disturbed one
const ROUNDS = Number(process.env.FLOWMAP_BENCH_ROUNDS ?? 5);
for (const [name, fn, ms] of cases) {
  if (only && !name.includes(only)) continue;
  const rates: number[] = [];
  const cpuRates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const result = bench(`${name} [round ${round + 1}]`, fn, {
      unitsPerRun: RECORDS.length,
      unit: 'records',
      ms: ms / ROUNDS,
      warmupMs: round === 0 ? 1000 : 0,
    });
    const elapsed = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    // records per second of this process's CPU time (main thread plus GC helper threads), warm-up included
    const units = (result.rate * result.ms) / 1000 + ((elapsed - result.ms) / result.ms) * result.runs * RECORDS.length;
    rates.push(result.rate);
    cpuRates.push(units / ((cpu.user + cpu.system) / 1e6));
  }
  const sorted = [...rates].sort((a, b) => a - b);
  console.log(
    `bench ${name}: best ${formatRate(sorted[sorted.length - 1]!)} records/s, median ${formatRate(sorted[Math.floor(sorted.length / 2)]!)} records/s, ` +
      `best ${formatRate(Math.max(...cpuRates))} records per CPU-second`,
  );
}
