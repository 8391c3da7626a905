import crypto from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Clock } from './context';
import { compileFilter, FilterError } from './ido-filter';
import { storedTypes } from './ido-schema';
import { FaultProfile, type Faults } from './faults';
import type { RequestStats } from './stats';
import type { TenantRuntime } from './runtime';

// The control and inspection endpoint tests and demos use: read the simulated systems' state, move the
// clock, add activity, set faults, quotas and token lifetimes, count requests. Loopback only, behind its own
// token, and never part of what Ferry talks to.

export interface ControlTarget {
  clock: Clock;
  faults: Faults;
  stats: RequestStats;
  tenants: Map<string, TenantRuntime>;
  revokeTokens(tenant: string): number;
  addActivity(tenant: string, what: Activity): Record<string, unknown>;
  section(tenant: string, system: 'jaggaer' | 'jira', name: string): unknown;
  /** AP completes a JAGGAER invoice's workflow (approved, payable); null when there is no such invoice. */
  approveInvoice(tenant: string, invoiceId: number): { invoiceId: number; workflowStatus: string; paymentStatus: string; lastUpdate: string } | null;
  setJiraRateLimit(tenant: string, limit: { perMinute: number; reason?: string } | null): boolean;
  changed(): void;
}

const Activity = z.object({
  newPos: z.number().int().min(0).max(10_000).optional(),
  changedPos: z.number().int().min(0).max(10_000).optional(),
  invoices: z.number().int().min(0).max(10_000).optional(),
  worklogs: z.number().int().min(0).max(100_000).optional(),
  issues: z.number().int().min(0).max(10_000).optional(),
});
export type Activity = z.infer<typeof Activity>;

const GatewayChange = z.object({
  quotaPerMinute: z.number().int().min(1).max(100_000).nullable().optional(),
  quotaStyle: z.enum(['retry-after', 'no-hint']).optional(),
  spikeArrestPerSecond: z.number().int().min(1).max(10_000).nullable().optional(),
  backendDelayMs: z.number().int().min(0).max(600_000).optional(),
  gatewayTimeoutMs: z.number().int().min(1).max(600_000).optional(),
  tokenLifetimeSeconds: z.number().int().min(1).max(86_400).optional(),
  issueRefreshTokens: z.boolean().optional(),
});

const isLoopback = (addr: string | undefined) => !!addr && (addr.startsWith('127.') || addr === '::1' || addr === '::ffff:127.0.0.1');

