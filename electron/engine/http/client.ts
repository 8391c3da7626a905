import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { makeCapture, type Capture } from './capture';
import { ConnectorError } from './errors';
import { agentsFor, type NetworkSettings } from './network';
import type { RateLimiter } from './rate-limit';
import { makeRedactor, type Redactor } from './redact';
import { backoffMs, classifyNetworkError, defaultRetryPolicy, RETRY_STATUSES, serverDelayMs, type RetryPolicy } from './retry';

// One HTTP layer for every connector: request budget, retries that never repeat a write blindly, 401 →
// renew the token once, timeouts, proxy and extra CAs, and a redacted capture of each exchange.

export type { Capture } from './capture';

export interface HttpStats {
  requests: number;
  retries: number;
  throttled: number;
  waitedMs: number;
}

export interface Wait {
  reason: 'rate-limit' | 'retry';
  ms: number;
  attempt: number;
  cause: string;
}

/** Something that puts an Authorization header on a request and can be told the server refused it. */
export interface RequestAuth {
  header(): Promise<string>;
  /** After a 401: renew on the next header() call. */
  invalidate(): void;
}

export interface HttpOptions {
  /** The system's name in sentences: "CloudSuite", "JAGGAER", "Jira". */
  system: string;
  limiter?: RateLimiter;
  retry?: Partial<RetryPolicy>;
  network?: NetworkSettings;
  requestTimeoutMs?: number;
  redact?: Redactor;
  onWait?: (w: Wait) => void;
  userAgent?: string;
  random?: () => number;
}

export interface SendRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  url: string;
  params?: Record<string, string>;
  headers?: Record<string, string>;
  data?: unknown;
  responseType?: 'json' | 'text';
  auth?: RequestAuth;
  /** A write that may be repeated safely (idempotent by key). GET/PUT/DELETE are; POST is not unless said. */
  idempotent?: boolean;
  /**
   * For a non-idempotent write whose outcome is unknown (connection lost after sending, 502/504): prove that
   * it did NOT take effect, so it may be sent again. Without proof the write is never repeated.
   */
  verifyNotApplied?: () => Promise<boolean>;
  /** Statuses that are answers, not failures (e.g. 404 for "not found"). */
  acceptStatus?: (status: number) => boolean;
  /** The person's words for this request in error messages, e.g. "loading purchase orders". */
  what?: string;
}

export interface SendResult<T> {
  status: number;
  headers: Record<string, string>;
  data: T;
  capture: Capture;
  attempts: number;
  waitedMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function headerMap(res: AxiosResponse): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers ?? {})) if (v !== undefined && v !== null) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  return out;
}

export class Http {
  readonly stats: HttpStats = { requests: 0, retries: 0, throttled: 0, waitedMs: 0 };
  private readonly axios: AxiosInstance;
  private readonly policy: RetryPolicy;
  private readonly redact: Redactor;
  private readonly agents = new Map<string, ReturnType<typeof agentsFor>>();

  constructor(private readonly opts: HttpOptions) {
    this.policy = { ...defaultRetryPolicy, ...opts.retry };
    this.redact = opts.redact ?? makeRedactor([]);
    // Proxy and TLS are handled by our agents (per target, NO_PROXY honoured), so axios's own proxy is off.
    this.axios = axios.create({ proxy: false, maxRedirects: 0, headers: { 'User-Agent': opts.userAgent ?? 'Ferry/0.1' } });
  }

  get system(): string {
    return this.opts.system;
  }

  private agentsFor(url: string) {
    const origin = new URL(url).origin;
    let a = this.agents.get(origin);
    if (!a) {
      a = agentsFor(url, this.opts.network);
      this.agents.set(origin, a);
    }
    return a;
  }

