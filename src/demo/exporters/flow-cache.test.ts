import { describe, expect, it } from 'vitest';
import { TCP_FLAG } from '../../core/flow.js';
import { createRandom } from '../random.js';
import type { Observation } from '../traffic/index.js';
import { createFlowCache } from './flow-cache.js';

const obs = (
  at: number,
  packets: number,
  bytes: number,
  flags: number = TCP_FLAG.ACK,
  reverse = false,
): Observation => ({
  node: 'node-1',
  at,
  srcAddr: reverse ? '10.244.2.7' : '10.244.1.5',
  dstAddr: reverse ? '10.244.1.5' : '10.244.2.7',
  srcPort: reverse ? 8080 : 40000,
  dstPort: reverse ? 40000 : 8080,
  ipProtocol: 6,
  packets,
  bytes,
  flags,
  activity: undefined as never,
});

const options = { activeTimeoutMs: 60_000, inactiveTimeoutMs: 15_000, samplingRate: 1, biflow: false };

describe('createFlowCache', () => {
  it('splits a long flow at the active timeout and keeps the counts', () => {
    const cache = createFlowCache(options, createRandom(1));
    const out = [];
    for (let t = 0; t <= 150_000; t += 1000) {
      cache.add(obs(t, 2, 200));
      out.push(...cache.expire(t));
    }
    out.push(...cache.flush(200_000));
    expect(out.map((r) => r.flowEndReason)).toEqual([2, 2, 4]);
    expect(out.reduce((n, r) => n + r.packets, 0)).toBe(151 * 2);
    expect(out.reduce((n, r) => n + r.bytes, 0)).toBe(151 * 200);
    expect(out[0]!.end - out[0]!.start).toBeLessThanOrEqual(60_000);
  });

  it('exports an idle flow after the inactive timeout, a finished TCP flow two seconds after its FIN', () => {
    const cache = createFlowCache(options, createRandom(1));
    cache.add(obs(0, 1, 60, TCP_FLAG.SYN));
    expect(cache.expire(14_999)).toEqual([]);
    expect(cache.expire(15_000).map((r) => [r.flowEndReason, r.tcpFlags])).toEqual([[1, TCP_FLAG.SYN]]);
    cache.add(obs(20_000, 1, 52, TCP_FLAG.FIN | TCP_FLAG.ACK));
    expect(cache.expire(21_000)).toEqual([]);
    expect(cache.expire(22_000).map((r) => r.flowEndReason)).toEqual([3]);
  });

  it('pairs both directions into one biflow record, the first packet forward', () => {
    const cache = createFlowCache({ ...options, biflow: true }, createRandom(1));
    cache.add(obs(0, 1, 60, TCP_FLAG.SYN));
    cache.add(obs(1, 1, 60, TCP_FLAG.SYN | TCP_FLAG.ACK, true));
    cache.add(obs(2, 5, 5000));
    cache.add(obs(3, 9, 9000, TCP_FLAG.ACK | TCP_FLAG.PSH, true));
    const [r, ...rest] = cache.flush(10);
    expect(rest).toEqual([]);
    expect([r!.srcPort, r!.packets, r!.bytes, r!.tcpFlags]).toEqual([40000, 6, 5060, TCP_FLAG.SYN | TCP_FLAG.ACK]);
    expect(r!.reverse).toEqual({ packets: 10, bytes: 9060, tcpFlags: TCP_FLAG.SYN | TCP_FLAG.ACK | TCP_FLAG.PSH });
    expect(r!.biflowDirection).toBe(1);
  });

  it('keeps about one packet in N when sampling and never invents packets', () => {
    const cache = createFlowCache({ ...options, samplingRate: 10 }, createRandom(3));
    for (let t = 0; t < 5000; t++) cache.add(obs(t, t % 2 === 0 ? 1 : 200, t % 2 === 0 ? 60 : 200 * 1500));
    const packets = cache.flush(10_000).reduce((n, r) => n + r.packets, 0);
    expect(cache.sampling.seen).toBe(2500 + 2500 * 200);
    expect(packets).toBe(cache.sampling.kept);
    expect(packets).toBeGreaterThan((cache.sampling.seen / 10) * 0.95);
    expect(packets).toBeLessThan((cache.sampling.seen / 10) * 1.05);
  });
});
