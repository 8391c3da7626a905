import { FerryError } from '../../../shared/errors';
import type { CloudSuiteAdapter } from '../connectors/cloudsuite/adapter';
import { connectCloudSuite, connectJira } from '../connectors/connect';
import type { JiraClient, JiraWorklog } from '../connectors/jira';
import { labourRateTable } from '../mapping/jira';
import { jiraFlowSettings, setJiraFlowSettings, type JiraFlowSettings } from '../mapping/jira-settings';
import { costCents, periodOf, workDay, type Coding } from '../mapping/labour';
import { refreshReference } from '../mapping/reference-refresh';
import { getCursor, setCursor } from '../store/cursors';
import { getWorklogCost, markWorklogDeleted, saveWorklogCost, unratedWorklogs, type WorklogCost } from '../store/labour';
import type { Profile } from '../store/profile';
import { lookup, referenceAge } from '../store/reference';
import type { FlowContext } from '../sync/flow-context';
import type { FlowModule, ReplayItem } from '../sync/runner';
import { postGroups, postPending, type PostingDeps } from './labour-posting';

// Jira worklogs → labour cost in CloudSuite GL.
// 1. Journals a crash left half-done are settled first (looked up by reference, never posted twice).
// 2. The change feeds (/worklog/updated, /worklog/deleted) are read since their cursors, overlapping by two
//    minutes because Jira leaves the last minute out; details come in chunks of 1,000. Each worklog on an
//    issue Ferry can code (a CloudSuite PO, or a GL account and cost center, or a CloudSuite project) is
//    costed — hours × the rate in force on the worker's day — and kept in worklog_costs.
// 3. Every group (issue × period) whose period is over is posted: what it should cost minus what was posted.

export const FLOW = 'worklog-to-gl' as const;
const UPDATED_CURSOR = FLOW;
const DELETED_CURSOR = `${FLOW}:deleted`;
const DAY_MS = 86_400_000;

export interface WorklogToGlDeps {
  profile: Profile;
  cloudsuite: CloudSuiteAdapter;
  jira: JiraClient;
  /** Jira's feeds leave out the last minute: reads start this far before the cursor. */
  overlapMs: number;
}

const REFERENCE_MAX_AGE_MS = 60 * 60_000;

function postingSettings(s: JiraFlowSettings): { accrualAccount: string; accrualCostCenter: string | null; delayDays: number } {
  if (!s.posting.accrualAccount) {
    throw new FerryError(
      'not_configured',
      'Set the accrual (labour clearing) account before Ferry posts labour cost: every labour journal credits it. Use Settings → Jira, or "ferry jira settings --set <file>" with { "posting": { "accrualAccount": "…" } }.',
    );
  }
  return { accrualAccount: s.posting.accrualAccount, accrualCostCenter: s.posting.accrualCostCenter, delayDays: s.posting.delayDays };
}

interface IssueCoding {
  key: string;
  jiraProject: string;
  /** Null when the issue names something Ferry cannot post to (the group then waits for a person). */
  coding: Coding | null;
}

/** How the hours of one issue are coded; null for issues that are none of Ferry's business. */
class Coder {
  private readonly issues = new Map<string, IssueCoding | null>();
  private readonly orders = new Map<string, Coding | null>();

  constructor(
    private readonly deps: WorklogToGlDeps,
    private readonly settings: JiraFlowSettings,
  ) {}

