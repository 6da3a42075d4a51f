/**
 * Per-caller rate limits: a token bucket per principal, refilled continuously. Buckets of callers that
 * have been idle long enough to be full again are forgotten, so memory follows active callers only.
 */
export interface RateLimitOptions {
  /** Sustained requests per second. */
  perSecond: number;
  /** Requests allowed in a burst. */
  burst: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { perSecond: 100, burst: 200 };

interface Bucket {
  tokens: number;
  updated: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly options: RateLimitOptions = DEFAULT_RATE_LIMIT,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes one request from the caller's bucket; returns 0 when allowed, else seconds until the next is. */
  take(key: string): number {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.options.burst, updated: now };
    bucket.tokens = Math.min(
      this.options.burst,
      bucket.tokens + ((now - bucket.updated) / 1000) * this.options.perSecond,
    );
    bucket.updated = now;
    this.buckets.set(key, bucket);
    if (this.buckets.size > 10_000) this.forgetIdle(now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return (1 - bucket.tokens) / this.options.perSecond;
  }

  private forgetIdle(now: number): void {
    const refillMs = (this.options.burst / this.options.perSecond) * 1000;
    for (const [key, bucket] of this.buckets) if (now - bucket.updated > refillMs) this.buckets.delete(key);
  }
}
