import { describe, expect, it } from 'vitest';
import type { OrientedFlow } from '../core/conversation.js';
import type { FlowRecord } from '../core/flow.js';
import { orientConfig } from './config.js';
import { createOrienter, type Orienter } from './orienter.js';
import { createFakeIndex, FLAGS, flushed, rec } from './testing.js';

const index = createFakeIndex({});

function orienter(overrides: Record<string, unknown> = {}): Orienter {
  return createOrienter(
    orientConfig.parse({ pairingDelayMs: 1000, idleTimeoutMs: 60_000, endedLingerMs: 10_000, ...overrides }),
    { index },
  );
}

function push(o: Orienter, records: readonly FlowRecord[], now: number): OrientedFlow[] {
  o.add(
    records.map((flow) => ({ flow, src: index.lookup(flow.srcAddr, 0), dst: index.lookup(flow.dstAddr, 0) })),
    now,
  );
  return flushed(o, now);
}

const connections = (flows: readonly OrientedFlow[]) => flows.reduce((n, f) => n + f.connections, 0);
const C = '10.0.1.5:41000';
const S = '10.0.2.7:443';

describe('orienter: connection counting', () => {
  it('counts a connection split by the active timeout once', () => {
    const o = orienter();
    const flows = [
      ...push(o, [rec(C, S, { tcpFlags: 0x1a, start: 0, end: 60_000 })], 60_000),
      ...push(o, [rec(S, C, { tcpFlags: 0x1a, start: 1, end: 60_000 })], 60_000),
      ...push(o, [rec(C, S, { tcpFlags: FLAGS.MIDDLE, start: 60_001, end: 120_000 })], 120_000),
      ...push(o, [rec(S, C, { tcpFlags: FLAGS.MIDDLE, start: 60_001, end: 120_000 })], 120_000),
      ...push(o, [rec(C, S, { tcpFlags: 0x19, start: 120_001, end: 150_000 })], 150_000),
    ];
    expect(flows).toHaveLength(5);
    expect(connections(flows)).toBe(1);
    expect(flows.reduce((n, f) => n + f.bytesToServer + f.bytesToClient, 0)).toBe(5000);
  });

  it('counts a new SYN after FIN/RST on the same 5-tuple as a new connection', () => {
    const o = orienter();
    const flows = [
      ...push(o, [rec(C, S, { tcpFlags: FLAGS.CLIENT_FULL, start: 0, end: 500 })], 1_000),
      // the other exporter's late copy of the first connection is not a new one
      ...push(o, [rec(C, S, { exporter: '192.0.2.9', tcpFlags: FLAGS.CLIENT_FULL, start: 0, end: 500 })], 1_500),
      ...push(o, [rec(C, S, { tcpFlags: FLAGS.SYN, start: 700, end: 700 })], 2_000),
      ...push(o, [rec(C, S, { tcpFlags: FLAGS.RST | 0x10, start: 701, end: 900 })], 2_000),
      ...push(o, [rec(C, S, { tcpFlags: FLAGS.CLIENT_FULL, start: 1_000, end: 1_200 })], 3_000),
    ];
    expect(connections(flows)).toBe(3);
    expect(o.stats().reopened).toBe(2);
  });

  it('a record without SYN after FIN is the same connection', () => {
    const o = orienter();
    const flows = [
      ...push(o, [rec(C, S, { tcpFlags: FLAGS.CLIENT_FULL, start: 0, end: 500 })], 1_000),
      ...push(o, [rec(S, C, { tcpFlags: FLAGS.FIN_ACK, start: 600, end: 600 })], 1_100),
      ...push(o, [rec(C, S, { tcpFlags: FLAGS.FIN_ACK, start: 700, end: 700 })], 1_200),
    ];
    expect(flows).toHaveLength(3);
    expect(connections(flows)).toBe(1);
  });

  it('UDP: the same 5-tuple after an idle gap is a new connection, within it the same', () => {
    const o = orienter();
    const udp = { ipProtocol: 17, tcpFlags: 0 };
    const flows = [
      ...push(o, [rec('10.0.1.5:5353', '10.0.0.10:53', { ...udp, start: 0, end: 10 })], 100),
      ...push(o, [rec('10.0.1.5:5353', '10.0.0.10:53', { ...udp, start: 30_000, end: 30_010 })], 30_100),
      ...push(o, [rec('10.0.1.5:5353', '10.0.0.10:53', { ...udp, start: 100_000, end: 100_010 })], 100_100),
    ];
    expect(flows.map((f) => f.connections)).toEqual([1, 0, 1]);
  });

  it('scales bytes and packets by the sampling rate, not connections unless configured', () => {
    const sampled = rec(C, S, { tcpFlags: FLAGS.SYN, bytes: 60, packets: 1, samplingRate: 100 });
    const [flow] = push(orienter(), [sampled], 0);
    expect(flow).toMatchObject({ bytesToServer: 6000, packetsToServer: 100, connections: 1 });
    const [scaled] = push(orienter({ scaleConnections: true }), [sampled], 0);
    expect(scaled).toMatchObject({ bytesToServer: 6000, connections: 100 });
    const [zero] = push(orienter(), [{ ...sampled, samplingRate: 0 }], 0);
    expect(zero!.bytesToServer).toBe(60);
  });
});

