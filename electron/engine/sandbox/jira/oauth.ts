import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { JiraStore } from './store';

// Atlassian's OAuth 2.0 (3LO) token endpoint (auth.atlassian.com/oauth/token) and the accessible-resources
// lookup (api.atlassian.com), on the sandbox's one listener. The user's consent is taken as given: the
// credentials hold a refresh token. Refresh tokens rotate — each use returns a new one and the old one is
// dead — and access tokens live one hour of sandbox time.

export const ACCESS_TOKEN_SECONDS = 3600;
const SCOPES = 'read:jira-work write:jira-work read:jira-user manage:jira-webhook offline_access';

const tokenRequest = z.object({
  grant_type: z.string(),
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
  refresh_token: z.string().optional(),
});

const token = (): string => crypto.randomBytes(36).toString('base64url');

export async function registerOauth(app: FastifyInstance, store: JiraStore, baseUrl: () => string): Promise<void> {
  await app.register(async (scope) => {
    // Atlassian documents a JSON body; form bodies (what most OAuth libraries send) work too.
    if (!scope.hasContentTypeParser('application/x-www-form-urlencoded')) {
      scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(String(body))));
      });
    }

    scope.post('/oauth/token', async (req, reply) => {
      const { state } = store;
      const body = tokenRequest.safeParse(req.body ?? {});
      if (!body.success) return reply.code(400).send({ error: 'invalid_request', error_description: 'Missing grant_type' });
      const b = body.data;
      if (b.grant_type !== 'refresh_token') {
        return reply.code(400).send({ error: 'unsupported_grant_type', error_description: `Unsupported grant type: ${b.grant_type}` });
      }
      if (b.client_id !== state.credentials.oauth.clientId || b.client_secret !== state.credentials.oauth.clientSecret) {
        return reply.code(401).send({ error: 'access_denied', error_description: 'Unauthorized' });
      }
      if (!b.refresh_token || b.refresh_token !== state.oauth.refreshToken) {
        return reply.code(403).send({ error: 'invalid_grant', error_description: 'Unknown or invalid refresh token.' });
      }
      const now = store.now();
      // Forget expired access tokens so the persisted state does not grow with every refresh.
      for (const [t, v] of Object.entries(state.oauth.accessTokens)) if (v.expiresAt <= now) delete state.oauth.accessTokens[t];
      const access = token();
      state.oauth.accessTokens[access] = { expiresAt: now + ACCESS_TOKEN_SECONDS * 1000 };
      state.oauth.refreshToken = token();
      store.changed();
      return { access_token: access, expires_in: ACCESS_TOKEN_SECONDS, token_type: 'Bearer', refresh_token: state.oauth.refreshToken, scope: SCOPES };
    });

    scope.get('/oauth/token/accessible-resources', async (req, reply) => {
      const [scheme, value = ''] = (req.headers.authorization ?? '').split(/\s+/, 2);
      const t = store.state.oauth.accessTokens[value];
      if (scheme?.toLowerCase() !== 'bearer' || !t || t.expiresAt <= store.now()) return reply.code(401).send({ code: 401, message: 'Unauthorized' });
      return [{ id: store.state.cloudId, url: baseUrl(), name: store.state.siteName, scopes: SCOPES.split(' ').filter((s) => s !== 'offline_access'), avatarUrl: `${baseUrl()}/images/site-avatar.png` }];
    });
  });
}
