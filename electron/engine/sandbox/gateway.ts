import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Clock } from './context';
import type { TokenRegistry } from './ion';
import type { TenantConfig } from './tenants';

// The ION API gateway in front of every product: per-tenant bearer check (401 with www-authenticate),
// quota (429, with or without Retry-After), spike arrest, and 504 when the backend is slower than the
// gateway waits. Products register their routes under /{tenant}/… on the same app.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function applyGateway(app: FastifyInstance, tenants: (id: string) => TenantConfig | undefined, tokens: TokenRegistry, clock: Clock): void {
  const windows = new Map<string, number[]>();

  const tooMany = (reply: FastifyReply, t: TenantConfig, retryAfterS: number, why: string) => {
    if (t.gateway.quotaStyle === 'retry-after') reply.header('Retry-After', String(Math.max(1, Math.ceil(retryAfterS))));
    return reply.code(429).send({ error: 'Too Many Requests', message: why });
  };

  app.addHook('onRequest', async (req, reply) => {
    const tenantId = req.url.split('/')[1] ?? '';
    const t = tenants(tenantId);
    if (!t) return reply.code(404).send({ error: 'not_found', message: `Unknown tenant '${tenantId}'` });

    const check = tokens.check(req.headers.authorization, t.id);
    if (check) {
      return reply
        .code(401)
        .header('www-authenticate', `Bearer realm="ionapi", error="${check}", error_description="The access token is missing, invalid, expired or revoked"`)
        .send({ error: check, error_description: 'The access token is missing, invalid, expired or revoked' });
    }

    const now = clock.now('ion');
    const window = (windows.get(t.id) ?? []).filter((ts) => ts > now - 60_000);
    windows.set(t.id, window);
    const { quotaPerMinute, spikeArrestPerSecond } = t.gateway;
    if (spikeArrestPerSecond !== null && window.filter((ts) => ts > now - 1000).length >= spikeArrestPerSecond) {
      return tooMany(reply, t, 1, 'Spike arrest violation');
    }
    if (quotaPerMinute !== null && window.length >= quotaPerMinute) {
      return tooMany(reply, t, (window[0]! + 60_000 - now) / 1000, 'Quota exceeded');
    }
    window.push(now);

    const delay = t.gateway.backendDelayMs;
    if (delay > 0) {
      await sleep(Math.min(delay, t.gateway.gatewayTimeoutMs));
      if (delay >= t.gateway.gatewayTimeoutMs) {
        return reply.code(504).send({ error: 'Gateway Timeout', message: 'The backend did not respond within the gateway timeout' });
      }
    }
    return undefined;
  });
}
