import { isAxiosError, type AxiosInstance } from 'axios';
import { z } from 'zod';
import { FerryError } from '../../../shared/errors';
import type { Token } from './token-cache';

const tokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().positive(),
  refresh_token: z.string().min(1).optional(),
});

const oauthError = z.object({ error: z.string(), error_description: z.string().optional() });

/** POSTs one form-encoded token request (RFC 6749) and returns the token, or a FerryError a person can act on. */
export async function requestToken(
  http: AxiosInstance,
  url: string,
  form: Record<string, string>,
  who: { system: string; fix: string },
): Promise<Token> {
  const started = Date.now();
  try {
    const res = await http.post(url, new URLSearchParams(form).toString(), {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    });
    const body = tokenResponse.safeParse(res.data);
    if (!body.success) {
      throw new FerryError('auth_bad_response', `${who.system}'s sign-in server answered with something that is not a token. ${who.fix}`);
    }
    return {
      accessToken: body.data.access_token,
      expiresAt: started + body.data.expires_in * 1000,
      refreshToken: body.data.refresh_token ?? null,
    };
  } catch (err) {
    if (err instanceof FerryError) throw err;
    if (isAxiosError(err) && err.response) {
      const detail = oauthError.safeParse(err.response.data);
      const reason = detail.success ? detail.data.error : `HTTP ${err.response.status}`;
      throw new FerryError('auth_refused', `${who.system} refused Ferry's sign-in (${reason}). ${who.fix}`, {
        status: err.response.status,
        error: reason,
      });
    }
    throw unreachable(who.system, url, err);
  }
}

export function unreachable(system: string, url: string, err: unknown): FerryError {
  const code = isAxiosError(err) ? (err.code ?? 'network error') : 'network error';
  const host = safeHost(url);
  return new FerryError(
    'unreachable',
    `Ferry could not reach ${system} at ${host} (${code}). Check the network connection, proxy settings, or whether the address is right.`,
    { code, host },
  );
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
