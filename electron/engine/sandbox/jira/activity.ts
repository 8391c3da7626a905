import type { SandboxContext, SandboxTenant } from '../context';
import { CF } from './catalog';
import { worklogIssueEvent } from './events';
import { SPENT, TASKS } from './generate';
import type { CustomValue, JiraIssue, JiraState, JiraWorklog } from './model';
import { runtimeFor } from './runtime';
import { formatInZone } from './time';
import { adfParagraph } from './adf';

// "People did some work": new issues and fresh worklogs stamped now on the sandbox clock, with the same
// webhooks firing as if they came through the API. Demos and tests use it to make the next poll find
// something. Each call draws from its own random stream, so a sequence of calls is repeatable for a seed.

export function addJiraActivity(ctx: SandboxContext, _tenant: SandboxTenant, state: JiraState, what: { worklogs?: number; issues?: number }): void {
  const rt = runtimeFor(state, ctx);
  const { store } = rt;
  const rand = ctx.random(`jira.activity.${state.next.activity++}`);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const workers = state.users.filter((u) => u.accountId !== state.adminAccountId);

  for (let n = 0; n < (what.issues ?? 0) && state.projects.length; n++) {
    const project = pick(state.projects);
    const reporter = pick(workers);
    const now = store.now();
    const custom: Record<string, CustomValue> = Object.fromEntries(state.fields.map((f) => [f.id, null]));
    custom[CF.cloudSuiteProject] = project.cloudSuiteProjNum;
    const summary = `${pick(TASKS)} – ${project.name}`;
    const issue: JiraIssue = {
      id: store.nextIssueId(),
      key: `${project.key}-${project.nextIssueNumber++}`,
      projectId: project.id,
      issueTypeId: '10001',
      statusId: state.statuses[0]!.id,
      summary,
      description: adfParagraph(summary),
      labels: [],
      custom,
      reporterAccountId: reporter.accountId,
      creatorAccountId: reporter.accountId,
      assigneeAccountId: pick(workers).accountId,
      created: now,
      updated: now,
      properties: {},
    };
    store.deferIndex(issue, null);
    store.addIssue(issue);
    rt.emit({ name: 'jira:issue_created', issue, actor: reporter });
  }

  for (let n = 0; n < (what.worklogs ?? 0) && state.issues.length; n++) {
    const issue = pick(state.issues);
    const author = pick(workers);
    const spent = pick(SPENT);
    // Started a few hours ago, on a quarter-hour, written with the worker's own offset.
    const startedAt = Math.floor((store.now() - spent * 1000 - Math.floor(rand() * 4) * 3_600_000) / 900_000) * 900_000;
    const t = store.stamp();
    const w: JiraWorklog = {
      id: store.nextWorklogId(),
      issueId: issue.id,
      authorAccountId: author.accountId,
      updateAuthorAccountId: author.accountId,
      started: formatInZone(startedAt, author.timeZone),
      timeSpentSeconds: spent,
      comment: adfParagraph(`Worked on ${issue.summary}`),
      created: t,
      updated: t,
    };
    const before = store.worklogsOf(issue.id).reduce((sum, x) => sum + x.timeSpentSeconds, 0);
    store.addWorklog(w);
    store.touchIssue(issue, () => undefined);
    rt.emit({ name: 'worklog_created', issue, actor: author, worklog: w });
    rt.emit(worklogIssueEvent(issue, author, 'created', before, before + spent));
  }
  store.changed();
}
