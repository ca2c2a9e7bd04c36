import { describe, expect, it } from 'vitest';
import type { OrientedFlow } from '../core/conversation.js';
import type { FlowRecord } from '../core/flow.js';
import { parseIp } from '../core/ip.js';
import { orientConfig } from './config.js';
import { createOrienter, type Orienter } from './orienter.js';
import { createFakeIndex, FLAGS, rec } from './testing.js';

const index = createFakeIndex({
  pods: [
    { ip: '10.0.1.5', namespace: 'shop', name: 'frontend-1', workload: { kind: 'Deployment', name: 'frontend' } },
    {
      ip: '10.0.2.7',
      namespace: 'shop',
      name: 'cart-1',
      workload: { kind: 'Deployment', name: 'cart' },
      ports: [{ port: 7070, ipProtocol: 6 }],
    },
    { ip: '10.0.2.8', namespace: 'shop', name: 'other-1', workload: { kind: 'Deployment', name: 'other' } },
  ],
  services: [
    {
      ip: '10.96.5.5',
      namespace: 'shop',
      name: 'cartservice',
      ports: [{ port: 80, ipProtocol: 6, targetPort: 7070 }],
      backends: ['10.0.2.7'],
    },
  ],
});

function orienter(overrides: Record<string, unknown> = {}): Orienter {
  return createOrienter(orientConfig.parse({ pairingDelayMs: 1000, ...overrides }), { index });
}

function add(o: Orienter, records: readonly FlowRecord[], now: number): void {
  o.add(
    records.map((flow) => ({
      flow,
      src: index.lookup(flow.srcAddr, flow.end, flow.srcPort, 6),
      dst: index.lookup(flow.dstAddr, flow.end, flow.dstPort, 6),
    })),
    now,
  );
}

const C = '10.0.1.5:41000';
const SVC = '10.96.5.5:80';
const POD = '10.0.2.7:7070';
// the client's node sees the ClusterIP (before DNAT), the server's node sees the pod (after DNAT)
const pre = [
  rec(C, SVC, { exporter: '192.0.2.1', tcpFlags: FLAGS.CLIENT_FULL, bytes: 3000, packets: 10, start: 100 }),
  rec(SVC, C, { exporter: '192.0.2.1', tcpFlags: FLAGS.SERVER_FULL, bytes: 9000, packets: 9, start: 101 }),
];
const post = [
  rec(C, POD, { exporter: '192.0.2.2', tcpFlags: FLAGS.CLIENT_FULL, bytes: 3000, packets: 10, start: 100 }),
  rec(POD, C, { exporter: '192.0.2.2', tcpFlags: FLAGS.SERVER_FULL, bytes: 9000, packets: 9, start: 101 }),
];

function summary(flows: readonly OrientedFlow[]) {
  return {
    servers: [...new Set(flows.map((f) => `${f.server.kind}:${f.server.name}:${f.serverPort}`))],
    services: [...new Set(flows.map((f) => f.service?.name))],
    bytesToServer: flows.reduce((n, f) => n + f.bytesToServer, 0),
    bytesToClient: flows.reduce((n, f) => n + f.bytesToClient, 0),
    connections: flows.reduce((n, f) => n + f.connections, 0),
  };
}

const MERGED = {
  servers: ['pod:cart-1:7070'],
  services: ['cartservice'],
  bytesToServer: 3000,
  bytesToClient: 9000,
  connections: 1,
};

describe('orienter: Service ClusterIP (before DNAT) and backing pod (after DNAT) are one conversation', () => {
  it('merges when the ClusterIP records come first', () => {
    const o = orienter();
    add(o, pre, 0);
    expect(o.flush(10)).toBeUndefined(); // waits for the post-DNAT view
    add(o, post, 20);
    const flows = o.flush(30) ?? [];
    expect(summary(flows)).toEqual(MERGED);
    expect(flows.every((f) => f.client.workload?.name === 'frontend' && f.evidence === 'flow-pairing')).toBe(true);
    expect(o.stats()).toMatchObject({ dnatMerges: 1, conversations: 1 });
  });

  it('merged conversations without handshake or pairing evidence are decided by the Service port', () => {
    const o = orienter();
    const mid = (r: FlowRecord) => ({ ...r, tcpFlags: FLAGS.MIDDLE });
    add(o, [pre[1]!, pre[0]!].map(mid), 0);
    add(o, [post[1]!, post[0]!].map(mid), 5);
    const flows = o.flush(5) ?? [];
    expect(summary(flows)).toEqual(MERGED);
    expect(flows.map((f) => f.evidence)).toEqual(['service-port', 'service-port']);
  });

  it('merges when the pod records come first', () => {
    const o = orienter();
    add(o, post, 0);
    add(o, pre, 20);
    const flows = o.flush(2_000, true) ?? [];
    // the pod's records were reported before the ClusterIP view came: one more fragment, counting nothing, names it
    expect(summary(flows)).toEqual({ ...MERGED, services: [undefined, 'cartservice'] });
    const named = flows.filter((f) => f.service !== undefined);
    expect(named).toHaveLength(1);
    expect(named[0]).toMatchObject({ bytesToServer: 0, bytesToClient: 0, packetsToServer: 0, connections: 0 });
    expect(o.stats()).toMatchObject({ dnatMerges: 1, dropped: { duplicate: 2 } });
  });

  it('uses the postNat* fields an exporter sends', () => {
    const o = orienter();
    const natted = rec(C, SVC, {
      tcpFlags: FLAGS.SYN,
      bytes: 60,
      packets: 1,
      postNatDstAddr: parseIp('10.0.2.7')!,
      postNatDstPort: 7070,
    });
    add(o, [natted], 0);
    const flows = o.flush(0) ?? [];
    expect(summary(flows)).toMatchObject({ servers: ['pod:cart-1:7070'], services: ['cartservice'] });
    expect(flows[0]!.evidence).toBe('tcp-handshake');
  });

  it('waits dnatWaitMs for the backend view, then keeps the Service as the server', () => {
    const o = orienter({ dnatWaitMs: 20_000 });
    add(o, pre, 0);
    expect(o.flush(1_000) ?? []).toEqual([]);
    expect(o.flush(19_000) ?? []).toEqual([]);
    const flows = o.flush(20_000) ?? [];
    expect(summary(flows)).toEqual({
      servers: ['service:cartservice:80'],
      services: [undefined],
      bytesToServer: 3000,
      bytesToClient: 9000,
      connections: 1,
    });
  });

  it('does not merge a pod that does not back the Service', () => {
    const o = orienter();
    add(o, pre.slice(0, 1), 0);
    add(o, [rec(C, '10.0.2.8:7070', { exporter: '192.0.2.2', tcpFlags: FLAGS.CLIENT_FULL })], 10);
    const flows = o.flush(5_000, true) ?? [];
    expect(o.stats()).toMatchObject({ dnatMerges: 0, conversations: 2 });
    expect(new Set(flows.map((f) => f.server.name))).toEqual(new Set(['cartservice', 'other-1']));
  });

  it('can be switched off', () => {
    const o = orienter({ dnatMerge: false });
    add(o, [...pre, ...post], 0);
    expect(summary(o.flush(5_000, true) ?? []).connections).toBe(2);
  });
});
