/**
 * Bad input at the edges of the two commands: `flowmap serve` refuses a bad configuration (file, environment, flag)
 * or an unusable snapshot or port at start, naming what is wrong, with a non-zero exit status; `flowmap map` names a
 * malformed snapshot file; garbage datagrams sent to a running serve are counted in flowmap_dropped_total and it
 * keeps serving: the real exports sent after them (and a corrupt packet from a known exporter) still give the
 * generator's edges.
 */
import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Exposition, parseExposition, sampleSum } from '../../src/sinks/prometheus/testing.js';
import { describeWithTools, sendUdp } from '../tools/index.js';
import { buildServeCluster, configYaml, LIVE_DNAT_WAIT_MS } from './serve-cluster.js';
import { fromGraph } from './serve-edges.js';
import { exportScenario, waitForEdges } from './serve-feed.js';
import { killAllServes, pollUntil, portRange, ROOT, type ServeProcess, spawnServe, startServe } from './serve-tools.js';
import { buildScenario, EXPORTING_NODES } from './serve-traffic.js';

const nextPort = portRange(30_600, 200);
let dir = '';
let snapshot = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'flowmap-serve-bad-'));
  snapshot = join(dir, 'cluster.json');
  writeFileSync(snapshot, JSON.stringify(buildServeCluster().list));
});

