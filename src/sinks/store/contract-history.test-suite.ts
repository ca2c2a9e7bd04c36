/**
 * The roll-up and retention half of the EdgeStore contract: minutes roll up into hours and days, late windows join
 * their roll-ups, retention works per resolution and expired minutes are answered from hours.
 * @module
 */
import { describe, expect, it } from 'vitest';
import type { ContractContext } from './contract.test-suite.js';
import { edgeAt, HOUR, MIN, makeEdge, makeWindow, T0, totalBytes, workloadNode } from './testing.js';

const front = workloadNode('shop', 'frontend');
const cart = workloadNode('shop', 'cart');

export function runHistoryContract(ctx: ContractContext): void {
  describe('roll-ups and retention', () => {
    it('rolls minutes up into hours; whole hours and partial hours give the same sums as the minutes', async () => {
      const store = await ctx.open();
      for (let m = 0; m < 180; m += 7)
        await store.write([makeWindow(T0 + m * MIN, [edgeAt(makeEdge(front, cart, 80), T0 + m * MIN, m)])]);
      await store.flush();
      const before = await store.edges({ from: T0 + 30 * MIN, to: T0 + 150 * MIN, level: 'workload' });
      ctx.clock.now = T0 + 4 * HOUR;
      await store.maintain();
      expect(store.stats().rolledUpTo).toBe(T0 + 3 * HOUR);
      expect((await store.inspect()).hourRows).toBe(3);
      expect(await store.edges({ from: T0 + 30 * MIN, to: T0 + 150 * MIN, level: 'workload' })).toEqual(before);
      const hourly = await store.series({
        from: T0,
        to: T0 + 3 * HOUR,
        level: 'workload',
        step: HOUR,
        selectors: [{}],
      });
      const expected = [0, 1, 2].map((h) =>
        [...Array(180).keys()].filter((m) => m % 7 === 0 && Math.floor(m / 60) === h).reduce((n, m) => n + 1500 * m, 0),
      );
      expect(hourly[0]?.map((p) => p.bytesToServer + p.bytesToClient)).toEqual(expected);
    });

    it('rolls hours up into days; long ranges read days, hours and minutes and still sum exactly', async () => {
      const store = await ctx.open();
      const e = makeEdge(front, cart, 80);
      for (let h = 0; h < 80; h++)
        await store.write([makeWindow(T0 + h * HOUR + 5 * MIN, [edgeAt(e, T0 + h * HOUR + 5 * MIN, h + 1)])]);
      await store.flush();
      ctx.clock.now = T0 + 80 * HOUR;
      await store.maintain();
      expect((await store.inspect()).dayRows).toBe(3);
      const expectBytes = (fromH: number, toH: number) =>
        [...Array(80).keys()].filter((h) => h >= fromH && h < toH).reduce((n, h) => n + 1500 * (h + 1), 0);
      expect(totalBytes(await store.edges({ from: T0, to: T0 + 80 * HOUR, level: 'workload' }))).toBe(
        expectBytes(0, 80),
      );
      const odd = { from: T0 + 13 * HOUR + 7 * MIN, to: T0 + 74 * HOUR + 3 * MIN, level: 'workload' as const };
      expect(totalBytes(await store.edges(odd))).toBe(expectBytes(14, 74));
      const daily = await store.series({
        from: T0 - 10 * HOUR,
        to: T0 + 86 * HOUR,
        level: 'workload',
        step: 24 * HOUR,
        selectors: [{}],
      });
      expect(daily[0]?.map((p) => p.t)).toEqual([0, 1, 2, 3].map((d) => T0 - 10 * HOUR + d * 24 * HOUR));
      expect(daily[0]?.map((p) => p.bytesToServer + p.bytesToClient)).toEqual([
        expectBytes(0, 14),
        expectBytes(14, 38),
        expectBytes(38, 62),
        expectBytes(62, 80),
      ]);
      await store.write([
        makeWindow(T0 + 30 * MIN, [makeEdge(front, cart, 80, { bytesToServer: 5, bytesToClient: 0 })]),
      ]);
      await store.flush();
      expect(totalBytes(await store.edges({ from: T0, to: T0 + 80 * HOUR, level: 'workload' }))).toBe(
        expectBytes(0, 80) + 5,
      );
    });

    it('adds windows that arrive after their hour was rolled up to the roll-up too', async () => {
      const store = await ctx.open({ retention: { minutes: HOUR } });
      await store.write([
        makeWindow(T0, [makeEdge(front, cart, 80)]),
        makeWindow(T0 + 2 * HOUR, [makeEdge(front, cart, 80)]),
      ]);
      await store.flush();
      ctx.clock.now = T0 + 3 * HOUR;
      await store.maintain();
      await store.write([makeWindow(T0 + 30 * MIN, [makeEdge(front, cart, 80, { bytesToServer: 5 })])]);
      await store.flush();
      ctx.clock.now = T0 + 4 * HOUR;
      await store.maintain();
      expect(totalBytes(await store.edges({ from: T0, to: T0 + HOUR, level: 'workload' }))).toBe(1500 + 505);
    });

    it('answers nothing for the time before the first data, even once its hour is rolled up', async () => {
      const store = await ctx.open();
      // the store starts receiving at :40; the hour holding it is rolled up later
      for (let m = 40; m < 80; m += 10) await store.write([makeWindow(T0 + m * MIN, [makeEdge(front, cart, 80)])]);
      await store.flush();
      ctx.clock.now = T0 + 3 * HOUR;
      await store.maintain();
      expect((await store.inspect()).hourRows).toBeGreaterThan(0);
      expect(await store.bounds()).toEqual({ earliest: T0 + 40 * MIN, fineFrom: 0 });
      expect(await store.edges({ from: T0, to: T0 + 30 * MIN, level: 'workload' })).toEqual([]);
      expect(totalBytes(await store.edges({ from: T0, to: T0 + 50 * MIN, level: 'workload' }))).toBe(1500);
    });

    it('applies retention per resolution and answers expired minutes from hours', async () => {
      const store = await ctx.open({ retention: { minutes: 2 * HOUR, hours: 6 * HOUR } });
      for (let m = 0; m < 8 * 60; m += 10) await store.write([makeWindow(T0 + m * MIN, [makeEdge(front, cart, 80)])]);
      await store.flush();
      ctx.clock.now = T0 + 8 * HOUR;
      await store.maintain();
      const rows = await store.inspect();
      expect(rows.minuteRows).toBe(12);
      expect(rows.hourRows).toBe(5);
      const bounds = await store.bounds();
      expect(bounds).toEqual({ earliest: T0 + 2 * HOUR, fineFrom: T0 + 6 * HOUR });
      expect(totalBytes(await store.edges({ from: T0, to: T0 + 8 * HOUR, level: 'workload' }))).toBe(
        (5 * 6 + 6) * 1500,
      );
      expect(
        totalBytes(
          await store.edges({ from: T0 + 4 * HOUR + 10 * MIN, to: T0 + 4 * HOUR + 20 * MIN, level: 'workload' }),
        ),
      ).toBe(6 * 1500);
    });
  });
}
