/**
 * Time ranges and series steps: defaults, validation, resolution choice.
 * @module
 */
import type { SourceBounds, TimeRange } from '../contracts.js';
import { QueryError } from '../errors.js';
import { HOUR_MS, MINUTE_MS } from '../plan.js';

/** steps the server picks from when the client names none, finest first; no 12 h, so long ranges get whole days (day roll-ups) */
const STEP_LADDER = [1, 5, 10, 15, 30, 60, 180, 360, 1440].map((m) => m * MINUTE_MS);

export interface RangeDefaults {
  readonly now: number;
  /** length of the range when `from` is absent */
  readonly defaultRangeMs: number;
}

/** fills defaults (to = now, from = to - default) and rejects empty or inverted ranges */
export function resolveRange(
  query: { from?: number | undefined; to?: number | undefined },
  d: RangeDefaults,
): TimeRange {
  const to = query.to ?? (query.from !== undefined ? Math.max(d.now, query.from + MINUTE_MS) : d.now);
  const from = query.from ?? to - d.defaultRangeMs;
  if (from >= to) {
    throw new QueryError('bad-range', `Cannot query range "${from}..${to}": from must be before to`, 'from');
  }
  return { from, to };
}

export interface StepOptions {
  /** points the server aims for when it picks the step */
  readonly targetPoints: number;
  /** the most points a series may have */
  readonly maxPoints: number;
}

/** a step the sources can answer: whole minutes, and whole hours from one hour up */
export function normalizeStep(step: number): number {
  if (step >= HOUR_MS) return Math.ceil(step / HOUR_MS) * HOUR_MS;
  return Math.max(MINUTE_MS, Math.ceil(step / MINUTE_MS) * MINUTE_MS);
}

/** the step for a series over `range`; coarsened to 1 h where minute data has expired */
export function chooseStep(
  range: TimeRange,
  requested: number | undefined,
  bounds: SourceBounds,
  options: StepOptions,
): number {
  const span = range.to - range.from;
  let step =
    requested !== undefined
      ? normalizeStep(requested)
      : (STEP_LADDER.find((s) => span / s <= options.targetPoints) ?? normalizeStep(span / options.targetPoints));
  const minutesExpired = bounds.earliest !== null && bounds.earliest < bounds.fineFrom && range.from < bounds.fineFrom;
  if (step < HOUR_MS && minutesExpired) step = HOUR_MS;
  const points = Math.ceil(range.to / step) - Math.floor(range.from / step);
  if (points > options.maxPoints) {
    throw new QueryError(
      'too-many-points',
      `Cannot answer step "${step}" over ${span} ms: ${points} points exceed the limit of ${options.maxPoints}`,
      'step',
    );
  }
  return step;
}

/** the range widened to whole steps */
export function alignRange(range: TimeRange, step: number): TimeRange {
  return { from: Math.floor(range.from / step) * step, to: Math.ceil(range.to / step) * step };
}
