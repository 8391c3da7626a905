import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setJiraFlowSettings } from '../../electron/engine/mapping/jira-settings';
import { costCents, periodOf, periodPostable, workDay } from '../../electron/engine/mapping/labour';
import { CF } from '../../electron/engine/sandbox/jira/catalog';
import { listFailures } from '../../electron/engine/store/failures';
import { listLabourJournals } from '../../electron/engine/store/labour';
import { setMappings } from '../../electron/engine/store/mappings';
import { verifyAudit } from '../../electron/engine/store/audit-verify';
import { control } from '../helpers/sandbox';
import { closeWorld, openWorld, type World } from '../helpers/world';

// worklog-to-gl against the sandbox (Industrial): months of hours logged by people in six time zones post as
// balanced journals whose totals are Σ hours × rate; an edit and a deletion after posting become adjusting
// journals and the posted lines stay as they were.

let w: World;
const DAY = 86_400_000;
// Every date here is the world's own (its clock started at TEST_ORIGIN), as the engine's are.
const today = () => w.sandbox.clock.date().toISOString().slice(0, 10);
// From the first day of last month: the sandbox, like a real ledger, has closed the accounting periods before it.
let startDate = '';
let changeDay = '';

beforeAll(async () => {
  w = await openWorld({ poCount: 30, seed: 23 });
  const d = w.sandbox.clock.date();
  startDate = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)).toISOString().slice(0, 10);
  changeDay = new Date(d.getTime() - 25 * DAY).toISOString().slice(0, 10);
}, 120_000);
afterAll(async () => closeWorld(w));

const jira = () => w.sandbox.runtime().jira;
/** Ferry's posted journal lines: GlPostSp3 moves them to the ledger (SLLedgers) under Ferry's journal. */
const journalLines = () => w.sandbox.runtime().ido.rows('SLLedgers').filter((l) => (l.Ref ?? '').startsWith('FL-') && l.FromId === 'FERRY');
const enteredLines = () => w.sandbox.runtime().ido.rows('SLJournals').filter((l) => (l.Ref ?? '').startsWith('FL-'));

/** The rate table the test sets, written out again here so the expectation does not borrow Ferry's resolver. */
let senior = '';
let changer = '';
function rateOf(author: string, day: string): number {
  if (author === senior) return 120;
  if (author === changer) return day >= changeDay ? 101.5 : 85;
  return 85;
}

/** CloudSuite projects that are closed: labour on them is refused (rule: project valid) and waits for a person. */
const closedProjects = () => new Set(w.sandbox.runtime().ido.rows('SLProjs').filter((p) => p.Stat !== 'A').map((p) => p.ProjNum!));

/** Expected cents per issue and period, from the sandbox's own worklogs; `closed` collects the refused groups. */
function expected(closed = new Set<string>()): Map<string, number> {
  const out = new Map<string, number>();
  const issues = new Map(jira().issues.map((i) => [i.id, i]));
  const shut = closedProjects();
  for (const wl of jira().worklogs) {
    const issue = issues.get(wl.issueId)!;
    if (!issue.custom[CF.glAccount]) continue;
    if (shut.has(String(issue.custom[CF.cloudSuiteProject]))) {
      const day = wl.started.slice(0, 10);
      if (day >= startDate && periodPostable(periodOf(day, 'week'), today(), 1)) closed.add(`${issue.key}|${periodOf(day, 'week')}`);
      continue;
    }
    const day = wl.started.slice(0, 10);
    const period = periodOf(day, 'week');
    if (day < startDate || !periodPostable(period, today(), 1)) continue;
    const key = `${issue.key}|${period}`;
    out.set(key, (out.get(key) ?? 0) + Math.round((wl.timeSpentSeconds * rateOf(wl.authorAccountId, day)) / 36));
  }
  return out;
}

function postedCents(): Map<string, number> {
  const out = new Map<string, number>();
  const journals = listLabourJournals(w.engine.profile.db, { state: 'posted' });
  for (const j of journals) {
    const key = `${j.issueKey}|${j.period}`;
    const expense = j.journal.lines.filter((l) => l.account !== '215000').reduce((s, l) => s + Math.round(l.amount * 100), 0);
    out.set(key, (out.get(key) ?? 0) + expense);
  }
  // A group whose only worklog was deleted after posting nets to zero: nothing is owed there.
  for (const [k, v] of out) if (v === 0) out.delete(k);
  return out;
}

