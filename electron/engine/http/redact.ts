// Secrets must never reach the log, the audit trail or an error message. Redaction works two ways:
// by value (every secret the connection knows, wherever it appears) and by shape (bearer tokens, token
// fields, shared secrets in XML), so a secret Ferry was never told about still does not leak.

export const REDACTED = '[redacted]';

const sensitiveHeader = /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|x-hub-signature.*)$/i;

const shapes: [RegExp, string][] = [
  [/(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  [/("(?:access_token|refresh_token|id_token|client_secret|password|sask|saak|cs|secret)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi, `$1"${REDACTED}"`],
  [/((?:^|[?&])(?:access_token|refresh_token|client_secret|password|username)=)[^&\s]*/gi, `$1${REDACTED}`],
  [/(<(SharedSecret|Identity)>)[^<]*(<\/\2>)/g, `$1${REDACTED}$3`],
];

export type Redactor = (text: string) => string;

export function makeRedactor(secrets: readonly (string | null | undefined)[]): Redactor {
  // Longest first, so a secret that contains another is removed whole.
  // Each secret also as it appears inside JSON strings and URL/form encoding.
  const known = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4);
  const values = [...new Set(known.flatMap((s) => [s, JSON.stringify(s).slice(1, -1), encodeURIComponent(s)]))].sort(
    (a, b) => b.length - a.length,
  );
  return (text: string) => {
    let out = text;
    for (const v of values) out = out.split(v).join(REDACTED);
    for (const [re, rep] of shapes) out = out.replace(re, rep);
    return out;
  };
}

export function redactHeaders(headers: Record<string, unknown>, redact: Redactor): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined || v === null) continue;
    out[k] = sensitiveHeader.test(k) ? REDACTED : redact(String(v));
  }
  return out;
}
