import { z } from 'zod';
import type { Http, RequestAuth } from '../http/client';
import { ConnectorError } from '../http/errors';
import { bearer, TokenCache, type Token } from './token-cache';

// The three ways Ferry signs in to Jira, each as a RequestAuth for Http.send plus the base URL REST paths
// hang off: Cloud email + API token (Basic) and Data Center personal access tokens (Bearer) on the site URL;
// OAuth 2.0 (3LO) access tokens only through api.atlassian.com/ex/jira/{cloudId}, the one place Atlassian
// accepts them.

export const ATLASSIAN_TOKEN_URL = 'https://auth.atlassian.com/oauth/token';
export const ATLASSIAN_API_URL = 'https://api.atlassian.com';

export type JiraAuthKind = 'basic' | 'pat' | 'oauth';

export interface JiraAccess {
  kind: JiraAuthKind;
  auth: RequestAuth;
  /** Where /rest/… paths go: the site URL, or {apiUrl}/ex/jira/{cloudId} for OAuth (looked up once). */
  baseUrl(): Promise<string>;
}

/** Persists a new refresh token; Ferry uses the access token that came with it only after this resolves. */
export type SaveRefreshToken = (refreshToken: string) => Promise<void> | void;

const trimSlash = (url: string): string => url.replace(/\/+$/, '');

/** Credentials that never change: a 401 cannot be cured by asking again, so invalidate() does nothing. */
const fixed = (header: string): RequestAuth => ({ header: async () => header, invalidate: () => undefined });

export function jiraBasic(o: { siteUrl: string; email: string; apiToken: string }): JiraAccess {
  const base = trimSlash(o.siteUrl);
  return { kind: 'basic', auth: fixed(`Basic ${Buffer.from(`${o.email}:${o.apiToken}`, 'utf8').toString('base64')}`), baseUrl: async () => base };
}

export function jiraPat(o: { baseUrl: string; token: string }): JiraAccess {
  const base = trimSlash(o.baseUrl);
  return { kind: 'pat', auth: fixed(`Bearer ${o.token}`), baseUrl: async () => base };
}

export interface JiraOAuthOptions {
  /** Atlassian's token endpoint (auth.atlassian.com/oauth/token). */
  tokenUrl?: string;
  clientId: string;
  clientSecret: string;
  /** The newest refresh token Ferry holds (each refresh replaces it). */
  refreshToken: string;
  saveRefreshToken: SaveRefreshToken;
  /** api.atlassian.com: accessible-resources and the /ex/jira gateway live here. */
  apiUrl?: string;
  /** The site to use when the app was granted several; without it there must be exactly one. */
  siteUrl?: string;
  /** Known already: skips the accessible-resources lookup. */
  cloudId?: string;
  /** Renew this long before the access token expires. */
  marginMs?: number;
  now?: () => number;
}

export interface JiraOAuthAccess extends JiraAccess {
  tokens: TokenCache;
}

const FIX = 'Connect Jira again in Connections (sign in with Atlassian and allow Ferry access).';

const tokenResponse = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive(),
  refresh_token: z.string().min(1).optional(),
});
const oauthError = z.object({ error: z.string(), error_description: z.string().optional() });
const resources = z.array(z.object({ id: z.string().min(1), url: z.string(), name: z.string().optional() }));

/**
 * OAuth 2.0 (3LO) with rotating refresh tokens. Each refresh kills the token it used and returns a new one,
 * so the new one is saved (and the save awaited) before the new access token is handed out: a crash after
 * using the access token can then never leave Ferry holding only the dead refresh token. If the save fails,
 * the access token is dropped and the error surfaces. One refresh at a time (TokenCache), proactively before
 * expiry.
 */