  async of(issueId: string): Promise<IssueCoding | null> {
    if (this.issues.has(issueId)) return this.issues.get(issueId)!;
    const f = this.settings.fields;
    const ids = [f.cloudSuitePo, f.costCenter, f.glAccount, f.cloudSuiteProject].filter((x): x is string => !!x);
    const issue = await this.deps.jira.issues.get(issueId, ['project', ...ids]);
    let result: IssueCoding | null = null;
    if (issue) {
      const text = (id: string | null) => (id && typeof issue.fields[id] === 'string' && (issue.fields[id] as string).trim()) || null;
      const po = text(f.cloudSuitePo);
      const project = text(f.cloudSuiteProject);
      const account = text(f.glAccount);
      const costCenter = text(f.costCenter);
      const base = { key: issue.key, jiraProject: issue.key.replace(/-\d+$/, '') };
      if (po) {
        const c = await this.order(po);
        result = { ...base, coding: c ? { ...c, project: c.project ?? project } : null };
      } else if (account) {
        result = { ...base, coding: { account, costCenter, project } };
      } else if (project) {
        const p = lookup(this.deps.profile.db, 'project', project);
        const labour = this.settings.posting.defaultLabourAccount;
        result = { ...base, coding: labour ? { account: labour, costCenter: costCenter ?? p?.costCenter ?? null, project } : null };
      }
    }
    this.issues.set(issueId, result);
    return result;
  }

  /** A PO's coding: the account and unit code 1 of its first line that has an account. */
  private async order(number: string): Promise<Coding | null> {
    if (this.orders.has(number)) return this.orders.get(number)!;
    const po = await this.deps.cloudsuite.getPurchaseOrder(number);
    const withFields = po ? (await this.deps.cloudsuite.withJiraFields([po]))[0]! : null;
    const line = withFields?.lines.find((l) => l.glAccount);
    const coding = line ? { account: line.glAccount!, costCenter: line.unitCodes[0] ?? null, project: withFields!.project ?? null } : null;
    this.orders.set(number, coding);
    return coding;
  }
}

export const worklogToGl: FlowModule<WorklogToGlDeps> = {
  connect(profile, pool) {
    return { profile, cloudsuite: connectCloudSuite(profile, pool).adapter, jira: connectJira(profile, pool).client, overlapMs: 2 * 60_000 };
  },

  async run(ctx, deps) {
    const posting = await prepare(ctx, deps);
    await postPending(ctx, posting);
    await readChanges(ctx, deps);
    await postGroups(ctx, posting);
  },

  async replay(ctx, deps, items: ReplayItem[]) {
    // A journal is re-planned from the ledger, not from the failed payload: the current rates and mappings count.
    const posting = await prepare(ctx, deps, true);
    const replayOf = new Map(items.filter((i) => i.failureId !== null).map((i) => [i.key, i.failureId!]));
    await postPending(ctx, posting, replayOf);
    await postGroups(ctx, posting, replayOf);
  },
};

async function prepare(ctx: FlowContext, deps: WorklogToGlDeps, forceReference = false): Promise<PostingDeps> {
  const settings = jiraFlowSettings(ctx.db);
  const journal = postingSettings(settings);
  const age = referenceAge(ctx.db, 'gl-account');
  if (forceReference || !age || age.ageMs > REFERENCE_MAX_AGE_MS) await refreshReference(deps.profile, deps.cloudsuite);
  // Rates a person added since: worklogs that waited for one are costed now.
  const rates = labourRateTable(ctx.db);
  for (const w of unratedWorklogs(ctx.db)) {
    const r = rates.resolve({ accountId: w.author, day: w.day, jiraProject: w.issueKey.replace(/-\d+$/, '') });
    if (r) saveWorklogCost(ctx.db, { ...w, rate: r.rate, rateRule: r.rule, amountCents: costCents(w.seconds, r.rate) });
  }
  // The engine's clock: today's date decides which periods are over and how adjustments are dated.
  return { cloudsuite: deps.cloudsuite, settings: journal, today: new Date(ctx.now()).toISOString().slice(0, 10) };
}

/** The first day worklogs are posted from: the setting, or (first run) the start of the current period. */
function startDay(ctx: FlowContext, settings: JiraFlowSettings): string {
  if (settings.posting.startDate) return settings.posting.startDate;
  const today = new Date(ctx.now()).toISOString().slice(0, 10);
  let start = today;
  const period = periodOf(today, settings.posting.period);
  for (let d = Date.parse(`${today}T00:00:00Z`); periodOf(new Date(d).toISOString().slice(0, 10), settings.posting.period) === period; d -= DAY_MS) start = new Date(d).toISOString().slice(0, 10);
  if (!ctx.dryRun) setJiraFlowSettings(ctx.db, { posting: { startDate: start } });
  ctx.log.info({ startDate: start }, 'first run: posting worklogs from the start of the current period');
  return start;
}

