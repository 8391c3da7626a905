import { SYSTEM_FIELDS } from './catalog';
import type { IssueFields, JiraIssueType, JiraProject, JiraStatus, JiraUser, JiraWorklog, Json, JsonObject } from './model';
import type { JiraStore } from './store';
import { formatDuration, formatJiraDate } from './time';

// JSON shapes of Jira REST v3 (the spec's IssueBean, UserDetails, Project, Worklog, …). Links are absolute
// and point at the sandbox itself — avatars included — so nothing a client follows leaves the machine.

export interface Render {
  base: string;
  store: JiraStore;
}

/** Server-side dates are in UTC, the integration user's zone. */
export const jiraDate = (ms: number): string => formatJiraDate(ms, 0);

function avatarUrls(base: string, kind: 'user' | 'project', id: string): JsonObject {
  const u = (size: number): string => `${base}/secure/${kind === 'user' ? 'useravatar' : 'projectavatar'}?size=${size}&ownerId=${encodeURIComponent(id)}`;
  return { '48x48': u(48), '24x24': u(24), '16x16': u(16), '32x32': u(32) };
}

export function userJson(r: Render, u: JiraUser): JsonObject {
  return {
    self: `${r.base}/rest/api/3/user?accountId=${encodeURIComponent(u.accountId)}`,
    accountId: u.accountId,
    emailAddress: u.emailAddress,
    avatarUrls: avatarUrls(r.base, 'user', u.accountId),
    displayName: u.displayName,
    active: u.active,
    timeZone: u.timeZone,
    accountType: 'atlassian',
  };
}

const userOrNull = (r: Render, accountId: string | null): Json => {
  const u = r.store.user(accountId);
  return u ? userJson(r, u) : null;
};

export function issueTypeJson(r: Render, t: JiraIssueType): JsonObject {
  return {
    self: `${r.base}/rest/api/3/issuetype/${t.id}`,
    id: t.id,
    description: t.description,
    iconUrl: `${r.base}/images/icons/issuetypes/${t.name.toLowerCase().replace(/\W+/g, '-')}.svg`,
    name: t.name,
    subtask: t.subtask,
    avatarId: 10318,
    hierarchyLevel: t.hierarchyLevel,
  };
}

const CATEGORIES = {
  new: { id: 2, key: 'new', colorName: 'blue-gray', name: 'To Do' },
  indeterminate: { id: 4, key: 'indeterminate', colorName: 'yellow', name: 'In Progress' },
  done: { id: 3, key: 'done', colorName: 'green', name: 'Done' },
} as const;

export function statusJson(r: Render, s: JiraStatus): JsonObject {
  const c = CATEGORIES[s.category];
  return {
    self: `${r.base}/rest/api/3/status/${s.id}`,
    description: '',
    iconUrl: `${r.base}/images/icons/statuses/generic.png`,
    name: s.name,
    id: s.id,
    statusCategory: { self: `${r.base}/rest/api/3/statuscategory/${c.id}`, ...c },
  };
}

/** A project as it appears inside an issue, and as GET /project/search lists it without expand. */
export function projectRef(r: Render, p: JiraProject): JsonObject {
  return {
    self: `${r.base}/rest/api/3/project/${p.id}`,
    id: p.id,
    key: p.key,
    name: p.name,
    projectTypeKey: 'business',
    simplified: false,
    avatarUrls: avatarUrls(r.base, 'project', p.id),
  };
}

export function projectJson(r: Render, p: JiraProject, expand: Set<string>): JsonObject {
  const out: JsonObject = { expand: 'description,lead,issueTypes,url,projectKeys,permissions,insight', ...projectRef(r, p), style: 'classic', isPrivate: false, properties: {} };
  if (expand.has('description')) out.description = p.description;
  if (expand.has('lead')) out.lead = userOrNull(r, p.leadAccountId);
  if (expand.has('issueTypes')) out.issueTypes = r.store.state.issueTypes.map((t) => issueTypeJson(r, t));
  return out;
}