  async send<T = unknown>(req: SendRequest): Promise<SendResult<T>> {
    const started = Date.now();
    const system = this.opts.system;
    const what = req.what ?? `${req.method} ${new URL(req.url).pathname}`;
    const safeByNature = req.idempotent ?? req.method !== 'POST';
    let attempt = 0;
    let throttles = 0;
    let renewed = false;
    let waited = 0;
    for (;;) {
      attempt++;
      if (this.opts.limiter) {
        const w = await this.opts.limiter.take();
        if (w > 0) {
          waited += w;
          this.stats.waitedMs += w;
          this.opts.onWait?.({ reason: 'rate-limit', ms: w, attempt, cause: 'request budget' });
        }
      }
      const headers: Record<string, string> = { Accept: req.responseType === 'text' ? 'application/xml, text/xml, */*' : 'application/json', ...req.headers };
      if (req.auth) headers.Authorization = await req.auth.header();
      const t0 = Date.now();
      this.stats.requests++;
      let res: AxiosResponse | null = null;
      let netErr: (Error & { code?: string }) | null = null;
      // Outside the try: an unusable CA file or proxy setting is a settings problem, not a network failure.
      const agents = this.agentsFor(req.url);
      try {
        res = await this.axios.request({
          method: req.method,
          url: req.url,
          params: req.params,
          data: req.data,
          headers,
          httpAgent: agents.httpAgent,
          httpsAgent: agents.httpsAgent,
          responseType: 'text',
          transformResponse: (d: unknown) => d,
          validateStatus: () => true,
          signal: AbortSignal.timeout(this.opts.requestTimeoutMs ?? 60_000),
        });
      } catch (err) {
        netErr = err as Error & { code?: string };
      }
      const fullUrl = res ? axios.getUri(res.config) : req.url;
      const capture = makeCapture(this.redact, {
        method: req.method,
        url: fullUrl,
        status: res?.status ?? null,
        ms: Date.now() - t0,
        attempt,
        headers,
        requestBody: req.data,
        responseBody: res?.data,
        error: netErr ? `${netErr.code ?? 'error'}: ${netErr.message}` : null,
      });

      let retryDelay: number | null = null;
      let failure: ConnectorError;
      if (res) {
        const resHeaders = headerMap(res);
        const serverDelay = serverDelayMs(resHeaders);
        this.opts.limiter?.observe(res.status, serverDelay);
        if (res.status === 401 && req.auth && !renewed) {
          renewed = true;
          req.auth.invalidate();
          attempt--;
          continue;
        }
        if (res.status < 400 || req.acceptStatus?.(res.status)) {
          return { status: res.status, headers: resHeaders, data: parseBody<T>(res.data, req.responseType), capture, attempts: attempt, waitedMs: waited };
        }
        failure = statusError(system, what, res.status, capture);
        if (RETRY_STATUSES.has(res.status)) {
          if (res.status === 429) this.stats.throttled++;
          // 429 and 503 come before the backend does anything; 502/504 may hide a write that went through.
          const notApplied = safeByNature || res.status === 429 || res.status === 503 || (await this.proveNotApplied(req));
          if (!notApplied) failure = uncertainWrite(system, what, `HTTP ${res.status}`, capture);
          else if (res.status === 429 && this.opts.limiter) {
            // The shared budget has learned from this 429 and holds every request (this one too) until the
            // quota has room: throttling is bounded by total time, not by the attempt count.
            retryDelay = 0;
            throttles++;
            attempt--;
          } else retryDelay = serverDelay ?? backoffMs(attempt, this.policy, this.opts.random);
        }
      } else {
        const kind = classifyNetworkError(netErr?.code, netErr?.message ?? '');
        failure = networkError(system, what, req.url, netErr, kind, capture);
        if (kind === 'not-sent' || (kind === 'ambiguous' && (safeByNature || (await this.proveNotApplied(req))))) {
          retryDelay = backoffMs(attempt, this.policy, this.opts.random);
        } else if (kind === 'ambiguous') {
          failure = uncertainWrite(system, what, netErr?.code ?? 'connection lost', capture);
        }
      }

      if (retryDelay === null) throw failure;
      const elapsed = Date.now() - started;
      if (attempt >= this.policy.maxAttempts || throttles > 50 || elapsed + retryDelay > this.policy.maxTotalMs) {
        throw new ConnectorError(failure.code, `${failure.message} Ferry tried ${attempt + throttles} times over ${Math.round(elapsed / 1000)} s and will try again on the next run.`, {
          system,
          retryable: true,
          status: failure.status,
          capture,
        });
      }
      this.stats.retries++;
      if (retryDelay > 0) {
        this.stats.waitedMs += retryDelay;
        waited += retryDelay;
        this.opts.onWait?.({ reason: 'retry', ms: retryDelay, attempt, cause: res ? `HTTP ${res.status}` : (netErr?.code ?? 'network') });
        await sleep(retryDelay);
      }
    }
  }