async function readChanges(ctx: FlowContext, deps: WorklogToGlDeps): Promise<void> {
  const settings = jiraFlowSettings(ctx.db);
  const start = startDay(ctx, settings);
  const rates = labourRateTable(ctx.db);
  const coder = new Coder(deps, settings);
  // Worklogs started on the first day may have been logged up to a day before it in UTC, and are often logged later.
  const firstRead = Date.parse(`${start}T00:00:00Z`) - 2 * DAY_MS;
  const since = (name: string) => {
    const c = getCursor(ctx.db, name);
    return c ? Math.max(0, Number(c) - deps.overlapMs) : firstRead;
  };
  let page = 0;
  let processed = 0;
  for await (const feed of deps.jira.worklogs.changes('updated', since(UPDATED_CURSOR))) {
    page++;
    const ids = feed.changes.map((c) => c.worklogId);
    const details = ids.length ? await deps.jira.worklogs.byIds(ids) : [];
    for (const w of details) {
      await costWorklog(ctx, w, start, settings, coder, rates);
      ctx.progress({ page, processed: ++processed });
    }
    if (!ctx.dryRun && feed.changes.length > 0) setCursor(ctx.db, UPDATED_CURSOR, String(feed.until));
  }
  for await (const feed of deps.jira.worklogs.changes('deleted', since(DELETED_CURSOR))) {
    page++;
    ctx.db.transaction(() => {
      for (const c of feed.changes) markWorklogDeleted(ctx.db, c.worklogId, new Date(c.updatedTime).toISOString());
      if (!ctx.dryRun && feed.changes.length > 0) setCursor(ctx.db, DELETED_CURSOR, String(feed.until));
    })();
    processed += feed.changes.length;
    ctx.progress({ page, processed });
  }
}

async function costWorklog(ctx: FlowContext, w: JiraWorklog, start: string, settings: JiraFlowSettings, coder: Coder, rates: ReturnType<typeof labourRateTable>): Promise<void> {
  const day = workDay(w.started);
  if (day < start) return;
  const previous = getWorklogCost(ctx.db, w.id);
  // Re-read through the overlap, unchanged: nothing to do (and no request for its issue).
  if (previous && !previous.deleted && previous.jiraUpdated === w.updated && previous.amountCents !== null) return;
  const issue = await coder.of(w.issueId);
  if (!issue) return;
  const rate = rates.resolve({ accountId: w.authorAccountId, day, jiraProject: issue.jiraProject });
  const cost: WorklogCost = {
    worklogId: w.id,
    issueId: w.issueId,
    // The group a worklog was first costed in stays its group (an issue moved to another project gets a new
    // key): what was posted for it is always found again, so an edit adjusts instead of posting it twice.
    issueKey: previous?.issueKey ?? issue.key,
    author: w.authorAccountId,
    authorName: w.authorName,
    day,
    // A worklog keeps the period it was first costed in, so an edit adjusts the group it was posted with.
    period: previous?.period ?? periodOf(day, settings.posting.period),
    seconds: w.timeSpentSeconds,
    rate: rate?.rate ?? null,
    rateRule: rate?.rule ?? null,
    amountCents: rate ? costCents(w.timeSpentSeconds, rate.rate) : null,
    account: issue.coding?.account ?? null,
    costCenter: issue.coding?.costCenter ?? null,
    project: issue.coding?.project ?? null,
    deleted: false,
    jiraUpdated: w.updated,
  };
  // Also in a dry run: worklog_costs is Ferry's copy of what Jira holds, not a write anywhere, and the preview
  // of the journals is planned from it.
  saveWorklogCost(ctx.db, cost);
}