export async function startControl(target: ControlTarget, opts: { port?: number } = {}): Promise<{ url: string; token: string; app: FastifyInstance }> {
  const token = crypto.randomBytes(24).toString('base64url');
  const app = Fastify({ logger: false });
  app.addHook('onRequest', async (req, reply) => {
    if (!isLoopback(req.socket.remoteAddress)) return reply.code(403).send({ error: 'loopback only' });
    if (req.headers.authorization !== `Bearer ${token}`) return reply.code(401).send({ error: 'control token required' });
    return undefined;
  });
  app.setErrorHandler((err: Error & { statusCode?: number }, _req, reply) => {
    if (err instanceof z.ZodError) return reply.code(400).send({ error: 'invalid body', issues: err.issues });
    return reply.code(err.statusCode ?? 500).send({ error: err.message });
  });

  const tenant = (id: string) => {
    const t = target.tenants.get(id);
    if (!t) throw Object.assign(new Error(`unknown tenant ${id}`), { statusCode: 404 });
    return t;
  };

  app.get('/control/health', async () => ({ ok: true }));
  app.get('/control/stats', async () => ({ requests: target.stats.snapshot(), faultsInjected: target.faults.injected }));
  app.delete('/control/stats', async () => {
    target.stats.reset();
    return { ok: true };
  });
  app.get('/control/clock', async () => ({ now: target.clock.date().toISOString(), offsetMs: target.clock.offset }));
  app.post<{ Body: unknown }>('/control/clock/advance', async (req) => {
    const { ms } = z.object({ ms: z.number().int().min(0).max(400 * 86_400_000) }).parse(req.body);
    target.clock.advance(ms);
    return { now: target.clock.date().toISOString(), offsetMs: target.clock.offset };
  });
  app.get('/control/faults', async () => target.faults.get());
  app.put<{ Body: unknown }>('/control/faults', async (req) => {
    target.faults.set(FaultProfile.parse(req.body));
    return target.faults.get();
  });
  app.delete('/control/faults', async () => {
    target.faults.clear();
    return { ok: true };
  });

  app.get('/control/tenants', async () =>
    [...target.tenants.values()].map((t) => ({
      id: t.id,
      mongooseConfigs: t.config.mongooseConfigs,
      gateway: t.config.gateway,
      tokenLifetimeSeconds: t.config.tokenLifetimeSeconds,
      rows: Object.fromEntries(t.ido.idos().map((ido) => [ido, t.ido.rows(ido).length])),
    })),
  );
  app.get<{ Params: { t: string; ido: string }; Querystring: { filter?: string; limit?: string } }>('/control/tenants/:t/ido/:ido', async (req, reply) => {
    const t = tenant(req.params.t);
    // What the sandbox stores (its own columns too): tests and demos inspect the world, not the API.
    const schema = storedTypes(req.params.ido);
    if (!schema) return reply.code(404).send({ error: `unknown IDO ${req.params.ido}` });
    try {
      const pred = compileFilter(req.query.filter ?? '', schema);
      const rows = t.ido.rows(req.params.ido).filter(pred);
      return { count: rows.length, rows: rows.slice(0, Number(req.query.limit ?? 1000)) };
    } catch (err) {
      if (err instanceof FilterError) return reply.code(400).send({ error: err.message });
      throw err;
    }
  });
  app.get<{ Params: { t: string; system: string; name: string } }>('/control/tenants/:t/:system/:name', async (req, reply) => {
    tenant(req.params.t);
    if (req.params.system !== 'jaggaer' && req.params.system !== 'jira') return reply.code(404).send({ error: 'unknown system' });
    const value = target.section(req.params.t, req.params.system, req.params.name);
    return value === undefined ? reply.code(404).send({ error: `no ${req.params.system} section ${req.params.name}` }) : value;
  });
  app.post<{ Params: { t: string }; Body: unknown }>('/control/tenants/:t/activity', async (req) => {
    tenant(req.params.t);
    return target.addActivity(req.params.t, Activity.parse(req.body ?? {}));
  });
  app.post<{ Params: { t: string; id: string } }>('/control/tenants/:t/jaggaer/invoices/:id/approve', async (req, reply) => {
    tenant(req.params.t);
    const approved = /^\d{1,15}$/.test(req.params.id) ? target.approveInvoice(req.params.t, Number(req.params.id)) : null;
    return approved ?? reply.code(404).send({ error: `no JAGGAER invoice ${req.params.id}` });
  });
  app.post<{ Params: { t: string } }>('/control/tenants/:t/revoke-tokens', async (req) => {
    tenant(req.params.t);
    return { revoked: target.revokeTokens(req.params.t) };
  });
  app.put<{ Params: { t: string }; Body: unknown }>('/control/tenants/:t/gateway', async (req) => {
    const t = tenant(req.params.t);
    const change = GatewayChange.parse(req.body ?? {});
    const { tokenLifetimeSeconds, issueRefreshTokens, ...gateway } = change;
    Object.assign(t.config.gateway, Object.fromEntries(Object.entries(gateway).filter(([, v]) => v !== undefined)));
    if (tokenLifetimeSeconds !== undefined) t.config.tokenLifetimeSeconds = tokenLifetimeSeconds;
    if (issueRefreshTokens !== undefined) t.config.apps.forEach((a) => (a.issueRefreshTokens = issueRefreshTokens));
    target.changed();
    return { gateway: t.config.gateway, tokenLifetimeSeconds: t.config.tokenLifetimeSeconds };
  });
  app.put<{ Params: { t: string }; Body: unknown }>('/control/tenants/:t/jira/rate-limit', async (req, reply) => {
    tenant(req.params.t);
    const limit = z.object({ perMinute: z.number().int().min(1), reason: z.string().optional() }).nullable().parse(req.body ?? null);
    return target.setJiraRateLimit(req.params.t, limit) ? { ok: true } : reply.code(404).send({ error: 'no Jira for this tenant' });
  });

  await app.listen({ host: '127.0.0.1', port: opts.port ?? 0 });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('control endpoint has no TCP address');
  return { url: `http://127.0.0.1:${addr.port}`, token, app };
}
