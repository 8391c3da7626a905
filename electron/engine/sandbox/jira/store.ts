import type { SandboxContext } from '../context';
import type { IssueFields, JiraIssue, JiraProject, JiraState, JiraUser, JiraWorklog } from './model';

// Lookups over the persisted JiraState (which is plain arrays, for JSON) and the one place that changes it,
// so the indexes never drift from the data and every change is persisted via ctx.changed().

export class JiraStore {
  private issuesById = new Map<string, JiraIssue>();
  private issuesByKey = new Map<string, JiraIssue>();
  private worklogsById = new Map<string, JiraWorklog>();
  private worklogsByIssue = new Map<string, JiraWorklog[]>();
  private usersById: Map<string, JiraUser>;

  constructor(
    readonly state: JiraState,
    readonly ctx: SandboxContext,
  ) {
    this.usersById = new Map(state.users.map((u) => [u.accountId, u]));
    for (const issue of state.issues) this.indexIssue(issue);
    for (const w of state.worklogs) this.indexWorklog(w);
  }

  now(): number {
    return this.ctx.clock.now('jira');
  }

  /** A change time that is unique and increasing, so change feeds (worklog/updated) never tie. */
  stamp(): number {
    const t = Math.max(this.now(), this.state.lastChangeStamp + 1);
    this.state.lastChangeStamp = t;
    return t;
  }

  changed(): void {
    this.ctx.changed();
  }

  get admin(): JiraUser {
    return this.user(this.state.adminAccountId)!;
  }

  user(accountId: string | null): JiraUser | undefined {
    return accountId ? this.usersById.get(accountId) : undefined;
  }

  project(idOrKey: string): JiraProject | undefined {
    const k = idOrKey.toUpperCase();
    return this.state.projects.find((p) => p.id === idOrKey || p.key === k);
  }

  /** Issue keys are case-insensitive in Jira's REST API. */
  issue(idOrKey: string): JiraIssue | undefined {
    return this.issuesById.get(idOrKey) ?? this.issuesByKey.get(idOrKey.toUpperCase());
  }

  worklog(id: string): JiraWorklog | undefined {
    return this.worklogsById.get(id);
  }

  worklogsOf(issueId: string): JiraWorklog[] {
    return this.worklogsByIssue.get(issueId) ?? [];
  }

  addIssue(issue: JiraIssue): void {
    this.state.issues.push(issue);
    this.indexIssue(issue);
    this.changed();
  }

  removeIssue(issue: JiraIssue): void {
    this.state.issues.splice(this.state.issues.indexOf(issue), 1);
    this.issuesById.delete(issue.id);
    this.issuesByKey.delete(issue.key);
    for (const w of [...this.worklogsOf(issue.id)]) this.removeWorklog(w);
    this.changed();
  }

  /**
   * Applies a change to an issue, stamping `updated`. With an index lag, search keeps seeing the issue as it
   * was before the first change of the lag window.
   */
  touchIssue(issue: JiraIssue, change: () => void): void {
    const before = snapshot(issue);
    change();
    issue.updated = this.now();
    this.deferIndex(issue, before);
    this.changed();
  }

  /** Called for a new issue (previous = null) or before an edit. */
  deferIndex(issue: JiraIssue, previous: IssueFields | null): void {
    const lag = this.state.settings.indexLagSeconds * 1000;
    if (lag <= 0) return;
    const pending = issue.index && issue.index.visibleAt > this.now();
    issue.index = { visibleAt: this.now() + lag, previous: pending ? issue.index!.previous : previous };
  }

  /** What JQL search sees of an issue now: the live issue, the pre-edit snapshot, or nothing yet. */
  searchView(issue: JiraIssue, reconcile: boolean): IssueFields | null {
    if (!issue.index || reconcile || issue.index.visibleAt <= this.now()) return issue;
    return issue.index.previous;
  }

  addWorklog(w: JiraWorklog): void {
    this.state.worklogs.push(w);
    this.indexWorklog(w);
    this.changed();
  }

  removeWorklog(w: JiraWorklog): void {
    this.state.worklogs.splice(this.state.worklogs.indexOf(w), 1);
    this.worklogsById.delete(w.id);
    const list = this.worklogsOf(w.issueId);
    list.splice(list.indexOf(w), 1);
    this.state.deletedWorklogs.push({ worklogId: Number(w.id), updatedTime: this.stamp() });
    this.changed();
  }

  nextIssueId(): string {
    return String(this.state.next.issueId++);
  }

  nextWorklogId(): string {
    return String(this.state.next.worklogId++);
  }

  private indexIssue(issue: JiraIssue): void {
    this.issuesById.set(issue.id, issue);
    this.issuesByKey.set(issue.key, issue);
  }

  private indexWorklog(w: JiraWorklog): void {
    this.worklogsById.set(w.id, w);
    const list = this.worklogsByIssue.get(w.issueId);
    if (list) list.push(w);
    else this.worklogsByIssue.set(w.issueId, [w]);
  }
}

export function snapshot(issue: JiraIssue): IssueFields {
  const { properties: _p, index: _i, ...fields } = issue;
  return structuredClone(fields);
}