afterAll(async () => {
  await killAllServes();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** runs serve until it exits by itself (it must, within 20 s: else it is killed and `code` is 'running') */
async function serveFails(args: string[], env: Record<string, string> = {}) {
  const httpPort = await nextPort();
  const http = args.includes('--http-port') ? [] : ['--http-port', String(httpPort)]; // never the default 8080
  const serve = spawnServe({ args: ['--store', 'memory', ...http, ...args], env, httpPort });
  const exited = await Promise.race([
    new Promise<number | null>((resolve) => serve.child.once('exit', (code) => resolve(code))),
    new Promise<'running'>((resolve) => setTimeout(() => resolve('running'), 20_000)),
  ]);
  if (exited === 'running') await serve.stop(1_000);
  return { code: exited, output: serve.output() };
}

describe('flowmap serve refuses bad configuration at start', () => {
  it('names the field of an invalid value in the config file, the file, and exits 2', async () => {
    const path = file('enum.yaml', 'collector:\n  exporterIdentity: address-and-port\n');
    const r = await serveFails(['--config', path]);
    expect(r.code).toBe(2);
    expect(r.output).toContain(`Cannot load config file "${path}"`);
    expect(r.output).toMatch(/collector\.exporterIdentity: .*"address"\|"address-port"/);
  });

  it('names an unknown (misspelt) field and a YAML syntax error', async () => {
    const typo = file('typo.yaml', 'colector:\n  udp:\n    ports: [2055]\n');
    const broken = file('broken.yaml', 'api: [unclosed\n');
    const [r, s] = await Promise.all([serveFails(['--config', typo]), serveFails(['--config', broken])]);
    expect(r).toMatchObject({ code: 2, output: expect.stringContaining(`unknown field "colector"`) });
    expect(s).toMatchObject({ code: 2, output: expect.stringContaining(`Cannot parse config file "${broken}"`) });
  });

  it('names a bad FLOWMAP_* variable and a bad flag', async () => {
    const [env, range, flag] = await Promise.all([
      serveFails([], { FLOWMAP_API__PORT: 'eighty' }),
      serveFails([], { FLOWMAP_PIPELINE__AGGREGATE__BUCKET_MS: '10' }),
      serveFails(['--flow-ports', '2055,70000']),
    ]);
    expect(env).toMatchObject({ code: 2, output: expect.stringContaining('"FLOWMAP_API__PORT"') });
    expect(range).toMatchObject({ code: 2, output: expect.stringMatching(/pipeline\.aggregate\.bucketMs: /) });
    expect(flag).toMatchObject({ code: 2, output: expect.stringContaining('Cannot use --flow-ports "70000"') });
  });

  it('names a malformed or missing snapshot file and exits non-zero', async () => {
    const truncated = file('truncated.json', '{"apiVersion":"v1","kind":"List","items":[{"kind":"Pod"');
    const notList = file('not-list.json', '{"apiVersion":"v1","kind":"List","items":"pods"}');
    const paths = [truncated, notList, join(dir, 'absent.json')];
    const runs = await Promise.all(
      paths.map(async (path) => {
        const ports = ['--flow-ports', String(await nextPort()), '--ipfix-tcp-port', 'off'];
        return [path, await serveFails(['--cluster', path, ...ports])] as const;
      }),
    );
    for (const [path, r] of runs) {
      expect(r.code, r.output).toBe(1); // exits by itself ('running' if it had to be killed)
      expect(r.output).toContain(`Cannot load cluster snapshot "${path}"`);
    }
  });

  it('names a port that is taken (HTTP and UDP) and exits non-zero', async () => {
    const http = await nextPort();
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(http, '0.0.0.0', () => resolve()));
    const udpPort = await nextPort();
    const udp = createSocket({ type: 'udp6' });
    await new Promise<void>((resolve) => udp.bind(udpPort, '::', () => resolve()));
    try {
      const flows = ['--flow-ports', String(await nextPort()), '--ipfix-tcp-port', 'off'];
      const [r, u] = await Promise.all([
        serveFails(['--cluster', snapshot, '--http-port', String(http), ...flows]),
        serveFails(['--cluster', snapshot, '--flow-ports', String(udpPort), '--ipfix-tcp-port', 'off']),
      ]);
      expect(r.code, r.output).toBe(1);
      expect(r.output).toMatch(new RegExp(`Cannot listen on "[^"]*:${http}": .*EADDRINUSE`));
      expect(u.code, u.output).toBe(1);
      expect(u.output).toContain(String(udpPort));
      expect(u.output).toContain('EADDRINUSE');
    } finally {
      await new Promise((resolve) => taken.close(resolve));
      await new Promise<void>((resolve) => udp.close(() => resolve()));
    }
  }, 30_000);
});

describe('flowmap map refuses a malformed snapshot', () => {
  const map = (args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'map', ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
    });

  it('names the snapshot file and exits 1', () => {
    const flows = file('flows.dat', '');
    for (const [name, text] of [
      ['map-truncated.json', '{"apiVersion":"v1","kind":"List","items":[{"kind":"Pod"'],
      ['map-not-list.yaml', 'apiVersion: v1\nkind: List\nitems: 7\n'],
    ] as const) {
      const path = file(name, text);
      const r = map(['--cluster', path, '--flows', flows, '--format', 'json']);
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr).toContain(`"${path}"`);
      expect(r.stdout).toBe('');
    }
  });

  it('names a flows file that is not a capture', () => {
    const flows = file('not-a-capture.pcap', 'this is not a pcap file\n');
    const r = map(['--cluster', snapshot, '--flows', flows]);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toContain(`"${flows}"`);
  });
});

/** garbage a collector port can receive, and which drop reason the format alone implies (undefined: any) */
function garbage(): [Uint8Array, string | undefined][] {
  const bytes = (...b: number[]) => new Uint8Array(b);
  const random = new Uint8Array(300).map((_, i) => (i * 89 + 7) & 255);
  random.set([0xde, 0xad], 0);
  return [
    [new Uint8Array(0), 'truncated'],
    [bytes(9), 'truncated'],
    [random, 'unknown-version'],
    [bytes(0, 9, 0, 1, 0, 0), undefined], // v9 header cut short
    [bytes(0, 10, 3, 232, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0), undefined], // IPFIX length 1000, 16 bytes sent
    [bytes(0, 5, 0, 30, ...new Array<number>(20).fill(0)), undefined], // v5 header announcing 30 records, none sent
    [bytes(0, 9, 0, 1, ...new Array<number>(16).fill(0), 1, 0, 0, 200), undefined], // v9 flowset longer than packet
  ];
}

