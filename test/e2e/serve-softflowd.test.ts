/**
 * Issue 4, "Must show", end to end with real programs: the test writes a cluster snapshot and captures of cluster
 * traffic as two worker nodes see it (handshakes, mid-stream connections, a client port below the server port, DNS
 * to CoreDNS by pod IP and by the kube-dns ClusterIP, a ClusterIP call no node reports after DNAT, a host-network pod
 * and a kubelet on a node IP, a node as client, a CIDR-labelled and an ASN-named external address, a long connection
 * each node exports in two records). Two Debian softflowd processes, one per node, export them as NetFlow v9
 * (`-v 9 -a`), as IPFIX (`-v 10 -A milli`) and as IPFIX biflows (`-b`) to a real `flowmap serve` process that tells
 * them apart by source port (collector.exporterIdentity: address-port, from the config file or from FLOWMAP_*). The
 * edges /api/v1/graph and /api/v1/export answer (client and server workload, port, protocol, bytes and packets both
 * ways, connections, Services, first/last seen) equal the generator's truth, counted once although both nodes export
 * the cross-node conversations, whichever node is heard first; `flowmap map` on a capture of the exported datagrams
 * agrees.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { GraphResponse, StatusResponse } from '../../src/contract/responses.js';
import type { EdgeDocument } from '../../src/export/index.js';
import { describeWithTools, type SoftflowdRun } from '../tools/index.js';
import { buildServeCluster, configYaml, LIVE_DNAT_WAIT_MS, type ServeCluster } from './serve-cluster.js';
import { fromDocument, fromGraph, writeExportCapture } from './serve-edges.js';
import { exportedRecords, exportScenario, waitForEdges } from './serve-feed.js';
import { killAllServes, portRange, ROOT, startServe } from './serve-tools.js';
import { buildScenario, EXPORTING_NODES, type ExpectedEdge, type Scenario } from './serve-traffic.js';

const nextPort = portRange(30_000, 200);

/** how softflowd exports: NetFlow v9 (`-v 9 -a`), IPFIX (`-v 10 -A milli`), IPFIX biflows (`-b`, RFC 5103) */
const VARIANTS = [
  { key: 'v9', name: 'NetFlow v9', version: 9, extraArgs: [], identityFromEnv: false, serverNodeFirst: false },
  { key: 'ipfix', name: 'IPFIX', version: 10, extraArgs: [], identityFromEnv: true, serverNodeFirst: true },
  {
    key: 'biflow',
    name: 'IPFIX biflows',
    version: 10,
    extraArgs: ['-b'],
    identityFromEnv: false,
    serverNodeFirst: false,
  },
] as const;

