import { describe, expect, it } from 'vitest';
import { createDemoClock } from './demo-clock.js';

describe('createDemoClock()', () => {
  it('replays the last minutes faster, meets the system clock and follows it', () => {
    let real = 1_000_000;
    const c = createDemoClock(600_000, 61, () => real);
    expect(c.clock()).toBe(400_000);
    expect(c.remainingMs()).toBe(10_000);
    real += 5_000;
    expect(c.clock()).toBe(400_000 + 5_000 * 61);
    real += 5_000;
    expect(c.clock()).toBe(real);
    expect(c.remainingMs()).toBe(0);
    real += 1;
    expect(c.clock()).toBe(real);
  });

  it('reads an event time while the event is applied, never a time ahead of itself', () => {
    let real = 50_000;
    const c = createDemoClock(0, 1, () => real);
    expect(c.at(40_000, () => c.clock())).toBe(40_000);
    expect(c.at(90_000, () => c.clock())).toBe(50_000);
    expect(c.clock()).toBe(50_000);
    real = 60_000;
    expect(c.clock()).toBe(60_000);
  });
});
