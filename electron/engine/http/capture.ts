import { redactHeaders, type Redactor } from './redact';

/** A redacted copy of one request/response pair, for the audit trail. */
export interface Capture {
  method: string;
  url: string;
  status: number | null;
  ms: number;
  attempt: number;
  requestHeaders: Record<string, string>;
  requestBody: string | null;
  responseBody: string | null;
  error: string | null;
}

const MAX_CAPTURE_CHARS = 16 * 1024;

function clip(text: string): string {
  return text.length > MAX_CAPTURE_CHARS ? `${text.slice(0, MAX_CAPTURE_CHARS)}… [${text.length - MAX_CAPTURE_CHARS} more characters]` : text;
}

export function bodyText(body: unknown): string | null {
  if (body === undefined || body === null || body === '') return null;
  if (typeof body === 'string') return body;
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  if (body instanceof URLSearchParams) return body.toString();
  return JSON.stringify(body);
}

export function makeCapture(
  redact: Redactor,
  parts: { method: string; url: string; status: number | null; ms: number; attempt: number; headers: Record<string, unknown>; requestBody: unknown; responseBody: unknown; error?: string | null },
): Capture {
  const req = bodyText(parts.requestBody);
  const res = bodyText(parts.responseBody);
  return {
    method: parts.method,
    url: redact(parts.url),
    status: parts.status,
    ms: parts.ms,
    attempt: parts.attempt,
    requestHeaders: redactHeaders(parts.headers, redact),
    requestBody: req === null ? null : clip(redact(req)),
    responseBody: res === null ? null : clip(redact(res)),
    error: parts.error ? redact(parts.error) : null,
  };
}
