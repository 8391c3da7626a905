import type { GlJournal } from '../../../shared/domain';
import type { Db } from './db';

// The labour ledger of worklog-to-gl (tables worklog_costs and labour_journals, migration 3).
// worklog_costs mirrors what each worklog should cost now; labour_journals is what Ferry posted (or is about
// to post) and, per journal, which worklog moved by how much. What is still to post for a group (issue ×
// period) is always "should cost" minus "posted", so an edit or a deletion after posting becomes an
// adjusting journal and a posted journal is never touched again.

export interface WorklogCost {
  worklogId: string;
  issueId: string;
  issueKey: string;
  author: string;
  authorName: string | null;
  day: string;
  period: string;
  seconds: number;
  rate: number | null;
  rateRule: string | null;
  amountCents: number | null;
  account: string | null;
  costCenter: string | null;
  project: string | null;
  deleted: boolean;
  jiraUpdated: string;
}

interface CostRow {
  worklog_id: string;
  issue_id: string;
  issue_key: string;
  author: string;
  author_name: string | null;
  day: string;
  period: string;
  seconds: number;
  rate: string | null;
  rate_rule: string | null;
  amount_cents: number | null;
  account: string | null;
  cost_center: string | null;
  project: string | null;
  deleted: number;
  jira_updated: string;
}

const toCost = (r: CostRow): WorklogCost => ({
  worklogId: r.worklog_id,
  issueId: r.issue_id,
  issueKey: r.issue_key,
  author: r.author,
  authorName: r.author_name,
  day: r.day,
  period: r.period,
  seconds: r.seconds,
  rate: r.rate === null ? null : Number(r.rate),
  rateRule: r.rate_rule,
  amountCents: r.amount_cents,
  account: r.account,
  costCenter: r.cost_center,
  project: r.project,
  deleted: r.deleted === 1,
  jiraUpdated: r.jira_updated,
});

export function getWorklogCost(db: Db, worklogId: string): WorklogCost | null {
  const r = db.prepare('SELECT * FROM worklog_costs WHERE worklog_id = ?').get(worklogId) as CostRow | undefined;
  return r ? toCost(r) : null;
}

export function saveWorklogCost(db: Db, c: WorklogCost, now = new Date()): void {
  db.prepare(
    `INSERT INTO worklog_costs (worklog_id, issue_id, issue_key, author, author_name, day, period, seconds, rate, rate_rule, amount_cents, account, cost_center, project, deleted, jira_updated, updated_at)
     VALUES (@worklogId, @issueId, @issueKey, @author, @authorName, @day, @period, @seconds, @rate, @rateRule, @amountCents, @account, @costCenter, @project, @deleted, @jiraUpdated, @now)
     ON CONFLICT (worklog_id) DO UPDATE SET issue_id = excluded.issue_id, issue_key = excluded.issue_key, author = excluded.author, author_name = excluded.author_name, day = excluded.day,
       period = excluded.period, seconds = excluded.seconds, rate = excluded.rate, rate_rule = excluded.rate_rule, amount_cents = excluded.amount_cents,
       account = excluded.account, cost_center = excluded.cost_center, project = excluded.project, deleted = excluded.deleted,
       jira_updated = excluded.jira_updated, updated_at = excluded.updated_at`,
  ).run({ ...c, rate: c.rate === null ? null : String(c.rate), deleted: c.deleted ? 1 : 0, now: now.toISOString() });
}

/** A deleted worklog costs nothing from now on; returns false when Ferry never costed it. */
export function markWorklogDeleted(db: Db, worklogId: string, jiraUpdated: string, now = new Date()): boolean {
  return db.prepare('UPDATE worklog_costs SET deleted = 1, jira_updated = ?, updated_at = ? WHERE worklog_id = ? AND deleted = 0').run(jiraUpdated, now.toISOString(), worklogId).changes > 0;
}

export function worklogsOfGroup(db: Db, issueKey: string, period: string): WorklogCost[] {
  return (db.prepare('SELECT * FROM worklog_costs WHERE issue_key = ? AND period = ? ORDER BY worklog_id').all(issueKey, period) as CostRow[]).map(toCost);
}

/** Worklogs still waiting for a rate: costed again when the rate table changes. */
export function unratedWorklogs(db: Db): WorklogCost[] {
  return (db.prepare('SELECT * FROM worklog_costs WHERE amount_cents IS NULL AND deleted = 0').all() as CostRow[]).map(toCost);
}

/** Every (issue, period) Ferry holds worklogs for, oldest period first. */
export function labourGroups(db: Db): { issueKey: string; period: string }[] {
  return (db.prepare('SELECT DISTINCT issue_key, period FROM worklog_costs ORDER BY period, issue_key').all() as { issue_key: string; period: string }[]).map((r) => ({ issueKey: r.issue_key, period: r.period }));
}

