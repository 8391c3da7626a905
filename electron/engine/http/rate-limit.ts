// Request budgets. One bucket per tenant or host, shared by every flow of the process, so three flows of one
// tenant together stay inside the tenant's quota. Hand-written: the policy must react to the answers (429,
// Retry-After) and report its waits, which the generic limiter libraries do not do together.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface RateLimiter {
  /** Waits for a slot; resolves with how long it waited (ms). */
  take(): Promise<number>;
  /** Tells the limiter how the server answered: 429s slow it down, successes let it recover. */
  observe(status: number, retryAfterMs: number | null): void;
  readonly perMinute: number;
  readonly adaptive: boolean;
}

/**
 * Token bucket. With a configured limit L per minute it refills at 0.9·L/min with a burst of 5 % of L, so
 * that no 60-second window ever carries more than 0.95·L requests (the gateway counts a sliding minute).
 *
 * Without a known limit it starts generous (6,000/min) and learns from the first 429: the requests that got through in
 * the last minute are the quota, so it paces at 90 % of that from then on, and — when the server gives no
 * Retry-After (ION documents none) — waits until that minute has room again instead of hammering it. After a
 * quiet minute it speeds up by 10 % a minute, never past a configured limit.
 */
export class TokenBucket implements RateLimiter {
  private tokens: number;
  private last = Date.now();
  private rate: number; // tokens per ms
  private capacity: number;
  private queue: Promise<unknown> = Promise.resolve();
  private pausedUntil = 0;
  private sent: number[] = [];
  private lastThrottle: number | null = null;
  private lastIncrease: number | null = null;
  private readonly maxRate: number;

  constructor(
    limitPerMinute: number | null,
    private readonly opts: { startPerMinute?: number; floorPerMinute?: number; ceilingPerMinute?: number } = {},
  ) {
    this.adaptive = limitPerMinute === null;
    // Unknown limit: start fast (100/s) — the first 429 teaches the real quota; a slow start would cap every
    // backfill at the start rate for nothing.
    const start = limitPerMinute === null ? (opts.startPerMinute ?? 6000) : limitPerMinute * 0.9;
    this.rate = start / 60_000;
    this.maxRate = (limitPerMinute === null ? (opts.ceilingPerMinute ?? 10_000) : limitPerMinute * 0.9) / 60_000;
    this.capacity = Math.max(1, Math.floor((limitPerMinute ?? start) * 0.05));
    this.tokens = this.capacity;
  }

  readonly adaptive: boolean;

  get perMinute(): number {
    return Math.round(this.rate * 60_000);
  }

  take(): Promise<number> {
    // One waiter at a time, so concurrent callers queue instead of all waking on the same token.
    const turn = this.queue.then(() => this.wait());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async wait(): Promise<number> {
    const started = Date.now();
    for (;;) {
      const now = Date.now();
      if (now < this.pausedUntil) {
        await sleep(this.pausedUntil - now);
        continue;
      }
      this.recover(now);
      this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.rate);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        this.sent.push(now);
        if (this.sent.length > 20_000) this.sent = this.sent.filter((t) => t > now - 60_000);
        return Date.now() - started;
      }
      await sleep(Math.ceil((1 - this.tokens) / this.rate));
    }
  }

  private recover(now: number): void {
    if (this.lastThrottle === null || now - this.lastThrottle < 60_000 || (this.lastIncrease !== null && now - this.lastIncrease < 60_000)) return;
    this.lastIncrease = now;
    this.rate = Math.min(this.maxRate, this.rate * 1.1);
  }

  observe(status: number, retryAfterMs: number | null): void {
    if (status !== 429) return;
    const now = Date.now();
    this.lastThrottle = now;
    this.sent = this.sent.filter((t) => t > now - 60_000);
    // The throttled request itself is in `sent`; the ones before it are what the quota allowed.
    const allowed = this.sent.length - 1;
    const floor = (this.opts.floorPerMinute ?? 10) / 60_000;
    this.rate = allowed >= 2 ? Math.max(floor, Math.min(this.rate, (0.9 * allowed) / 60_000)) : Math.max(floor, this.rate / 2);
    this.capacity = 1;
    this.tokens = Math.min(this.tokens, 0);
    const windowFrees = (this.sent[0] ?? now) + 60_000 + 250;
    this.pausedUntil = Math.max(this.pausedUntil, retryAfterMs !== null ? now + retryAfterMs : windowFrees);
  }
}
const buckets = new Map<string, TokenBucket>();

/** The shared bucket for one tenant or host (e.g. "ion:ACME_PRD", "jira:acme.atlassian.net"). */
export function limiterFor(key: string, limitPerMinute: number | null): TokenBucket {
  const existing = buckets.get(key);
  if (existing && (existing.adaptive ? limitPerMinute === null : limitPerMinute !== null && Math.abs(existing.perMinute - limitPerMinute * 0.9) < 1)) {
    return existing;
  }
  const bucket = new TokenBucket(limitPerMinute);
  buckets.set(key, bucket);
  return bucket;
}
