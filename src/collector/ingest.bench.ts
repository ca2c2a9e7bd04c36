/**
 * The highest lossless UDP ingest rate over loopback: a load generator (a child process, so it runs on the other
 * core) sends real IPFIX packets (demo encoder, ipt_NETFLOW layout, ~29 records per 1.4 kB packet) at increasing
 * rates to a collector decoding with the real decoder and, with BENCH_FULL=1, running enrich -> orient ->
 * aggregate -> Prometheus sink on every batch. Loss = packets sent - packets read, split into kernel drops
 * (/proc/net/udp) and queue drops. Run: `npm run bench ingest` (BENCH_RATES="20000,40000" BENCH_SECONDS=3).
 * @module
 */
import { fork } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { tuneV8ForFlows } from '../app/v8-tuning.js';
import type { FlowRecord } from '../core/flow.js';
import { createPacketDecoder } from '../decode/index.js';
import { createIpfixEncoder } from '../demo/encode/index.js';
import { collectorConfig, createCollector } from './index.js';

tuneV8ForFlows(); // as the CLI runs

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);

/** generator role: sends `rate` packets/s for SECONDS to the port, then reports how many it sent */
async function generate(port: number, rate: number): Promise<void> {
  const now = Date.now();
  const records = Array.from({ length: 29 * 400 }, (_, i) => ({
    srcAddr: 0x0a000000 + (i % 250) + 1,
    dstAddr: 0x0a000100 + (i % 10) + 1,
    srcPort: 32_768 + (i % 20_000),
    dstPort: 8080,
    ipProtocol: 6,
    tcpFlags: 0x1b,
    bytes: 1_000 + i,
    packets: 10,
    start: now - 5_000,
    end: now - 1_000,
  }));
  const pool = createIpfixEncoder({ domainId: 1, templateRefreshPackets: 20 }).encode(records, now);
  const socket = createSocket('udp4');
  await new Promise<void>((r) => socket.connect(port, '127.0.0.1', () => r()));
  const total = Math.round(rate * SECONDS);
  // token bucket: a generator starved by the scheduler must not catch up in one burst larger than 5 ms of traffic
  const burst = Math.max(1, Math.ceil(rate * 0.005));
  let tokens = 0;
  let last = performance.now();
  let sent = 0;
  let done = 0;
  const t0 = last;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      tokens = Math.min(burst, tokens + ((now - last) / 1000) * rate);
      last = now;
      while (tokens >= 1 && sent < total) {
        socket.send(pool[sent % pool.length]!, () => {
          if (++done === total) resolve();
        });
        sent++;
        tokens--;
      }
      if (sent < total) setImmediate(tick);
    };
    tick();
  });
  const seconds = (performance.now() - t0) / 1000;
  socket.close();
  process.send?.({ sent, seconds, recordsPerPacket: records.length / pool.length });
}

interface StepResult {
  readonly rate: number;
  readonly achieved: number;
  /** seconds the generator took to send everything */
  readonly seconds: number;
  readonly sent: number;
  readonly read: number;
  readonly kernelDrops: number;
  readonly queueDrops: number;
  readonly records: number;
  /** receiver CPU time / wall time while the generator ran */
  readonly cpu: number;
  readonly oriented: number;
  /** the longest the receiver's event loop was blocked or not scheduled */
  readonly maxLoopDelayMs: number;
}

/** what runs on every decoded batch; `oriented` counts what came out of the chain */
interface Consumer {
  consume(records: FlowRecord[]): void;
  oriented(): number;
}

async function step(rate: number, consumerFor: () => Consumer): Promise<StepResult> {
  let records = 0;
  const consumer = consumerFor();
  const collector = createCollector(
    collectorConfig.parse({ udp: { addresses: ['127.0.0.1'], ports: [0] }, tcp: { enabled: false } }),
    {
      clock: Date.now,
      decoder: createPacketDecoder({ clock: Date.now }),
      consume: (batch) => {
        records += batch.length;
        consumer.consume(batch);
      },
    },
  );
  await collector.start(new AbortController().signal);
  const port = collector.listeners()[0]!.port;
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  const child = fork(fileURLToPath(import.meta.url), [], {
    env: { ...process.env, BENCH_ROLE: 'generator', BENCH_PORT: String(port), BENCH_RATE: String(rate) },
    execArgv: ['--import', 'tsx'],
  });
  const report = await new Promise<{ sent: number; seconds: number }>((resolve) =>
    child.once('message', resolve as never),
  );
  await new Promise((r) => child.once('exit', r));
  const used = process.cpuUsage(cpu0);
  const cpu = (used.user + used.system) / 1000 / (performance.now() - wall0);
  loop.disable();
  await new Promise((r) => setTimeout(r, 300));
  await collector.refreshKernelStats();
  const stats = collector.stats();
  await collector.stop();
  return {
    rate,
    achieved: report.sent / report.seconds,
    seconds: report.seconds,
    sent: report.sent,
    read: stats.listeners[0]!.packets,
    kernelDrops: stats.kernel.byPort[0]?.drops ?? 0,
    queueDrops: stats.dropped['queue-full'] ?? 0,
    records,
    cpu,
    oriented: consumer.oriented(),
    maxLoopDelayMs: loop.max / 1e6,
  };
}