describeWithTools(['softflowd', 'softflowctl'], 'softflowd on two nodes -> flowmap serve', () => {
  let dir = '';
  let cluster: ServeCluster;
  let snapshot = '';

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'flowmap-serve-e2e-'));
    cluster = buildServeCluster();
    snapshot = join(dir, 'cluster.json');
    writeFileSync(snapshot, JSON.stringify(cluster.list, null, 1));
    writeFileSync(join(dir, 'flowmap.yaml'), configYaml({ addressPort: true, dnatWaitMs: LIVE_DNAT_WAIT_MS }));
    writeFileSync(join(dir, 'labels.yaml'), configYaml({ dnatWaitMs: LIVE_DNAT_WAIT_MS }));
  });

  afterAll(async () => {
    await killAllServes();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** what each variant's run left for the map check */
  const runs = new Map<string, { scenario: Scenario; datagrams: SoftflowdRun[] }>();

  for (const variant of VARIANTS) {
    const { name, version } = variant;
    it(`${name}: the edges of serve equal the generator's, counted once across both nodes`, async () => {
      const t0 = Date.now() - 3_000;
      const scenario = buildScenario(cluster, t0);
      const httpPort = await nextPort();
      const flowPort = await nextPort();
      const common = ['--cluster', snapshot, '--store', 'memory', '--http-port', String(httpPort)];
      const ports = ['--flow-ports', String(flowPort), '--ipfix-tcp-port', 'off'];
      // exporterIdentity from the config file, or (IPFIX) from the environment
      const serve = await startServe(
        variant.identityFromEnv
          ? {
              args: [...common, ...ports, '--config', join(dir, 'labels.yaml')],
              env: { FLOWMAP_COLLECTOR__EXPORTER_IDENTITY: 'address-port', FLOWMAP_API__HOST: '127.0.0.1' },
              httpPort,
            }
          : { args: [...common, ...ports, '--config', join(dir, 'flowmap.yaml')], httpPort },
      );

      // one node after the other, so that both orders are seen: the client's node (ClusterIPs before DNAT) first,
      // or the server's node (pods after DNAT) first
      const nodes = variant.serverNodeFirst ? [...EXPORTING_NODES].reverse() : EXPORTING_NODES;
      const exported = await exportScenario(serve, flowPort, scenario, {
        version,
        nodes,
        dir,
        extraArgs: variant.extraArgs,
      });
      runs.set(name, { scenario, datagrams: exported });
      const status = await serve.json<StatusResponse>('/api/v1/status');
      expect(status.exporters).toHaveLength(2); // the later runs export from their node's port again
      const byExporter = new Map<string, number>();
      for (const r of exported) {
        const address = `127.0.0.1:${r.collectorPort}`;
        byExporter.set(address, (byExporter.get(address) ?? 0) + exportedRecords(r));
      }
      expect(Object.fromEntries(status.exporters.map((e) => [e.address, e.records]))).toEqual(
        Object.fromEntries(byExporter),
      );

      const range = `from=${t0 - 120_000}&to=${Date.now() + 60_000}`;
      const graph = await waitForEdges(serve, range, scenario.edges);
      expect(fromGraph(graph.edges)).toEqual(scenario.edges);
      expectDirections(graph, scenario.edges);
      // softflowd reports a conversation's first and last packet; v9 loses sub-second precision (header clock)
      const tolerance = version === 9 ? 1_000 : 1;
      for (const e of graph.edges) {
        const t = scenario.times.get(e.id)!;
        expect(Math.abs(e.firstSeen - t.first), `${e.id} firstSeen`).toBeLessThanOrEqual(tolerance);
        expect(Math.abs(e.lastSeen - t.last), `${e.id} lastSeen`).toBeLessThanOrEqual(tolerance);
      }

      const doc = await serve.json<{ edges: EdgeDocument[] }>(`/api/v1/export?format=json&${range}`);
      expect(fromDocument(doc)).toEqual(scenario.edges);

      const stopped = await serve.stop();
      expect(stopped).toEqual({ code: 0, signal: null });
      expect(serve.output()).toMatch(/SIGTERM received: flushing the open bucket and stopping[\s\S]*stopped/);
    }, 60_000);

    it(`${name}: flowmap map on a capture of the exported datagrams gives the same edges`, () => {
      const run = runs.get(name);
      expect(run, 'the serve run of this variant ran').toBeDefined();
      const capture = join(dir, `exports-${variant.key}.pcap`);
      writeExportCapture(
        capture,
        // from the relay's port, as serve saw them: a node's later run is the same exporter
        run!.datagrams.flatMap((r) => r.datagrams.map((d) => ({ ...d, srcPort: r.collectorPort }))),
        2055,
      );
      const result = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          join(ROOT, 'src/cli/main.ts'),
          'map',
          '--cluster',
          snapshot,
          '--flows',
          capture,
          '--format',
          'json',
          '--exporter-by-port',
          '--config',
          join(dir, 'labels.yaml'),
        ],
        { cwd: ROOT, encoding: 'utf8', timeout: 30_000 },
      );
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(fromDocument(JSON.parse(result.stdout) as { edges: EdgeDocument[] })).toEqual(run!.scenario.edges);
    }, 30_000);
  }
});

/** node facts the generator knows: externals carry their label or ASN, mid-stream TCP is decided by the pod's port */
function expectDirections(graph: GraphResponse, expected: readonly ExpectedEdge[]): void {
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  expect(nodes.get('external:corp-db')).toMatchObject({ kind: 'external', label: 'corp-db' });
  expect(nodes.get('external:Google LLC')).toMatchObject({ kind: 'external', asn: 15169, org: 'Google LLC' });
  const evidence = (id: string) => graph.edges.find((e) => e.id === id)?.evidence;
  const midStream = expected.filter((e) => e.port === 50_051 || (e.port === 8080 && !e.services));
  expect(midStream).toHaveLength(2);
  for (const e of midStream) expect(evidence(e.id), e.id).toBe('container-port');
}
