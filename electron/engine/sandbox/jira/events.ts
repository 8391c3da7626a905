import { adfText } from './adf';
import type { Deliveries } from './deliveries';
import { webhookMatches } from './issue-jql';
import type { DynamicEvent, IssueFields, JiraEventName, JiraIssue, JiraUser, JiraWorklog, Json, JsonObject } from './model';
import { fieldSelection, issueJson, userJson, worklogJson, type Render } from './render';
import type { JiraStore } from './store';

// Turning a change into webhook deliveries. Admin webhooks (REST webhooks 1.0) get issue and worklog events,
// filtered by their JQL, signed with their secret. Dynamic webhooks (OAuth apps) get issue and property
// events only — never worklog events — until they expire, and one delivery per URL lists every matched
// webhook in `matchedWebhookIds`, as Jira does.

// A type alias, not an interface, so that it is assignable to Json.
export type ChangeItem = {
  field: string;
  fieldtype: 'jira' | 'custom';
  fieldId: string;
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
};

export type JiraEvent =
  | { name: 'jira:issue_created' | 'jira:issue_updated' | 'jira:issue_deleted'; issue: JiraIssue; actor: JiraUser; changelog?: ChangeItem[]; typeName?: string }
  | { name: 'worklog_created' | 'worklog_updated' | 'worklog_deleted'; issue: JiraIssue; actor: JiraUser; worklog: JiraWorklog }
  | { name: 'issue_property_set' | 'issue_property_deleted'; issue: JiraIssue; actor: JiraUser; property: { key: string; value?: Json } };

const TYPE_NAMES: Record<string, string> = { 'jira:issue_created': 'issue_created', 'jira:issue_updated': 'issue_generic', 'jira:issue_deleted': 'issue_deleted' };

function payload(r: Render, ev: JiraEvent, timestamp: number): JsonObject {
  const base: JsonObject = { timestamp, webhookEvent: ev.name };
  if ('worklog' in ev) return { ...base, worklog: worklogJson(r, ev.worklog) };
  const issue = issueJson(r, ev.issue, fieldSelection(r, ['*all'], '*all'));
  if ('property' in ev) {
    const property: JsonObject = { key: ev.property.key };
    if (ev.property.value !== undefined) property.value = ev.property.value;
    return { ...base, user: userJson(r, ev.actor), issue, property };
  }
  const out: JsonObject = { ...base, issue_event_type_name: ev.typeName ?? TYPE_NAMES[ev.name] ?? 'issue_generic', user: userJson(r, ev.actor), issue };
  if (ev.changelog?.length) out.changelog = { id: String(timestamp), items: ev.changelog };
  return out;
}

function dynamicWants(ev: JiraEvent, w: { events: DynamicEvent[]; fieldIdsFilter?: string[]; issuePropertyKeysFilter?: string[] }): boolean {
  if (!(w.events as JiraEventName[]).includes(ev.name)) return false;
  if (ev.name === 'jira:issue_updated' && w.fieldIdsFilter?.length) {
    return (ev.changelog ?? []).some((c) => w.fieldIdsFilter!.includes(c.fieldId));
  }
  if ('property' in ev && w.issuePropertyKeysFilter?.length) return w.issuePropertyKeysFilter.includes(ev.property.key);
  return true;
}

export function publish(store: JiraStore, deliveries: Deliveries, base: string, ev: JiraEvent): void {
  const { state } = store;
  const now = store.now();
  const r: Render = { base, store };
  let body: JsonObject | undefined;
  const bodyOf = (): JsonObject => (body ??= payload(r, ev, now));

  for (const w of state.adminWebhooks) {
    if (!w.enabled || !w.events.includes(ev.name) || !webhookMatches(store, w.jqlFilter, ev.issue)) continue;
    deliveries.enqueue({
      webhook: 'admin',
      webhookIds: [w.id],
      url: w.url,
      event: ev.name,
      issueKey: ev.issue.key,
      body: w.excludeBody ? '' : JSON.stringify(bodyOf()),
      secret: w.secret,
    });
  }

  const byUrl = new Map<string, number[]>();
  for (const w of state.dynamicWebhooks) {
    if (w.expirationDate <= now || !dynamicWants(ev, w) || !webhookMatches(store, w.jqlFilter, ev.issue)) continue;
    byUrl.set(w.url, [...(byUrl.get(w.url) ?? []), w.id]);
  }
  for (const [url, ids] of byUrl) {
    deliveries.enqueue({
      webhook: 'dynamic',
      webhookIds: ids,
      url,
      event: ev.name,
      issueKey: ev.issue.key,
      body: JSON.stringify({ ...bodyOf(), matchedWebhookIds: ids }),
      secret: null,
    });
  }
}

/** Changelog items for the fields that differ between two versions of an issue. */
export function changelog(store: JiraStore, before: IssueFields, after: IssueFields): ChangeItem[] {
  const items: ChangeItem[] = [];
  const add = (field: string, fieldId: string, fieldtype: 'jira' | 'custom', from: string | null, to: string | null, fromString: string | null, toString: string | null): void => {
    items.push({ field, fieldtype, fieldId, from, fromString, to, toString });
  };
  add('summary', 'summary', 'jira', null, null, before.summary, after.summary);
  add('description', 'description', 'jira', null, null, adfText(before.description) || null, adfText(after.description) || null);
  add('labels', 'labels', 'jira', null, null, before.labels.join(' '), after.labels.join(' '));
  const statusName = (id: string): string | null => store.state.statuses.find((s) => s.id === id)?.name ?? null;
  add('status', 'status', 'jira', before.statusId, after.statusId, statusName(before.statusId), statusName(after.statusId));
  add('assignee', 'assignee', 'jira', before.assigneeAccountId, after.assigneeAccountId, store.user(before.assigneeAccountId)?.displayName ?? null, store.user(after.assigneeAccountId)?.displayName ?? null);
  for (const f of store.state.fields) {
    const from = before.custom[f.id] ?? null;
    const to = after.custom[f.id] ?? null;
    add(f.name, f.id, 'custom', null, null, from === null ? null : String(from), to === null ? null : String(to));
  }
  return items.filter((i) => i.from !== i.to || i.fromString !== i.toString);
}

/**
 * Logging work also updates the issue: Jira follows worklog_created/updated/deleted with jira:issue_updated
 * (issue_work_logged, …) carrying the time-spent change, so an issue_updated subscriber sees worklogs too.
 */
export function worklogIssueEvent(issue: JiraIssue, actor: JiraUser, kind: 'created' | 'updated' | 'deleted', spentBefore: number, spentAfter: number): JiraEvent {
  const typeName = { created: 'issue_work_logged', updated: 'issue_worklog_updated', deleted: 'issue_worklog_deleted' }[kind];
  const item = (field: string, from: number, to: number): ChangeItem => ({ field, fieldtype: 'jira', fieldId: field, from: String(from), fromString: String(from), to: String(to), toString: String(to) });
  return { name: 'jira:issue_updated', issue, actor, typeName, changelog: [item('timespent', spentBefore, spentAfter)] };
}
