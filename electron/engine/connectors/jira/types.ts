// What the Jira client hands to flows: plain data in Ferry's terms, no Jira response classes.

/** An Atlassian Document Format document (descriptions, worklog comments). */
export interface AdfDoc {
  type: 'doc';
  version: 1;
  content: unknown[];
}

export interface JiraIssue {
  id: string;
  key: string;
  /** By field id (summary, customfield_10050, …): only the fields asked for, as Jira returns them. */
  fields: Record<string, unknown>;
}

export interface NewIssue {
  /** Project key, e.g. "PRJ1001". */
  project: string;
  issueType: { id: string } | { name: string };
  summary: string;
  description?: AdfDoc | null;
  labels?: string[];
  /** customfield_NNNNN → value (text, number, or whatever the field takes). */
  customFields?: Record<string, unknown>;
  /** Key of the parent issue (an epic, for a PO under its project). */
  parent?: string | null;
}

export interface IssueChanges {
  summary?: string;
  description?: AdfDoc | null;
  labels?: string[];
  customFields?: Record<string, unknown>;
  parent?: string | null;
}

/** A text custom field value that identifies an issue, e.g. the CloudSuite PO number. */
export interface IssueIdentity {
  /** customfield_NNNNN */
  fieldId: string;
  value: string;
}

export interface JiraWorklog {
  id: string;
  issueId: string;
  authorAccountId: string;
  /** The author's display name, when Jira shows it (for messages; the account id is what counts). */
  authorName: string | null;
  /** As Jira gives it, in the worker's own offset (2021-01-17T12:34:00.000+0200): the day of work survives. */
  started: string;
  timeSpentSeconds: number;
  created: string | null;
  updated: string;
  /** ADF, or null. */
  comment: unknown;
}

export interface WorklogChange {
  worklogId: string;
  /** Epoch ms. */
  updatedTime: number;
}

export interface WorklogChangePage {
  changes: WorklogChange[];
  since: number;
  until: number;
  lastPage: boolean;
  /** `since` of the next page; null on the last one. */
  nextSince: number | null;
}

export type DynamicWebhookEvent =
  | 'jira:issue_created'
  | 'jira:issue_updated'
  | 'jira:issue_deleted'
  | 'comment_created'
  | 'comment_updated'
  | 'comment_deleted'
  | 'issue_property_set'
  | 'issue_property_deleted';

export interface DynamicWebhookSpec {
  events: DynamicWebhookEvent[];
  /** Required by Jira; limited JQL (project, issuetype, status, key… with =, !=, IN, NOT IN). */
  jqlFilter: string;
  fieldIdsFilter?: string[];
  issuePropertyKeysFilter?: string[];
}

export type DynamicWebhookResult = { ok: true; id: number } | { ok: false; errors: string[] };

export interface DynamicWebhook {
  id: number;
  url: string | null;
  events: string[];
  jqlFilter: string;
  /** Epoch ms. */
  expirationDate: number | null;
}

export type AdminWebhookEvent = DynamicWebhookEvent | 'worklog_created' | 'worklog_updated' | 'worklog_deleted';

export interface AdminWebhookSpec {
  name: string;
  url: string;
  events: AdminWebhookEvent[];
  /** JQL for issue-related events; empty means every issue. */
  jql?: string;
  excludeBody?: boolean;
  /** Makes Jira sign each delivery: X-Hub-Signature: sha256=<hex HMAC>. */
  secret?: string;
}

export interface AdminWebhook {
  id: string;
  name: string;
  url: string;
  events: string[];
  jql: string;
  enabled: boolean;
}
