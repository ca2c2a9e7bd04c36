/**
 * History query benchmark: a graph query over 7 days of minute data for 1,000 workloads / 5,000 edges, measured
 * while new windows are written concurrently through the real write path, which must lose nothing.
 *
 * Density: 30 % of the edges are steady (active every minute), 70 % sporadic (active in a given minute with
 * probability 5 %): ~1,675 edge rows per minute, ~16.9 M minute rows and ~0.8 M hour rows over 7 days.
 *
 * `npm run bench duckdb-store` (BENCH_DIR=path keeps the generated database between runs; BENCH_DAYS=n shrinks it).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { apiConfig, createApi } from '../../../api/index.js';
import { READY, STATUS } from '../../../api/testing.js';
import type { Edge } from '../../../core/edge.js';
import type { EdgeSource } from '../contracts.js';
import { createGraphService } from '../query/index.js';
import { HOUR, ManualClock, MIN, makeEdge, makeWindow, T0, testStoreConfig, workloadNode } from '../testing.js';
import { createDuckDbStore, DATABASE_FILE } from './duckdb-store.js';

const DAYS = Number(process.env.BENCH_DAYS ?? 7);
const MINUTES = DAYS * 1440;
const WORKLOADS = 1000;
const EDGES = 5000;

function rng(seed: number) {
  let x = seed >>> 0;
  return () => {
    x = (x + 0x6d2b79f5) >>> 0;
    let t = Math.imul(x ^ (x >>> 15), 1 | x);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 20 namespaces × 50 workloads; every workload calls 5 servers, popular servers more often */
function cluster(): { steady: Edge[]; sporadic: Edge[] } {
  const rand = rng(42);
  const nodes = [...Array(WORKLOADS).keys()].map((i) =>
    workloadNode(`ns${i % 20}`, `app-${i}`, i % 7 === 0 ? 'StatefulSet' : 'Deployment'),
  );
  const keys = new Set<string>();
  const edges: Edge[] = [];
  while (edges.length < EDGES) {
    const client = nodes[edges.length % WORKLOADS]!;
    const server = nodes[Math.floor(rand() ** 2 * WORKLOADS)]!;
    const port = [80, 443, 5432, 6379, 8080, 9090][Math.floor(rand() * 6)]!;
    const key = `${client.id}|${server.id}|${port}`;
    if (server === client || keys.has(key)) continue;
    keys.add(key);
    const bytes = Math.floor(1e3 + rand() * 1e6);
    edges.push(
      makeEdge(client, server, port, {
        bytesToServer: bytes,
        bytesToClient: bytes * 3,
        packetsToServer: bytes / 1000,
        packetsToClient: bytes / 500,
        connections: 1 + Math.floor(rand() * 20),
      }),
    );
  }
  return { steady: edges.slice(0, EDGES * 0.3), sporadic: edges.slice(EDGES * 0.3) };
}

function minuteEdges(c: { steady: Edge[]; sporadic: Edge[] }, rand: () => number): Edge[] {
  return [...c.steady, ...c.sporadic.filter(() => rand() < 0.05)];
}

