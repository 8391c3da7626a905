import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Api } from './api';
import { principalOf } from './auth';
import { isLoopbackUrl } from './deliveries';
import { bodyError, sendError } from './errors';
import { compileIssueJql } from './issue-jql';
import { JqlError } from './jql';
import type { AdminWebhook, JiraEventName, Json } from './model';
import type { JiraStore } from './store';

// Admin webhooks (REST webhooks 1.0, /rest/webhooks/1.0/webhook): registered by a Jira admin — an API token
// or PAT of an admin works, an OAuth app does not — never expire, and unlike dynamic webhooks can carry
// worklog events. An optional secret makes Jira sign each delivery (X-Hub-Signature). Not part of the v3
// OpenAPI description, so the shapes follow Atlassian's webhook documentation.

const EVENTS: [JiraEventName, ...JiraEventName[]] = [
  'jira:issue_created',
  'jira:issue_updated',
  'jira:issue_deleted',
  'worklog_created',
  'worklog_updated',
  'worklog_deleted',
  'issue_property_set',
  'issue_property_deleted',
  'comment_created',
  'comment_updated',
  'comment_deleted',
];

const FILTER = 'issue-related-events-section';

const webhookBody = z.object({
  name: z.string().min(1),
  url: z.string(),
  events: z.array(z.enum(EVENTS)).min(1),
  filters: z.object({ [FILTER]: z.string().optional() }).optional(),
  excludeBody: z.boolean().optional(),
  secret: z.string().optional(),
  enabled: z.boolean().optional(),
});

function webhookJson(store: JiraStore, base: string, w: AdminWebhook): Record<string, Json> {
  return {
    self: `${base}/rest/webhooks/1.0/webhook/${w.id}`,
    name: w.name,
    url: w.url,
    excludeBody: w.excludeBody,
    filters: { [FILTER]: w.jqlFilter },
    events: w.events,
    enabled: w.enabled,
    lastUpdatedUser: w.lastUpdatedAccountId,
    lastUpdatedDisplayName: store.user(w.lastUpdatedAccountId)?.displayName ?? '',
    lastUpdated: w.lastUpdated,
  };
}

export function adminWebhookRoutes(app: FastifyInstance, api: Api): void {
  const { store } = api.rt;
  const admin = (req: FastifyRequest, reply: FastifyReply): string | null => {
    const who = principalOf(req);
    if (who.kind !== 'oauth') return who.accountId;
    void sendError(reply, 403, 'You do not have permission to manage webhooks: Jira administrator rights are required.');
    return null;
  };

  /** Validates a body into the webhook's settings, or answers 400. */
  const read = (req: FastifyRequest, reply: FastifyReply): z.infer<typeof webhookBody> | null => {
    const body = webhookBody.safeParse(req.body ?? {});
    if (!body.success) {
      void sendError(reply, 400, bodyError(body.error));
      return null;
    }
    if (!isLoopbackUrl(body.data.url)) {
      void sendError(reply, 400, [], { url: 'The sandbox delivers webhooks only to loopback addresses (127.0.0.0/8, localhost, [::1]).' });
      return null;
    }
    const jql = body.data.filters?.[FILTER] ?? '';
    if (jql.trim()) {
      try {
        compileIssueJql(store, jql);
      } catch (err) {
        if (!(err instanceof JqlError)) throw err;
        void sendError(reply, 400, [], { [FILTER]: err.message });
        return null;
      }
    }
    return body.data;
  };

  app.post('/rest/webhooks/1.0/webhook', async (req, reply) => {
    const accountId = admin(req, reply);
    if (!accountId) return reply;
    const b = read(req, reply);
    if (!b) return reply;
    const w: AdminWebhook = {
      id: store.state.next.webhookId++,
      name: b.name,
      url: b.url,
      events: [...new Set(b.events)],
      jqlFilter: b.filters?.[FILTER] ?? '',
      excludeBody: b.excludeBody ?? false,
      secret: b.secret || null,
      enabled: b.enabled ?? true,
      lastUpdatedAccountId: accountId,
      lastUpdated: store.now(),
    };
    store.state.adminWebhooks.push(w);
    store.changed();
    const json = webhookJson(store, api.render(req).base, w);
    return reply.code(201).header('Location', String(json.self)).send(json);
  });

  app.get('/rest/webhooks/1.0/webhook', async (req, reply) => {
    if (!admin(req, reply)) return reply;
    const base = api.render(req).base;
    return store.state.adminWebhooks.map((w) => webhookJson(store, base, w));
  });

  type IdParams = { Params: { id: string } };
  const find = (id: string): AdminWebhook | undefined => store.state.adminWebhooks.find((w) => String(w.id) === id);

  app.get<IdParams>('/rest/webhooks/1.0/webhook/:id', async (req, reply) => {
    if (!admin(req, reply)) return reply;
    const w = find(req.params.id);
    return w ? webhookJson(store, api.render(req).base, w) : sendError(reply, 404, `Webhook ${req.params.id} does not exist.`);
  });

  app.put<IdParams>('/rest/webhooks/1.0/webhook/:id', async (req, reply) => {
    const accountId = admin(req, reply);
    if (!accountId) return reply;
    const w = find(req.params.id);
    if (!w) return sendError(reply, 404, `Webhook ${req.params.id} does not exist.`);
    const b = read(req, reply);
    if (!b) return reply;
    Object.assign(w, {
      name: b.name,
      url: b.url,
      events: [...new Set(b.events)],
      jqlFilter: b.filters?.[FILTER] ?? '',
      excludeBody: b.excludeBody ?? false,
      secret: b.secret === undefined ? w.secret : b.secret || null,
      enabled: b.enabled ?? w.enabled,
      lastUpdatedAccountId: accountId,
      lastUpdated: store.now(),
    });
    store.changed();
    return webhookJson(store, api.render(req).base, w);
  });

  app.delete<IdParams>('/rest/webhooks/1.0/webhook/:id', async (req, reply) => {
    if (!admin(req, reply)) return reply;
    const w = find(req.params.id);
    if (!w) return sendError(reply, 404, `Webhook ${req.params.id} does not exist.`);
    store.state.adminWebhooks.splice(store.state.adminWebhooks.indexOf(w), 1);
    store.changed();
    return reply.code(204).send();
  });
}
