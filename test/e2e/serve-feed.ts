/**
 * Feeding a running `flowmap serve` with a scenario through real softflowd exporters (one per node, relayed from
 * its own port, so serve sees one exporter per node) and waiting for what serve answers.
 * @module
 */
import { join } from 'node:path';
import type { GraphResponse, StatusResponse } from '../../src/contract/responses.js';
import { runSoftflowd, type SoftflowdRun, toPcapRecords, writePcap } from '../tools/index.js';
import { fromGraph } from './serve-edges.js';
import { pollUntil, type ServeProcess } from './serve-tools.js';
import type { ExpectedEdge, Scenario } from './serve-traffic.js';

/** records softflowd says it exported (its summary at shutdown: "Flows exported: N (M records) ...") */
export function exportedRecords(run: SoftflowdRun): number {
  const m = /Flows exported: \d+ \((\d+) records\)/.exec(run.output);
  if (!m) throw new Error(`Cannot read the exported record count of softflowd:\n${run.output}`);
  return Number(m[1]);
}

/**
 * Runs softflowd over each node's capture, one node after the other in `nodes` order, relaying every datagram to
 * `flowPort`, then over each node's later capture from the same relay port (the same exporter for serve); resolves
 * with the runs (first runs in `nodes` order, then the later ones) once serve's /api/v1/status counts all records.
 */
export async function exportScenario(
  serve: ServeProcess,
  flowPort: number,
  scenario: Scenario,
  options: { version: 9 | 10; nodes: readonly string[]; dir: string; extraArgs?: readonly string[] },
): Promise<SoftflowdRun[]> {
  const runs: SoftflowdRun[] = [];
  const run = async (node: string, phase: 'first' | 'later', port?: number) => {
    const packets = (phase === 'first' ? scenario.views : scenario.later).get(node);
    if (!packets) throw new Error(`Cannot export node "${node}": no capture in the scenario`);
    if (packets.length === 0) return;
    const pcap = join(options.dir, `${node}-${phase}-v${options.version}.pcap`);
    writePcap(pcap, toPcapRecords(packets));
    runs.push(
      await runSoftflowd({
        pcap,
        version: options.version,
        packets: packets.length,
        forwardTo: { port: flowPort },
        ...(port !== undefined ? { port } : {}),
        ...(options.extraArgs ? { extraArgs: options.extraArgs } : {}),
      }),
    );
  };
  for (const node of options.nodes) await run(node, 'first');
  const firstRuns = [...runs];
  for (const [i, node] of options.nodes.entries()) await run(node, 'later', firstRuns[i]!.collectorPort);
  const records = runs.reduce((n, r) => n + exportedRecords(r), 0);
  const status = await pollUntil(
    () => serve.json<StatusResponse>('/api/v1/status'),
    (s) => s.exporters.reduce((n, e) => n + e.records, 0) >= records,
  );
  const received = status.exporters.reduce((n, e) => n + e.records, 0);
  if (received !== records) throw new Error(`serve counted ${received} records of the ${records} softflowd exported`);
  return runs;
}

/** polls /api/v1/graph over `range` until its edges equal `expected` (or 20 s pass) and returns the last answer */
export function waitForEdges(serve: ServeProcess, range: string, expected: readonly ExpectedEdge[]) {
  const want = JSON.stringify(expected);
  return pollUntil(
    () => serve.json<GraphResponse>(`/api/v1/graph?${range}`),
    (g) => JSON.stringify(fromGraph(g.edges)) === want,
  );
}