describe('orienter: memory', () => {
  it('forgets idle conversations and ended ones sooner', () => {
    const o = orienter();
    push(o, [rec(C, S, { tcpFlags: FLAGS.CLIENT_FULL, start: 0, end: 10 })], 0);
    push(o, [rec('10.0.1.5:41001', S, { tcpFlags: FLAGS.SYN, start: 0, end: 10 })], 0);
    expect(o.stats().conversations).toBe(2);
    o.flush(10_001);
    expect(o.stats()).toMatchObject({ conversations: 1, evicted: 1 }); // the FIN one, after endedLingerMs
    o.flush(60_001);
    expect(o.stats()).toMatchObject({ conversations: 0, evicted: 2 });
  });

  it('keeps a conversation that stays active past several idle periods (one connection)', () => {
    const o = orienter();
    const flows: OrientedFlow[] = [];
    for (let t = 0; t <= 300_000; t += 30_000) {
      const flags = t === 0 ? FLAGS.SYN : FLAGS.MIDDLE;
      flows.push(...push(o, [rec(C, S, { tcpFlags: flags, start: t, end: t + 29_000 })], t + 29_000));
    }
    expect(flows).toHaveLength(11);
    expect(connections(flows)).toBe(1);
    expect(o.stats()).toMatchObject({ evicted: 0, conversations: 1 });
    o.flush(300_000 + 29_000 + 60_001);
    expect(o.stats()).toMatchObject({ evicted: 1, conversations: 0 });
  });

  it('a forgotten long connection counts again when it shows up (documented limit)', () => {
    const o = orienter();
    push(o, [rec(C, S, { tcpFlags: FLAGS.SYN, start: 0, end: 10 })], 0);
    o.flush(70_000);
    push(o, [rec(C, S, { tcpFlags: FLAGS.MIDDLE, start: 69_000, end: 70_000 })], 70_000);
    expect(connections(o.flush(80_000) ?? [])).toBe(1);
  });

  it('caps the conversation table; refused records are oriented alone and counted as untracked', () => {
    const o = orienter({ maxConversations: 2 });
    const flows = [
      ...push(o, [rec('10.0.1.5:41000', S, { tcpFlags: FLAGS.SYN })], 0),
      ...push(o, [rec('10.0.1.5:41001', S, { tcpFlags: FLAGS.SYN })], 0),
      ...push(o, [rec('10.0.1.5:41002', S, { tcpFlags: FLAGS.SYN })], 0),
      ...push(o, [rec(S, '10.0.1.5:41002', { tcpFlags: FLAGS.SYN_ACK })], 0),
    ];
    expect(o.stats()).toMatchObject({ conversations: 2, untracked: 2, refusedConversations: 2 });
    expect(flows).toHaveLength(4);
    expect(flows.slice(2).map((f) => [f.serverPort, f.connections])).toEqual([
      [443, 1],
      [443, 0],
    ]);
  });
});