  private async proveNotApplied(req: SendRequest): Promise<boolean> {
    if (!req.verifyNotApplied) return false;
    try {
      return await req.verifyNotApplied();
    } catch {
      return false;
    }
  }
}

function parseBody<T>(raw: unknown, type: 'json' | 'text' | undefined): T {
  if (type === 'text' || typeof raw !== 'string') return raw as T;
  if (raw.trim() === '') return null as T;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return raw as T;
  }
}

function statusError(system: string, what: string, status: number, capture: Capture): ConnectorError {
  const retryable = RETRY_STATUSES.has(status) || status >= 500;
  const sentence =
    status === 401
      ? `${system} did not accept Ferry's sign-in even after renewing it (${what}). Check the credentials in Connections, or ask your administrator whether the account was changed.`
      : status === 403
        ? `${system} refused access for ${what} (HTTP 403): the account Ferry uses lacks a permission; ask your ${system} administrator.`
        : status === 404
          ? `${system} has no such resource for ${what} (HTTP 404); check the address in Connections.`
          : status === 429
            ? `${system} is limiting Ferry's requests for now (HTTP 429).`
            : status >= 500
              ? `${system} had a problem answering ${what} (HTTP ${status}).`
              : `${system} refused ${what} (HTTP ${status}).`;
  const code = status === 401 ? 'auth_expired' : status === 403 ? 'forbidden' : status === 404 ? 'not_found' : status === 429 ? 'rate_limited' : status >= 500 ? 'server_error' : 'rejected';
  return new ConnectorError(code, sentence, { system, retryable, status, capture });
}

function uncertainWrite(system: string, what: string, cause: string, capture: Capture): ConnectorError {
  return new ConnectorError(
    'write_uncertain',
    `${system} may or may not have received ${what} (${cause}). Ferry did not send it again, so nothing is doubled; the next run checks ${system} first.`,
    { system, retryable: true, capture },
  );
}

function networkError(system: string, what: string, url: string, err: (Error & { code?: string }) | null, kind: string, capture: Capture): ConnectorError {
  const host = (() => {
    try {
      return new URL(url).host;
    } catch {
      return url;
    }
  })();
  const code = err?.code ?? 'network error';
  if (kind === 'tls') {
    return new ConnectorError(
      'tls_untrusted',
      `Ferry does not trust the certificate presented for ${host} (${code}). If your company inspects HTTPS traffic, add its CA certificate (PEM) in Settings; otherwise tell IT the connection is being intercepted.`,
      { system, retryable: false, capture, detail: { code } },
    );
  }
  if (code === 'ECONNECTTIMEOUT' || code === 'ERR_CANCELED' || /timeout/i.test(err?.message ?? '')) {
    return new ConnectorError('timeout', `${system} at ${host} did not answer in time (${what}).`, { system, retryable: true, capture, detail: { code } });
  }
  return new ConnectorError(
    'unreachable',
    `Ferry could not reach ${system} at ${host} (${code}). Check the network connection, the proxy settings, or whether the address is right.`,
    { system, retryable: true, capture, detail: { code } },
  );
}
