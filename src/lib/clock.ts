/** The only source of "now": services read it once per use case and pass the instant down. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = {
  now: () => new Date(),
};

/** Waits for real time; code that paces itself takes a sleep function so tests can pass one that moves a fake clock. */
export function realSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
