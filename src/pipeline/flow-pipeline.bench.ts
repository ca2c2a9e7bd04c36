/**
 * End-to-end throughput of the flow path after decoding: FlowRecords -> enrich -> orient -> aggregate ->
 * EdgeWindows, on one core, with the identity helper's real ClusterIndex filled from the realistic test cluster.
 * The traffic mix: Service calls seen before DNAT by the client's node and after DNAT by the server's node (both
 * directions, so half the records are duplicates), some long ones split by the active timeout, DNS to the kube-dns
 * ClusterIP, direct pod-to-pod calls with handshakes, and traffic to and from the internet.
 * Run: npm run bench flow-pipeline. Environment: FLOWMAP_BENCH_CASE=<substring> runs matching cases only,
 * FLOWMAP_BENCH_LONG=<0..1> makes that share of Service calls long-lived (10 fragments per direction),
 * FLOWMAP_BENCH_CONFIG='<json>' overrides the pipeline config (e.g. shorter conversation lingering), BENCH_MS scales
 * the measuring time (5000 = the default lengths).
 */

import { consume, formatRate } from '../../scripts/bench-kit.js';
import { buildClusterSnapshot } from '../../test/fixtures/cluster-snapshot.js';
import { WORKLOADS } from '../../test/fixtures/cluster-spec.js';
import { tuneV8ForFlows } from '../app/v8-tuning.js';
import type { EnrichedFlow } from '../core/conversation.js';
import type { FlowRecord } from '../core/flow.js';
import { parseIp } from '../core/ip.js';
import type { Mutable } from '../core/mutable.js';
import { createClusterIndex, createEnricher, RESOURCE_KINDS, type ResourceKind } from '../enrich/index.js';
import { createOrienter } from '../orient/orienter.js';
import { createFlowPipeline, type FlowPipeline } from './flow-pipeline.js';
import { flowPipelineConfig } from './flow-pipeline-config.js';

tuneV8ForFlows(); // as the CLI runs

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
  // one literal, optional fields assigned after it, as the decoder builds records: records share hidden classes
  // (a spread `{ ...r, field }` makes a new hidden class per record, and every property load on records megamorphic)
  const r: Mutable<FlowRecord> = {
    exporter,
    protocol: 'ipfix',
    observationDomainId: 1,
    receivedAt: t + 1_000.5,
    start: t + 0.5,
    end: t + 800.5,
    srcAddr: src,
    dstAddr: dst,
    srcPort: sp,
    dstPort: dp,
    ipProtocol: over.ipProtocol ?? 6,
    tcpFlags: over.tcpFlags ?? 0x1b,
    bytes: over.bytes ?? 1_500,
    packets: over.packets ?? 12,
    samplingRate: 1,
  };
  if (over.initialTcpFlags !== undefined) r.initialTcpFlags = over.initialTcpFlags;
  return r;
}

/** FLOWMAP_BENCH_LONG: share of Service calls that are long-lived (10 active-timeout fragments per direction) */
const LONG_SHARE = Number(process.env.FLOWMAP_BENCH_LONG ?? 0);
let port = 32768;
const nextPort = () => (port = port >= 60999 ? 32768 : port + 1);