async function jiraCall(method: string, path: string, body?: unknown): Promise<number> {
  const creds = JSON.parse(fs.readFileSync(w.sandbox.tenants[w.sandbox.tenant]!.files.jira, 'utf8')) as { baseUrl: string; email: string; apiToken: string };
  const res = await fetch(creds.baseUrl + path, {
    method,
    headers: { Authorization: `Basic ${Buffer.from(`${creds.email}:${creds.apiToken}`).toString('base64')}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.status;
}

describe('worklog-to-gl', () => {
  it('posts balanced journals equal to Σ hours × rate, on the worker’s own day', { timeout: 180_000 }, async () => {
    const workers = jira().users.slice(1);
    senior = workers[0]!.accountId;
    changer = workers[1]!.accountId;
    setMappings(w.engine.profile.db, 'jira-role', [{ key: senior, value: 'Senior consultant' }], 'set');
    setMappings(
      w.engine.profile.db,
      'labour-rate',
      [
        { key: 'role:Senior consultant', value: { rate: 120 } },
        { key: `user:${changer}`, value: { rate: 85 } },
        { key: `user:${changer}@${changeDay}`, value: { rate: 101.5 } },
      ],
      'set',
    );
    setJiraFlowSettings(w.engine.profile.db, { posting: { startDate, period: 'week' } });
    // A Monday 07:30 in Sydney is still Sunday in UTC: the hours belong to the Monday's week.
    const now = w.sandbox.clock.date();
    const monday = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - ((now.getUTCDay() + 6) % 7) - 14)).toISOString().slice(0, 10);
    const shut = closedProjects();
    const open = jira().issues.find((i) => i.custom[CF.glAccount] && !shut.has(String(i.custom[CF.cloudSuiteProject])))!;
    expect(await jiraCall('POST', `/rest/api/3/issue/${open.key}/worklog`, { timeSpentSeconds: 5400, started: `${monday}T07:30:00.000+1000` })).toBe(201);
    await control(w.sandbox, 'POST', '/control/clock/advance', { ms: 120_000 });

    // A preview first: the journals it would post are counted and in the audit trail, nothing reaches CloudSuite.
    const preview = await w.engine.runFlow('worklog-to-gl', { dryRun: true });
    expect(preview.error).toBeNull();
    expect(journalLines()).toHaveLength(0);
    expect(listLabourJournals(w.engine.profile.db)).toHaveLength(0);
    expect(w.engine.profile.db.prepare("SELECT count(*) AS n FROM cursors WHERE flow LIKE 'worklog-to-gl%'").get()).toEqual({ n: 0 });

    const run = await w.engine.runFlow('worklog-to-gl');
    expect(run.error).toBeNull();
    expect(preview.counts.created).toBe(run.counts.created);
    const refused = new Set<string>();
    const want = expected(refused);
    expect(want.size).toBeGreaterThan(5);
    expect(postedCents()).toEqual(want);
    expect(run.counts.created).toBe(want.size);
    // Hours on closed CloudSuite projects wait, one failure per issue and period, with the rule named.
    const waiting = listFailures(w.engine.profile.db, { flow: 'worklog-to-gl' });
    expect(waiting.length).toBe(refused.size);
    for (const f of waiting) expect(f.reason).toMatch(/project \S+ is closed \(rule: project valid\)/);
    expect(run.outcome).toBe(refused.size > 0 ? 'partial' : 'ok');

    // In CloudSuite: every journal balances, and the expense lines add up to the expectation.
    const byRef = new Map<string, number>();
    for (const l of journalLines()) byRef.set(l.Ref!, (byRef.get(l.Ref!) ?? 0) + Math.round(Number(l.DomAmount) * 100));
    expect(byRef.size).toBe(want.size);
    for (const [ref, sum] of byRef) expect(sum, ref).toBe(0);
    const expense = journalLines().filter((l) => l.Acct !== '215000').reduce((s, l) => s + Math.round(Number(l.DomAmount) * 100), 0);
    expect(expense).toBe([...want.values()].reduce((a, b) => a + b, 0));
    expect(enteredLines()).toEqual([]);

    // Several time zones, and a worklog whose UTC date is not the worker's date counts on the worker's day.
    const zones = new Set(jira().worklogs.map((x) => x.started.slice(-5)));
    expect(zones.size).toBeGreaterThanOrEqual(4);
    const held = listLabourJournals(w.engine.profile.db, { state: 'posted' }).flatMap((j) => Object.keys(j.breakdown).map((id) => ({ id, j })));
    const shifted = held.filter(({ id }) => {
      const x = jira().worklogs.find((y) => y.id === id)!;
      return new Date(x.started).toISOString().slice(0, 10) !== workDay(x.started);
    });
    expect(shifted.length).toBeGreaterThan(0);
    for (const { id, j } of shifted) {
      const x = jira().worklogs.find((y) => y.id === id)!;
      expect(j.issueKey).toBe(jira().issues.find((i) => i.id === x.issueId)!.key);
      expect(j.period).toBe(periodOf(workDay(x.started), 'week'));
    }
    console.log(`worklog-to-gl: ${want.size} journals, ${(expense / 100).toFixed(2)} posted, ${run.requests} requests, ${zones.size} UTC offsets`);
  });

  it('changes nothing when run again', { timeout: 60_000 }, async () => {
    const lines = journalLines().length;
    const again = await w.engine.runFlow('worklog-to-gl');
    expect(again.counts.created + again.counts.updated).toBe(0);
    expect(again.error).toBeNull();
    expect(journalLines().length).toBe(lines);
  });

  it('turns an edit and a deletion after posting into adjusting journals; posted lines stay as they were', { timeout: 120_000 }, async () => {
    const posted = listLabourJournals(w.engine.profile.db, { state: 'posted' });
    const ids = posted.flatMap((j) => Object.keys(j.breakdown));
    const [editId, deleteId] = [ids[0]!, ids[ids.length - 1]!];
    const edit = jira().worklogs.find((x) => x.id === editId)!;
    const del = jira().worklogs.find((x) => x.id === deleteId)!;
    const editIssue = jira().issues.find((i) => i.id === edit.issueId)!;
    const delIssue = jira().issues.find((i) => i.id === del.issueId)!;
    const before = new Map(journalLines().map((l) => [l.RowPointer, { ...l }]));

    expect(await jiraCall('PUT', `/rest/api/3/issue/${editIssue.key}/worklog/${edit.id}`, { timeSpentSeconds: edit.timeSpentSeconds + 3600 })).toBe(200);
    expect(await jiraCall('DELETE', `/rest/api/3/issue/${delIssue.key}/worklog/${del.id}`)).toBe(204);
    // Jira's change feeds leave out the last minute: let it pass.
    await control(w.sandbox, 'POST', '/control/clock/advance', { ms: 120_000 });

    const run = await w.engine.runFlow('worklog-to-gl');
    expect(run.error).toBeNull();
    const adjustments = listLabourJournals(w.engine.profile.db).filter((j) => j.kind === 'adjustment');
    expect(adjustments).toHaveLength(editIssue.key === delIssue.key && periodOf(edit.started.slice(0, 10), 'week') === periodOf(del.started.slice(0, 10), 'week') ? 1 : 2);
    for (const a of adjustments) {
      expect(a.reference).toMatch(/-A1$/);
      expect(a.journal.date).toBe(today());
    }
    const moved = (id: string) => adjustments.reduce((s, a) => s + (a.breakdown[id]?.cents ?? 0), 0);
    expect(moved(edit.id)).toBe(costCents(3600, rateOf(edit.authorAccountId, edit.started.slice(0, 10))));
    expect(moved(del.id)).toBe(-costCents(del.timeSpentSeconds, rateOf(del.authorAccountId, del.started.slice(0, 10))));
    // Posted lines are never edited: every line from before is still there, unchanged.
    for (const [rp, line] of before) expect(w.sandbox.runtime().ido.rows('SLLedgers').find((l) => l.RowPointer === rp)).toEqual(line);
    // Ledger and CloudSuite agree again with Σ hours × rate of what Jira now holds.
    expect(postedCents()).toEqual(expected());
    expect(verifyAudit(w.engine.profile.db).ok).toBe(true);
  });

  it('waits with a reason when no rate applies, and posts once the rate is added', { timeout: 120_000 }, async () => {
    const shut = closedProjects();
    const issue = jira().issues.find((i) => i.custom[CF.glAccount] && i.issueTypeId !== '10000' && !shut.has(String(i.custom[CF.cloudSuiteProject])))!;
    const waitingBefore = new Set(listFailures(w.engine.profile.db, { flow: 'worklog-to-gl' }).map((f) => f.id));
    w.engine.profile.db.prepare("DELETE FROM mappings WHERE kind = 'labour-rate' AND source_key = '*'").run();
    // Logged by the integration user (the API's caller), for a day two weeks ago: a late entry in a posted period.
    const started = new Date(w.sandbox.clock.now() - 14 * DAY).toISOString().replace('Z', '+0000');
    expect(await jiraCall('POST', `/rest/api/3/issue/${issue.key}/worklog`, { timeSpentSeconds: 7200, started })).toBe(201);
    await control(w.sandbox, 'POST', '/control/clock/advance', { ms: 120_000 });
    await w.engine.runFlow('worklog-to-gl');
    const fresh = listFailures(w.engine.profile.db, { flow: 'worklog-to-gl' }).filter((f) => !waitingBefore.has(f.id));
    expect(fresh).toHaveLength(1);
    const failure = fresh[0];
    expect(failure?.reason).toMatch(/^No labour rate for Ferry Integration \(712020:[^)]+\) on \d{4}-\d{2}-\d{2} .* Add a row to the labour rate table/);
    setMappings(w.engine.profile.db, 'labour-rate', [{ key: '*', value: { rate: 85 } }], 'set');
    const replay = await w.engine.handlers.replayFailures({ ids: [failure!.id], all: false });
    expect(replay.runs[0]!.error).toBeNull();
    expect(listFailures(w.engine.profile.db, { flow: 'worklog-to-gl' }).map((f) => f.id).sort()).toEqual([...waitingBefore].sort());
    const late = listLabourJournals(w.engine.profile.db).find((j) => j.reference === failure!.sourceKey)!;
    expect(late.state).toBe('posted');
    expect(late.journal.lines.find((l) => l.account !== '215000')!.amount).toBe(170);
  });
});
