/**
 * The executable EdgeStore contract. Every backend's `*.test.ts` calls `runEdgeStoreContract({ name, create })`.
 * `create` opens a started store over `dir`; opening the same dir again must see the same history (restart).
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../core/clock.js';
import type { StoreConfig, StoreConfigInput } from './config.js';
import { runGraphContract } from './contract-graph.test-suite.js';
import { runHistoryContract } from './contract-history.test-suite.js';
import type { EdgeStore } from './contracts.js';
import { SourceError } from './errors.js';
import {
  edgeAt,
  externalNode,
  HOUR,
  ManualClock,
  MIN,
  makeEdge,
  makeWindow,
  podNode,
  T0,
  testStoreConfig,
  totalBytes,
  workloadNode,
} from './testing.js';

export interface StoreHarness {
  readonly name: string;
  create(ctx: { dir: string; clock: Clock; config: StoreConfig }): Promise<EdgeStore>;
}

export interface ContractContext {
  /** opens (and starts) a store over this test's directory */
  open(config?: StoreConfigInput): Promise<EdgeStore>;
  readonly clock: ManualClock;
}

const front = workloadNode('shop', 'frontend');
const cart = workloadNode('shop', 'cart');
const db = workloadNode('data', 'postgres', 'StatefulSet');
const google = externalNode('Google LLC', 15169);

