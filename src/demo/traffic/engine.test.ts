import { describe, expect, it } from 'vitest';
import { createSimulation } from '../simulation.js';
import { DEMO_EXTERNALS } from './patterns.js';

const START = Date.UTC(2025, 5, 15, 12, 0, 0);

describe('createTrafficEngine()', () => {
  it("never gives a client a source port its own pod listens on (paymentservice's 50051)", () => {
    const sim = createSimulation({
      seed: 4,
      start: START,
      rolloutEveryMs: 0,
      cronJobs: false,
      patterns: [
        {
          from: 'shop/paymentservice',
          to: { kind: 'external', ip: DEMO_EXTERNALS.paymentGateway.ip, port: 443 },
          protocol: 'TCP',
          rate: 500,
          requestBytes: 100,
          responseBytes: 100,
          latencyMs: 5,
          reuseMs: 0,
        },
      ],
    });
    const ports = new Set<number>();
    const seen = new Set<string>();
    const own: string[] = [];
    for (let t = START + 1_000; t <= START + 240_000; t += 1_000) {
      sim.cluster.advance(t);
      for (const a of sim.traffic.step(t)) {
        if (a.conn.client.kind !== 'pod' || !a.toServer) continue;
        const pod = a.conn.client.pod;
        const key = `${pod.name}:${a.conn.clientPort}`;
        if (seen.has(key)) continue;
        seen.add(key);
        ports.add(a.conn.clientPort);
        if (pod.workload.ports.some((p) => p.port === a.conn.clientPort)) own.push(`${pod.name}:${a.conn.clientPort}`);
      }
    }
    expect(own).toEqual([]);
    // the source ports went round the whole ephemeral range several times, past 50051 on every round
    expect(ports.size).toBeGreaterThan(20_000);
  });
});
