/**
 * Finds the traffic intensity that makes the simulated exporters emit a target number of records per second:
 * two short dry runs (no I/O) give a linear fit of records/s against intensity.
 * @module
 */
import { createSimulation, type SimulationOptions } from './simulation.js';

/** records per second the simulation emits at `intensity`, measured over simulated [warmupMs, totalMs) */
export function measureRecordRate(options: SimulationOptions, intensity: number, warmupMs = 30_000, totalMs = 90_000) {
  const sim = createSimulation({ ...options, intensity });
  let records = 0;
  for (let t = options.start + 500; t <= options.start + totalMs; t += 500) {
    const step = sim.step(t);
    if (t > options.start + warmupMs) for (const b of step.batches) records += b.records.length;
  }
  return (records * 1000) / (totalMs - warmupMs);
}

/** the intensity for `recordsPerSecond` (at least 0.05) */
export function calibrateIntensity(options: SimulationOptions, recordsPerSecond: number): number {
  const low = measureRecordRate(options, 1);
  const high = measureRecordRate(options, 20);
  const slope = Math.max((high - low) / 19, 1e-6);
  return Math.max(0.05, 1 + (recordsPerSecond - low) / slope);
}
