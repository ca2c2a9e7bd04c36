/**
 * The in-memory EdgeStore: the same semantics as the DuckDB backend (roll-ups, retention, additive writes) without
 * persistence. Used by tests, `flowmap map` and the demo. History lives in a MemoryStoreState the caller may keep
 * and hand to a new store, which is how tests exercise "restart" against it.
 * @module
 */

import { accumulatorOf, addInto, type EdgeAccumulator, edgeKeyOf, sumEdges, toEdge } from '../../../aggregate/index.js';
import type { SeriesPoint } from '../../../contract/responses.js';
import type { Clock } from '../../../core/clock.js';
import type { Edge, EdgeWindow } from '../../../core/edge.js';
import { BatchedStore, Batcher } from '../batcher.js';
import type { StoreConfig } from '../config.js';
import type {
  EdgeStore,
  EdgesQuery,
  SeriesQuery,
  SourceBounds,
  StoredLevel,
  StoreInspection,
  TimeRange,
} from '../contracts.js';
import { selectorMatches } from '../edge-math.js';
import { SourceError } from '../errors.js';
import {
  DAY_MS,
  dayOf,
  dayRollupTarget,
  HOUR_MS,
  hourOf,
  minuteHorizon,
  type PlanState,
  planRange,
  planSeries,
  type RangePlan,
  rollupTarget,
} from '../plan.js';
import { SeriesAccumulator } from '../series-math.js';

type Buckets = Map<number, Map<string, EdgeAccumulator>>;
type Table = Record<StoredLevel, Buckets>;
const LEVELS = ['workload', 'pod'] as const;

/** everything the in-memory store holds; survives a stop/start when handed to the next store */
export interface MemoryStoreState {
  readonly minute: Table;
  readonly hour: Table;
  readonly day: Table;
  rolledUpTo: number | null;
  daysRolledUpTo: number | null;
  latestEnd: number;
}

const table = (): Table => ({ workload: new Map(), pod: new Map() });

export function createMemoryStoreState(): MemoryStoreState {
  return { minute: table(), hour: table(), day: table(), rolledUpTo: null, daysRolledUpTo: null, latestEnd: 0 };
}

export interface MemoryStoreDeps {
  readonly clock: Clock;
  /** history from a previous store; a fresh one when absent */
  readonly state?: MemoryStoreState;
}

export function createMemoryStore(config: StoreConfig, deps: MemoryStoreDeps): EdgeStore {
  return new MemoryStore(config, deps.clock, deps.state ?? createMemoryStoreState());
}

function addToBuckets(buckets: Buckets, bucket: number, edge: Edge): void {
  let byKey = buckets.get(bucket);
  if (!byKey) {
    byKey = new Map();
    buckets.set(bucket, byKey);
  }
  const key = edgeKeyOf(edge);
  const acc = byKey.get(key);
  if (acc) addInto(acc, edge);
  else byKey.set(key, accumulatorOf(edge));
}

function* bucketsIn(buckets: Buckets, range: TimeRange): Iterable<[number, Map<string, EdgeAccumulator>]> {
  for (const entry of buckets) if (entry[0] >= range.from && entry[0] < range.to) yield entry;
}

/** adds every bucket of `from` in [start, end) into `to`, bucketed by `unitOf` */
function rollInto(from: Table, to: Table, range: TimeRange, unitOf: (t: number) => number): void {
  for (const level of LEVELS) {
    for (const [bucket, m] of bucketsIn(from[level], range)) {
      for (const acc of m.values()) addToBuckets(to[level], unitOf(bucket), toEdge(acc));
    }
  }
}

function deleteBefore(t: Table, keep: (bucket: number) => boolean): void {
  for (const level of LEVELS) for (const b of [...t[level].keys()]) if (!keep(b)) t[level].delete(b);
}

function earliestOf(t: Table): number | null {
  let earliest: number | null = null;
  for (const level of LEVELS) for (const b of t[level].keys()) if (earliest === null || b < earliest) earliest = b;
  return earliest;
}

class MemoryStore extends BatchedStore implements EdgeStore {
  readonly name = 'store-memory';
  protected readonly batcher: Batcher;
  #started = false;
  #closed = false;

  constructor(
    private readonly config: StoreConfig,
    private readonly clock: Clock,
    private readonly state: MemoryStoreState,
  ) {
    super();
    this.batcher = new Batcher(config, {
      writeBatch: async (windows) => {
        this.#writeBatch(windows);
        return 0;
      },
      rollup: async () => this.#rollup(),
      maintain: async () => {
        this.#rollup();
        this.#retain();
      },
      rolledUpTo: () => this.state.rolledUpTo,
    });
  }

  async start(_signal: AbortSignal): Promise<void> {
    this.#started = true;
    this.batcher.start();
  }

  async stop(): Promise<void> {
    await this.batcher.close();
    this.#closed = true;
  }

