import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { queryInt, type Api } from './api';
import { principalOf } from './auth';
import { isLoopbackUrl } from './deliveries';
import { bodyError, sendError } from './errors';
import { compileIssueJql } from './issue-jql';
import { forEachTerm, JqlError, parseJql } from './jql';
import type { DynamicEvent, DynamicWebhook, Json } from './model';

// Dynamic webhooks (/rest/api/3/webhook): for OAuth 2.0 apps only — Basic/API-token and PAT callers get 403.
// Each registration needs a jqlFilter in the limited JQL Jira allows there, events are issue, comment and
// property events (no worklog events), and a webhook lives 30 days from creation or its last refresh; an
// expired one is gone. The sandbox only accepts loopback URLs, so it can never send traffic elsewhere.

export const WEBHOOK_LIFETIME_MS = 30 * 86_400_000;
const MAX_PER_APP = 100;
const FORBIDDEN = 'Only Connect and OAuth 2.0 apps can use this operation.';
const NOT_LOOPBACK = 'The sandbox delivers webhooks only to loopback addresses (127.0.0.0/8, localhost, [::1]).';

export const DYNAMIC_EVENTS: [DynamicEvent, ...DynamicEvent[]] = [
  'jira:issue_created',
  'jira:issue_updated',
  'jira:issue_deleted',
  'comment_created',
  'comment_updated',
  'comment_deleted',
  'issue_property_set',
  'issue_property_deleted',
];

const details = z.strictObject({
  events: z.array(z.enum(DYNAMIC_EVENTS)).min(1),
  jqlFilter: z.string(),
  fieldIdsFilter: z.array(z.string()).optional(),
  issuePropertyKeysFilter: z.array(z.string()).optional(),
});
const registration = z.strictObject({ url: z.string(), webhooks: z.array(details) });
const ids = z.strictObject({ webhookIds: z.array(z.number().int()) });

// The JQL subset Jira documents for dynamic webhook filters.
const FILTER_FIELDS = new Set(['issuekey', 'key', 'project', 'issuetype', 'type', 'status', 'assignee', 'reporter']);
const FILTER_OPS = new Set(['=', '!=', 'in', 'not in']);

function filterProblem(api: Api, jql: string): string | null {
  try {
    const q = parseJql(jql);
    if (!q.where) return 'The JQL filter must have at least one clause.';
    let problem: string | null = null;
    forEachTerm(q.where, (t) => {
      if (problem) return;
      if (t.field.cf === undefined && !FILTER_FIELDS.has(t.field.name.toLowerCase())) problem = `Field '${t.field.name}' is not supported in webhook JQL filters.`;
      else if (!FILTER_OPS.has(t.op)) problem = `Operator '${t.op.toUpperCase()}' is not supported in webhook JQL filters.`;
    });
    if (problem) return problem;
    compileIssueJql(api.rt.store, jql);
    return null;
  } catch (err) {
    if (err instanceof JqlError) return err.message;
    throw err;
  }
}

