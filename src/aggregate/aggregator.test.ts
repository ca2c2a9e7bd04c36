import { describe, expect, it } from 'vitest';
import type { OrientedFlow } from '../core/conversation.js';
import type { EdgeWindow } from '../core/edge.js';
import { type Endpoint, UNKNOWN_ENDPOINT } from '../core/endpoint.js';
import { parseIp } from '../core/ip.js';
import { rec } from '../orient/testing.js';
import { createAggregator } from './aggregator.js';
import { aggregateConfig } from './config.js';
import { mergeWindows } from './merge.js';

const pod = (name: string, workload: string): Endpoint => ({
  kind: 'pod',
  namespace: 'shop',
  name,
  workload: { kind: 'Deployment', namespace: 'shop', name: workload },
});
const front1 = pod('frontend-a', 'frontend');
const front2 = pod('frontend-b', 'frontend');
const cart = pod('cart-a', 'cart');
const svc: Endpoint = { kind: 'service', namespace: 'shop', name: 'cartservice' };

function flow(client: Endpoint, clientIp: string, server: Endpoint, over: Partial<OrientedFlow> = {}): OrientedFlow {
  return {
    flow: rec('10.0.0.1:1', '10.0.0.2:2'),
    client,
    server,
    clientAddr: parseIp(clientIp)!,
    serverAddr: parseIp('10.0.2.7')!,
    clientPort: 40000,
    serverPort: 7070,
    ipProtocol: 6,
    evidence: 'port-heuristic',
    bytesToServer: 100,
    bytesToClient: 1000,
    packetsToServer: 1,
    packetsToClient: 2,
    connections: 1,
    start: 1_000,
    end: 10_000,
    ...over,
  };
}

const agg = (over: Record<string, unknown> = {}) => createAggregator(aggregateConfig.parse(over));
const summary = (w: EdgeWindow) => ({
  start: w.start,
  level: w.level,
  dropped: w.dropped,
  edges: w.edges.map((e) => `${e.clientId} -> ${e.serverId}:${e.port} ${e.bytesToServer}/${e.connections}`),
});

