/**
 * The demo against its own ground truth: `startDemo` (what `flowmap demo` runs) with pods rolling over, then every
 * exporter flushed; flowmap's workload edges over the whole run must be the simulator's `truth()`: the same
 * clients, servers and ports (Service DNAT resolved even when both pods share a node and only the ClusterIP view
 * exists), exact counts where no sampled exporter saw the traffic, and counts within what node-2's 1:10 packet
 * sampling allows where it did.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningDemo, startDemo } from '../../src/cli/commands/demo.js';
import type { GraphEdge, GraphResponse } from '../../src/contract/responses.js';
import { parseIp } from '../../src/core/ip.js';
import { mapNodeOf } from '../../src/core/map-node.js';
import type { TruthEdge } from '../../src/demo/index.js';
import { freePort } from './api-tools.js';
import { getJson, pollFor } from './demo-run.js';

const LIVE_MS = 20_000;
const SAMPLED_NODE = 'node-2';

const total = (o: { values(): Iterable<number> }) => [...o.values()].reduce((n, v) => n + v, 0);

describe('flowmap demo against the simulated truth', () => {
  let running: RunningDemo;
  let truth: TruthEdge[] = [];
  let graph: GraphResponse;
  let clusterEvents = 0;
  const key = (client: string, server: string, port: number, proto: number) =>
    `${client} -> ${server} ${port}/${proto}`;
  const got = new Map<string, GraphEdge>();
  const want = new Map<string, TruthEdge>();

  beforeAll(async () => {
    running = await startDemo({
      httpPort: await freePort(31200),
      rate: 200,
      seed: 3,
      historyMs: 60_000,
      simulation: { rolloutEveryMs: 12_000 },
    });
    const start = Date.now() - 60_000;
    await running.history;
    await new Promise((r) => setTimeout(r, LIVE_MS));
    await running.demo.stop(); // closes every connection and flushes every exporter cache
    const sent = running.demo.stats();
    clusterEvents = sent.clusterEvents;
    await pollFor(
      async () => (total(Object.values(running.flowmap.collector.stats().records)) >= sent.records ? true : undefined),
      10_000,
      () => `received ${JSON.stringify(running.flowmap.collector.stats().records)} of ${sent.records} records`,
      100,
    );
    await running.flowmap.flushToStore(true);
    graph = await getJson<GraphResponse>(
      `${running.url}api/v1/graph?from=${start - 3_600_000}&to=${Date.now() + 60_000}`,
    );
    truth = running.demo.truth();
    // an external address without a CIDR label is named by the ASN data, as flowmap's own resolver names it
    const idOf = (id: string) => {
      if (!id.startsWith('external-ip:')) return id;
      const ip = parseIp(id.slice('external-ip:'.length))!;
      return mapNodeOf(running.flowmap.identity.index.lookup(ip, Date.now()), ip, 'workload').id;
    };
    for (const e of truth) want.set(key(idOf(e.clientId), idOf(e.serverId), e.port, e.ipProtocol), e);
    for (const e of graph.edges) got.set(key(e.source, e.target, e.port, e.ipProtocol), e);
  }, 90_000);

  afterAll(async () => {
    await running?.stop();
  });

  it('received every record, decoded all of them and dropped none', () => {
    const c = running.flowmap.collector.stats();
    expect(c.dropped).toEqual({});
    expect(c.decode.dropped).toEqual({});
    expect(running.demo.stats().sendErrors).toBe(0);
    expect(clusterEvents).toBeGreaterThan(0); // pods came and went during the run
  });

  it('draws exactly the edges of the truth: clients, servers, ports and protocols', () => {
    const describe = (k: string) => {
      const e = got.get(k);
      const t = want.get(k);
      return e ? `${k} (${e.connections} conn, ${e.evidence})` : `${k} (${t!.connections} conn, ${t!.observers})`;
    };
    expect(
      [...got.keys()]
        .filter((k) => !want.has(k))
        .map(describe)
        .join('\n'),
      'edges not in the truth',
    ).toBe('');
    // an edge only the sampled exporter saw is missed when none of its packets was sampled: likely for a few packets
    const missed = [...want].filter(([k]) => !got.has(k));
    const explained = ([, t]: [string, TruthEdge]) =>
      t.observers.every((o) => o === SAMPLED_NODE) && t.packetsToServer + t.packetsToClient < 100;
    expect(
      missed
        .filter((m) => !explained(m))
        .map(([k]) => describe(k))
        .join('\n'),
      'edges of the truth not drawn',
    ).toBe('');
    expect(graph.nodes.filter((n) => n.kind === 'service' || n.kind === 'unknown').map((n) => n.id)).toEqual([]);
    expect(graph.truncated).toBe(false);
  });

  it('counts exactly what no sampled exporter saw', () => {
    const exact = [...want].filter(([, t]) => !t.observers.includes(SAMPLED_NODE));
    expect(exact.length).toBeGreaterThan(5);
    for (const [k, t] of exact) {
      const e = got.get(k)!;
      const pick = (x: GraphEdge | TruthEdge) => [
        x.connections,
        x.bytesToServer,
        x.bytesToClient,
        x.packetsToServer,
        x.packetsToClient,
      ];
      expect(pick(e), k).toEqual(pick(t));
    }
  });

  it("counts within node-2's 1:10 sampling where node-2 saw the traffic", () => {
    const sampled = [...want].filter(([, t]) => t.observers.includes(SAMPLED_NODE));
    expect(sampled.length).toBeGreaterThan(5);
    let truthBytes = 0;
    let mapBytes = 0;
    for (const [k, t] of sampled) {
      const e = got.get(k);
      if (!e) continue; // missed by sampling (see above)
      // a connection is counted when any of its packets reached a report: never more than there were
      expect(e.connections, k).toBeLessThanOrEqual(t.connections);
      expect(e.connections, k).toBeGreaterThan(0);
      truthBytes += t.bytesToServer + t.bytesToClient;
      mapBytes += e.bytesToServer + e.bytesToClient;
      const packets = t.packetsToServer + t.packetsToClient;
      const ratio = (e.bytesToServer + e.bytesToClient) / (t.bytesToServer + t.bytesToClient);
      if (packets < 2_000) continue;
      if (packets / t.connections >= 50) {
        // long conversations, >= 200 sampled packets: the scaled counts land within ±25 % of the truth
        expect(ratio, k).toBeGreaterThan(0.75);
        expect(ratio, k).toBeLessThan(1.25);
      } else {
        // short conversations (DNS: one packet each way) seen by a sampled and an unsampled node: orient's dedup
        // keeps whichever view reports a direction first, and a sampled view exists only when a packet was sampled,
        // so its x10 counts replace exact ones: up to 1 + 0.9 = 1.9 times the truth on average (reported as an
        // orient issue; the unbiased choice would keep the unsampled view)
        expect(ratio, k).toBeGreaterThan(0.75);
        expect(ratio, k).toBeLessThan(2);
      }
    }
    expect(mapBytes / truthBytes).toBeGreaterThan(0.85);
    expect(mapBytes / truthBytes).toBeLessThan(1.15);
  });

  it('names the Services the clients addressed on edges drawn through a ClusterIP', () => {
    for (const [k, t] of want) {
      if (t.services.length === 0) continue;
      // a client on the sampled node may have no ClusterIP view of a short call: then no Service is known
      const services = got.get(k)?.services ?? [];
      if (t.observers.includes(SAMPLED_NODE)) expect(t.services, k).toEqual(expect.arrayContaining([...services]));
      else expect(services, k).toEqual(t.services);
    }
  });
});
