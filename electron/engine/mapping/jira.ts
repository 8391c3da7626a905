import type { Db } from '../store/db';
import { getMapping, listMappings } from '../store/mappings';
import { ANY, DEFAULT_PROJECT_ISSUE_TYPE, PO_TYPE_PREFIX, splitLabourRateKey } from './kinds';

// The resolvers of the Jira mapping kinds (README, "Mappings → Jira"): which Jira project and issue type a
// CloudSuite PO or project becomes (jira-project), and the hourly rate a worklog is costed at (labour-rate,
// with the user's role from jira-role). Each answer names the mapping key that matched (`rule`), so a flow
// can say in its audit event why a PO went where it went, or why an hour cost what it cost.

export interface JiraTarget {
  /** Jira project key, e.g. "ENG". */
  project: string;
  /** Issue type of a PO's issue, e.g. "Purchase Order". */
  issueType: string;
  /** Issue type of a CloudSuite project's own issue ("Epic" unless the mapping names another). */
  projectIssueType: string;
  /** The mapping key that matched: the project number, "type:<PO type>", or "*". */
  rule: string;
}

const present = (s: string | null | undefined): string | null => {
  const t = s?.trim() ?? '';
  return t === '' ? null : t;
};

/**
 * Where a CloudSuite PO or project goes in Jira: the mapping for its project number, else for
 * `type:<poType>`, else the default `*`. Null when none of them is mapped.
 */
export function resolveJiraTarget(db: Db, q: { project: string | null; poType: string | null }): JiraTarget | null {
  const project = present(q.project);
  const poType = present(q.poType);
  const keys = [project, poType === null ? null : `${PO_TYPE_PREFIX}${poType}`, ANY].filter((k): k is string => k !== null);
  for (const key of keys) {
    const m = getMapping(db, 'jira-project', key);
    if (m) return { project: m.value.project, issueType: m.value.issueType, projectIssueType: m.value.projectIssueType ?? DEFAULT_PROJECT_ISSUE_TYPE, rule: key };
  }
  return null;
}

export interface LabourRateQuery {
  /** The Jira account id of the person who logged the work. */
  accountId: string;
  /** The worker's day of the work, yyyy-mm-dd (in their time zone). */
  day: string;
  /** The Jira project key of the issue the work was logged on. */
  jiraProject: string;
}

export interface ResolvedRate {
  /** Money per hour, in the GL's domestic currency. */
  rate: number;
  /** The labour-rate mapping key that matched, e.g. "role:Engineer@2026-01-01". */
  rule: string;
}

export interface LabourRateTable {
  /** The rate for one worklog, or null when no scope has a rate in effect on its day. */
  resolve(q: LabourRateQuery): ResolvedRate | null;
  /** The role the jira-role table gives the user, or null. */
  roleOf(accountId: string): string | null;
}

interface Dated {
  /** Effective from this day (yyyy-mm-dd); null = from the beginning of time. */
  from: string | null;
  rate: number;
  key: string;
}

/**
 * The labour-rate and jira-role tables read once, for a run that costs many worklogs. Scopes are tried in
 * order user:<accountId>, role:<the user's role>, project:<jiraProject>, *; within a scope the entry with
 * the latest effective date on or before the day wins (an undated entry counts as the earliest). A scope
 * whose entries all start after the day has no rate yet, and the next scope is tried.
 */
export function labourRateTable(db: Db): LabourRateTable {
  const byScope = new Map<string, Dated[]>();
  for (const m of listMappings(db, 'labour-rate')) {
    const { scope, effectiveFrom } = splitLabourRateKey(m.key);
    const list = byScope.get(scope) ?? [];
    list.push({ from: effectiveFrom, rate: m.value.rate, key: m.key });
    byScope.set(scope, list);
  }
  // Latest first; the undated entry last.
  for (const list of byScope.values()) list.sort((a, b) => (a.from === b.from ? 0 : a.from === null ? 1 : b.from === null ? -1 : a.from < b.from ? 1 : -1));
  const roles = new Map(listMappings(db, 'jira-role').map((m) => [m.key, m.value]));

  const inScope = (scope: string, day: string): ResolvedRate | null => {
    const hit = byScope.get(scope)?.find((e) => e.from === null || e.from <= day);
    return hit ? { rate: hit.rate, rule: hit.key } : null;
  };

  return {
    roleOf: (accountId) => roles.get(accountId.trim()) ?? null,
    resolve(q) {
      const accountId = q.accountId.trim();
      const role = roles.get(accountId) ?? null;
      const project = q.jiraProject.trim().toUpperCase();
      const scopes = [accountId ? `user:${accountId}` : null, role !== null ? `role:${role}` : null, project ? `project:${project}` : null, ANY];
      for (const scope of scopes) {
        if (scope === null) continue;
        const hit = inScope(scope, q.day);
        if (hit) return hit;
      }
      return null;
    },
  };
}

/** The rate for one worklog (see labourRateTable; a flow costing many worklogs keeps one table instead). */
export function resolveLabourRate(db: Db, q: LabourRateQuery): ResolvedRate | null {
  return labourRateTable(db).resolve(q);
}
