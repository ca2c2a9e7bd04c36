/**
 * A tiny harness for `*.bench.ts` files: warm up, run for a fixed time, print one line per case.
 * Results are printed as `bench <name>: <rate> <unit>/s (<iterations> runs, <ms> ms)` and returned.
 * @module
 */

export interface BenchResult {
  readonly name: string;
  /** units per second */
  readonly rate: number;
  readonly unit: string;
  readonly runs: number;
  readonly ms: number;
}

export interface BenchOptions {
  /** how many units (records, lookups, ...) one call of `fn` processes */
  readonly unitsPerRun: number;
  readonly unit: string;
  /** measuring time after warm-up */
  readonly ms?: number;
  readonly warmupMs?: number;
}

/** a sink that defeats dead-code elimination: benchmarks feed their results into it */
export let blackhole: unknown;
export function consume(value: unknown): void {
  blackhole = value;
}

/** runs `fn` repeatedly and prints its throughput */
export function bench(name: string, fn: () => unknown, options: BenchOptions): BenchResult {
  const measureMs = Number(process.env.BENCH_MS ?? options.ms ?? 3000);
  const warmupMs = options.warmupMs ?? Math.min(1000, measureMs / 3);
  const runFor = (ms: number): [number, number] => {
    const t0 = performance.now();
    let runs = 0;
    let now = t0;
    while (now - t0 < ms) {
      consume(fn());
      runs++;
      now = performance.now();
    }
    return [runs, now - t0];
  };
  runFor(warmupMs);
  const [runs, ms] = runFor(measureMs);
  const rate = (runs * options.unitsPerRun * 1000) / ms;
  const result = { name, rate, unit: options.unit, runs, ms };
  console.log(`bench ${name}: ${formatRate(rate)} ${options.unit}/s (${runs} runs, ${ms.toFixed(0)} ms)`);
  return result;
}

export function formatRate(rate: number): string {
  if (rate >= 1e6) return `${(rate / 1e6).toFixed(2)} M`;
  if (rate >= 1e3) return `${(rate / 1e3).toFixed(1)} k`;
  return rate.toFixed(1);
}
