import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bypassesProxy, proxyFor } from '../../electron/engine/http/network';
import { TokenBucket } from '../../electron/engine/http/rate-limit';
import { backoffMs, classifyNetworkError, defaultRetryPolicy, serverDelayMs } from '../../electron/engine/http/retry';

describe('server-given delays', () => {
  const now = Date.parse('2026-11-21T10:00:00Z');
  it('reads Retry-After in seconds and as an HTTP date', () => {
    expect(serverDelayMs({ 'retry-after': '7' }, now)).toBe(7000);
    expect(serverDelayMs({ 'retry-after': '1.5' }, now)).toBe(1500);
    expect(serverDelayMs({ 'retry-after': 'Sat, 21 Nov 2026 10:00:30 GMT' }, now)).toBe(30_000);
  });
  it('falls back to X-RateLimit-Reset as an ISO time or epoch seconds, and to nothing', () => {
    expect(serverDelayMs({ 'x-ratelimit-reset': '2026-11-21T10:01:00Z' }, now)).toBe(60_000);
    expect(serverDelayMs({ 'x-ratelimit-reset': String(now / 1000 + 12) }, now)).toBe(12_000);
    expect(serverDelayMs({ 'x-ratelimit-reset': '2026-11-21T09:00:00Z' }, now)).toBe(0);
    expect(serverDelayMs({}, now)).toBeNull();
    expect(serverDelayMs({ 'retry-after': 'soon' }, now)).toBeNull();
  });
});

describe('backoff with full jitter', () => {
  it('stays within [0, min(max, base·2^(n-1))] and uses the whole range', () => {
    const policy = { ...defaultRetryPolicy, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffMs(1, policy, () => 0.999)).toBe(100);
    expect(backoffMs(3, policy, () => 0.5)).toBe(200);
    expect(backoffMs(10, policy, () => 0.999)).toBe(999);
    expect(backoffMs(4, policy, () => 0)).toBe(0);
  });
});

describe('network failure classes', () => {
  it('separates "never sent" (safe to repeat a write) from "may have arrived" and from TLS trust problems', () => {
    expect(classifyNetworkError('ECONNREFUSED', 'connect ECONNREFUSED')).toBe('not-sent');
    expect(classifyNetworkError('ENOTFOUND', 'getaddrinfo')).toBe('not-sent');
    expect(classifyNetworkError('ECONNRESET', 'socket hang up')).toBe('ambiguous');
    expect(classifyNetworkError(undefined, 'socket hang up')).toBe('ambiguous');
    expect(classifyNetworkError('ERR_CANCELED', 'canceled')).toBe('ambiguous');
    expect(classifyNetworkError('SELF_SIGNED_CERT_IN_CHAIN', 'self signed')).toBe('tls');
    expect(classifyNetworkError('UNABLE_TO_VERIFY_LEAF_SIGNATURE', '')).toBe('tls');
    expect(classifyNetworkError('ERR_TLS_CERT_ALTNAME_INVALID', '')).toBe('tls');
    expect(classifyNetworkError('EWHATEVER', 'odd')).toBe('other');
  });
});

describe('proxy rules', () => {
  it('follows NO_PROXY like curl: exact hosts, suffixes, ports and "*"', () => {
    expect(bypassesProxy('https://jira.corp.example/x', 'corp.example')).toBe(false);
    expect(bypassesProxy('https://jira.corp.example/x', '.corp.example')).toBe(true);
    expect(bypassesProxy('https://jira.corp.example/x', '*.corp.example')).toBe(true);
    expect(bypassesProxy('https://corp.example/x', 'corp.example')).toBe(true);
    expect(bypassesProxy('https://corp.example:8443/x', 'corp.example:443')).toBe(false);
    expect(bypassesProxy('https://corp.example/x', 'corp.example:443')).toBe(true);
    expect(bypassesProxy('https://anything.example/x', '*')).toBe(true);
    expect(bypassesProxy('https://a.example/x', '')).toBe(false);
  });

  it('prefers Ferry’s own setting over the environment, and null means none', () => {
    const env = { HTTPS_PROXY: 'http://env-proxy:3128', NO_PROXY: 'intranet.example' };
    expect(proxyFor('https://mingle-ionapi.inforcloudsuite.com/', {}, env)).toBe('http://env-proxy:3128');
    expect(proxyFor('https://intranet.example/', {}, env)).toBeNull();
    expect(proxyFor('https://x.example/', { proxyUrl: 'proxy.corp:8080' }, env)).toBe('http://proxy.corp:8080');
    expect(proxyFor('https://x.example/', { proxyUrl: null }, env)).toBeNull();
    expect(proxyFor('http://x.example/', {}, { https_proxy: 'http://only-https:1' })).toBeNull();
  });
});

