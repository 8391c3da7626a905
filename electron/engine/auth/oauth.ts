import { z } from 'zod';
import type { Http } from '../http/client';
import { ConnectorError } from '../http/errors';
import type { Token } from './token-cache';

const tokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().positive(),
  refresh_token: z.string().min(1).optional(),
});

const oauthError = z.object({ error: z.string(), error_description: z.string().optional() });

/**
 * POSTs one form-encoded token request (RFC 6749) and returns the token, or a ConnectorError a person can act
 * on. Token requests change nothing on the server, so they may be retried like reads.
 */
export async function requestToken(http: Http, url: string, form: Record<string, string>, fix: string): Promise<Token> {
  const started = Date.now();
  const res = await http.send<unknown>({
    method: 'POST',
    url,
    data: new URLSearchParams(form).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    idempotent: true,
    acceptStatus: (s) => s === 400 || s === 401,
    what: 'signing in',
  });
  if (res.status === 400 || res.status === 401) {
    const detail = oauthError.safeParse(res.data);
    const reason = detail.success ? detail.data.error : `HTTP ${res.status}`;
    throw new ConnectorError('auth_refused', `${http.system} refused Ferry's sign-in (${reason}). ${fix}`, {
      system: http.system,
      retryable: false,
      status: res.status,
      capture: res.capture,
      detail: { error: reason },
    });
  }
  const body = tokenResponse.safeParse(res.data);
  if (!body.success) {
    throw new ConnectorError('auth_bad_response', `${http.system}'s sign-in server answered with something that is not a token. ${fix}`, {
      system: http.system,
      retryable: false,
      capture: res.capture,
    });
  }
  return { accessToken: body.data.access_token, expiresAt: started + body.data.expires_in * 1000, refreshToken: body.data.refresh_token ?? null };
}