  async inspect(): Promise<StoreInspection> {
    const rows = (t: Table) =>
      LEVELS.reduce((n, level) => n + [...t[level].values()].reduce((k, m) => k + m.size, 0), 0);
    const keys = new Set<string>();
    const nodes = new Set<string>();
    for (const t of [this.state.minute, this.state.hour, this.state.day]) {
      for (const level of LEVELS) {
        for (const m of t[level].values()) {
          for (const [k, acc] of m) {
            keys.add(`${level}\u0000${k}`);
            nodes.add(acc.clientId).add(acc.serverId);
          }
        }
      }
    }
    const { minute, hour, day } = this.state;
    return {
      minuteRows: rows(minute),
      hourRows: rows(hour),
      dayRows: rows(day),
      edgeKeys: keys.size,
      nodes: nodes.size,
    };
  }

  async edges(query: EdgesQuery): Promise<readonly Edge[]> {
    this.#assertOpen();
    const planned = this.#planned(planRange(query, this.#planState()), query.level);
    return sumEdges([...planned].map(([, m]) => [...m.values()].map(toEdge)));
  }

  async series(query: SeriesQuery): Promise<readonly (readonly SeriesPoint[])[]> {
    this.#assertOpen();
    const plan = planSeries(query, query.step, this.#planState());
    const accs = query.selectors.map(() => new SeriesAccumulator(query.step));
    for (const [bucket, m] of this.#planned(plan, query.level)) {
      for (const acc of m.values()) {
        for (let i = 0; i < query.selectors.length; i++) {
          if (selectorMatches(query.selectors[i]!, acc)) accs[i]!.add(bucket, acc);
        }
      }
    }
    return accs.map((a) => a.points());
  }

  async bounds(): Promise<SourceBounds> {
    this.#assertOpen();
    const h = this.#horizon();
    return { earliest: h.earliest, fineFrom: h.minuteFrom };
  }

  *#planned(plan: RangePlan, level: StoredLevel): Iterable<[number, Map<string, EdgeAccumulator>]> {
    if (plan.days) yield* bucketsIn(this.state.day[level], plan.days);
    for (const span of plan.hours) yield* bucketsIn(this.state.hour[level], span);
    for (const span of plan.minutes) yield* bucketsIn(this.state.minute[level], span);
  }

  #horizon() {
    return minuteHorizon(earliestOf(this.state.minute), earliestOf(this.state.hour), this.state.rolledUpTo);
  }

  #planState(): PlanState {
    const { rolledUpTo, daysRolledUpTo } = this.state;
    return { rolledUpTo, daysRolledUpTo, minuteFrom: this.#horizon().minuteFrom };
  }

  #assertOpen(): void {
    if (this.#closed) throw new SourceError('closed', 'Cannot query the history store: it is closed');
    if (!this.#started) throw new SourceError('not-started', 'Cannot query the history store: it is not started');
  }

  #writeBatch(windows: readonly EdgeWindow[]): void {
    for (const w of windows) {
      const level = w.level as StoredLevel;
      this.state.rolledUpTo ??= hourOf(w.start);
      this.state.daysRolledUpTo ??= dayOf(w.start);
      if (w.end > this.state.latestEnd) this.state.latestEnd = w.end;
      const lateHour = w.start < this.state.rolledUpTo;
      const lateDay = w.start < this.state.daysRolledUpTo;
      for (const edge of w.edges) {
        addToBuckets(this.state.minute[level], w.start, edge);
        if (lateHour) addToBuckets(this.state.hour[level], hourOf(w.start), edge);
        if (lateDay) addToBuckets(this.state.day[level], dayOf(w.start), edge);
      }
    }
  }

  #rollup(): void {
    const { rolledUpTo: from, daysRolledUpTo: dayFrom } = this.state;
    if (from === null || dayFrom === null) return;
    const target = rollupTarget(this.clock(), this.state.latestEnd, this.config.rollupGraceMs);
    if (target > from) {
      rollInto(this.state.minute, this.state.hour, { from, to: target }, hourOf);
      this.state.rolledUpTo = target;
    }
    const dayTarget = dayRollupTarget(this.state.rolledUpTo!);
    if (dayTarget > dayFrom) {
      rollInto(this.state.hour, this.state.day, { from: dayFrom, to: dayTarget }, dayOf);
      this.state.daysRolledUpTo = dayTarget;
    }
  }

  #retain(): void {
    const now = this.clock();
    const { minutes, hours } = this.config.retention;
    const rolled = this.state.rolledUpTo;
    if (minutes > 0 && rolled !== null) {
      const cut = Math.min(now - minutes, rolled);
      deleteBefore(this.state.minute, (b) => b >= cut);
    }
    if (hours > 0) {
      deleteBefore(this.state.hour, (b) => b + HOUR_MS > now - hours);
      deleteBefore(this.state.day, (b) => b + DAY_MS > now - hours);
    }
  }
}
