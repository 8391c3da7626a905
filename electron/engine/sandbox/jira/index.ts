import type { FastifyInstance } from 'fastify';
import type { SandboxContext, SandboxTenant } from '../context';
import { adminWebhookRoutes } from './admin-webhooks';
import { apiHooks, type Api } from './api';
import type { Via } from './auth';
import { issueRoutes } from './issues';
import { metaRoutes } from './meta';
import type { JiraState, RateLimitReason } from './model';
import { registerOauth } from './oauth';
import { propertyRoutes } from './properties';
import { existingRuntime, runtimeFor } from './runtime';
import { searchRoutes } from './search';
import { dynamicWebhookRoutes } from './webhooks';
import { worklogRoutes } from './worklogs';

// The simulated Jira Cloud (REST v3) of one tenant: the site API on the listener's root, the same API under
// /ex/jira/{cloudId} for OAuth 2.0 (3LO) tokens (as api.atlassian.com serves it), and the OAuth token
// endpoint. State is plain JSON (model.ts); everything live — indexes, deliveries, rate windows — hangs off
// it in runtime.ts.

export type { JiraState, DeliveryRecord, RateLimitReason } from './model';
export { generateJira } from './generate';
export { addJiraActivity } from './activity';
export { hubSignature, isLoopbackUrl } from './deliveries';

export async function registerJira(app: FastifyInstance, ctx: SandboxContext, _tenant: SandboxTenant, state: JiraState): Promise<void> {
  const rt = runtimeFor(state, ctx);
  rt.baseUrl = () => {
    const addr = app.server.address();
    return addr && typeof addr === 'object' ? `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}` : 'http://127.0.0.1';
  };
  await registerOauth(app, rt.store, rt.baseUrl);
  const surface = (via: Via, prefix: string) => async (scope: FastifyInstance) => {
    const api: Api = { rt, via, render: (req) => ({ base: `${req.protocol}://${req.headers.host ?? '127.0.0.1'}${prefix}`, store: rt.store }) };
    apiHooks(scope, api, rt.limiter);
    metaRoutes(scope, api);
    issueRoutes(scope, api);
    propertyRoutes(scope, api);
    searchRoutes(scope, api);
    worklogRoutes(scope, api);
    dynamicWebhookRoutes(scope, api);
    adminWebhookRoutes(scope, api);
  };
  await app.register(surface('site', ''));
  const gateway = `/ex/jira/${state.cloudId}`;
  await app.register(surface('gateway', gateway), { prefix: gateway });
}

export function setJiraRateLimit(state: JiraState, limit: { perMinute: number; reason?: RateLimitReason } | null): void {
  state.settings.rateLimit = limit ? { perMinute: Math.max(0, Math.floor(limit.perMinute)), reason: limit.reason ?? 'jira-burst-based' } : null;
  existingRuntime(state)?.limiter.reset();
}

/** The next `requests` API calls answer 503 with Retry-After; null ends the outage. */
export function setJiraUnavailable(state: JiraState, outage: { requests: number; retryAfterSeconds: number } | null): void {
  state.settings.unavailable = outage && outage.requests > 0 ? { ...outage } : null;
}

/** Seconds before writes show up in JQL search (default 0). */
export function setJiraIndexLag(state: JiraState, seconds: number): void {
  state.settings.indexLagSeconds = Math.max(0, seconds);
}

/** Retry policy of webhook deliveries: retries after the first attempt, first backoff (doubling), timeout. */
export function setJiraDeliveryOptions(state: JiraState, options: Partial<JiraState['settings']['delivery']>): void {
  Object.assign(state.settings.delivery, options);
}

/** Resolves once every webhook delivery started so far has succeeded or given up (retries included). */
export async function flushJiraDeliveries(state: JiraState): Promise<void> {
  await existingRuntime(state)?.deliveries.flush();
}

export function jiraCredentials(state: JiraState): { baseUrl?: never; email: string; apiToken: string; personalAccessToken: string; oauth: { clientId: string; clientSecret: string; refreshToken: string } } {
  return {
    email: state.credentials.adminEmail,
    apiToken: state.credentials.apiToken,
    personalAccessToken: state.credentials.personalAccessToken,
    oauth: { ...state.credentials.oauth, refreshToken: state.oauth.refreshToken },
  };
}
