/**
 * The in-memory EdgeStore: the same semantics as the DuckDB backend (roll-up, retention, additive writes) without
 * persistence. Used by tests, `flowmap map` and the demo. History lives in a MemoryStoreState the caller may keep
 * and hand to a new store, which is how tests exercise "restart" against it.
 * @module
 */

import type { SeriesPoint } from '../../../contract/responses.js';
import type { Clock } from '../../../core/clock.js';
import type { Edge, EdgeWindow } from '../../../core/edge.js';
import { Batcher } from '../batcher.js';
import type { StoreConfig } from '../config.js';
import type {
  EdgeSource,
  EdgeStore,
  EdgesQuery,
  SeriesQuery,
  SourceBounds,
  StoredLevel,
  StoreInspection,
  StoreStats,
  TimeRange,
} from '../contracts.js';
import { accumulatorOf, addInto, type EdgeAccumulator, edgeKeyOf, selectorMatches, toEdge } from '../edge-math.js';
import { SourceError } from '../errors.js';
import { HOUR_MS, hourOf, planRange, planSeries, type RangePlan, rollupTarget } from '../plan.js';
import { SeriesAccumulator } from '../series-math.js';

type Buckets = Map<number, Map<string, EdgeAccumulator>>;

/** everything the in-memory store holds; survives a stop/start when handed to the next store */
export interface MemoryStoreState {
  readonly minute: Record<StoredLevel, Buckets>;
  readonly hour: Record<StoredLevel, Buckets>;
  rolledUpTo: number | null;
  latestEnd: number;
}

export function createMemoryStoreState(): MemoryStoreState {
  return {
    minute: { workload: new Map(), pod: new Map() },
    hour: { workload: new Map(), pod: new Map() },
    rolledUpTo: null,
    latestEnd: 0,
  };
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

class MemoryStore implements EdgeStore, EdgeSource {
  readonly name = 'store-memory';
  readonly #batcher: Batcher;
  #started = false;
  #closed = false;

  constructor(
    private readonly config: StoreConfig,
    private readonly clock: Clock,
    private readonly state: MemoryStoreState,
  ) {
    this.#batcher = new Batcher(config, {
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
    this.#batcher.start();
  }

  async stop(): Promise<void> {
    await this.#batcher.close();
    this.#closed = true;
  }

  async write(batch: readonly EdgeWindow[]): Promise<void> {
    this.#batcher.push(batch);
  }

  flush(): Promise<void> {
    return this.#batcher.flush();
  }

  maintain(): Promise<void> {
    return this.#batcher.maintain();
  }

  stats(): StoreStats {
    return this.#batcher.stats();
  }

  async inspect(): Promise<StoreInspection> {
    const count = (b: Record<StoredLevel, Buckets>) =>
      [...b.workload.values(), ...b.pod.values()].reduce((n, m) => n + m.size, 0);
    const keys = new Set<string>();
    const nodes = new Set<string>();
    for (const res of [this.state.minute, this.state.hour]) {
      for (const level of ['workload', 'pod'] as const) {
        for (const m of res[level].values()) {
          for (const [k, acc] of m) {
            keys.add(`${level}\u0000${k}`);
            nodes.add(acc.clientId).add(acc.serverId);
          }
        }
      }
    }
    return {
      minuteRows: count(this.state.minute),
      hourRows: count(this.state.hour),
      edgeKeys: keys.size,
      nodes: nodes.size,
    };
  }

  async edges(query: EdgesQuery): Promise<readonly Edge[]> {
    this.#assertStarted();
    const plan = planRange(query, this.#planState());
    const byKey = new Map<string, EdgeAccumulator>();
    for (const [, m] of this.#planned(plan, query.level)) {
      for (const [key, acc] of m) {
        const sum = byKey.get(key);
        if (sum) addInto(sum, toEdge(acc));
        else byKey.set(key, accumulatorOf(toEdge(acc)));
      }
    }
    return [...byKey.values()].map(toEdge);
  }

  async series(query: SeriesQuery): Promise<readonly (readonly SeriesPoint[])[]> {
    this.#assertStarted();
    const plan = planSeries(query, query.step, this.#planState());
    const accs = query.selectors.map(() => new SeriesAccumulator(query.step));
    for (const [bucket, m] of this.#planned(plan, query.level)) {
      for (const acc of m.values()) {
        for (let i = 0; i < query.selectors.length; i++) {
          if (selectorMatches(query.selectors[i]!, acc)) accs[i]!.add(bucket, toEdge(acc));
        }
      }
    }
    return accs.map((a) => a.points());
  }

  async bounds(): Promise<SourceBounds> {
    this.#assertStarted();
    let earliest: number | null = null;
    for (const res of [this.state.minute, this.state.hour]) {
      for (const level of ['workload', 'pod'] as const) {
        for (const t of res[level].keys()) if (earliest === null || t < earliest) earliest = t;
      }
    }
    return { earliest, fineFrom: this.#planState().minuteFrom };
  }

  *#planned(plan: RangePlan, level: StoredLevel): Iterable<[number, Map<string, EdgeAccumulator>]> {
    if (plan.hours) yield* bucketsIn(this.state.hour[level], plan.hours);
    for (const span of plan.minutes) yield* bucketsIn(this.state.minute[level], span);
  }

  #planState() {
    let minuteFrom: number | null = null;
    for (const level of ['workload', 'pod'] as const) {
      for (const t of this.state.minute[level].keys()) if (minuteFrom === null || t < minuteFrom) minuteFrom = t;
    }
    return { rolledUpTo: this.state.rolledUpTo, minuteFrom: minuteFrom ?? this.state.rolledUpTo ?? 0 };
  }

  #assertStarted(): void {
    if (this.#closed) throw new SourceError('closed', 'Cannot query the history store: it is closed');
    if (!this.#started) throw new SourceError('not-started', 'Cannot query the history store: it is not started');
  }

  #writeBatch(windows: readonly EdgeWindow[]): void {
    for (const w of windows) {
      const level = w.level as StoredLevel;
      this.state.rolledUpTo ??= hourOf(w.start);
      if (w.end > this.state.latestEnd) this.state.latestEnd = w.end;
      const late = w.start < this.state.rolledUpTo;
      for (const edge of w.edges) {
        addToBuckets(this.state.minute[level], w.start, edge);
        if (late) addToBuckets(this.state.hour[level], hourOf(w.start), edge);
      }
    }
  }

  #rollup(): void {
    const from = this.state.rolledUpTo;
    if (from === null) return;
    const target = rollupTarget(this.clock(), this.state.latestEnd, this.config.rollupGraceMs);
    if (target <= from) return;
    for (const level of ['workload', 'pod'] as const) {
      for (const [bucket, m] of bucketsIn(this.state.minute[level], { from, to: target })) {
        for (const acc of m.values()) addToBuckets(this.state.hour[level], hourOf(bucket), toEdge(acc));
      }
    }
    this.state.rolledUpTo = target;
  }

  #retain(): void {
    const now = this.clock();
    const { minutes, hours } = this.config.retention;
    const rolled = this.state.rolledUpTo ?? Number.NEGATIVE_INFINITY;
    for (const level of ['workload', 'pod'] as const) {
      if (minutes > 0) {
        const cut = Math.min(now - minutes, rolled);
        for (const t of [...this.state.minute[level].keys()]) if (t < cut) this.state.minute[level].delete(t);
      }
      if (hours > 0) {
        const cut = now - hours;
        for (const t of [...this.state.hour[level].keys()]) if (t + HOUR_MS <= cut) this.state.hour[level].delete(t);
      }
    }
  }
}
