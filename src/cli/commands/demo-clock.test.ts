import { describe, expect, it } from 'vitest';
import { createDemoClock } from './demo-clock.js';

describe('createDemoClock()', () => {
  it("follows the simulation's time while it replays, then the system clock, never going back", () => {
    let real = 1_000_000;
    let sim = 400_000;
    const c = createDemoClock(
      () => sim,
      () => real,
    );
    expect(c.clock()).toBe(400_000);
    sim = 700_000;
    expect(c.clock()).toBe(700_000);
    sim = 1_200_000; // a step ahead of the wall clock is capped
    expect(c.clock()).toBe(1_000_000);
    sim = 999_000;
    expect(c.clock()).toBe(1_000_000);
    c.live();
    real += 50;
    expect(c.clock()).toBe(1_000_050);
  });

  it('reads an event time while the event is applied, never a time ahead of itself', () => {
    const sim = 50_000;
    const c = createDemoClock(
      () => sim,
      () => 90_000,
    );
    expect(c.at(40_000, () => c.clock())).toBe(40_000);
    expect(c.at(60_000, () => c.clock())).toBe(50_000);
    expect(c.clock()).toBe(50_000);
  });
});