/** the same query through the HTTP layer (in-process), JSON serialization included */
async function apiTimings(store: EdgeSource, clock: ManualClock, q: { from: number; to: number }): Promise<void> {
  const app = createApi(apiConfig.parse({}), { store, clock: clock.clock, ready: () => READY, status: () => STATUS });
  for (const path of [`/api/v1/graph?from=${q.from}&to=${q.to}`, `/api/graph/data?from=${q.from}&to=${q.to}`]) {
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < 23; i++) {
      const t0 = performance.now();
      const res = await app.request(path);
      bytes = (await res.text()).length;
      if (i >= 3) times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    console.log(
      `bench history api ${path.split('?')[0]} 7d: p50 ${percentile(times, 0.5).toFixed(1)} ms, p95 ${percentile(times, 0.95).toFixed(1)} ms (${(bytes / 1e6).toFixed(1)} MB JSON, ${times.length} requests)`,
    );
  }
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

async function main(): Promise<void> {
  const dir = process.env.BENCH_DIR ?? mkdtempSync(join(tmpdir(), 'flowmap-bench-'));
  const reuse = existsSync(join(dir, DATABASE_FILE));
  const clock = new ManualClock(T0);
  const config = {
    ...testStoreConfig({ queue: { batchEdges: 20_000, flushIntervalMs: 200, maxEdges: 500_000 } }),
    dataDir: dir,
  };
  const store = createDuckDbStore(config, { clock: clock.clock });
  await store.start(new AbortController().signal);
  const c = cluster();
  const rand = rng(7);
  const t0 = performance.now();
  const genLoop = monitorEventLoopDelay({ resolution: 1 });
  genLoop.enable();
  if (!reuse) {
    for (let m = 0; m < MINUTES; m++) {
      clock.now = T0 + (m + 1) * MIN;
      await store.write([makeWindow(T0 + m * MIN, minuteEdges(c, rand))]);
      if (m % 60 === 59) await store.flush();
    }
    await store.flush();
  }
  genLoop.disable();
  const rows = await store.inspect();
  const genS = (performance.now() - t0) / 1000;
  const ms = (ns: number) => (ns / 1e6).toFixed(1);
  const rate = reuse ? 'reused' : `${(rows.minuteRows / genS / 1000).toFixed(0)} k rows/s written`;
  console.log(
    `bench history generate: ${rate} (${rows.minuteRows} minute, ${rows.hourRows} hour, ${rows.dayRows} day rows, ${rows.edgeKeys} edge keys, ${genS.toFixed(1)} s; event-loop delay p50 ${ms(genLoop.percentile(50))} ms, p99 ${ms(genLoop.percentile(99))} ms, max ${ms(genLoop.max)} ms; longest batch stretch ${store.stats().maxBlockingMs.toFixed(1)} ms)`,
  );

  const end = T0 + MINUTES * MIN;
  clock.now = end;
  const service = createGraphService(store, {
    clock: clock.clock,
    nodeLimit: 1500,
    defaultRangeMs: 15 * MIN,
    targetPoints: 300,
    maxPoints: 10_000,
  });
  const query = {
    from: end - DAYS * 24 * HOUR,
    to: end,
    level: 'workload' as const,
    external: 'include' as const,
    nodes: 'include' as const,
    minBytes: 0,
  };
  for (let i = 0; i < 3; i++) await service.graph(query);

  // ingestion: one new minute window every 50 ms (20x faster than real time at 1,675 edges/window)
  const before = await store.inspect();
  let writing = true;
  let written = 0;
  let liveMinute = MINUTES;
  const writer = (async () => {
    while (writing) {
      const w = makeWindow(T0 + liveMinute * MIN, minuteEdges(c, rand));
      liveMinute++;
      written += w.edges.length;
      await store.write([w]);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const times: number[] = [];
  let nodes = 0;
  let edges = 0;
  for (let i = 0; i < Number(process.env.BENCH_QUERIES ?? 60); i++) {
    const q0 = performance.now();
    const g = await service.graph(query);
    times.push(performance.now() - q0);
    nodes = g.nodes.length;
    edges = g.edges.length;
  }
  loop.disable();
  writing = false;
  await writer;
  await store.flush();
  const after = await store.inspect();
  times.sort((a, b) => a - b);
  console.log(
    `bench history graph 7d (${nodes} nodes, ${edges} edges): p50 ${percentile(times, 0.5).toFixed(1)} ms, p95 ${percentile(times, 0.95).toFixed(1)} ms, max ${times.at(-1)!.toFixed(1)} ms over ${times.length} queries`,
  );
  console.log(
    `bench history ingest during queries: ${written} edges written in ${liveMinute - MINUTES} windows, ${after.minuteRows - before.minuteRows} persisted, dropped ${JSON.stringify(store.stats().droppedEdges)}, event-loop delay p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms max ${(loop.max / 1e6).toFixed(1)} ms`,
  );
  if (after.minuteRows - before.minuteRows !== written)
    throw new Error(
      `Cannot confirm lossless ingest: wrote ${written}, persisted ${after.minuteRows - before.minuteRows}`,
    );
  await apiTimings(store, clock, query);
  await store.stop();
  if (!process.env.BENCH_DIR) rmSync(dir, { recursive: true, force: true });
}

await main();
