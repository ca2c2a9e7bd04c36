/** the time source every stage takes as a dependency; tests inject their own */
export type Clock = () => number;

/** the wall clock in epoch ms */
export const systemClock: Clock = () => Date.now();
