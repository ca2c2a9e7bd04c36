import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, MINUTE_MS, planRange, planSeries, rollupTarget } from './plan.js';

const D = Date.UTC(2026, 0, 5);
const H = HOUR_MS;
const M = MINUTE_MS;
const fresh = { rolledUpTo: null, daysRolledUpTo: null, minuteFrom: 0 };

describe('planRange()', () => {
  it('reads only minutes before anything is rolled up', () => {
    expect(planRange({ from: D, to: D + 5 * H }, fresh)).toEqual({
      days: null,
      hours: [],
      minutes: [{ from: D, to: D + 5 * H }],
    });
  });

  it('reads whole rolled-up hours from hours and the ragged ends from minutes', () => {
    const state = { rolledUpTo: D + 4 * H, daysRolledUpTo: D, minuteFrom: D };
    expect(planRange({ from: D + 10 * M, to: D + 5 * H + 3 * M }, state)).toEqual({
      days: null,
      hours: [{ from: D + H, to: D + 4 * H }],
      minutes: [
        { from: D + 10 * M, to: D + H },
        { from: D + 4 * H, to: D + 5 * H + 3 * M },
      ],
    });
  });

  it('reads whole rolled-up days from days, hours around them', () => {
    const state = { rolledUpTo: D + 3 * DAY_MS + 5 * H, daysRolledUpTo: D + 3 * DAY_MS, minuteFrom: D };
    expect(planRange({ from: D + 20 * H, to: D + 3 * DAY_MS + 2 * H }, state)).toEqual({
      days: { from: D + DAY_MS, to: D + 3 * DAY_MS },
      hours: [
        { from: D + 20 * H, to: D + DAY_MS },
        { from: D + 3 * DAY_MS, to: D + 3 * DAY_MS + 2 * H },
      ],
      minutes: [],
    });
  });

  it('widens to whole hours where minutes have expired', () => {
    const state = { rolledUpTo: D + 10 * H, daysRolledUpTo: D, minuteFrom: D + 6 * H };
    expect(planRange({ from: D + 2 * H + 20 * M, to: D + 2 * H + 40 * M }, state)).toEqual({
      days: null,
      hours: [{ from: D + 2 * H, to: D + 3 * H }],
      minutes: [],
    });
    expect(planRange({ from: D + 5 * H + 30 * M, to: D + 7 * H + 30 * M }, state)).toEqual({
      days: null,
      hours: [{ from: D + 5 * H, to: D + 7 * H }],
      minutes: [{ from: D + 7 * H, to: D + 7 * H + 30 * M }],
    });
  });
});

describe('planSeries()', () => {
  const state = { rolledUpTo: D + 3 * DAY_MS, daysRolledUpTo: D + 3 * DAY_MS, minuteFrom: D };
  it('uses minutes only for steps that are not whole hours', () => {
    expect(planSeries({ from: D, to: D + DAY_MS }, 15 * M, state)).toEqual({
      days: null,
      hours: [],
      minutes: [{ from: D, to: D + DAY_MS }],
    });
  });
  it('uses days only for steps that are whole days', () => {
    expect(planSeries({ from: D, to: D + 2 * DAY_MS }, H, state).days).toBeNull();
    expect(planSeries({ from: D, to: D + 2 * DAY_MS }, DAY_MS, state).days).toEqual({ from: D, to: D + 2 * DAY_MS });
  });
});

describe('rollupTarget()', () => {
  it('rolls up to the last hour that ended a grace period ago, by clock or by data', () => {
    expect(rollupTarget(D + 3 * H + M, 0, 2 * M)).toBe(D + 2 * H);
    expect(rollupTarget(D + 3 * H + 2 * M, 0, 2 * M)).toBe(D + 3 * H);
    expect(rollupTarget(D, D + 5 * H + 3 * M, 2 * M)).toBe(D + 5 * H);
  });
});
