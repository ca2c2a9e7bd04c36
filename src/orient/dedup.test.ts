import { describe, expect, it } from 'vitest';
import type { OrientedFlow } from '../core/conversation.js';
import type { FlowRecord } from '../core/flow.js';
import { orientConfig } from './config.js';
import { createOrienter, type Orienter } from './orienter.js';
import { createFakeIndex, FLAGS, flushed, rec } from './testing.js';

const index = createFakeIndex({
  pods: [
    { ip: '10.0.1.5', namespace: 'shop', name: 'frontend-1', workload: { kind: 'Deployment', name: 'frontend' } },
    { ip: '10.0.2.7', namespace: 'shop', name: 'cart-1', workload: { kind: 'Deployment', name: 'cart' } },
  ],
});

function orienter(): Orienter {
  return createOrienter(orientConfig.parse({ pairingDelayMs: 1000 }), { index });
}

function run(o: Orienter, records: readonly FlowRecord[]): OrientedFlow[] {
  o.add(
    records.map((flow) => ({
      flow,
      src: index.lookup(flow.srcAddr, flow.end),
      dst: index.lookup(flow.dstAddr, flow.end),
    })),
    0,
  );
  return flushed(o, 10_000, true);
}

function totals(flows: readonly OrientedFlow[]) {
  const sum = { bytesToServer: 0, bytesToClient: 0, packetsToServer: 0, packetsToClient: 0, connections: 0 };
  for (const f of flows) {
    sum.bytesToServer += f.bytesToServer;
    sum.bytesToClient += f.bytesToClient;
    sum.packetsToServer += f.packetsToServer;
    sum.packetsToClient += f.packetsToClient;
    sum.connections += f.connections;
  }
  return sum;
}

const C = '10.0.1.5:41000';
const S = '10.0.2.7:7070';
/** one connection as the exporter `exporter` saw it: request 3000 B / 10 pkts, response 90000 B / 70 pkts */
const both = (exporter: string, extra: Partial<FlowRecord> = {}) => [
  rec(C, S, { exporter, tcpFlags: FLAGS.CLIENT_FULL, bytes: 3000, packets: 10, start: 100, end: 900, ...extra }),
  rec(S, C, { exporter, tcpFlags: FLAGS.SERVER_FULL, bytes: 90000, packets: 70, start: 101, end: 900, ...extra }),
];
const ONCE = { bytesToServer: 3000, bytesToClient: 90000, packetsToServer: 10, packetsToClient: 70, connections: 1 };