describeWithTools(['softflowd', 'softflowctl'], 'flowmap serve under garbage datagrams', () => {
  let serve: ServeProcess;
  let flowPort = 0;

  beforeAll(async () => {
    const httpPort = await nextPort();
    flowPort = await nextPort();
    const config = file('garbage.yaml', configYaml({ addressPort: true, dnatWaitMs: LIVE_DNAT_WAIT_MS }));
    serve = await startServe({
      args: ['--config', config, '--cluster', snapshot, '--store', 'memory', '--http-port', String(httpPort)].concat([
        '--flow-ports',
        String(flowPort),
        '--ipfix-tcp-port',
        'off',
      ]),
      httpPort,
    });
  }, 30_000);

  it('counts every garbage datagram as a decode drop and keeps serving the real exports after them', async () => {
    const junk = garbage();
    const metrics = async () => parseExposition(await serve.text('/metrics'));
    await sendUdp(
      junk.map(([p]) => p),
      flowPort,
    );
    const received = (m: Exposition) => sampleSum(m, 'flowmap_collector_packets_total', {});
    const decoded = (m: Exposition) => sampleSum(m, 'flowmap_decode_packets_total', {});
    const m = await pollUntil(metrics, (x) => decoded(x) >= junk.length, 10_000);
    expect(received(m)).toBe(junk.length);
    expect(decoded(m)).toBe(junk.length);
    expect(sampleSum(m, 'flowmap_decode_records_total', {})).toBe(0);
    const decodeDrops = sampleSum(m, 'flowmap_dropped_total', { stage: 'decode' });
    expect(decodeDrops).toBeGreaterThanOrEqual(junk.length);
    for (const reason of ['truncated', 'unknown-version']) {
      const want = junk.filter(([, r]) => r === reason).length;
      expect(sampleSum(m, 'flowmap_dropped_total', { stage: 'decode', reason }), reason).toBeGreaterThanOrEqual(want);
    }
    expect(sampleSum(m, 'flowmap_dropped_total', { stage: 'decode', reason: 'unknown-version' })).toBe(1);
    expect((await fetch(`${serve.url}/readyz`)).status).toBe(200);

    const t0 = Date.now() - 3_000;
    const scenario = buildScenario(buildServeCluster(), t0);
    const runs = await exportScenario(serve, flowPort, scenario, { version: 10, nodes: EXPORTING_NODES, dir });
    const range = `from=${t0 - 60_000}&to=${Date.now() + 60_000}`;
    expect(fromGraph((await waitForEdges(serve, range, scenario.edges)).edges)).toEqual(scenario.edges);

    // a corrupt packet from an exporter whose templates serve holds: dropped, the map unchanged
    const known = runs[0]!.datagrams.find((d) => d.payload.length > 40)!.payload.slice(0, 40);
    new DataView(known.buffer).setUint16(2, 4000); // IPFIX message length beyond the datagram
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(runs[0]!.collectorPort, '127.0.0.1', () => resolve()));
    await new Promise<void>((resolve) => socket.send(known, flowPort, '127.0.0.1', () => resolve()));
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    const after = await pollUntil(
      metrics,
      (x) => sampleSum(x, 'flowmap_dropped_total', { stage: 'decode' }) > decodeDrops,
    );
    expect(sampleSum(after, 'flowmap_dropped_total', { stage: 'decode' })).toBeGreaterThan(decodeDrops);
    const graph = await serve.json<{ edges: Parameters<typeof fromGraph>[0] }>(`/api/v1/graph?${range}`);
    expect(fromGraph(graph.edges)).toEqual(scenario.edges);
    expect(await serve.stop()).toEqual({ code: 0, signal: null });
  }, 60_000);
});
