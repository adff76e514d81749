/** The only source of "now": services read it once per use case and pass the instant down. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = {
  now: () => new Date(),
};
