import { adfText } from './adf';
import { compileJql, type CompiledJql, type FieldRef, type JqlField, type JqlSchema } from './jql';
import type { IssueFields, JiraCustomField } from './model';
import type { JiraStore } from './store';

// What JQL field names mean for the simulated site's issues. Project, issue type, status and users must
// exist (Jira answers 400 otherwise); issue keys too. Text fields — summary, description and the text custom
// fields like "CloudSuite PO" — take only ~ (a word search), which is why an exact lookup must filter the
// results again. Issue properties are not searchable, as on a site without an app that indexes them.

type Field = JqlField<IssueFields>;

const exists = (field: string) => (literal: string): string => `The value '${literal}' does not exist for the field '${field}'.`;

function userField(store: JiraStore, name: string, get: (i: IssueFields) => string | null): Field {
  return {
    name,
    type: 'exact',
    values: (i) => {
      const v = get(i);
      return v ? [v.toLowerCase()] : [];
    },
    resolve: (lit) => {
      const l = lit.toLowerCase();
      return store.state.users.find((u) => u.accountId.toLowerCase() === l || u.emailAddress.toLowerCase() === l || u.displayName.toLowerCase() === l)?.accountId.toLowerCase();
    },
    unknownValue: exists(name),
    sortKey: (i) => store.user(get(i))?.displayName ?? null,
  };
}

function customField(f: JiraCustomField): Field {
  return {
    name: f.name,
    type: f.type === 'number' ? 'number' : 'text',
    values: (i) => {
      const v = i.custom[f.id];
      return v === null || v === undefined ? [] : [v];
    },
    sortKey: (i) => i.custom[f.id] ?? null,
  };
}

export function issueSchema(store: JiraStore): JqlSchema<IssueFields> {
  const { state } = store;
  const lookup = (ref: FieldRef): Field | undefined => {
    if (ref.cf !== undefined) {
      const f = state.fields.find((c) => c.numericId === ref.cf);
      return f && customField(f);
    }
    const name = ref.name.toLowerCase();
    switch (name) {
      case 'project':
        return {
          name: 'project',
          type: 'exact',
          values: (i) => [i.projectId],
          resolve: (lit) => (store.project(lit) ?? state.projects.find((p) => p.name.toLowerCase() === lit.toLowerCase()))?.id,
          unknownValue: exists('project'),
          sortKey: (i) => store.project(i.projectId)?.key ?? null,
        };
      case 'key':
      case 'issuekey':
      case 'issue':
      case 'id':
        return {
          name: ref.name,
          type: 'exact',
          values: (i) => [i.id],
          resolve: (lit) => store.issue(lit)?.id,
          unknownValue: (lit) => `An issue with key '${lit}' does not exist for field '${ref.name}'.`,
          sortKey: (i) => i.key,
        };
      case 'issuetype':
      case 'type':
        return {
          name: 'issuetype',
          type: 'exact',
          values: (i) => [i.issueTypeId],
          resolve: (lit) => state.issueTypes.find((t) => t.id === lit || t.name.toLowerCase() === lit.toLowerCase())?.id,
          unknownValue: exists('issuetype'),
          sortKey: (i) => state.issueTypes.find((t) => t.id === i.issueTypeId)?.name ?? null,
        };
      case 'status':
        return {
          name: 'status',
          type: 'exact',
          values: (i) => [i.statusId],
          resolve: (lit) => state.statuses.find((s) => s.id === lit || s.name.toLowerCase() === lit.toLowerCase())?.id,
          unknownValue: exists('status'),
          sortKey: (i) => state.statuses.find((s) => s.id === i.statusId)?.name ?? null,
        };
      case 'summary':
        return { name: 'summary', type: 'text', values: (i) => [i.summary], sortKey: (i) => i.summary };
      case 'description':
        return { name: 'description', type: 'text', values: (i) => (i.description === null ? [] : [adfText(i.description)]) };
      case 'text':
        return {
          name: 'text',
          type: 'text',
          values: (i) => [i.summary, adfText(i.description), ...state.fields.filter((f) => f.type === 'string').map((f) => i.custom[f.id]).filter((v): v is string => typeof v === 'string')],
        };
      case 'labels':
        return { name: 'labels', type: 'exact', values: (i) => i.labels.map((l) => l.toLowerCase()), sortKey: (i) => i.labels[0] ?? null };
      case 'assignee':
        return userField(store, 'assignee', (i) => i.assigneeAccountId);
      case 'reporter':
        return userField(store, 'reporter', (i) => i.reporterAccountId);
      case 'creator':
        return userField(store, 'creator', (i) => i.creatorAccountId);
      case 'created':
      case 'createddate':
        return { name: 'created', type: 'date', values: (i) => [i.created], sortKey: (i) => i.created };
      case 'updated':
      case 'updateddate':
        return { name: 'updated', type: 'date', values: (i) => [i.updated], sortKey: (i) => i.updated };
    }
    const custom = state.fields.find((f) => f.name.toLowerCase() === name);
    return custom && customField(custom);
  };
  return { field: lookup, timeZone: store.admin.timeZone, currentUser: store.admin.accountId, now: store.now() };
}

export function compileIssueJql(store: JiraStore, jql: string): CompiledJql<IssueFields> {
  return compileJql(jql, issueSchema(store));
}

/** Whether an issue matches a webhook's JQL filter; a filter that no longer compiles matches nothing. */
export function webhookMatches(store: JiraStore, jql: string, issue: IssueFields): boolean {
  if (!jql.trim()) return true;
  try {
    return compileIssueJql(store, jql).matches(issue);
  } catch {
    return false;
  }
}