export function runEdgeStoreContract(harness: StoreHarness): void {
  describe(`EdgeStore contract: ${harness.name}`, () => {
    let dir: string;
    const opened: EdgeStore[] = [];
    const ctx: ContractContext = {
      clock: new ManualClock(),
      async open(config = {}) {
        const store = await harness.create({ dir, clock: ctx.clock.clock, config: testStoreConfig(config) });
        opened.push(store);
        return store;
      },
    };
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'flowmap-store-'));
      ctx.clock.now = T0 + 10 * MIN;
    });
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('write() then flush() persists windows; edges() sums them per key over the range', async () => {
      const store = await ctx.open();
      await store.write([
        makeWindow(T0, [makeEdge(front, cart, 8080), makeEdge(cart, db, 5432, { bytesToServer: 7 })]),
        makeWindow(T0 + MIN, [makeEdge(front, cart, 8080, { bytesToServer: 2000, connections: 3 })]),
      ]);
      await store.flush();
      const edges = await store.edges({ from: T0, to: T0 + 2 * MIN, level: 'workload' });
      expect(edges).toHaveLength(2);
      const fc = edges.find((e) => e.serverId === cart.id)!;
      expect(fc).toMatchObject({
        clientId: front.id,
        port: 8080,
        ipProtocol: 6,
        bytesToServer: 3000,
        bytesToClient: 1000,
      });
      expect(fc).toMatchObject({
        packetsToServer: 20,
        packetsToClient: 10,
        connections: 4,
        client: front,
        server: cart,
      });
      expect(edges.find((e) => e.serverId === db.id)?.bytesToServer).toBe(7);
      expect(store.stats()).toMatchObject({ writtenWindows: 2, writtenEdges: 3, queuedEdges: 0 });
      expect(store.stats().droppedEdges).toEqual({ 'queue-full': 0, 'sink-permanent': 0 });
    });

    it('a bucket belongs to a range when its start does; writes of one bucket add up', async () => {
      const store = await ctx.open();
      const e = makeEdge(front, cart, 8080);
      await store.write([makeWindow(T0, [e]), makeWindow(T0 + MIN, [e]), makeWindow(T0 + MIN, [e])]);
      await store.flush();
      expect(totalBytes(await store.edges({ from: T0 + 1, to: T0 + 2 * MIN, level: 'workload' }))).toBe(3000);
      expect(totalBytes(await store.edges({ from: T0, to: T0 + MIN, level: 'workload' }))).toBe(1500);
      expect(await store.edges({ from: T0 + 2 * MIN, to: T0 + 3 * MIN, level: 'workload' })).toEqual([]);
    });

    it('keeps first seen (min), last seen (max), the strongest evidence and the union of services', async () => {
      const store = await ctx.open();
      await store.write([
        makeWindow(T0, [
          makeEdge(front, cart, 80, {
            firstSeen: T0 + 5,
            lastSeen: T0 + 9,
            evidence: 'port-heuristic',
            services: ['shop/cart'],
          }),
        ]),
        makeWindow(T0 + MIN, [
          makeEdge(front, cart, 80, {
            firstSeen: T0 + MIN,
            lastSeen: T0 + MIN + 7,
            evidence: 'flow-pairing',
            services: ['shop/cart-v2'],
          }),
        ]),
      ]);
      await store.flush();
      const [e] = await store.edges({ from: T0, to: T0 + HOUR, level: 'workload' });
      expect(e).toMatchObject({ firstSeen: T0 + 5, lastSeen: T0 + MIN + 7, evidence: 'flow-pairing' });
      expect(e?.services).toEqual(['shop/cart', 'shop/cart-v2']);
    });

    it('keeps levels apart and skips namespace-level windows', async () => {
      const store = await ctx.open();
      const p1 = podNode('shop', 'frontend-1');
      const p2 = podNode('shop', 'cart-1');
      await store.write([
        makeWindow(T0, [makeEdge(front, cart, 8080)], 'workload'),
        makeWindow(T0, [makeEdge(p1, p2, 8080, { bytesToServer: 1 }), makeEdge(p1, google, 443)], 'pod'),
        makeWindow(T0, [makeEdge(front, cart, 8080)], 'namespace'),
      ]);
      await store.flush();
      const pods = await store.edges({ from: T0, to: T0 + MIN, level: 'pod' });
      expect(pods.map((e) => e.clientId).sort()).toEqual([p1.id, p1.id]);
      expect(pods.find((e) => e.serverId === google.id)?.server).toEqual(google);
      expect(await store.edges({ from: T0, to: T0 + MIN, level: 'workload' })).toHaveLength(1);
      expect(store.stats().skippedWindows).toBe(1);
    });

    it('series() sums selected edges per step; namespace selectors match every node of the namespace', async () => {
      const store = await ctx.open();
      for (let m = 0; m < 6; m++) {
        await store.write([
          makeWindow(T0 + m * MIN, [
            edgeAt(makeEdge(front, cart, 8080), T0 + m * MIN, m + 1),
            edgeAt(makeEdge(cart, db, 5432), T0 + m * MIN),
          ]),
        ]);
      }
      await store.flush();
      const [fc, intoShop, all] = await store.series({
        from: T0,
        to: T0 + 6 * MIN,
        level: 'workload',
        step: 2 * MIN,
        selectors: [{ client: front.id, server: cart.id, port: 8080 }, { server: 'namespace:shop' }, {}],
      });
      expect(fc?.map((p) => [p.t, p.bytesToServer])).toEqual([
        [T0, 3000],
        [T0 + 2 * MIN, 7000],
        [T0 + 4 * MIN, 11000],
      ]);
      expect(intoShop).toEqual(fc);
      expect(all?.map((p) => p.connections)).toEqual([3 + 2, 7 + 2, 11 + 2]);
      const [none] = await store.series({
        from: T0,
        to: T0 + 6 * MIN,
        level: 'workload',
        step: MIN,
        selectors: [{ port: 1 }],
      });
      expect(none).toEqual([]);
    });

    runHistoryContract(ctx);

    it('survives a restart: stop() persists the queue, a new store over the same data sees everything', async () => {
      const first = await ctx.open();
      await first.write([
        makeWindow(T0, [makeEdge(front, cart, 80, { services: ['shop/cart'] }), makeEdge(cart, google, 443)]),
      ]);
      ctx.clock.now = T0 + 2 * HOUR;
      await first.write([makeWindow(T0 + HOUR, [makeEdge(front, cart, 80)])]);
      await first.stop();
      const second = await ctx.open();
      await second.maintain();
      expect(second.stats().rolledUpTo).toBe(T0 + HOUR);
      await second.write([makeWindow(T0 + HOUR + MIN, [makeEdge(front, cart, 80), makeEdge(db, cart, 9000)])]);
      await second.flush();
      const edges = await second.edges({ from: T0, to: T0 + 2 * HOUR, level: 'workload' });
      expect(edges.map((e) => `${e.clientId}>${e.serverId}`).sort()).toEqual(
        [`${cart.id}>${google.id}`, `${db.id}>${cart.id}`, `${front.id}>${cart.id}`].sort(),
      );
      expect(edges.find((e) => e.clientId === front.id)).toMatchObject({
        bytesToServer: 3000,
        services: ['shop/cart'],
      });
      expect(edges.find((e) => e.serverId === google.id)?.server).toEqual(google);
    });

    it('answers queries while writes run, and loses nothing', async () => {
      const store = await ctx.open({ queue: { batchEdges: 50, flushIntervalMs: 10 } });
      const edges = [...Array(40).keys()].map((i) =>
        makeEdge(workloadNode('load', `w${i}`), workloadNode('load', `s${i % 7}`), 80),
      );
      let writing = true;
      const writer = (async () => {
        for (let m = 0; m < 200; m++) {
          await store.write([makeWindow(T0 + m * MIN, edges)]);
          if (m % 20 === 0) await new Promise((r) => setTimeout(r, 1));
        }
        await store.flush();
        writing = false;
      })();
      let last = 0;
      let queries = 0;
      while (writing || queries < 3) {
        const got = totalBytes(await store.edges({ from: T0, to: T0 + 200 * MIN, level: 'workload' }));
        expect(got).toBeGreaterThanOrEqual(last);
        last = got;
        queries++;
        await new Promise((r) => setImmediate(r));
      }
      await writer;
      expect(totalBytes(await store.edges({ from: T0, to: T0 + 200 * MIN, level: 'workload' }))).toBe(200 * 40 * 1500);
      expect(store.stats()).toMatchObject({
        writtenEdges: 8000,
        droppedEdges: { 'queue-full': 0, 'sink-permanent': 0 },
      });
    });

    it('refuses windows beyond the queue bound and counts them as queue-full', async () => {
      const store = await ctx.open({ queue: { maxEdges: 10, batchEdges: 1000, flushIntervalMs: 1000 } });
      const six = [...Array(6).keys()].map((i) => makeEdge(front, workloadNode('shop', `s${i}`), 80));
      await store.write([makeWindow(T0, six), makeWindow(T0 + MIN, six), makeWindow(T0 + 2 * MIN, six.slice(0, 4))]);
      expect(store.stats()).toMatchObject({ queuedEdges: 10, droppedEdges: { 'queue-full': 6 } });
      await store.flush();
      expect(store.stats()).toMatchObject({ queuedEdges: 0, writtenEdges: 10 });
    });

    it('rejects queries after stop with SourceError', async () => {
      const store = await ctx.open();
      await store.stop();
      await expect(store.edges({ from: T0, to: T0 + MIN, level: 'workload' })).rejects.toBeInstanceOf(SourceError);
    });

    runGraphContract(ctx);
  });
}
