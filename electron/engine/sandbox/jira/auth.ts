import crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from './errors';
import type { JiraState } from './model';

// Who is calling. Jira Cloud takes Basic email:API-token on the site URL; Data Center takes a personal
// access token as Bearer; an OAuth 2.0 (3LO) access token works only through the API gateway path
// /ex/jira/{cloudId}/…, as on api.atlassian.com — a 3LO token sent to the site URL is refused like any
// unknown token. All three act as the integration user (a Jira admin).

export type PrincipalKind = 'basic' | 'pat' | 'oauth';

export interface Principal {
  kind: PrincipalKind;
  accountId: string;
  /** The OAuth app, for 3LO tokens: dynamic webhooks belong to it. */
  clientId?: string;
}

/** 'site' is https://<site>.atlassian.net (or a Data Center base URL); 'gateway' is /ex/jira/{cloudId}. */
export type Via = 'site' | 'gateway';

const principals = new WeakMap<FastifyRequest, Principal>();

/** Constant-time string comparison, so the sandbox does not teach timing-unsafe habits. */
function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

export function authenticate(state: JiraState, header: string | undefined, via: Via, now: number): Principal | null {
  if (!header) return null;
  const [scheme, value = ''] = header.split(/\s+/, 2);
  const accountId = state.adminAccountId;
  if (scheme?.toLowerCase() === 'basic' && via === 'site') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return null;
    const email = decoded.slice(0, colon).toLowerCase();
    return email === state.credentials.adminEmail.toLowerCase() && same(decoded.slice(colon + 1), state.credentials.apiToken) ? { kind: 'basic', accountId } : null;
  }
  if (scheme?.toLowerCase() === 'bearer') {
    if (via === 'site') return same(value, state.credentials.personalAccessToken) ? { kind: 'pat', accountId } : null;
    const token = state.oauth.accessTokens[value];
    return token && token.expiresAt > now ? { kind: 'oauth', accountId, clientId: state.credentials.oauth.clientId } : null;
  }
  return null;
}

/** onRequest hook: 401 with Jira's body unless the caller is known. */
export function requireAuth(state: JiraState, via: Via, now: () => number) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const who = authenticate(state, req.headers.authorization, via, now());
    if (!who) {
      reply.header('WWW-Authenticate', via === 'site' ? 'Basic realm="protected-by-jira"' : 'Bearer realm="api.atlassian.com"');
      await sendError(reply, 401, 'Client must be authenticated to access this resource.');
      return;
    }
    principals.set(req, who);
  };
}

export function principalOf(req: FastifyRequest): Principal {
  const who = principals.get(req);
  if (!who) throw new Error('request was not authenticated');
  return who;
}
