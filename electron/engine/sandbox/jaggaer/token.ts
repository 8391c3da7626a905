import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { KEYCLOAK_TOKEN_PATH } from '../../auth/jaggaer';
import type { SandboxContext } from '../context';
import type { JaggaerState } from './state';

// J1P's Keycloak realm: client-credentials tokens for the REST API. Tokens are HS256 JWTs signed with a
// key from the state, like Keycloak's own signed tokens: they need no server-side table, survive a sandbox
// restart, and expire on the sandbox clock (tests move it forward).

const REALM = 'J1p-integrations';
const b64 = (v: object): string => Buffer.from(JSON.stringify(v)).toString('base64url');
const sign = (key: string, data: string): string => crypto.createHmac('sha256', key).update(data).digest('base64url');

const tokenForm = z.object({
  grant_type: z.string().optional(),
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
  scope: z.string().optional(),
});

const payloadSchema = z.object({ exp: z.number(), iat: z.number(), azp: z.string(), typ: z.literal('Bearer') });

function basicAuth(header: string | undefined): { id: string; secret: string } | null {
  const m = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!m) return null;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return null;
  // Keycloak, like RFC 6749 §2.3.1 asks, form-url-decodes both parts.
  const dec = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
  try {
    return { id: dec(decoded.slice(0, i)), secret: dec(decoded.slice(i + 1)) };
  } catch {
    return null;
  }
}

const equal = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
};

export function issueToken(ctx: SandboxContext, state: JaggaerState, issuer: string): string {
  const iat = Math.floor(ctx.clock.now('jaggaer') / 1000);
  const header = b64({ alg: 'HS256', typ: 'JWT', kid: 'sandbox' });
  const payload = b64({
    exp: iat + state.auth.tokenLifetimeSeconds,
    iat,
    jti: crypto.randomUUID(),
    iss: issuer,
    aud: 'account',
    azp: state.auth.clientId,
    typ: 'Bearer',
    scope: 'profile email',
  });
  return `${header}.${payload}.${sign(state.auth.signingKey, `${header}.${payload}`)}`;
}

/** Why a bearer token is refused, or null when it is good. */
export function checkBearer(ctx: SandboxContext, state: JaggaerState, authorization: string | undefined): string | null {
  const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!m) return 'Missing bearer token';
  const parts = m[1]!.split('.');
  if (parts.length !== 3) return 'Malformed token';
  const [header, payload, signature] = parts as [string, string, string];
  if (!equal(signature, sign(state.auth.signingKey, `${header}.${payload}`))) return 'Invalid token signature';
  let claims: z.infer<typeof payloadSchema>;
  try {
    claims = payloadSchema.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
  } catch {
    return 'Malformed token';
  }
  if (claims.azp !== state.auth.clientId) return 'Token was issued to another client';
  if (ctx.clock.now('jaggaer') >= claims.exp * 1000) return 'Token is expired';
  return null;
}

/** Fastify preHandler for every J1P REST route: 401 with a Keycloak-style body and WWW-Authenticate. */
export function bearerGuard(ctx: SandboxContext, state: JaggaerState) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const why = checkBearer(ctx, state, req.headers.authorization);
    if (!why) return;
    await reply
      .code(401)
      .header('www-authenticate', `Bearer realm="${REALM}", error="invalid_token", error_description="${why}"`)
      .send({ error: 'invalid_token', error_description: why });
  };
}

export function registerToken(app: FastifyInstance, ctx: SandboxContext, state: JaggaerState): void {
  app.post(KEYCLOAK_TOKEN_PATH, async (req, reply) => {
    // Keycloak reads form parameters only: a JSON body is as good as no body.
    const isForm = /^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '');
    const form = tokenForm.safeParse(isForm ? (req.body ?? {}) : {});
    if (!form.success) return reply.code(400).send({ error: 'invalid_request', error_description: 'Expected a form-encoded body' });
    const f = form.data;
    if (!f.grant_type) return reply.code(400).send({ error: 'invalid_request', error_description: 'Missing form parameter: grant_type' });
    // Keycloak takes HTTP Basic client authentication over the form fields when both are present.
    const basic = basicAuth(req.headers.authorization);
    const id = basic?.id ?? f.client_id ?? '';
    const secret = basic?.secret ?? f.client_secret ?? '';
    if (!equal(id, state.auth.clientId) || !equal(secret, state.auth.clientSecret)) {
      return reply.code(401).send({ error: 'unauthorized_client', error_description: 'Invalid client or Invalid client credentials' });
    }
    if (f.grant_type !== 'client_credentials') {
      return reply.code(400).send({ error: 'unsupported_grant_type', error_description: 'Unsupported grant_type' });
    }
    const issuer = `${req.protocol}://${req.host}/auth/realms/${REALM}`;
    return {
      access_token: issueToken(ctx, state, issuer),
      expires_in: state.auth.tokenLifetimeSeconds,
      refresh_expires_in: 0,
      token_type: 'Bearer',
      'not-before-policy': 0,
      scope: 'profile email',
    };
  });
}
