import crypto from 'node:crypto';

// Deliveries of admin webhooks with a secret carry X-Hub-Signature: sha256=<hex HMAC-SHA256 of the raw
// body>. Checked on the exact bytes received (re-serialised JSON would differ) and in constant time, so the
// comparison leaks nothing about the expected value.

export function verifyHubSignature(secret: string, rawBody: string | Buffer, header: string | readonly string[] | null | undefined): boolean {
  const value = Array.isArray(header) ? header[0] : header;
  if (typeof value !== 'string' || !secret) return false;
  const m = /^sha256=([0-9a-f]{64})$/i.exec(value.trim());
  if (!m) return false;
  const expected = crypto.createHmac('sha256', secret).update(rawBody).digest();
  return crypto.timingSafeEqual(expected, Buffer.from(m[1]!, 'hex'));
}
