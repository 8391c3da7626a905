import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from './errors';
import type { JiraState } from './model';

// Jira Cloud's rate limiting as a client sees it: every response carries X-RateLimit-Limit / -Remaining /
// -NearLimit while a limit applies, and an excess request gets 429 with Retry-After (seconds),
// X-RateLimit-Reset (ISO time) and RateLimit-Reason. Fixed one-minute windows on the sandbox clock. With
// 'jira-per-issue-on-write' only writes count, per issue, as Jira's per-issue write limit does.

interface Window {
  start: number;
  count: number;
}

export class RateLimiter {
  private windows = new Map<string, Window>();

  reset(): void {
    this.windows.clear();
  }

  /** onRequest hook; runs after authentication so that refused credentials do not use up the budget. */
  hook(state: JiraState, now: () => number) {
    return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
      const limit = state.settings.rateLimit;
      if (!limit) return;
      let key = 'all';
      if (limit.reason === 'jira-per-issue-on-write') {
        const issue = /\/rest\/api\/3\/issue\/([^/?]+)/.exec(req.url)?.[1];
        if (req.method === 'GET' || !issue) return;
        key = `issue:${issue.toUpperCase()}`;
      }
      const t = now();
      let w = this.windows.get(key);
      if (!w || t >= w.start + 60_000) this.windows.set(key, (w = { start: t, count: 0 }));
      const reset = w.start + 60_000;
      const allowed = w.count < limit.perMinute;
      if (allowed) w.count++;
      const remaining = limit.perMinute - w.count;
      reply.header('X-RateLimit-Limit', String(limit.perMinute));
      reply.header('X-RateLimit-Remaining', String(remaining));
      reply.header('X-RateLimit-NearLimit', String(remaining < limit.perMinute * 0.2));
      if (allowed) return;
      reply.header('Retry-After', String(Math.max(1, Math.ceil((reset - t) / 1000))));
      reply.header('X-RateLimit-Reset', new Date(reset).toISOString());
      reply.header('RateLimit-Reason', limit.reason);
      await sendError(reply, 429, 'Rate limit exceeded.');
    };
  }
}

/** onRequest hook for the optional outage: the next N calls answer 503 with Retry-After. */
export function unavailableHook(state: JiraState, changed: () => void) {
  return async (_req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const outage = state.settings.unavailable;
    if (!outage || outage.requests <= 0) return;
    outage.requests--;
    if (outage.requests === 0) state.settings.unavailable = null;
    changed();
    reply.header('Retry-After', String(outage.retryAfterSeconds));
    await sendError(reply, 503, 'Service Unavailable');
  };
}
