import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { queryInt, queryList, type Api } from './api';
import { bodyError, sendError } from './errors';
import { compileIssueJql } from './issue-jql';
import { JqlError } from './jql';
import type { IssueFields, Json } from './model';
import { fieldNames, fieldSelection, issueJson } from './render';

// Enhanced JQL search (/rest/api/3/search/jql): the JQL must be bounded, `fields` defaults to the id alone,
// pages chain through an opaque nextPageToken, there is no `total`, and a fresh write can lag behind (see
// JiraStore.searchView; `reconcileIssues` asks for read-after-write on the listed ids). The old
// /rest/api/3/search is gone: 410.

const REMOVED = 'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046';
const UNBOUNDED = 'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.';
const BAD_TOKEN = 'The provided next page token is invalid or expired.';

const searchBody = z.strictObject({
  jql: z.string().optional(),
  nextPageToken: z.string().optional(),
  maxResults: z.number().int().optional(),
  fields: z.array(z.string()).optional(),
  expand: z.string().optional(),
  properties: z.array(z.string()).optional(),
  fieldsByKeys: z.boolean().optional(),
  failFast: z.boolean().optional(),
  reconcileIssues: z.array(z.number().int()).optional(),
});
type SearchRequest = z.infer<typeof searchBody>;

const jqlHash = (jql: string): string => crypto.createHash('sha256').update(jql).digest('base64url').slice(0, 12);

function encodeToken(offset: number, jql: string): string {
  return Buffer.from(JSON.stringify({ o: offset, q: jqlHash(jql) })).toString('base64url');
}

function decodeToken(token: string, jql: string): number | null {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown; q?: unknown };
    return typeof t.o === 'number' && Number.isInteger(t.o) && t.o >= 0 && t.q === jqlHash(jql) ? t.o : null;
  } catch {
    return null;
  }
}

export function searchRoutes(app: FastifyInstance, api: Api): void {
  const { store } = api.rt;

  const run = (req: FastifyRequest, reply: FastifyReply, q: SearchRequest): unknown => {
    const jql = q.jql ?? '';
    let compiled;
    try {
      compiled = compileIssueJql(store, jql);
    } catch (err) {
      if (err instanceof JqlError) return sendError(reply, 400, err.message);
      throw err;
    }
    if (!compiled.bounded) return sendError(reply, 400, UNBOUNDED);
    const offset = q.nextPageToken === undefined ? 0 : decodeToken(q.nextPageToken, jql);
    if (offset === null) return sendError(reply, 400, BAD_TOKEN);

    const reconcile = new Set((q.reconcileIssues ?? []).map(String));
    const hits: IssueFields[] = [];
    for (const issue of store.state.issues) {
      const view = store.searchView(issue, reconcile.has(issue.id));
      if (view && compiled.matches(view)) hits.push(view);
    }
    // Without ORDER BY the sandbox lists newest first, like Jira's issue navigator.
    hits.sort(compiled.compare ?? ((a, b) => b.created - a.created || Number(b.id) - Number(a.id)));

    const r = api.render(req);
    const fields = q.fields?.flatMap((f) => f.split(',')).map((f) => f.trim()).filter(Boolean);
    const idOnly = !fields?.length || fields.every((f) => f === 'id' || f === 'key');
    // Jira pages up to 5,000 ids but fewer issues when it has to load their fields.
    const max = Math.max(1, Math.min(q.maxResults ?? 50, idOnly ? 5000 : 100));
    const page = hits.slice(offset, offset + max);
    const wanted = fieldSelection(r, fields, 'id');
    const names = (q.expand ?? '').split(',').map((e) => e.trim()).includes('names');
    const issues = page.map((i): Json => {
      if (!fields?.length) return { id: i.id };
      const live = store.issue(i.id);
      const properties = q.properties?.length && live ? Object.fromEntries(q.properties.filter((k) => k in live.properties).map((k) => [k, live.properties[k]!])) : undefined;
      return issueJson(r, i, wanted, { properties });
    });
    const more = offset + max < hits.length;
    const out: Record<string, Json> = { issues };
    if (names) out.names = fieldNames(r, fields ?? []);
    if (more) out.nextPageToken = encodeToken(offset + max, jql);
    out.isLast = !more;
    return out;
  };

  app.post('/rest/api/3/search/jql', async (req, reply) => {
    const body = searchBody.safeParse(req.body ?? {});
    if (!body.success) return sendError(reply, 400, bodyError(body.error));
    return run(req, reply, body.data);
  });

  app.get<{ Querystring: Record<string, string | string[] | undefined> }>('/rest/api/3/search/jql', async (req, reply) => {
    const q = req.query;
    const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);
    return run(req, reply, {
      jql: one(q.jql),
      nextPageToken: one(q.nextPageToken),
      maxResults: q.maxResults === undefined ? undefined : queryInt(one(q.maxResults), 50),
      fields: queryList(q.fields),
      expand: one(q.expand),
      properties: queryList(q.properties),
      reconcileIssues: queryList(q.reconcileIssues)?.map(Number).filter(Number.isInteger),
    });
  });

  for (const method of ['GET', 'POST'] as const) {
    app.route({ method, url: '/rest/api/3/search', handler: async (_req, reply) => sendError(reply, 410, REMOVED) });
  }
}