export function jiraOAuth(http: Http, o: JiraOAuthOptions): JiraOAuthAccess {
  const tokenUrl = o.tokenUrl ?? ATLASSIAN_TOKEN_URL;
  const apiUrl = trimSlash(o.apiUrl ?? ATLASSIAN_API_URL);
  const now = o.now ?? Date.now;
  let refreshToken = o.refreshToken;

  const tokens = new TokenCache(
    async () => {
      const t = await refreshGrant(http, tokenUrl, { client_id: o.clientId, client_secret: o.clientSecret, refresh_token: refreshToken }, now);
      if (t.refreshToken) {
        // The old token is dead on Atlassian's side from here on. Held in memory first, so that a failed
        // save does not lock this process out: the next attempt refreshes with it and saves again.
        refreshToken = t.refreshToken;
        await o.saveRefreshToken(t.refreshToken);
      }
      return t;
    },
    o.marginMs ?? 60_000,
    now,
  );
  const auth = bearer(tokens);

  let base: Promise<string> | null = o.cloudId ? Promise.resolve(`${apiUrl}/ex/jira/${encodeURIComponent(o.cloudId)}`) : null;
  const baseUrl = (): Promise<string> => {
    base ??= cloudIdFor(http, apiUrl, auth, o.siteUrl).then(
      (id) => `${apiUrl}/ex/jira/${encodeURIComponent(id)}`,
      (err: unknown) => {
        base = null; // a failed lookup is tried again on the next call
        throw err;
      },
    );
    return base;
  };
  return { kind: 'oauth', auth, baseUrl, tokens };
}

async function refreshGrant(http: Http, url: string, grant: { client_id: string; client_secret: string; refresh_token: string }, now: () => number): Promise<Token> {
  const started = now();
  // Atlassian documents a JSON body. Retrying is safe: if a lost answer had rotated the token, the retry is
  // refused (invalid_grant) and says so, which is no worse than not retrying.
  const res = await http.send<unknown>({
    method: 'POST',
    url,
    data: JSON.stringify({ grant_type: 'refresh_token', ...grant }),
    headers: { 'Content-Type': 'application/json' },
    idempotent: true,
    acceptStatus: (s) => s === 400 || s === 401 || s === 403,
    what: 'signing in',
  });
  if (res.status >= 400) {
    const detail = oauthError.safeParse(res.data);
    const reason = detail.success ? detail.data.error : `HTTP ${res.status}`;
    const why = reason === 'invalid_grant' ? ' The authorization was withdrawn or its refresh token was already used.' : '';
    throw new ConnectorError('auth_refused', `Jira refused Ferry's sign-in (${reason}).${why} ${FIX}`, { system: http.system, retryable: false, status: res.status, capture: res.capture, detail: { error: reason } });
  }
  const body = tokenResponse.safeParse(res.data);
  if (!body.success) {
    throw new ConnectorError('auth_bad_response', `Jira's sign-in server answered with something that is not a token. ${FIX}`, { system: http.system, retryable: false, capture: res.capture });
  }
  return { accessToken: body.data.access_token, expiresAt: started + body.data.expires_in * 1000, refreshToken: body.data.refresh_token ?? null };
}

const sameSite = (a: string, b: string): boolean => trimSlash(a).toLowerCase() === trimSlash(b).toLowerCase();

async function cloudIdFor(http: Http, apiUrl: string, auth: RequestAuth, siteUrl: string | undefined): Promise<string> {
  const res = await http.send<unknown>({ method: 'GET', url: `${apiUrl}/oauth/token/accessible-resources`, auth, what: 'finding the Jira site' });
  const sites = resources.safeParse(res.data);
  const fail = (message: string) => new ConnectorError('jira_site_unknown', message, { system: http.system, retryable: false, capture: res.capture });
  if (!sites.success) throw fail("Atlassian's list of sites Ferry may use could not be read.");
  const site = siteUrl ? sites.data.find((s) => sameSite(s.url, siteUrl)) : sites.data.length === 1 ? sites.data[0] : undefined;
  if (site) return site.id;
  if (sites.data.length === 0) throw fail(`The Jira OAuth app has not been granted access to any site. ${FIX}`);
  const names = sites.data.map((s) => s.url).join(', ');
  throw fail(siteUrl ? `Ferry was allowed into ${names} but not ${siteUrl}. ${FIX}` : `Ferry was allowed into several Jira sites (${names}); enter the site address in Connections.`);
}