describe('token bucket', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  const drain = async (bucket: TokenBucket, ms: number): Promise<number> => {
    let granted = 0;
    let stop = false;
    const loop = (async () => {
      while (!stop) {
        await bucket.take();
        if (!stop) granted++;
      }
    })();
    await vi.advanceTimersByTimeAsync(ms);
    stop = true;
    await vi.advanceTimersByTimeAsync(60_000);
    await loop;
    return granted;
  };

  it('never lets a sliding minute carry more than 95 % of a configured limit', async () => {
    const bucket = new TokenBucket(120);
    const granted = await drain(bucket, 60_000);
    expect(granted).toBeLessThanOrEqual(114);
    expect(granted).toBeGreaterThanOrEqual(100);
  });

  it('without a known limit, halves its pace on a 429 and waits out Retry-After', async () => {
    const bucket = new TokenBucket(null, { startPerMinute: 600 });
    expect(bucket.perMinute).toBe(600);
    bucket.observe(429, 5000);
    expect(bucket.perMinute).toBe(300);
    const take = bucket.take();
    let waited: number | null = null;
    void take.then((w) => (waited = w));
    await vi.advanceTimersByTimeAsync(4900);
    expect(waited).toBeNull();
    await vi.advanceTimersByTimeAsync(400);
    expect(waited).toBeGreaterThanOrEqual(5000);
  });

  it('learns the quota from the first 429 without a hint, and waits until the minute has room', async () => {
    const bucket = new TokenBucket(null, { startPerMinute: 600 });
    for (let i = 0; i < 30; i++) expect(await bucket.take()).toBe(0);
    bucket.observe(429, null);
    // 29 requests got through before the refused one: pace at 90 % of that.
    expect(bucket.perMinute).toBe(26);
    let waited: number | null = null;
    void bucket.take().then((w) => (waited = w));
    await vi.advanceTimersByTimeAsync(59_000);
    expect(waited).toBeNull();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(waited).toBeGreaterThanOrEqual(60_000);
  });

  it('speeds up by 10 % after each quiet minute, never past a configured limit', async () => {
    // Fake time: each take() is given the time it needs to get its token.
    const take = async (b: TokenBucket) => {
      const t = b.take();
      await vi.advanceTimersByTimeAsync(30_000);
      return t;
    };
    const bucket = new TokenBucket(null, { startPerMinute: 600 });
    bucket.observe(429, 0);
    expect(bucket.perMinute).toBe(300);
    await vi.advanceTimersByTimeAsync(61_000);
    await take(bucket);
    expect(bucket.perMinute).toBe(330);
    await take(bucket);
    expect(bucket.perMinute).toBe(330);
    await vi.advanceTimersByTimeAsync(61_000);
    await take(bucket);
    expect(bucket.perMinute).toBe(363);

    const configured = new TokenBucket(100);
    configured.observe(429, 0);
    expect(configured.perMinute).toBe(45);
    for (let i = 0; i < 10; i++) {
      await vi.advanceTimersByTimeAsync(61_000);
      await take(configured);
    }
    expect(configured.perMinute).toBe(90);
  });
});
