import type { Clock } from '../../lib/clock.js';

/** Addresses remembered at most; past it, those whose bucket has refilled are forgotten (they lose nothing). */
const MAX_ADDRESSES = 10_000;

/**
 * A token bucket per client address (or any key), in this process's memory: `perMinute` requests at once, then one
 * every 60/perMinute seconds (with `periodMs`, `perMinute` per that period instead). Enough to keep one address from
 * hammering the install page, or one calendar feed address from being read in a loop; each replica counts its own.
 */
export class AddressRateLimit {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly clock: Clock,
    private readonly periodMs = 60_000,
  ) {}

  /** Takes one request's token for `address`: false when it has none left. */
  take(address: string): boolean {
    const now = this.clock.now().getTime();
    const tokens = this.tokensAt(address, now);
    const allowed = tokens >= 1;
    this.buckets.delete(address);
    this.buckets.set(address, { tokens: allowed ? tokens - 1 : tokens, at: now });
    if (this.buckets.size > MAX_ADDRESSES) this.forgetRefilled(now);
    return allowed;
  }

  /** Seconds until `address` has a token again. */
  retryAfterSeconds(address: string): number {
    const missing = 1 - this.tokensAt(address, this.clock.now().getTime());
    return Math.max(1, Math.ceil((missing * this.periodMs) / 1000 / this.perMinute));
  }

  private tokensAt(address: string, now: number): number {
    const bucket = this.buckets.get(address);
    if (bucket === undefined) return this.perMinute;
    return Math.min(this.perMinute, bucket.tokens + (Math.max(0, now - bucket.at) * this.perMinute) / this.periodMs);
  }

  private forgetRefilled(now: number): void {
    for (const address of this.buckets.keys())
      if (this.tokensAt(address, now) >= this.perMinute) this.buckets.delete(address);
    // Still full of busy addresses: drop the least recently seen (Map order is insertion order, refreshed on take).
    for (const address of this.buckets.keys()) {
      if (this.buckets.size <= MAX_ADDRESSES) break;
      this.buckets.delete(address);
    }
  }
}
