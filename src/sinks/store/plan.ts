/**
 * Which resolution answers which part of a range. Pure; shared by every backend so they agree exactly.
 * @module
 */
import type { TimeRange } from './contracts.js';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;

export interface RangePlan {
  /** hour buckets [from, to) read from the roll-ups, or null */
  readonly hours: TimeRange | null;
  /** minute buckets read from the raw table (0, 1 or 2 spans) */
  readonly minutes: readonly TimeRange[];
}

export interface PlanState {
  /** every hour before this is rolled up (null: nothing rolled yet) */
  readonly rolledUpTo: number | null;
  /** minute buckets exist from here on (older ones expired); 0 when none expired */
  readonly minuteFrom: number;
}

const floorTo = (t: number, unit: number) => Math.floor(t / unit) * unit;
const ceilTo = (t: number, unit: number) => Math.ceil(t / unit) * unit;

/**
 * Whole rolled-up hours come from the hour table, the rest from minutes. Where minutes have expired (before
 * `minuteFrom`), the hours touching the range are used whole: the answer then covers up to one hour more on each
 * side, the price of the coarser resolution.
 */
export function planRange(range: TimeRange, state: PlanState): RangePlan {
  const { from, to } = range;
  if (state.rolledUpTo === null) return { hours: null, minutes: [{ from, to }] };
  const hourFrom = from < state.minuteFrom ? floorTo(from, HOUR_MS) : ceilTo(from, HOUR_MS);
  const hourTo = Math.min(to < state.minuteFrom ? ceilTo(to, HOUR_MS) : floorTo(to, HOUR_MS), state.rolledUpTo);
  if (hourTo <= hourFrom) return { hours: null, minutes: [{ from, to }] };
  const minutes: TimeRange[] = [];
  if (from < hourFrom) minutes.push({ from, to: hourFrom });
  if (hourTo < to) minutes.push({ from: hourTo, to });
  return { hours: { from: hourFrom, to: hourTo }, minutes };
}

/** the plan for a series: hours are usable only when the step is a whole number of hours */
export function planSeries(range: TimeRange, step: number, state: PlanState): RangePlan {
  if (step % HOUR_MS !== 0) return { hours: null, minutes: [range] };
  return planRange(range, state);
}

/** the hour before which everything is complete and may be rolled up */
export function rollupTarget(now: number, latestBucketEnd: number, graceMs: number): number {
  return floorTo(Math.max(now, latestBucketEnd) - graceMs, HOUR_MS);
}

/** the start of the hour holding `t` */
export function hourOf(t: number): number {
  return floorTo(t, HOUR_MS);
}
