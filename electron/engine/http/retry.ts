// When to try a request again, and how long to wait first.

export interface RetryPolicy {
  maxAttempts: number;
  /** Give up rather than wait past this much time in total (the run must end). */
  maxTotalMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 6, maxTotalMs: 180_000, baseDelayMs: 500, maxDelayMs: 60_000 };

export const RETRY_STATUSES = new Set([429, 502, 503, 504]);

/** Network failures where the request never left this machine: a retry cannot repeat a write. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNECTTIMEOUT', 'ENETUNREACH', 'EHOSTUNREACH']);
const NETWORK = new Set([...NOT_SENT, 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNABORTED', 'ERR_CANCELED', 'ERR_SOCKET_CONNECTION_TIMEOUT', 'EPROTO', 'ERR_BAD_RESPONSE']);
const TLS = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS_CERT_ALTNAME_INVALID|HOSTNAME_MISMATCH/;

export type NetworkFailure = 'not-sent' | 'ambiguous' | 'tls' | 'other';

export function classifyNetworkError(code: string | undefined, message: string): NetworkFailure {
  if (code && TLS.test(code)) return 'tls';
  if (/certificate/i.test(message)) return 'tls';
  if (code && NOT_SENT.has(code)) return 'not-sent';
  if ((code && NETWORK.has(code)) || /socket hang up|aborted|timeout/i.test(message)) return 'ambiguous';
  return 'other';
}

/** Retry-After (seconds or an HTTP date) or X-RateLimit-Reset (ISO time or epoch seconds), as ms from now. */
export function serverDelayMs(headers: Record<string, unknown>, now = Date.now()): number | null {
  const retryAfter = headers['retry-after'];
  if (typeof retryAfter === 'string' && retryAfter.trim() !== '') {
    if (/^\d+(\.\d+)?$/.test(retryAfter.trim())) return Math.round(Number(retryAfter) * 1000);
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  const reset = headers['x-ratelimit-reset'];
  if (typeof reset === 'string' && reset.trim() !== '') {
    const epoch = /^\d{9,11}$/.test(reset.trim()) ? Number(reset) * 1000 : Date.parse(reset);
    if (!Number.isNaN(epoch)) return Math.max(0, epoch - now);
  }
  return null;
}

/** Exponential backoff with full jitter (AWS architecture blog): uniform in [0, min(max, base·2^(n-1))]. */
export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(random() * cap);
}
