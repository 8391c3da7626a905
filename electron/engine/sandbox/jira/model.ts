// The simulated Jira site's data. Everything here is plain JSON: the sandbox persists it with JSON.stringify
// and reloads it, so no Maps, Dates or class instances (the indexes live in store.ts, rebuilt on load).

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface JiraUser {
  accountId: string;
  displayName: string;
  emailAddress: string;
  /** IANA zone: a worklog's `started` carries the offset of its author's zone. */
  timeZone: string;
  active: boolean;
}

export interface JiraProject {
  id: string;
  key: string;
  name: string;
  description: string;
  leadAccountId: string;
  /** The CloudSuite project (SLProjs.ProjNum) this Jira project was made for, if any. */
  cloudSuiteProjNum: string | null;
  /** The number the next issue key of this project gets (ABC-<n>). */
  nextIssueNumber: number;
}

export interface JiraIssueType {
  id: string;
  name: string;
  description: string;
  subtask: boolean;
  hierarchyLevel: number;
}

export type StatusCategoryKey = 'new' | 'indeterminate' | 'done';

export interface JiraStatus {
  id: string;
  name: string;
  category: StatusCategoryKey;
}

export interface JiraTransition {
  id: string;
  name: string;
  toStatusId: string;
}

export interface JiraCustomField {
  /** customfield_10050 */
  id: string;
  numericId: number;
  name: string;
  type: 'string' | 'number';
  /** Jira's custom field type key, e.g. com.atlassian.jira.plugin.system.customfieldtypes:textfield */
  customType: string;
}

export type CustomValue = string | number | null;

/** The searchable part of an issue: what the search index holds (properties are not searchable). */
export interface IssueFields {
  id: string;
  key: string;
  projectId: string;
  issueTypeId: string;
  statusId: string;
  summary: string;
  /** Atlassian Document Format, or null. */
  description: Json;
  labels: string[];
  custom: Record<string, CustomValue>;
  reporterAccountId: string;
  creatorAccountId: string;
  assigneeAccountId: string | null;
  /** The parent issue's id (an epic over a standard issue); absent or null: none. */
  parentId?: string | null;
  /** Epoch ms on the sandbox clock. */
  created: number;
  updated: number;
}

export interface JiraIssue extends IssueFields {
  properties: Record<string, Json>;
  /**
   * Search lags writes when an index lag is configured: until `visibleAt`, search sees `previous` (null: the
   * issue is not in the index yet). GET by key always sees the live issue.
   */
  index?: { visibleAt: number; previous: IssueFields | null };
}

export interface JiraWorklog {
  id: string;
  issueId: string;
  authorAccountId: string;
  updateAuthorAccountId: string;
  /** As Jira returns it: 2021-01-17T12:34:00.000+0000, in the offset the worker logged it with. */
  started: string;
  timeSpentSeconds: number;
  comment: Json;
  created: number;
  /** Unique across worklog changes (see JiraStore.stamp), so the `since` cursor of /worklog/updated is exact. */
  updated: number;
}

export interface WorklogDeletion {
  worklogId: number;
  updatedTime: number;
}

export type DynamicEvent =
  | 'jira:issue_created'
  | 'jira:issue_updated'
  | 'jira:issue_deleted'
  | 'comment_created'
  | 'comment_updated'
  | 'comment_deleted'
  | 'issue_property_set'
  | 'issue_property_deleted';

export type JiraEventName = DynamicEvent | 'worklog_created' | 'worklog_updated' | 'worklog_deleted';

export interface DynamicWebhook {
  id: number;
  /** The OAuth app that registered it: an app sees and refreshes only its own webhooks. */
  clientId: string;
  url: string;
  events: DynamicEvent[];
  jqlFilter: string;
  fieldIdsFilter?: string[];
  issuePropertyKeysFilter?: string[];
  /** Epoch ms: creation or last refresh + 30 days. */
  expirationDate: number;
}

export interface AdminWebhook {
  id: number;
  name: string;
  url: string;
  events: JiraEventName[];
  /** filters['issue-related-events-section']; empty means every issue. */
  jqlFilter: string;
  excludeBody: boolean;
  secret: string | null;
  enabled: boolean;
  lastUpdatedAccountId: string;
  lastUpdated: number;
}

export interface DeliveryAttempt {
  at: number;
  /** HTTP status, or null when the connection failed or timed out. */
  status: number | null;
  error?: string;
}

export interface DeliveryRecord {
  /** Sent as X-Atlassian-Webhook-Identifier, the same on every retry. */
  id: string;
  webhook: 'admin' | 'dynamic';
  webhookIds: number[];
  url: string;
  event: JiraEventName;
  issueKey: string | null;
  createdAt: number;
  attempts: DeliveryAttempt[];
  outcome: 'pending' | 'delivered' | 'failed';
}

export type RateLimitReason = 'jira-burst-based' | 'jira-cost-based' | 'jira-per-issue-on-write';

export interface JiraSettings {
  /** Seconds before a write shows up in JQL search (GET by key is always current). */
  indexLagSeconds: number;
  rateLimit: { perMinute: number; reason: RateLimitReason } | null;
  /** The next `requests` API calls answer 503 with Retry-After. */
  unavailable: { requests: number; retryAfterSeconds: number } | null;
  delivery: { retries: number; backoffMs: number; timeoutMs: number };
}

export interface JiraState {
  version: 1;
  cloudId: string;
  siteName: string;
  credentials: {
    adminEmail: string;
    apiToken: string;
    personalAccessToken: string;
    oauth: { clientId: string; clientSecret: string };
  };
  oauth: {
    /** The one valid refresh token: each use returns a new one and invalidates this. */
    refreshToken: string;
    accessTokens: Record<string, { expiresAt: number }>;
  };
  /** The integration user every credential acts as (a Jira admin). */
  adminAccountId: string;
  users: JiraUser[];
  projects: JiraProject[];
  issueTypes: JiraIssueType[];
  statuses: JiraStatus[];
  transitions: JiraTransition[];
  fields: JiraCustomField[];
  issues: JiraIssue[];
  worklogs: JiraWorklog[];
  deletedWorklogs: WorklogDeletion[];
  dynamicWebhooks: DynamicWebhook[];
  adminWebhooks: AdminWebhook[];
  /** The most recent deliveries (capped), newest last. */
  deliveries: DeliveryRecord[];
  next: { issueId: number; worklogId: number; webhookId: number; activity: number };
  /** Last value handed out by JiraStore.stamp(). */
  lastChangeStamp: number;
  settings: JiraSettings;
}
