import type { FastifyInstance } from 'fastify';
import { queryInt, queryList, type Api } from './api';
import { principalOf } from './auth';
import { SYSTEM_FIELDS } from './catalog';
import { sendError } from './errors';
import type { Json } from './model';
import { issueTypeJson, jiraDate, projectJson, userJson } from './render';

// The site's configuration as a client discovers it: who am I, server info, projects, issue types and
// fields (Ferry's mapping screens list these; "CloudSuite PO" is found here by name).

type Query = { Querystring: Record<string, string | string[] | undefined> };

export function metaRoutes(app: FastifyInstance, api: Api): void {
  const { store } = api.rt;
  const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

  app.get('/rest/api/3/myself', async (req) => userJson(api.render(req), store.user(principalOf(req).accountId)!));

  app.get('/rest/api/3/serverInfo', async (req) => ({
    baseUrl: api.render(req).base,
    version: '1001.0.0-SNAPSHOT',
    versionNumbers: [1001, 0, 0],
    deploymentType: 'Cloud',
    buildNumber: 100_300,
    buildDate: '2025-12-01T00:00:00.000+0000',
    serverTime: jiraDate(store.now()),
    scmInfo: 'sandbox',
    serverTitle: 'Jira (Ferry sandbox)',
  }));

  app.get<Query>('/rest/api/3/project/search', async (req) => {
    const r = api.render(req);
    const q = req.query;
    const startAt = Math.max(0, queryInt(one(q.startAt), 0));
    const maxResults = Math.max(1, Math.min(queryInt(one(q.maxResults), 50), 100));
    const keys = queryList(q.keys)?.map((k) => k.toUpperCase());
    const ids = queryList(q.id);
    const text = one(q.query)?.toLowerCase();
    const expand = new Set(queryList(q.expand) ?? []);
    const orderBy = one(q.orderBy) ?? 'key';
    const desc = orderBy.startsWith('-');
    const by = orderBy.replace(/^[-+]/, '') === 'name' ? 'name' : 'key';
    const matches = store.state.projects
      .filter((p) => (!keys || keys.includes(p.key)) && (!ids || ids.includes(p.id)) && (!text || p.key.toLowerCase().includes(text) || p.name.toLowerCase().includes(text)))
      .sort((a, b) => (desc ? -1 : 1) * a[by].localeCompare(b[by]));
    const values = matches.slice(startAt, startAt + maxResults).map((p) => projectJson(r, p, expand));
    const isLast = startAt + maxResults >= matches.length;
    const self = `${r.base}/rest/api/3/project/search?startAt=${startAt}&maxResults=${maxResults}`;
    const out: Record<string, Json> = { self, maxResults, startAt, total: matches.length, isLast, values };
    if (!isLast) out.nextPage = `${r.base}/rest/api/3/project/search?startAt=${startAt + maxResults}&maxResults=${maxResults}`;
    return out;
  });

  app.get<{ Params: { projectIdOrKey: string } } & Query>('/rest/api/3/project/:projectIdOrKey', async (req, reply) => {
    const p = store.project(req.params.projectIdOrKey);
    if (!p) return sendError(reply, 404, `No project could be found with key '${req.params.projectIdOrKey}'.`);
    return projectJson(api.render(req), p, new Set(['description', 'lead', 'issueTypes', ...(queryList(req.query.expand) ?? [])]));
  });

  app.get<Query>('/rest/api/3/issuetype/project', async (req, reply) => {
    const id = one(req.query.projectId);
    if (!id || !/^\d+$/.test(id)) return sendError(reply, 400, 'The projectId parameter is required and must be a number.');
    if (!store.state.projects.some((p) => p.id === id)) return sendError(reply, 404, `No project could be found with id '${id}'.`);
    const r = api.render(req);
    return store.state.issueTypes.map((t) => issueTypeJson(r, t));
  });

  app.get('/rest/api/3/field', async () => [
    ...SYSTEM_FIELDS.map((f) => {
      const out: Record<string, Json> = { id: f.id, key: f.id, name: f.name, custom: false, orderable: f.orderable, navigable: f.navigable, searchable: f.searchable, clauseNames: f.clauseNames };
      if (f.schema) out.schema = { ...f.schema };
      return out;
    }),
    ...store.state.fields.map((f) => ({
      id: f.id,
      key: f.id,
      name: f.name,
      custom: true,
      orderable: true,
      navigable: true,
      searchable: true,
      clauseNames: [`cf[${f.numericId}]`, f.name],
      schema: { type: f.type, custom: f.customType, customId: f.numericId },
    })),
  ]);
}
