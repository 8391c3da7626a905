import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { adfDoc } from './adf';
import { queryInt, type Api } from './api';
import { principalOf } from './auth';
import { bodyError, ISSUE_NOT_FOUND, sendError } from './errors';
import { worklogIssueEvent } from './events';
import type { JiraIssue, JiraWorklog, Json } from './model';
import { worklogJson } from './render';
import { formatJiraDate, parseDuration, parseJiraDate } from './time';

// Worklogs: per-issue CRUD and the site-wide change feeds that time sync relies on. /worklog/updated and
// /worklog/deleted list changes strictly after `since` (epoch ms), oldest first, 1,000 a page, and leave out
// the minute before the request — a poller must overlap its cursor. /worklog/list takes at most 1,000 ids.

const PAGE = 1000;
const RECENT_MS = 60_000;

const worklogBody = z.object({
  timeSpentSeconds: z.number().int().optional(),
  timeSpent: z.string().optional(),
  started: z.string().optional(),
  comment: z.unknown().optional(),
  visibility: z.unknown().optional(),
  properties: z.array(z.unknown()).optional(),
});

type WorklogInput = z.infer<typeof worklogBody>;

/** Jira's checks on a worklog body; `creating` requires started and a time spent. */
function readWorklog(b: WorklogInput, creating: boolean): { started?: string; seconds?: number; comment?: Json; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const out: { started?: string; seconds?: number; comment?: Json } = {};
  if (b.timeSpent !== undefined && b.timeSpentSeconds !== undefined) errors.timeLogged = 'Provide either timeSpent or timeSpentSeconds, not both.';
  const seconds = b.timeSpentSeconds ?? (b.timeSpent === undefined ? undefined : (parseDuration(b.timeSpent) ?? -1));
  if (seconds === undefined) {
    if (creating) errors.timeLogged = 'You must indicate the time spent working.';
  } else if (seconds === -1) errors.timeLogged = 'Invalid time duration entered.';
  else if (seconds < 60) errors.timeLogged = 'Time Spent must be at least 1 minute.';
  else out.seconds = seconds;
  if (b.started === undefined) {
    if (creating) errors.started = 'You must specify when the work was started.';
  } else {
    const parsed = parseJiraDate(b.started);
    // Normalised to milliseconds but in the offset the caller sent: the worker's own clock.
    if (!parsed) errors.started = "Invalid date format. Please enter the date in the format 'yyyy-MM-dd'T'HH:mm:ss.SSSZ'.";
    else out.started = formatJiraDate(parsed.instant, parsed.offsetMin);
  }
  if (b.comment !== undefined) {
    if (b.comment === null || adfDoc.safeParse(b.comment).success) out.comment = (b.comment ?? null) as Json;
    else errors.comment = 'Comment must be an Atlassian Document (see the Atlassian Document Format).';
  }
  return { ...out, errors };
}

type IssueParams = { Params: { issueIdOrKey: string }; Querystring: Record<string, string | undefined> };
type WorklogParams = { Params: { issueIdOrKey: string; id: string }; Querystring: Record<string, string | undefined> };