export function dynamicWebhookRoutes(app: FastifyInstance, api: Api): void {
  const { store } = api.rt;

  /** The calling app's live webhooks; expired ones are deleted, as Jira does. */
  const live = (clientId: string): DynamicWebhook[] => {
    const now = store.now();
    const before = store.state.dynamicWebhooks.length;
    store.state.dynamicWebhooks = store.state.dynamicWebhooks.filter((w) => w.expirationDate > now);
    if (store.state.dynamicWebhooks.length !== before) store.changed();
    return store.state.dynamicWebhooks.filter((w) => w.clientId === clientId);
  };
  const appOf = (req: FastifyRequest, reply: FastifyReply): string | null => {
    const who = principalOf(req);
    if (who.kind === 'oauth' && who.clientId) return who.clientId;
    void sendError(reply, 403, FORBIDDEN);
    return null;
  };

  app.post('/rest/api/3/webhook', async (req, reply) => {
    const clientId = appOf(req, reply);
    if (!clientId) return reply;
    const body = registration.safeParse(req.body ?? {});
    if (!body.success) return sendError(reply, 400, bodyError(body.error));
    if (!isLoopbackUrl(body.data.url)) return sendError(reply, 400, NOT_LOOPBACK);
    let count = live(clientId).length;
    const results = body.data.webhooks.map((d): Json => {
      const problem = filterProblem(api, d.jqlFilter) ?? (count >= MAX_PER_APP ? `An app can register at most ${MAX_PER_APP} webhooks.` : null);
      if (problem) return { errors: [problem] };
      const w: DynamicWebhook = {
        id: store.state.next.webhookId++,
        clientId,
        url: body.data.url,
        events: [...new Set(d.events)],
        jqlFilter: d.jqlFilter,
        expirationDate: store.now() + WEBHOOK_LIFETIME_MS,
      };
      if (d.fieldIdsFilter) w.fieldIdsFilter = d.fieldIdsFilter;
      if (d.issuePropertyKeysFilter) w.issuePropertyKeysFilter = d.issuePropertyKeysFilter;
      store.state.dynamicWebhooks.push(w);
      count++;
      return { createdWebhookId: w.id };
    });
    store.changed();
    return { webhookRegistrationResult: results };
  });

  app.get<{ Querystring: Record<string, string | undefined> }>('/rest/api/3/webhook', async (req, reply) => {
    const clientId = appOf(req, reply);
    if (!clientId) return reply;
    const startAt = Math.max(0, queryInt(req.query.startAt, 0));
    const maxResults = Math.max(1, Math.min(queryInt(req.query.maxResults, 100), 100));
    const all = live(clientId);
    const values = all.slice(startAt, startAt + maxResults).map((w) => {
      const out: Record<string, Json> = { id: w.id, jqlFilter: w.jqlFilter, events: w.events, expirationDate: w.expirationDate, url: w.url };
      if (w.fieldIdsFilter) out.fieldIdsFilter = w.fieldIdsFilter;
      if (w.issuePropertyKeysFilter) out.issuePropertyKeysFilter = w.issuePropertyKeysFilter;
      return out;
    });
    const isLast = startAt + maxResults >= all.length;
    const base = `${api.render(req).base}/rest/api/3/webhook`;
    const out: Record<string, Json> = { self: `${base}?startAt=${startAt}&maxResults=${maxResults}`, maxResults, startAt, total: all.length, isLast, values };
    if (!isLast) out.nextPage = `${base}?startAt=${startAt + maxResults}&maxResults=${maxResults}`;
    return out;
  });

  app.delete('/rest/api/3/webhook', async (req, reply) => {
    const clientId = appOf(req, reply);
    if (!clientId) return reply;
    const body = ids.safeParse(req.body ?? {});
    if (!body.success) return sendError(reply, 400, bodyError(body.error));
    const drop = new Set(body.data.webhookIds);
    store.state.dynamicWebhooks = store.state.dynamicWebhooks.filter((w) => w.clientId !== clientId || !drop.has(w.id));
    store.changed();
    return reply.code(202).send();
  });

  app.put('/rest/api/3/webhook/refresh', async (req, reply) => {
    const clientId = appOf(req, reply);
    if (!clientId) return reply;
    const body = ids.safeParse(req.body ?? {});
    if (!body.success) return sendError(reply, 400, bodyError(body.error));
    const expirationDate = store.now() + WEBHOOK_LIFETIME_MS;
    const wanted = new Set(body.data.webhookIds);
    for (const w of live(clientId)) if (wanted.has(w.id)) w.expirationDate = expirationDate;
    store.changed();
    return { expirationDate };
  });

  app.get<{ Querystring: Record<string, string | undefined> }>('/rest/api/3/webhook/failed', async (req, reply) => {
    if (!appOf(req, reply)) return reply;
    const maxResults = Math.max(1, Math.min(queryInt(req.query.maxResults, 100), 100));
    const after = queryInt(req.query.after, 0);
    const failed = store.state.deliveries
      .filter((d) => d.webhook === 'dynamic' && d.outcome === 'failed')
      .map((d) => ({ id: d.id, url: d.url, failureTime: d.attempts[d.attempts.length - 1]?.at ?? d.createdAt }))
      .filter((d) => d.failureTime > after)
      .slice(0, maxResults);
    return { values: failed, maxResults };
  });
}