describe('orienter: dedup across exporters', () => {
  it('counts a flow exported by one node', () => {
    expect(totals(run(orienter(), both('192.0.2.1')))).toEqual(ONCE);
  });

  it('counts the same flow exported by the client node and the server node once', () => {
    const o = orienter();
    const flows = run(o, [...both('192.0.2.1'), ...both('192.0.2.2')]);
    expect(totals(flows)).toEqual(ONCE);
    expect(o.stats().dropped.duplicate).toBe(2);
  });

  it('combines exporters that each saw one direction', () => {
    const o = orienter();
    const [request, response] = both('x');
    const flows = run(o, [
      { ...request!, exporter: '192.0.2.1' },
      { ...response!, exporter: '192.0.2.2' },
    ]);
    expect(totals(flows)).toEqual(ONCE);
    expect(o.stats().dropped.duplicate).toBe(0);
  });

  it('counts node and router copies once, whichever reports a direction first', () => {
    const node = both('192.0.2.1');
    const router = both('198.51.100.1', { protocol: 'ipfix', observationDomainId: 7 });
    const o = orienter();
    // the router reports the response first, the node the request first
    const flows = run(o, [node[0]!, router[1]!, router[0]!, node[1]!]);
    expect(totals(flows)).toEqual(ONCE);
    expect(flows.every((f) => f.server.workload?.name === 'cart' && f.client.workload?.name === 'frontend')).toBe(true);
  });

  it('counts a router that exports ingress and egress copies once', () => {
    const ingress = both('198.51.100.1', { flowDirection: 'ingress' });
    const egress = both('198.51.100.1', { flowDirection: 'egress' });
    expect(totals(run(orienter(), [...ingress, ...egress]))).toEqual(ONCE);
  });

  it('keeps counting the owner across active-timeout splits while dropping the other copy', () => {
    const o = orienter();
    const split = (exporter: string) => [
      rec(C, S, { exporter, tcpFlags: 0x1a, bytes: 1000, packets: 4, start: 100, end: 400 }),
      rec(C, S, { exporter, tcpFlags: 0x19, bytes: 2000, packets: 6, start: 401, end: 900 }),
    ];
    const flows = run(o, [...split('192.0.2.1'), ...split('192.0.2.2')]);
    expect(totals(flows)).toMatchObject({ bytesToServer: 3000, packetsToServer: 10, connections: 1 });
  });

  it('hands a direction over when its owner stops reporting (exporter died), counting nothing twice', () => {
    const o = createOrienter(orientConfig.parse({ pairingDelayMs: 1000, idleTimeoutMs: 120_000 }), { index });
    const out: OrientedFlow[] = [];
    // a long connection both nodes report every minute; the first node's exporter dies after three minutes
    for (let minute = 0; minute < 10; minute++) {
      const t = minute * 60_000;
      const flags = minute === 0 ? FLAGS.CLIENT_FULL : FLAGS.MIDDLE;
      const period = (exporter: string) => [
        rec(C, S, { exporter, tcpFlags: flags, bytes: 1000, packets: 10, start: t, end: t + 59_000 }),
        rec(S, C, {
          exporter,
          tcpFlags: minute === 0 ? FLAGS.SERVER_FULL : FLAGS.MIDDLE,
          start: t + 1,
          end: t + 59_000,
        }),
      ];
      const records = [...period('192.0.2.1'), ...period('192.0.2.2')].filter(
        (r) => minute < 3 || r.exporter !== '192.0.2.1',
      );
      o.add(
        records.map((flow) => ({
          flow,
          src: index.lookup(flow.srcAddr, flow.end),
          dst: index.lookup(flow.dstAddr, flow.end),
        })),
        t + 60_000,
      );
      out.push(...flushed(o, t + 60_000));
    }
    out.push(...flushed(o, 700_000, true));
    // minutes 0-2 from the first node; 3 and 4 lost (the handover waits idleTimeoutMs); 5-9 from the second
    expect(totals(out)).toMatchObject({ bytesToServer: 8 * 1000, connections: 1 });
    expect(o.stats().takeovers).toBe(2);
  });

  it('keeps the owner while it reports, even when another exporter reports later parts first', () => {
    const o = orienter();
    // the second exporter has a shorter active timeout: its records end long after the owner's last one
    const flows = run(o, [
      rec(C, S, { exporter: '192.0.2.1', tcpFlags: 0x1a, bytes: 1000, packets: 4, start: 0, end: 60_000 }),
      rec(C, S, { exporter: '192.0.2.2', tcpFlags: 0x1a, bytes: 500, packets: 2, start: 0, end: 30_000 }),
      rec(C, S, { exporter: '192.0.2.2', tcpFlags: 0x18, bytes: 500, packets: 2, start: 30_001, end: 60_000 }),
      rec(C, S, { exporter: '192.0.2.2', tcpFlags: 0x18, bytes: 500, packets: 2, start: 60_001, end: 90_000 }),
      rec(C, S, { exporter: '192.0.2.1', tcpFlags: 0x18, bytes: 1000, packets: 4, start: 60_001, end: 120_000 }),
    ]);
    expect(totals(flows)).toMatchObject({ bytesToServer: 2000, packetsToServer: 8 });
    expect(o.stats().takeovers).toBe(0);
  });

  it('counts only the unowned direction of a biflow whose other direction another exporter owns', () => {
    const o = orienter();
    const flows = run(o, [
      rec(C, S, { exporter: '192.0.2.1', tcpFlags: FLAGS.SYN, bytes: 3000, packets: 10 }),
      rec(C, S, {
        exporter: '198.51.100.1',
        protocol: 'ipfix',
        bytes: 3000,
        packets: 10,
        reverse: { bytes: 90000, packets: 70, tcpFlags: 0x1b },
      }),
    ]);
    expect(totals(flows)).toEqual(ONCE);
  });
});
