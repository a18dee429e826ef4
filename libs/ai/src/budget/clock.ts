/** Where budgets read the time, so tests set it instead of waiting for midnight. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
