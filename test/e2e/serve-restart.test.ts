/**
 * Restart with the DuckDB store (issue 5): a `flowmap serve` fed by softflowd on two nodes is stopped with SIGTERM
 * while everything still sits in the open bucket (and in orient's pairing memory); a second serve on the same data
 * directory answers the same edges from history, and the templates the first one learnt were persisted: a
 * data-only export packet (templates stripped) from the same exporter decodes after the restart, the same packet
 * from an exporter serve never heard of is dropped as template-missing.
 */
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { GraphResponse, StatusResponse } from '../../src/contract/responses.js';
import { type Exposition, parseExposition, sampleSum } from '../../src/sinks/prometheus/testing.js';
import { describeWithTools, type SoftflowdRun } from '../tools/index.js';
import { dataOnly, dataRecordCount, templateRecordLengths } from './flow-sets.js';
import { buildServeCluster, configYaml } from './serve-cluster.js';
import { fromDocument, fromGraph } from './serve-edges.js';
import { exportScenario } from './serve-feed.js';
import { killAllServes, pollUntil, portRange, type ServeProcess, startServe } from './serve-tools.js';
import { buildScenario, EXPORTING_NODES, type Scenario } from './serve-traffic.js';

const nextPort = portRange(30_400, 200);

/** sends `payload` to 127.0.0.1:`to` from 127.0.0.1:`from` (an exporter's own source port) */
async function sendFrom(from: number, to: number, payload: Uint8Array): Promise<void> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(from, '127.0.0.1', () => resolve());
  });
  await new Promise<void>((resolve, reject) =>
    socket.send(payload, to, '127.0.0.1', (e) => (e ? reject(e) : resolve())),
  );
  await new Promise<void>((resolve) => socket.close(() => resolve()));
}

describeWithTools(['softflowd', 'softflowctl'], 'flowmap serve restarts on its DuckDB data directory', () => {
  let dir = '';
  let dataDir = '';
  let args: string[] = [];
  let httpPort = 0;
  let flowPort = 0;
  let scenario: Scenario;
  let runs: SoftflowdRun[] = [];
  let t0 = 0;
  let second: ServeProcess | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flowmap-serve-restart-'));
    dataDir = join(dir, 'data');
    const cluster = buildServeCluster();
    writeFileSync(join(dir, 'cluster.json'), JSON.stringify(cluster.list));
    writeFileSync(join(dir, 'flowmap.yaml'), configYaml({ addressPort: true })); // default dnatWaitMs: stop flushes
    httpPort = await nextPort();
    flowPort = await nextPort();
    args = ['--config', join(dir, 'flowmap.yaml'), '--cluster', join(dir, 'cluster.json')].concat(
      ['--store', 'duckdb', '--data-dir', dataDir, '--http-port', String(httpPort)],
      ['--flow-ports', String(flowPort), '--ipfix-tcp-port', 'off'],
    );
    const first = await startServe({ args, httpPort });
    t0 = Date.now() - 3_000;
    scenario = buildScenario(cluster, t0);
    runs = await exportScenario(first, flowPort, scenario, { version: 9, nodes: EXPORTING_NODES, dir });
    // stop at once: the bucket is still open and conversations may still wait for pairing
    const stopped = await first.stop();
    expect(stopped, first.output()).toEqual({ code: 0, signal: null });
    second = await startServe({ args, httpPort });
  }, 90_000);

  afterAll(async () => {
    await killAllServes();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('answers the edges of before the restart from history, Services included', async () => {
    const range = `from=${t0 - 120_000}&to=${Date.now() + 60_000}`;
    const graph = await second!.json<GraphResponse>(`/api/v1/graph?${range}`);
    expect(fromGraph(graph.edges)).toEqual(scenario.edges);
    for (const e of graph.edges) {
      const t = scenario.times.get(e.id)!; // v9: whole-second header clock
      expect(Math.abs(e.firstSeen - t.first), e.id).toBeLessThanOrEqual(1_000);
      expect(Math.abs(e.lastSeen - t.last), e.id).toBeLessThanOrEqual(1_000);
    }
    const doc = await second!.json<Parameters<typeof fromDocument>[0]>(`/api/v1/export?format=json&${range}`);
    expect(fromDocument(doc)).toEqual(scenario.edges);
    const status = await second!.json<StatusResponse>('/api/v1/status');
    expect(status.liveEdges).toBe(0);
  });

  it('persisted the templates: a data-only packet from a known exporter decodes, from a new one it is dropped', async () => {
    const saved = JSON.parse(readFileSync(join(dataDir, 'templates.json'), 'utf8')) as unknown;
    expect(saved).toBeTruthy();
    expect(existsSync(join(dataDir, 'templates.json'))).toBe(true);
    const run = runs[0]!;
    const payloads = run.datagrams.map((d) => d.payload);
    const lengths = templateRecordLengths(payloads);
    const packet = payloads.map((p) => dataOnly(p, lengths)).find((p) => p !== undefined);
    expect(packet, 'softflowd sent data sets').toBeDefined();
    const records = dataRecordCount(packet!, lengths);
    expect(records).toBeGreaterThan(0);

    const metrics = async () => parseExposition(await second!.text('/metrics'));
    const decoded = (m: Exposition) => sampleSum(m, 'flowmap_decode_records_total', { version: 'netflow-v9' });
    const missing = (m: Exposition) =>
      sampleSum(m, 'flowmap_dropped_total', { stage: 'decode', reason: 'template-missing' });
    const before = await metrics();
    expect(decoded(before)).toBe(0);

    await sendFrom(run.collectorPort, flowPort, packet!);
    const after = await pollUntil(metrics, (m) => decoded(m) > 0, 10_000);
    expect(decoded(after)).toBe(records);
    expect(missing(after)).toBe(missing(before));

    const stranger = await nextPort();
    await sendFrom(stranger, flowPort, packet!);
    const refused = await pollUntil(metrics, (m) => missing(m) > missing(before), 10_000);
    expect(missing(refused)).toBeGreaterThan(missing(before));
    expect(decoded(refused)).toBe(records);
    const status = await second!.json<StatusResponse>('/api/v1/status');
    expect(status.exporters.find((e) => e.address === `127.0.0.1:${run.collectorPort}`)?.records).toBe(records);
  });

  it('stops cleanly again', async () => {
    expect(await second!.stop()).toEqual({ code: 0, signal: null });
  });
});