describe('aggregator', () => {
  it('sums flows per client, server, port and protocol at workload level', () => {
    const a = agg();
    a.add(
      [
        flow(front1, '10.0.1.1', cart),
        flow(front2, '10.0.1.2', cart, { evidence: 'tcp-handshake', start: 500, end: 20_000 }),
        flow(front1, '10.0.1.1', cart, { serverPort: 9090 }),
        flow(front1, '10.0.1.1', cart, { ipProtocol: 17 }),
      ],
      0,
    );
    const [w] = a.flush(0, true)!;
    expect(w!.edges).toHaveLength(3);
    expect(w!.edges[0]).toMatchObject({
      clientId: 'workload:shop/Deployment/frontend',
      serverId: 'workload:shop/Deployment/cart',
      port: 7070,
      ipProtocol: 6,
      bytesToServer: 200,
      bytesToClient: 2000,
      packetsToServer: 2,
      packetsToClient: 4,
      connections: 2,
      firstSeen: 500,
      lastSeen: 20_000,
      evidence: 'tcp-handshake',
    });
  });

  it('emits one window per level per bucket, pods separately at pod level', () => {
    const a = agg({ levels: ['workload', 'pod'] });
    a.add([flow(front1, '10.0.1.1', cart), flow(front2, '10.0.1.2', cart)], 0);
    const windows = a.flush(0, true)!;
    expect(windows.map((w) => [w.level, w.edges.length])).toEqual([
      ['workload', 1],
      ['pod', 2],
    ]);
    expect(windows[1]!.edges[0]!.client).toMatchObject({ id: 'pod:shop/frontend-a', ip: '10.0.1.1' });
  });

  it('buckets by flow end time and flushes a bucket once its end plus the lateness has passed', () => {
    const a = agg({ bucketMs: 60_000, allowedLatenessMs: 30_000 });
    a.add([flow(front1, '10.0.1.1', cart, { end: 59_999 }), flow(front1, '10.0.1.1', cart, { end: 60_000 })], 0);
    expect(a.flush(89_999)).toBeUndefined();
    expect(a.flush(90_000)!.map(summary)).toEqual([
      {
        start: 0,
        level: 'workload',
        dropped: 0,
        edges: ['workload:shop/Deployment/frontend -> workload:shop/Deployment/cart:7070 100/1'],
      },
    ]);
    expect(a.stats().openBuckets).toBe(1);
    expect(a.flush(100_000, true)!.map((w) => w.start)).toEqual([60_000]);
    expect(a.stats()).toMatchObject({ openBuckets: 0, windows: 2 });
  });

  it('counts a late flow in the oldest open bucket', () => {
    const a = agg({ bucketMs: 60_000, allowedLatenessMs: 0 });
    a.add([flow(front1, '10.0.1.1', cart, { end: 10_000 })], 0);
    a.flush(60_000);
    a.add([flow(front1, '10.0.1.1', cart, { end: 50_000 }), flow(front1, '10.0.1.1', cart, { end: 130_000 })], 0);
    const windows = a.flush(200_000, true)!;
    expect(windows.map((w) => [w.start, w.edges[0]!.bytesToServer, w.edges[0]!.lastSeen])).toEqual([
      [60_000, 100, 50_000],
      [120_000, 100, 130_000],
    ]);
    expect(a.stats().late).toBe(1);
  });

  it('refuses edges beyond the cardinality cap and counts them', () => {
    const a = agg({ maxEdgesPerWindow: 2 });
    a.add(
      [
        flow(front1, '10.0.1.1', cart, { serverPort: 1 }),
        flow(front1, '10.0.1.1', cart, { serverPort: 2 }),
        flow(front1, '10.0.1.1', cart, { serverPort: 3 }),
        flow(front1, '10.0.1.1', cart, { serverPort: 3 }),
        flow(front1, '10.0.1.1', cart, { serverPort: 1 }),
      ],
      0,
    );
    const [w] = a.flush(0, true)!;
    expect(w!.edges.map((e) => [e.port, e.bytesToServer])).toEqual([
      [1, 200],
      [2, 100],
    ]);
    expect(w!.dropped).toBe(2);
    expect(a.stats().dropped['cardinality-cap']).toBe(2);
  });

  it('names unknown addresses by IP and keeps the Services the client addressed', () => {
    const a = agg();
    a.add(
      [
        flow(UNKNOWN_ENDPOINT, '203.0.113.1', cart),
        flow(UNKNOWN_ENDPOINT, '203.0.113.2', cart),
        flow(front1, '10.0.1.1', cart, { service: svc }),
        flow(front1, '10.0.1.1', cart),
      ],
      0,
    );
    const edges = a.flush(0, true)![0]!.edges;
    expect(edges.map((e) => [e.clientId, e.services])).toEqual([
      ['unknown:203.0.113.1', undefined],
      ['unknown:203.0.113.2', undefined],
      ['workload:shop/Deployment/frontend', ['shop/cartservice']],
    ]);
  });

  it('counts calls to a ClusterIP with a known backend on the backing workload, at its target port', () => {
    const a = agg({ levels: ['workload', 'pod'] });
    const backed: Endpoint = {
      ...svc,
      ports: [{ port: 80, ipProtocol: 6, targetPort: 7070 }],
      backend: { kind: 'Deployment', namespace: 'shop', name: 'cart' },
    };
    a.add(
      [
        flow(front1, '10.0.1.1', cart, { service: svc }),
        flow(front1, '10.0.1.1', backed, { serverPort: 80, bytesToServer: 50 }),
      ],
      0,
    );
    const [workload, pods] = a.flush(0, true)!;
    expect(workload!.edges.map((e) => [e.serverId, e.port, e.bytesToServer, e.services])).toEqual([
      ['workload:shop/Deployment/cart', 7070, 150, ['shop/cartservice']],
    ]);
    expect(pods!.edges.map((e) => [e.serverId, e.port])).toEqual([
      ['pod:shop/cart-a', 7070],
      ['service:shop/cartservice', 80],
    ]);
  });

  it('keeps totals right when the node cache restarts while a bucket is open', () => {
    const a = agg({ maxNodes: 2, bucketMs: 60_000, allowedLatenessMs: 0 });
    a.add([flow(UNKNOWN_ENDPOINT, '203.0.113.1', cart, { end: 1_000 })], 0);
    a.add([flow(UNKNOWN_ENDPOINT, '203.0.113.2', cart, { end: 61_000 })], 0);
    a.add([flow(UNKNOWN_ENDPOINT, '203.0.113.3', cart, { end: 61_000 })], 0);
    a.flush(60_000); // emits bucket 0; 4 nodes > 2: restart while bucket 60000 is open
    a.add([flow(UNKNOWN_ENDPOINT, '203.0.113.2', cart, { end: 62_000 })], 0);
    const [w] = a.flush(200_000, true)!;
    expect(w!.edges.map((e) => [e.clientId, e.bytesToServer])).toEqual([
      ['unknown:203.0.113.2', 200],
      ['unknown:203.0.113.3', 100],
    ]);
    expect(a.stats().nodes.workload).toBeLessThanOrEqual(3);
  });
});

describe('mergeWindows()', () => {
  it('sums a range of windows of one level', () => {
    const a = agg({ levels: ['workload', 'pod'] });
    a.add(
      [
        flow(front1, '10.0.1.1', cart, { end: 10_000, evidence: 'unknown' }),
        flow(front1, '10.0.1.1', cart, { end: 70_000, start: 65_000, evidence: 'flow-pairing', service: svc }),
        flow(front1, '10.0.1.1', cart, { end: 130_000 }),
      ],
      0,
    );
    const windows = a.flush(0, true)!;
    const edges = mergeWindows(windows, { from: 0, to: 120_000 });
    expect(edges).toHaveLength(1);
    expect(edges[0]).toMatchObject({
      bytesToServer: 200,
      connections: 2,
      firstSeen: 1_000,
      lastSeen: 70_000,
      evidence: 'flow-pairing',
      services: ['shop/cartservice'],
    });
    expect(mergeWindows(windows, { level: 'pod' })[0]!.bytesToServer).toBe(300);
  });
});
