import crypto from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock } from './context';
import type { IonApp, TenantConfig } from './tenants';

// ION's authorization server (mingle-sso: /{tenant}/as/token.oauth2 and revoke_token.oauth2): password grant
// for Backend Service apps, client_credentials for client-credentials apps, refresh_token only where the app
// is set to issue refresh tokens. Tokens expire on the sandbox clock.

interface Grant {
  tenant: string;
  clientId: string;
  refreshToken: string | null;
  revoked: boolean;
}

interface AccessToken {
  grant: Grant;
  expiresAt: number;
}

export type TokenCheck = null | 'invalid_request' | 'invalid_token';

export class TokenRegistry {
  private access = new Map<string, AccessToken>();
  private refresh = new Map<string, Grant>();
  issued = 0;

  constructor(private readonly clock: Clock) {}

  issue(tenant: TenantConfig, app: IonApp, grant?: Grant): Record<string, string | number> {
    const g: Grant = grant ?? { tenant: tenant.id, clientId: app.clientId, refreshToken: null, revoked: false };
    if (!grant && app.issueRefreshTokens) {
      g.refreshToken = crypto.randomBytes(32).toString('base64url');
      this.refresh.set(g.refreshToken, g);
    }
    const token = crypto.randomBytes(32).toString('base64url');
    this.access.set(token, { grant: g, expiresAt: this.clock.now('ion') + tenant.tokenLifetimeSeconds * 1000 });
    this.issued++;
    const body: Record<string, string | number> = { access_token: token, token_type: 'Bearer', expires_in: tenant.tokenLifetimeSeconds };
    if (g.refreshToken) body.refresh_token = g.refreshToken;
    return body;
  }

  grantFor(refreshToken: string, tenant: string, clientId: string): Grant | null {
    const g = this.refresh.get(refreshToken);
    return g && !g.revoked && g.tenant === tenant && g.clientId === clientId ? g : null;
  }

  /** Revoking a refresh token revokes the whole grant, its access tokens included. */
  revoke(token: string): void {
    const g = this.refresh.get(token);
    if (g) g.revoked = true;
    this.access.delete(token);
  }

  revokeTenant(tenant: string): number {
    let n = 0;
    for (const [token, a] of this.access) {
      if (a.grant.tenant === tenant) {
        this.access.delete(token);
        n++;
      }
    }
    for (const g of this.refresh.values()) if (g.tenant === tenant) g.revoked = true;
    return n;
  }

  check(header: string | undefined, tenant: string): TokenCheck {
    const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    if (!m) return 'invalid_request';
    const t = this.access.get(m[1]!);
    if (!t || t.grant.tenant !== tenant || t.grant.revoked || this.clock.now('ion') >= t.expiresAt) return 'invalid_token';
    return null;
  }
}

function clientFrom(req: FastifyRequest<{ Body: Record<string, string> | undefined }>): { id?: string; secret?: string } {
  const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    return { id: decodeURIComponent(decoded.slice(0, i)), secret: decodeURIComponent(decoded.slice(i + 1)) };
  }
  return { id: req.body?.client_id, secret: req.body?.client_secret };
}

export function registerSso(app: FastifyInstance, tenants: (id: string) => TenantConfig | undefined, tokens: TokenRegistry): void {
  app.post<{ Params: { tenant: string }; Body: Record<string, string> | undefined }>('/:tenant/as/token.oauth2', async (req, reply) => {
    const tenant = tenants(req.params.tenant);
    if (!tenant) return reply.code(404).send({ error: 'not_found' });
    const client = clientFrom(req);
    const ionApp = tenant.apps.find((a) => a.clientId === client.id);
    if (!ionApp || ionApp.clientSecret !== client.secret) {
      return reply.code(401).send({ error: 'invalid_client', error_description: 'Client authentication failed' });
    }
    const body = req.body ?? {};
    switch (body.grant_type) {
      case 'password':
        if (ionApp.kind !== 'backend-service') return reply.code(400).send({ error: 'unauthorized_client', error_description: 'The client is not authorized for this grant type' });
        if (body.username !== ionApp.serviceAccountAccessKey || body.password !== ionApp.serviceAccountSecretKey) {
          return reply.code(400).send({ error: 'invalid_grant', error_description: 'Invalid service account credentials' });
        }
        return tokens.issue(tenant, ionApp);
      case 'client_credentials':
        if (ionApp.kind !== 'client-credentials') return reply.code(400).send({ error: 'unauthorized_client', error_description: 'The client is not authorized for this grant type' });
        return tokens.issue(tenant, ionApp);
      case 'refresh_token': {
        const grant = ionApp.issueRefreshTokens && body.refresh_token ? tokens.grantFor(body.refresh_token, tenant.id, ionApp.clientId) : null;
        if (!grant) return reply.code(400).send({ error: 'invalid_grant', error_description: 'The refresh token is invalid, expired or revoked' });
        return tokens.issue(tenant, ionApp, grant);
      }
      default:
        return reply.code(400).send({ error: 'unsupported_grant_type' });
    }
  });

  app.post<{ Params: { tenant: string }; Body: Record<string, string> | undefined }>('/:tenant/as/revoke_token.oauth2', async (req, reply) => {
    if (!tenants(req.params.tenant)) return reply.code(404).send({ error: 'not_found' });
    if (req.body?.token) tokens.revoke(req.body.token);
    return reply.code(200).send();
  });
}