/** ~`count` new records over `seconds` of traffic from `from` on, in arrival order (client ports keep rotating) */
function traffic(count: number, seconds: number, from = T0): FlowRecord[] {
  const out: FlowRecord[] = [];
  while (out.length < count) {
    const t = from + Math.floor((out.length / count) * seconds * 1000);
    const client = ip(pick(podIps).ip);
    const r = random();
    const cp = nextPort();
    if (r < 0.5) {
      const call = pick(calls);
      const s = call.clusterIp;
      const b = pick(call.backends);
      const sPort = call.port;
      const bPort = call.targetPort;
      const long = random() < LONG_SHARE;
      const splits = long ? 10 : random() < 0.1 ? 3 : 1;
      for (let k = 0; k < splits; k++) {
        const flags = splits === 1 ? 0x1b : k === 0 ? 0x1a : k === splits - 1 ? 0x19 : 0x18;
        const tk = t + k * (long ? 10_000 : 60_000);
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
  return out.sort((a, b) => a.receivedAt - b.receivedAt);
}

const LAP_RECORDS = 200_000;
const LAP_SECONDS = 120;
const BATCH = 500;

/**
 * A lap of traffic kept as columns, not objects: a decoder hands the pipeline young records that die right after
 * the batch, so the benchmark makes each batch's FlowRecords just before pushing them (that time is not counted).
 * A few distinct laps are made before measuring and replayed shifted in time (`offset`), so no garbage of the
 * traffic generator weighs on the measured runs.
 */
interface Lap {
  readonly length: number;
  readonly exporter: string[];
  readonly num: Float64Array; // per record: src, dst, start, end, receivedAt, bytes, packets
  readonly small: Int32Array; // per record: srcPort, dstPort, ipProtocol, tcpFlags, initialTcpFlags (-1: none)
  /** added to every time of the lap */
  readonly offset: number;
}

function columns(records: readonly FlowRecord[]): Lap {
  const n = records.length;
  const lap: Lap = { length: n, exporter: [], num: new Float64Array(n * 7), small: new Int32Array(n * 5), offset: 0 };
  records.forEach((r, i) => {
    lap.exporter.push(r.exporter);
    lap.num.set([r.srcAddr as number, r.dstAddr as number, r.start, r.end, r.receivedAt, r.bytes, r.packets], i * 7);
    lap.small.set([r.srcPort, r.dstPort, r.ipProtocol, r.tcpFlags, r.initialTcpFlags ?? -1], i * 5);
  });
  return lap;
}

function materialize(lap: Lap, from: number, to: number): FlowRecord[] {
  const out: FlowRecord[] = [];
  const dt = lap.offset;
  for (let i = from; i < to; i++) {
    const n = lap.num;
    const k = lap.small;
    const r: Mutable<FlowRecord> = {
      exporter: lap.exporter[i]!,
      protocol: 'ipfix',
      observationDomainId: 1,
      receivedAt: n[i * 7 + 4]! + dt,
      start: n[i * 7 + 2]! + dt,
      end: n[i * 7 + 3]! + dt,
      srcAddr: n[i * 7]!,
      dstAddr: n[i * 7 + 1]!,
      srcPort: k[i * 5]!,
      dstPort: k[i * 5 + 1]!,
      ipProtocol: k[i * 5 + 2]!,
      tcpFlags: k[i * 5 + 3]!,
      bytes: n[i * 7 + 5]!,
      packets: n[i * 7 + 6]!,
      samplingRate: 1,
    };
    const initial = k[i * 5 + 4]!;
    if (initial >= 0) r.initialTcpFlags = initial;
    out.push(r);
  }
  return out;
}

const first = traffic(LAP_RECORDS, LAP_SECONDS);
/** a lap's records span its connections' 120 s plus active-timeout splits */
const SPAN = first[first.length - 1]!.receivedAt - first[0]!.receivedAt + 1_000;
/** distinct laps, each SPAN later than the one before; lap k replays DISTINCT[k % n] DISTINCT.length * SPAN later */
const DISTINCT = [first, ...[1, 2, 3].map((k) => traffic(LAP_RECORDS, LAP_SECONDS, T0 + k * SPAN))].map(columns);
let lap = 0;
/** the next lap, later in time than every lap before (its client ports last appeared 4 laps ago, long forgotten) */
const nextLap = (): Lap => {
  const base = DISTINCT[++lap % DISTINCT.length]!;
  return { ...base, offset: Math.floor(lap / DISTINCT.length) * DISTINCT.length * SPAN };
};

/** wall and CPU milliseconds spent making records inside a timed run, subtracted from it */
let making = 0;
let makingCpu = 0;
function* batches(l: Lap): Generator<FlowRecord[]> {
  for (let i = 0; i < l.length; i += BATCH) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const batch = materialize(l, i, Math.min(l.length, i + BATCH));
    making += performance.now() - t0;
    const c = process.cpuUsage(cpu0);
    makingCpu += (c.user + c.system) / 1000;
    yield batch;
  }
}

/** pushes a lap in batches, flushing once a second of the collector clock, as `serve` does */
function replay(l: Lap, p: FlowPipeline, clock: { now: number }): number {
  let windows = 0;
  let nextFlush = clock.now + 1_000;
  for (const batch of batches(l)) {
    clock.now = batch[batch.length - 1]!.receivedAt;
    p.push(batch);
    if (clock.now >= nextFlush) {
      windows += p.flush(clock.now).length;
      nextFlush = clock.now + 1_000;
    }
  }
  return windows;
}

/**
 * Times `run` over fresh laps for `ms` of measured time (record generation excluded), after one warm-up lap.
 * Prints wall-clock records/s and records per second of this process's CPU time (main thread plus GC helpers).
 */
function measure(name: string, ms: number, run: (l: Lap) => unknown): void {
  consume(run(nextLap()));
  let wall = 0;
  let cpu = 0;
  let records = 0;
  let best = 0;
  while (wall < ms) {
    const l = nextLap();
    making = 0;
    makingCpu = 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    consume(run(l));
    const dt = performance.now() - t0 - making;
    const c = process.cpuUsage(cpu0);
    wall += dt;
    cpu += (c.user + c.system) / 1000 - makingCpu;
    records += l.length;
    best = Math.max(best, l.length / dt);
  }
  console.log(
    `bench ${name}: ${formatRate((records * 1000) / wall)} records/s, best lap ${formatRate(best * 1000)} records/s, ` +
      `${formatRate((records * 1000) / cpu)} records per CPU-second (${Math.round(records / LAP_RECORDS)} laps, ${wall.toFixed(0)} ms)`,
  );
}

const config = flowPipelineConfig.parse(JSON.parse(process.env.FLOWMAP_BENCH_CONFIG ?? '{}'));
const steadyClock = { now: T0 };
const steady = createFlowPipeline(config, { index, clock: () => steadyClock.now });
const enricher = createEnricher(index);
const orienterClock = { now: T0 };
const orienter = createOrienter(config.orient, { index });

const cases: [string, number, (l: Lap) => unknown][] = [
  [
    'enrich',
    3000,
    (l) => {
      const out: EnrichedFlow[] = [];
      for (const batch of batches(l)) {
        out.length = 0;
        enricher.apply(batch, out);
      }
      return out.length;
    },
  ],
  [
    'enrich+orient (long-lived)',
    5000,
    (l) => {
      const enriched: EnrichedFlow[] = [];
      let n = 0;
      for (const batch of batches(l)) {
        orienterClock.now = batch[batch.length - 1]!.receivedAt;
        enriched.length = 0;
        enricher.apply(batch, enriched);
        orienter.add(enriched, orienterClock.now);
        n += orienter.flush(orienterClock.now)?.length ?? 0;
      }
      return n;
    },
  ],
  // serve: one long-lived pipeline, conversations created and forgotten continuously
  ['enrich+orient+aggregate, long-lived pipeline (serve)', 8000, (l) => replay(l, steady, steadyClock)],
  // map: a fresh pipeline over one capture's worth of records, final flush at the end
  [
    'enrich+orient+aggregate, fresh pipeline per lap (map)',
    5000,
    (l) => {
      const clock = { now: l.num[4]! + l.offset };
      const p = createFlowPipeline(config, { index, clock: () => clock.now });
      return replay(l, p, clock) + p.flush(clock.now, true).length;
    },
  ],
];

const check = createFlowPipeline(config, { index, clock: () => first[0]!.receivedAt });
check.push(first);
const live = check.stats().orient.conversations;
const edges = check.flush(first[first.length - 1]!.receivedAt + 1e6, true).reduce((n, w) => n + w.edges.length, 0);
const st = check.stats();
console.log(
  `# ${LAP_RECORDS} records per lap (${SPAN / 1000} s of traffic), ${podIps.length} pod IPs, ` +
    `${calls.length} Services with backends, batches of ${BATCH}`,
);
console.log(
  `# one lap: ${edges} edges in all windows, ${st.orient.dropped.duplicate} duplicates dropped, ` +
    `${st.orient.dnatMerges} DNAT merges, ${live} conversations remembered (${st.orient.decided['flow-pairing']} ` +
    `decided by pairing)`,
);
const only = process.env.FLOWMAP_BENCH_CASE;
const scale = Number(process.env.BENCH_MS ?? 0) / 5000 || 1;
(globalThis as { gc?: () => void }).gc?.(); // a clean heap: the set-up's garbage is not the pipeline's
for (const [name, ms, run] of cases) if (!only || name.includes(only)) measure(name, ms * scale, run);
