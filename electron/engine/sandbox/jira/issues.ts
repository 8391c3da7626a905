import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { queryList, type Api } from './api';
import { principalOf } from './auth';
import { bodyError, ISSUE_NOT_FOUND, sendError } from './errors';
import { changelog } from './events';
import { issueRequest, readChanges, readProjectAndType, type IssueChanges } from './issue-input';
import type { JiraIssue, Json } from './model';
import { fieldSelection, issueJson, statusJson } from './render';
import { snapshot } from './store';

// Issues: create, read (with `fields` and `properties`), edit, delete, and the workflow transitions.

type IdParams = { Params: { issueIdOrKey: string }; Querystring: Record<string, string | string[] | undefined> };

function apply(issue: JiraIssue, c: IssueChanges): void {
  if (c.summary !== undefined) issue.summary = c.summary;
  if (c.description !== undefined) issue.description = c.description;
  if (c.labels !== undefined) issue.labels = c.labels;
  if (c.assigneeAccountId !== undefined) issue.assigneeAccountId = c.assigneeAccountId;
  if (c.reporterAccountId !== undefined) issue.reporterAccountId = c.reporterAccountId;
  if (c.parentId !== undefined) issue.parentId = c.parentId;
  Object.assign(issue.custom, c.custom);
}

export function issueRoutes(app: FastifyInstance, api: Api): void {
  const { store } = api.rt;

  app.post('/rest/api/3/issue', async (req, reply) => {
    const body = issueRequest.safeParse(req.body ?? {});
    if (!body.success) return sendError(reply, 400, bodyError(body.error));
    const fields = body.data.fields ?? {};
    const errors: Record<string, string> = {};
    const { project, type } = readProjectAndType(store, fields, errors);
    const read = readChanges(store, fields, body.data.update ?? {}, [], true);
    Object.assign(errors, read.errors);
    if (!project || !type || Object.keys(errors).length) return sendError(reply, 400, [], errors);
    if (type.subtask) return sendError(reply, 400, [], { issuetype: 'Sub-task issue types need a parent; the sandbox does not model parents.' });

    const who = principalOf(req);
    const now = store.now();
    const issue: JiraIssue = {
      id: store.nextIssueId(),
      key: `${project.key}-${project.nextIssueNumber++}`,
      projectId: project.id,
      issueTypeId: type.id,
      statusId: store.state.statuses[0]!.id,
      summary: '',
      description: null,
      labels: [],
      custom: Object.fromEntries(store.state.fields.map((f) => [f.id, null])),
      reporterAccountId: who.accountId,
      creatorAccountId: who.accountId,
      assigneeAccountId: null,
      created: now,
      updated: now,
      properties: Object.fromEntries((body.data.properties ?? []).map((p) => [p.key, p.value as Json])),
    };
    apply(issue, read.changes);
    store.deferIndex(issue, null);
    store.addIssue(issue);
    api.rt.emit({ name: 'jira:issue_created', issue, actor: store.user(who.accountId)! });
    const r = api.render(req);
    return reply.code(201).send({ id: issue.id, key: issue.key, self: `${r.base}/rest/api/3/issue/${issue.id}` });
  });

  app.get<IdParams>('/rest/api/3/issue/:issueIdOrKey', async (req, reply) => {
    const issue = store.issue(req.params.issueIdOrKey);
    if (!issue) return sendError(reply, 404, ISSUE_NOT_FOUND);
    const r = api.render(req);
    const props = queryList(req.query.properties);
    const properties = props ? Object.fromEntries(props.filter((k) => k in issue.properties).map((k) => [k, issue.properties[k]!])) : undefined;
    const names = (queryList(req.query.expand) ?? []).includes('names');
    return issueJson(r, issue, fieldSelection(r, queryList(req.query.fields), '*all'), { properties, names });
  });

  app.put<IdParams>('/rest/api/3/issue/:issueIdOrKey', async (req, reply) => {
    const issue = store.issue(req.params.issueIdOrKey);
    if (!issue) return sendError(reply, 404, ISSUE_NOT_FOUND);
    const body = issueRequest.safeParse(req.body ?? {});
    if (!body.success) return sendError(reply, 400, bodyError(body.error));
    const { changes, errors } = readChanges(store, body.data.fields ?? {}, body.data.update ?? {}, issue.labels, false);
    if (Object.keys(errors).length) return sendError(reply, 400, [], errors);
    const before = snapshot(issue);
    store.touchIssue(issue, () => apply(issue, changes));
    const items = changelog(store, before, issue);
    if (items.length) api.rt.emit({ name: 'jira:issue_updated', issue, actor: store.user(principalOf(req).accountId)!, changelog: items });
    if (req.query.returnIssue === 'true') {
      const r = api.render(req);
      return issueJson(r, issue, fieldSelection(r, undefined, '*all'));
    }
    return reply.code(204).send();
  });

  app.delete<IdParams>('/rest/api/3/issue/:issueIdOrKey', async (req, reply) => {
    const issue = store.issue(req.params.issueIdOrKey);
    if (!issue) return sendError(reply, 404, ISSUE_NOT_FOUND);
    // The event is built before the issue is gone, so a webhook's JQL (key = X) can still match it.
    api.rt.emit({ name: 'jira:issue_deleted', issue, actor: store.user(principalOf(req).accountId)! });
    store.removeIssue(issue);
    return reply.code(204).send();
  });

  app.get<IdParams>('/rest/api/3/issue/:issueIdOrKey/transitions', async (req, reply) => {
    const issue = store.issue(req.params.issueIdOrKey);
    if (!issue) return sendError(reply, 404, ISSUE_NOT_FOUND);
    const r = api.render(req);
    const transitions = store.state.transitions.map((t) => ({
      id: t.id,
      name: t.name,
      to: statusJson(r, store.state.statuses.find((s) => s.id === t.toStatusId)!),
      hasScreen: false,
      isGlobal: true,
      isInitial: false,
      isAvailable: true,
      isConditional: false,
      isLooped: false,
    }));
    return { expand: 'transitions', transitions };
  });

  const transitionRequest = z.object({ transition: z.object({ id: z.string() }), fields: z.record(z.string(), z.unknown()).optional(), update: z.unknown().optional() });

  app.post<IdParams>('/rest/api/3/issue/:issueIdOrKey/transitions', async (req, reply) => {
    const issue = store.issue(req.params.issueIdOrKey);
    if (!issue) return sendError(reply, 404, ISSUE_NOT_FOUND);
    const body = transitionRequest.safeParse(req.body ?? {});
    if (!body.success) return sendError(reply, 400, bodyError(body.error));
    const t = store.state.transitions.find((x) => x.id === body.data.transition.id);
    if (!t) return sendError(reply, 400, `Transition id '${body.data.transition.id}' is not valid for this issue.`);
    const before = snapshot(issue);
    store.touchIssue(issue, () => (issue.statusId = t.toStatusId));
    api.rt.emit({ name: 'jira:issue_updated', issue, actor: store.user(principalOf(req).accountId)!, changelog: changelog(store, before, issue) });
    return reply.code(204).send();
  });
}