export function worklogRoutes(app: FastifyInstance, api: Api): void {
  const { store } = api.rt;
  const actor = (req: FastifyRequest) => store.user(principalOf(req).accountId)!;
  const find = (issue: JiraIssue, id: string): JiraWorklog | undefined => {
    const w = store.worklog(id);
    return w && w.issueId === issue.id ? w : undefined;
  };
  const notFound = (id: string): string => `Cannot find worklog with id: ${id}.`;
  const spent = (issue: JiraIssue): number => store.worklogsOf(issue.id).reduce((sum, w) => sum + w.timeSpentSeconds, 0);

  app.get<IssueParams>('/rest/api/3/issue/:issueIdOrKey/worklog', async (req, reply) => {
    const issue = store.issue(req.params.issueIdOrKey);
    if (!issue) return sendError(reply, 404, ISSUE_NOT_FOUND);
    const startAt = Math.max(0, queryInt(req.query.startAt, 0));
    const maxResults = Math.max(0, Math.min(queryInt(req.query.maxResults, 5000), 5000));
    const after = queryInt(req.query.startedAfter, Number.NEGATIVE_INFINITY);
    const before = queryInt(req.query.startedBefore, Number.POSITIVE_INFINITY);
    const list = store
      .worklogsOf(issue.id)
      .filter((w) => {
        const t = parseJiraDate(w.started)!.instant;
        return t >= after && t <= before;
      })
      .sort((a, b) => parseJiraDate(a.started)!.instant - parseJiraDate(b.started)!.instant || Number(a.id) - Number(b.id));
    const r = api.render(req);
    return { startAt, maxResults, total: list.length, worklogs: list.slice(startAt, startAt + maxResults).map((w) => worklogJson(r, w)) };
  });

  app.post<IssueParams>('/rest/api/3/issue/:issueIdOrKey/worklog', async (req, reply) => {
    const issue = store.issue(req.params.issueIdOrKey);
    if (!issue) return sendError(reply, 404, ISSUE_NOT_FOUND);
    const body = worklogBody.safeParse(req.body ?? {});
    if (!body.success) return sendError(reply, 400, bodyError(body.error));
    const read = readWorklog(body.data, true);
    if (Object.keys(read.errors).length) return sendError(reply, 400, [], read.errors);
    const who = actor(req);
    const t = store.stamp();
    const w: JiraWorklog = {
      id: store.nextWorklogId(),
      issueId: issue.id,
      authorAccountId: who.accountId,
      updateAuthorAccountId: who.accountId,
      started: read.started!,
      timeSpentSeconds: read.seconds!,
      comment: read.comment ?? null,
      created: t,
      updated: t,
    };
    const before = spent(issue);
    store.addWorklog(w);
    store.touchIssue(issue, () => undefined);
    api.rt.emit({ name: 'worklog_created', issue, actor: who, worklog: w });
    api.rt.emit(worklogIssueEvent(issue, who, 'created', before, spent(issue)));
    return reply.code(201).send(worklogJson(api.render(req), w));
  });

  app.get<WorklogParams>('/rest/api/3/issue/:issueIdOrKey/worklog/:id', async (req, reply) => {
    const issue = store.issue(req.params.issueIdOrKey);
    if (!issue) return sendError(reply, 404, ISSUE_NOT_FOUND);
    const w = find(issue, req.params.id);
    return w ? worklogJson(api.render(req), w) : sendError(reply, 404, notFound(req.params.id));
  });

  app.put<WorklogParams>('/rest/api/3/issue/:issueIdOrKey/worklog/:id', async (req, reply) => {
    const issue = store.issue(req.params.issueIdOrKey);
    if (!issue) return sendError(reply, 404, ISSUE_NOT_FOUND);
    const w = find(issue, req.params.id);
    if (!w) return sendError(reply, 404, notFound(req.params.id));
    const body = worklogBody.safeParse(req.body ?? {});
    if (!body.success) return sendError(reply, 400, bodyError(body.error));
    const read = readWorklog(body.data, false);
    if (Object.keys(read.errors).length) return sendError(reply, 400, [], read.errors);
    const who = actor(req);
    const before = spent(issue);
    if (read.started !== undefined) w.started = read.started;
    if (read.seconds !== undefined) w.timeSpentSeconds = read.seconds;
    if (read.comment !== undefined) w.comment = read.comment;
    w.updateAuthorAccountId = who.accountId;
    w.updated = store.stamp();
    store.touchIssue(issue, () => undefined);
    api.rt.emit({ name: 'worklog_updated', issue, actor: who, worklog: w });
    if (spent(issue) !== before) api.rt.emit(worklogIssueEvent(issue, who, 'updated', before, spent(issue)));
    return worklogJson(api.render(req), w);
  });

  app.delete<WorklogParams>('/rest/api/3/issue/:issueIdOrKey/worklog/:id', async (req, reply) => {
    const issue = store.issue(req.params.issueIdOrKey);
    if (!issue) return sendError(reply, 404, ISSUE_NOT_FOUND);
    const w = find(issue, req.params.id);
    if (!w) return sendError(reply, 404, notFound(req.params.id));
    const who = actor(req);
    const before = spent(issue);
    api.rt.emit({ name: 'worklog_deleted', issue, actor: who, worklog: w });
    store.removeWorklog(w);
    store.touchIssue(issue, () => undefined);
    api.rt.emit(worklogIssueEvent(issue, who, 'deleted', before, spent(issue)));
    return reply.code(204).send();
  });

  const feed = (kind: 'updated' | 'deleted') => async (req: FastifyRequest<{ Querystring: Record<string, string | undefined> }>) => {
    const since = Math.max(0, queryInt(req.query.since, 0));
    const cutoff = store.now() - RECENT_MS;
    const changes =
      kind === 'updated'
        ? store.state.worklogs.map((w) => ({ worklogId: Number(w.id), updatedTime: w.updated }))
        : store.state.deletedWorklogs.map((d) => ({ worklogId: d.worklogId, updatedTime: d.updatedTime }));
    const window = changes.filter((c) => c.updatedTime > since && c.updatedTime < cutoff).sort((a, b) => a.updatedTime - b.updatedTime || a.worklogId - b.worklogId);
    const page = window.slice(0, PAGE);
    const lastPage = window.length <= PAGE;
    const until = page.length ? page[page.length - 1]!.updatedTime : since;
    const url = `${api.render(req).base}/rest/api/3/worklog/${kind}`;
    const out: Record<string, Json> = {
      values: page.map((c) => ({ worklogId: c.worklogId, updatedTime: c.updatedTime, properties: [] })),
      since,
      until,
      self: `${url}?since=${since}`,
      lastPage,
    };
    if (!lastPage) out.nextPage = `${url}?since=${until}`;
    return out;
  };
  app.get('/rest/api/3/worklog/updated', feed('updated'));
  app.get('/rest/api/3/worklog/deleted', feed('deleted'));

  const listBody = z.object({ ids: z.array(z.number().int()) });
  app.post('/rest/api/3/worklog/list', async (req, reply) => {
    const body = listBody.safeParse(req.body ?? {});
    if (!body.success) return sendError(reply, 400, bodyError(body.error));
    const ids = [...new Set(body.data.ids)];
    if (ids.length > PAGE) return sendError(reply, 400, `The number of worklog ids must not exceed ${PAGE}.`);
    const r = api.render(req);
    // Unknown and deleted ids are skipped silently, as Jira does.
    return ids.flatMap((id) => {
      const w = store.worklog(String(id));
      return w ? [worklogJson(r, w)] : [];
    });
  });
}
