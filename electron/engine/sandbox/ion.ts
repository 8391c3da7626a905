import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { StateStore } from './state';

// ION's authorization server (mingle-sso: /{tenant}/as/token.oauth2) and the gateway's bearer check.

export interface IssuedToken {
  tenant: string;
  expiresAt: number;
}

export class TokenRegistry {
  private tokens = new Map<string, IssuedToken>();
  issued = 0;

  constructor(public lifetimeSeconds: number) {}

  issue(tenant: string): { access_token: string; token_type: string; expires_in: number } {
    const token = crypto.randomBytes(32).toString('base64url');
    this.tokens.set(token, { tenant, expiresAt: Date.now() + this.lifetimeSeconds * 1000 });
    this.issued++;
    return { access_token: token, token_type: 'Bearer', expires_in: this.lifetimeSeconds };
  }

  revoke(token: string): void {
    this.tokens.delete(token);
  }

  /** null when valid; else the RFC 6750 error for the www-authenticate header. */
  check(header: string | undefined, tenant: string): string | null {
    const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    if (!m) return 'invalid_request';
    const t = this.tokens.get(m[1]!);
    if (!t || t.tenant !== tenant) return 'invalid_token';
    if (Date.now() >= t.expiresAt) return 'invalid_token';
    return null;
  }
}

function clientFrom(req: FastifyRequest<{ Body: Record<string, string> }>): { id?: string; secret?: string } {
  const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (basic) {
    const [id, secret] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':');
    return { id: decodeURIComponent(id ?? ''), secret: decodeURIComponent(secret ?? '') };
  }
  return { id: req.body?.client_id, secret: req.body?.client_secret };
}

export function registerSso(app: FastifyInstance, store: StateStore, tokens: TokenRegistry): void {
  app.post<{ Params: { tenant: string }; Body: Record<string, string> }>('/:tenant/as/token.oauth2', async (req, reply) => {
    const ion = store.state.ion;
    if (req.params.tenant !== ion.tenant) return reply.code(404).send({ error: 'not_found' });
    const client = clientFrom(req);
    if (client.id !== ion.clientId || client.secret !== ion.clientSecret) {
      return reply.code(401).send({ error: 'invalid_client', error_description: 'Client authentication failed' });
    }
    const grant = req.body?.grant_type;
    if (grant === 'password') {
      if (req.body.username !== ion.serviceAccountAccessKey || req.body.password !== ion.serviceAccountSecretKey) {
        return reply.code(400).send({ error: 'invalid_grant', error_description: 'Invalid service account credentials' });
      }
      return tokens.issue(ion.tenant);
    }
    return reply.code(400).send({ error: 'unsupported_grant_type' });
  });
  app.post<{ Params: { tenant: string }; Body: Record<string, string> }>('/:tenant/as/revoke_token.oauth2', async (req, reply) => {
    if (req.body?.token) tokens.revoke(req.body.token);
    return reply.code(200).send();
  });
}

/** Gateway bearer check; 401 with www-authenticate carrying the error, as ION does. */
export function requireToken(tokens: TokenRegistry, tenant: string, req: FastifyRequest, reply: FastifyReply): boolean {
  const error = tokens.check(req.headers.authorization, tenant);
  if (!error) return true;
  void reply
    .code(401)
    .header('www-authenticate', `Bearer realm="ionapi", error="${error}", error_description="The access token is missing, invalid or expired"`)
    .send({ error, error_description: 'The access token is missing, invalid or expired' });
  return false;
}
