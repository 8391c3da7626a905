import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireAuth, type Via } from './auth';
import { errorCollection } from './errors';
import { unavailableHook, type RateLimiter } from './rate-limit';
import type { Render } from './render';
import type { JiraRuntime } from './runtime';

// One Jira REST surface: hooks in the order Jira applies them (outage, authentication, rate limit), Jira's
// error body for whatever Fastify itself refuses (bad JSON, wrong content type), and the routes. It is
// registered twice: on the site URL and under the OAuth gateway prefix /ex/jira/{cloudId}.

export interface Api {
  rt: JiraRuntime;
  via: Via;
  /** Links in responses point back at the sandbox, under the prefix the request came through. */
  render(req: FastifyRequest): Render;
}

export function apiHooks(app: FastifyInstance, api: Api, limiter: RateLimiter): void {
  const { store } = api.rt;
  app.addHook('onRequest', unavailableHook(store.state, () => store.changed()));
  app.addHook('onRequest', requireAuth(store.state, api.via, () => store.now()));
  app.addHook('onRequest', limiter.hook(store.state, () => store.now()));
  app.setErrorHandler((err: { statusCode?: number; code?: string; message?: string }, _req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    const message =
      err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
        ? 'Unsupported Media Type: the request body must be application/json.'
        : status === 500
          ? 'Internal server error'
          : (err.message ?? 'Bad request');
    void reply.code(status).send(errorCollection([message]));
  });
}

export function queryList(v: unknown): string[] | undefined {
  if (v === undefined) return undefined;
  const items = (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(',')).map((x) => x.trim()).filter(Boolean);
  return items;
}

export function queryInt(v: unknown, fallback: number): number {
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : NaN;
  return Number.isFinite(n) ? n : fallback;
}
