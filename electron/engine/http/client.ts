import axios, { type AxiosInstance, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { redactHeaders, type Redactor } from './redact';

// One axios factory for every connector. This is the walking-skeleton version: timeouts, a request count
// for the run summary and redacted captures for the audit trail. Rate limiting, retries, proxy and CA
// settings arrive with the connectors issue and belong here too.

export interface HttpStats {
  requests: number;
  waitedMs: number;
}

export interface Http {
  axios: AxiosInstance;
  stats: HttpStats;
}

export interface Capture {
  method: string;
  url: string;
  status: number | null;
  ms: number | null;
  requestHeaders: Record<string, string>;
  requestBody: string | null;
  responseBody: string | null;
}

const MAX_CAPTURE_CHARS = 16 * 1024;
const startedAt = Symbol('startedAt');

type TimedConfig = InternalAxiosRequestConfig & { [startedAt]?: number };

export function createHttp(opts: { timeoutMs?: number; userAgent?: string } = {}): Http {
  const stats: HttpStats = { requests: 0, waitedMs: 0 };
  const instance = axios.create({
    timeout: opts.timeoutMs ?? 60_000,
    headers: { 'User-Agent': opts.userAgent ?? 'Ferry/0.1' },
    // Responses are validated by each connector; a 4xx/5xx still throws so nothing is taken as success.
    transitional: { clarifyTimeoutError: true },
  });
  instance.interceptors.request.use((config: TimedConfig) => {
    stats.requests++;
    config[startedAt] = Date.now();
    return config;
  });
  return { axios: instance, stats };
}

function clip(text: string): string {
  return text.length > MAX_CAPTURE_CHARS ? `${text.slice(0, MAX_CAPTURE_CHARS)}… [${text.length - MAX_CAPTURE_CHARS} more characters]` : text;
}

function bodyText(body: unknown): string | null {
  if (body === undefined || body === null) return null;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  return JSON.stringify(body);
}

/** A redacted copy of one request/response pair, for the audit trail. */
export function captureExchange(res: AxiosResponse | undefined, config: InternalAxiosRequestConfig, redact: Redactor): Capture {
  const started = (config as TimedConfig)[startedAt];
  const url = axios.getUri(config);
  const reqBody = bodyText(config.data);
  const resBody = res ? bodyText(res.data) : null;
  return {
    method: (config.method ?? 'get').toUpperCase(),
    url: redact(url),
    status: res?.status ?? null,
    ms: started ? Date.now() - started : null,
    requestHeaders: redactHeaders(config.headers as unknown as Record<string, unknown>, redact),
    requestBody: reqBody === null ? null : clip(redact(reqBody)),
    responseBody: resBody === null ? null : clip(redact(resBody)),
  };
}