function parentRef(r: Render, id: string | null): Json {
  const p = id ? r.store.issue(id) : undefined;
  return p ? { id: p.id, key: p.key, self: `${r.base}/rest/api/3/issue/${p.id}` } : null;
}

/** Every field value of an issue, by field id. */
export function issueFieldValues(r: Render, i: IssueFields): Record<string, Json> {
  const { state } = r.store;
  const project = r.store.project(i.projectId);
  const type = state.issueTypes.find((t) => t.id === i.issueTypeId);
  const status = state.statuses.find((s) => s.id === i.statusId);
  const spent = r.store.worklogsOf(i.id).reduce((sum, w) => sum + w.timeSpentSeconds, 0);
  const values: Record<string, Json> = {
    summary: i.summary,
    description: i.description,
    project: project ? projectRef(r, project) : null,
    issuetype: type ? issueTypeJson(r, type) : null,
    status: status ? statusJson(r, status) : null,
    labels: [...i.labels],
    reporter: userOrNull(r, i.reporterAccountId),
    creator: userOrNull(r, i.creatorAccountId),
    assignee: userOrNull(r, i.assigneeAccountId),
    created: jiraDate(i.created),
    updated: jiraDate(i.updated),
    timespent: spent || null,
    parent: parentRef(r, i.parentId ?? null),
  };
  for (const f of state.fields) values[f.id] = i.custom[f.id] ?? null;
  return values;
}

/**
 * Which fields a caller asked for, by Jira's rules for the `fields` parameter: ids, `*all`, `*navigable`,
 * and `-id` to leave one out; comma-separated or repeated.
 */
export function fieldSelection(r: Render, requested: string[] | undefined, fallback: string): (id: string) => boolean {
  const items = (requested?.length ? requested : [fallback]).flatMap((f) => f.split(',')).map((f) => f.trim()).filter(Boolean);
  const all = [...SYSTEM_FIELDS.map((f) => f.id), ...r.store.state.fields.map((f) => f.id)];
  const chosen = new Set<string>();
  for (const item of items) {
    if (item === '*all' || item === '*navigable') all.forEach((f) => chosen.add(f));
    else if (!item.startsWith('-')) chosen.add(item);
  }
  for (const item of items) if (item.startsWith('-')) chosen.delete(item.slice(1));
  return (id) => chosen.has(id);
}

export function issueJson(r: Render, i: IssueFields, wanted: (id: string) => boolean, extra: { properties?: Record<string, Json>; names?: boolean } = {}): JsonObject {
  const fields: JsonObject = {};
  for (const [id, value] of Object.entries(issueFieldValues(r, i))) if (wanted(id)) fields[id] = value;
  const out: JsonObject = { expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations', id: i.id, self: `${r.base}/rest/api/3/issue/${i.id}`, key: i.key, fields };
  if (extra.properties) out.properties = extra.properties;
  if (extra.names) out.names = fieldNames(r, Object.keys(fields));
  return out;
}

export function fieldNames(r: Render, ids: string[]): JsonObject {
  const names: JsonObject = {};
  for (const id of ids) {
    const name = SYSTEM_FIELDS.find((f) => f.id === id)?.name ?? r.store.state.fields.find((f) => f.id === id)?.name;
    if (name) names[id] = name;
  }
  return names;
}

export function worklogJson(r: Render, w: JiraWorklog): JsonObject {
  const out: JsonObject = {
    self: `${r.base}/rest/api/3/issue/${w.issueId}/worklog/${w.id}`,
    author: userOrNull(r, w.authorAccountId),
    updateAuthor: userOrNull(r, w.updateAuthorAccountId),
    created: jiraDate(w.created),
    updated: jiraDate(w.updated),
    started: w.started,
    timeSpent: formatDuration(w.timeSpentSeconds),
    timeSpentSeconds: w.timeSpentSeconds,
    id: w.id,
    issueId: w.issueId,
  };
  if (w.comment !== null) out.comment = w.comment;
  return out;
}