/** what `serve` composes (see src/app/flowmap.ts): createFlowPipeline, the Prometheus sink on every oriented batch,
 * and a flush of completed buckets once a second */
async function fullChain(): Promise<() => Consumer> {
  const [{ createStaticIndex }, { createFlowPipeline, flowPipelineConfig }, sinkModule] = await Promise.all([
    import('../enrich/testing.js'),
    import('../pipeline/index.js'),
    import('../sinks/prometheus/index.js'),
  ]);
  return () => {
    const entries = [
      ...Array.from({ length: 250 }, (_, i) => ({
        ip: 0x0a000001 + i,
        endpoint: {
          kind: 'pod' as const,
          namespace: 'shop',
          name: `frontend-${i}`,
          workload: { kind: 'Deployment', namespace: 'shop', name: 'frontend' },
        },
      })),
      ...Array.from({ length: 10 }, (_, i) => ({
        ip: 0x0a000101 + i,
        endpoint: {
          kind: 'pod' as const,
          namespace: 'shop',
          name: `cart-${i}`,
          workload: { kind: 'Deployment', namespace: 'shop', name: 'cart' },
          ports: [{ port: 8080, ipProtocol: 6 }],
        },
      })),
    ];
    const index = createStaticIndex(entries);
    const pipeline = createFlowPipeline(flowPipelineConfig.parse({}), { index, clock: Date.now });
    const sink = sinkModule.createPrometheusSink(sinkModule.prometheusSinkConfig.parse({ processMetrics: false }), {
      clock: Date.now,
    });
    let oriented = 0;
    pipeline.onOriented((batch) => {
      oriented += batch.length;
      sink.observe(batch);
    });
    let lastFlush = Date.now();
    const consume = (records: FlowRecord[]) => {
      pipeline.push(records);
      const now = Date.now();
      if (now - lastFlush >= 1_000) {
        pipeline.flush(now);
        lastFlush = now;
      }
    };
    return { consume, oriented: () => oriented };
  };
}

async function main(): Promise<void> {
  const rates = (process.env.BENCH_RATES ?? '10000,20000,30000,40000,50000,60000,80000,100000').split(',').map(Number);
  const full = process.env.BENCH_FULL === '1';
  const consumer = full ? await fullChain() : () => ({ consume: () => {}, oriented: () => 0 });
  console.log(
    `ingest over loopback, ${SECONDS} s per step, ${full ? 'decode + enrich + orient + aggregate + sink' : 'decode only'}`,
  );
  let best: StepResult | undefined;
  for (const rate of rates) {
    const r = await step(rate, consumer);
    const lost = r.sent - r.read + r.queueDrops;
    console.log(
      `bench ingest ${rate} pkt/s target: sent ${r.sent} (${Math.round(r.achieved)} pkt/s), read ${r.read}, kernel drops ${r.kernelDrops}, queue drops ${r.queueDrops}, records ${r.records} (${Math.round(r.records / r.seconds)} rec/s), receiver CPU ${Math.round(r.cpu * 100)}% (${Math.round(r.records / r.seconds / r.cpu)} rec/s per busy core), max loop delay ${Math.round(r.maxLoopDelayMs)} ms${full ? `, oriented ${r.oriented}` : ''}${lost ? ' LOSS' : ''}`,
    );
    if (lost === 0) {
      if (!best || r.achieved > best.achieved) best = r;
    } else break;
  }
  if (best) {
    console.log(
      `bench ingest lossless: ${Math.round(best.achieved)} pkt/s = ${Math.round(best.records / best.seconds)} records/s`,
    );
  }
}

if (process.env.BENCH_ROLE === 'generator')
  await generate(Number(process.env.BENCH_PORT), Number(process.env.BENCH_RATE));
else await main();
