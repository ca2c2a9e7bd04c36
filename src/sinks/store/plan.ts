/**
 * Which resolution answers which part of a range. Pure; shared by every backend so they agree exactly.
 * Resolutions: minutes (raw windows), hours (rolled up from minutes), days (rolled up from hours; an accelerator
 * for long ranges with the same retention as hours).
 * @module
 */
import type { TimeRange } from './contracts.js';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export interface RangePlan {
  /** day buckets read from the day roll-ups, or null */
  readonly days: TimeRange | null;
  /** hour buckets read from the hour roll-ups (0, 1 or 2 spans) */
  readonly hours: readonly TimeRange[];
  /** minute buckets read from the raw table (0, 1 or 2 spans) */
  readonly minutes: readonly TimeRange[];
}

export interface PlanState {
  /** every hour before this is rolled up (null: nothing rolled yet) */
  readonly rolledUpTo: number | null;
  /** every day before this is rolled up from hours (null: none) */
  readonly daysRolledUpTo: number | null;
  /** minute buckets exist from here on (older ones expired); 0 when none expired */
  readonly minuteFrom: number;
}

const floorTo = (t: number, unit: number) => Math.floor(t / unit) * unit;
const ceilTo = (t: number, unit: number) => Math.ceil(t / unit) * unit;

/** the parts of `outer` left and right of `inner` (inner within outer) */
function around(outer: TimeRange, inner: TimeRange): TimeRange[] {
  const out: TimeRange[] = [];
  if (outer.from < inner.from) out.push({ from: outer.from, to: inner.from });
  if (inner.to < outer.to) out.push({ from: inner.to, to: outer.to });
  return out;
}

/** the whole rolled-up `unit` buckets inside `range`, or null */
function wholeUnits(range: TimeRange, unit: number, rolledUpTo: number | null): TimeRange | null {
  if (rolledUpTo === null) return null;
  const from = ceilTo(range.from, unit);
  const to = Math.min(floorTo(range.to, unit), rolledUpTo);
  return to > from ? { from, to } : null;
}

/**
 * Whole rolled-up days come from the day table, whole rolled-up hours from the hour table, the rest from minutes.
 * Where minutes have expired (before `minuteFrom`), the hours touching the range are used whole: the answer then
 * covers up to one hour more on each side, the price of the coarser resolution.
 */
export function planRange(range: TimeRange, state: PlanState): RangePlan {
  const { from, to } = range;
  if (state.rolledUpTo === null) return { days: null, hours: [], minutes: [{ from, to }] };
  const hourFrom = from < state.minuteFrom ? floorTo(from, HOUR_MS) : ceilTo(from, HOUR_MS);
  const hourTo = Math.min(to < state.minuteFrom ? ceilTo(to, HOUR_MS) : floorTo(to, HOUR_MS), state.rolledUpTo);
  if (hourTo <= hourFrom) return { days: null, hours: [], minutes: [{ from, to }] };
  const hourSpan = { from: hourFrom, to: hourTo };
  const minutes = around(range, hourSpan);
  const days = wholeUnits(hourSpan, DAY_MS, state.daysRolledUpTo);
  return { days, hours: days ? around(hourSpan, days) : [hourSpan], minutes };
}

/**
 * Where complete minute buckets begin (PlanState.minuteFrom) and the oldest data held, from the earliest bucket of
 * each resolution. Minutes expired before the earliest minute bucket only if an hour roll-up older than that
 * minute's hour exists; otherwise the minutes reach back to the first data (a young store) and an hour roll-up
 * must never answer for the time before it.
 */
export function minuteHorizon(
  earliestMinute: number | null,
  earliestHour: number | null,
  rolledUpTo: number | null,
): { readonly minuteFrom: number; readonly earliest: number | null } {
  if (earliestMinute === null) return { minuteFrom: rolledUpTo ?? 0, earliest: earliestHour };
  if (earliestHour !== null && earliestHour < floorTo(earliestMinute, HOUR_MS)) {
    return { minuteFrom: earliestMinute, earliest: earliestHour };
  }
  return { minuteFrom: 0, earliest: earliestMinute };
}

/** the plan for a series: a resolution is usable only when the step is a whole number of its buckets */
export function planSeries(range: TimeRange, step: number, state: PlanState): RangePlan {
  if (step % HOUR_MS !== 0) return { days: null, hours: [], minutes: [range] };
  return planRange(range, step % DAY_MS === 0 ? state : { ...state, daysRolledUpTo: null });
}

/** the hour before which everything is complete and may be rolled up */
export function rollupTarget(now: number, latestBucketEnd: number, graceMs: number): number {
  return floorTo(Math.max(now, latestBucketEnd) - graceMs, HOUR_MS);
}

/** the day before which every hour is rolled up */
export function dayRollupTarget(hoursRolledUpTo: number): number {
  return floorTo(hoursRolledUpTo, DAY_MS);
}

export function hourOf(t: number): number {
  return floorTo(t, HOUR_MS);
}

export function dayOf(t: number): number {
  return floorTo(t, DAY_MS);
}