// ── journals ────────────────────────────────────────────────────────────────────────────────────────────────

export type JournalState = 'pending' | 'posted' | 'abandoned';
/** Per worklog: how many seconds and cents this journal moves (negative when it takes back). */
export type Breakdown = Record<string, { seconds: number; cents: number }>;

export interface LabourJournal {
  reference: string;
  issueKey: string;
  period: string;
  kind: 'original' | 'adjustment' | 'netted';
  journal: GlJournal;
  breakdown: Breakdown;
  state: JournalState;
  runId: string | null;
  createdAt: string;
  postedAt: string | null;
}

interface JournalRow {
  reference: string;
  issue_key: string;
  period: string;
  kind: LabourJournal['kind'];
  journal: string;
  breakdown: string;
  state: JournalState;
  run_id: string | null;
  created_at: string;
  posted_at: string | null;
}

const toJournal = (r: JournalRow): LabourJournal => ({
  reference: r.reference,
  issueKey: r.issue_key,
  period: r.period,
  kind: r.kind,
  journal: JSON.parse(r.journal) as GlJournal,
  breakdown: JSON.parse(r.breakdown) as Breakdown,
  state: r.state,
  runId: r.run_id === null ? null : String(r.run_id),
  createdAt: r.created_at,
  postedAt: r.posted_at,
});

export function journalsOfGroup(db: Db, issueKey: string, period: string): LabourJournal[] {
  return (db.prepare('SELECT * FROM labour_journals WHERE issue_key = ? AND period = ? ORDER BY created_at, reference').all(issueKey, period) as JournalRow[]).map(toJournal);
}

export function getLabourJournal(db: Db, reference: string): LabourJournal | null {
  const r = db.prepare('SELECT * FROM labour_journals WHERE reference = ?').get(reference) as JournalRow | undefined;
  return r ? toJournal(r) : null;
}

export function pendingJournals(db: Db): LabourJournal[] {
  return (db.prepare("SELECT * FROM labour_journals WHERE state = 'pending' ORDER BY created_at, reference").all() as JournalRow[]).map(toJournal);
}

export function listLabourJournals(db: Db, opts: { state?: JournalState } = {}): LabourJournal[] {
  const rows = opts.state
    ? db.prepare('SELECT * FROM labour_journals WHERE state = ? ORDER BY created_at, reference').all(opts.state)
    : db.prepare('SELECT * FROM labour_journals ORDER BY created_at, reference').all();
  return (rows as JournalRow[]).map(toJournal);
}

/** The intent, saved before the journal is sent: after a crash, this reference is looked up, never re-derived. */
export function savePendingJournal(db: Db, j: Omit<LabourJournal, 'state' | 'createdAt' | 'postedAt'>, now = new Date()): void {
  db.prepare(
    `INSERT INTO labour_journals (reference, issue_key, period, kind, journal, breakdown, state, run_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
  ).run(j.reference, j.issueKey, j.period, j.kind, JSON.stringify(j.journal), JSON.stringify(j.breakdown), j.runId, now.toISOString());
}

export function markJournalPosted(db: Db, reference: string, now = new Date()): void {
  db.prepare("UPDATE labour_journals SET state = 'posted', posted_at = ? WHERE reference = ? AND state = 'pending'").run(now.toISOString(), reference);
}

/** Net of changes that cost nothing (moved between worklogs of one coding): recorded as posted, nothing sent. */
export function saveNettedJournal(db: Db, j: Omit<LabourJournal, 'state' | 'createdAt' | 'postedAt' | 'kind'>, now = new Date()): void {
  db.prepare(
    `INSERT INTO labour_journals (reference, issue_key, period, kind, journal, breakdown, state, run_id, created_at, posted_at)
     VALUES (?, ?, ?, 'netted', ?, ?, 'posted', ?, ?, ?)`,
  ).run(j.reference, j.issueKey, j.period, JSON.stringify(j.journal), JSON.stringify(j.breakdown), j.runId, now.toISOString(), now.toISOString());
}

/** What the posted (and in-flight) journals of a group have moved so far, per worklog. */
export function postedByWorklog(journals: readonly LabourJournal[]): Map<string, { seconds: number; cents: number }> {
  const out = new Map<string, { seconds: number; cents: number }>();
  for (const j of journals) {
    if (j.state === 'abandoned') continue;
    for (const [id, b] of Object.entries(j.breakdown)) {
      const m = out.get(id) ?? { seconds: 0, cents: 0 };
      out.set(id, { seconds: m.seconds + b.seconds, cents: m.cents + b.cents });
    }
  }
  return out;
}
