import type { GlJournal } from '../../../shared/domain';
import { FerryError } from '../../../shared/errors';
import type { CloudSuiteAdapter } from '../connectors/cloudsuite/adapter';
import { labourJournal, labourReference, periodLastDay, periodPostable, type CodedDelta, type JournalSettings } from '../mapping/labour';
import { assertValid, loadValidationContext, validateJournal } from '../mapping/validate';
import { PeriodBook, periodSource } from '../mapping/periods';
import {
  getLabourJournal,
  journalsOfGroup,
  labourGroups,
  markJournalPosted,
  pendingJournals,
  postedByWorklog,
  saveNettedJournal,
  savePendingJournal,
  worklogsOfGroup,
  type Breakdown,
  type LabourJournal,
} from '../store/labour';
import { appendAudit } from '../store/audit';
import { postingDateOf } from '../store/posting-dates';
import type { FlowContext } from '../sync/flow-context';
import { syncRecord } from '../sync/record';

// Posting labour cost: per issue and period, "what the worklogs should cost now" minus "what Ferry posted"
// becomes one balanced journal. The first is the original (dated the period's last day); any later change —
// a worklog edited, deleted or logged late — becomes an adjusting journal dated the day of the posting, so a
// posted journal is never edited (sync rule 5). Each journal's intent is saved before it is sent; after a
// crash the same reference is looked up in CloudSuite and adopted, never posted a second time.

const SOURCE = 'jira';
const TARGET = 'cloudsuite';
const RECORD = 'labour journal';

export interface PostingDeps {
  cloudsuite: CloudSuiteAdapter;
  settings: JournalSettings & { delayDays: number };
  /** Today's date (UTC, yyyy-mm-dd): adjustments are dated the day they are posted. */
  today: string;
}

/** Sends a journal whose intent is saved, as one record: found by reference first, posted at most once. */
async function sendJournal(ctx: FlowContext, deps: PostingDeps, j: { reference: string; journal: GlJournal; carriedOver: boolean }, replayOf: number | null): Promise<void> {
  const lookup = deps.cloudsuite.supports.journalLookup;
  const outcome = await syncRecord(ctx, {
    recordType: RECORD,
    sourceSystem: SOURCE,
    sourceKey: j.reference,
    targetSystem: TARGET,
    replayOf,
    map: () => {
      if (j.carriedOver && !lookup && replayOf === null) {
        // M3 cannot read a journal back: whether the interrupted post arrived is for a person to check.
        throw new FerryError(
          'journal_uncertain',
          `Ferry was interrupted while posting journal ${j.reference}, and CloudSuite M3 cannot be asked whether it arrived. Look for batch ${j.reference} in M3 (GLS840MI interface): if it is not there, press Retry to post it; if it is, press Ignore with a note.`,
        );
      }
      return j.journal;
    },
    // Identity before write is the adapter's: its post looks the reference up first and adopts a posted
    // journal, completes one whose lines are in but not posted, and enters nothing twice (Industrial). Where it
    // cannot look (M3), a journal interrupted in an earlier run is held for a person above.
    create: async (journal) => {
      const posted = await deps.cloudsuite.postGlJournal(journal);
      return { targetId: posted.reference, targetStatus: posted.posted ? 'posted' : 'entered' };
    },
  });
  if (!ctx.dryRun && (outcome === 'created' || outcome === 'updated' || outcome === 'unchanged')) markJournalPosted(ctx.db, j.reference);
}

/** Journals saved as intents by an earlier run (or this one) that are not known to be posted yet. */
export async function postPending(ctx: FlowContext, deps: PostingDeps, replayOf: Map<string, number> = new Map()): Promise<void> {
  for (const p of pendingJournals(ctx.db)) {
    await sendJournal(ctx, deps, { reference: p.reference, journal: p.journal, carriedOver: p.runId !== ctx.runId }, replayOf.get(p.reference) ?? null);
  }
}

interface Plan {
  reference: string;
  kind: LabourJournal['kind'];
  journal: GlJournal;
  breakdown: Breakdown;
}

/** What a group still needs: null when Ferry has posted exactly what the worklogs cost now. */
function plan(ctx: FlowContext, deps: PostingDeps, issueKey: string, period: string, journals: LabourJournal[]): Plan | null {
  const posted = postedByWorklog(journals);
  const breakdown: Breakdown = {};
  const deltas: CodedDelta[] = [];
  const missingRate: string[] = [];
  let missingCoding: string | null = null;
  for (const w of worklogsOfGroup(ctx.db, issueKey, period)) {
    const was = posted.get(w.worklogId) ?? { seconds: 0, cents: 0 };
    const seconds = w.deleted ? 0 : w.seconds;
    if (!w.deleted && w.amountCents === null) {
      missingRate.push(`${w.authorName ?? 'Jira user'} (${w.author}) on ${w.day}`);
      continue;
    }
    const cents = w.deleted ? 0 : w.amountCents!;
    if (seconds === was.seconds && cents === was.cents) continue;
    if (!w.account) {
      missingCoding ??= `${issueKey} has no GL account: it names no CloudSuite PO or GL account Ferry can post its hours to`;
      continue;
    }
    breakdown[w.worklogId] = { seconds: seconds - was.seconds, cents: cents - was.cents };
    deltas.push({ account: w.account, costCenter: w.costCenter, project: w.project, seconds: seconds - was.seconds, cents: cents - was.cents });
  }
  const sequence = journals.length;
  const reference = labourReference(issueKey, period, sequence);
  if (missingRate.length > 0) {
    const shown = [...new Set(missingRate)].slice(0, 3).join('; ');
    throw new PlanError(
      reference,
      new FerryError('rate_missing', `No labour rate for ${shown}${missingRate.length > 3 ? ` and ${missingRate.length - 3} more` : ''} (issue ${issueKey}, ${period}). Add a row to the labour rate table (Mappings → labour rates), then Retry.`),
    );
  }
  if (missingCoding) throw new PlanError(reference, new FerryError('coding_missing', `${missingCoding}. Put the CloudSuite PO number or a GL account and cost center on the issue, or set the default labour account, then Retry.`));
  if (deltas.length === 0) return null;
  const adjustment = journals.some((j) => j.kind !== 'netted' && j.state !== 'abandoned');
  // A person may have chosen an open period for a journal whose own period closed before it could post.
  const date = postingDateOf(ctx.db, ctx.flow, reference) ?? (adjustment ? deps.today : periodLastDay(period));
  const journal = labourJournal({ reference, date, issueKey, period, adjustment, deltas, settings: deps.settings });
  return { reference, kind: journal.lines.length === 0 ? 'netted' : adjustment ? 'adjustment' : 'original', journal, breakdown };
}

class PlanError extends Error {
  constructor(
    readonly reference: string,
    readonly error: FerryError,
  ) {
    super(error.message);
  }
}

/** Posts every group whose period is over and whose cost changed since it was last posted. */
export async function postGroups(ctx: FlowContext, deps: PostingDeps, replayOf: Map<string, number> = new Map()): Promise<void> {
  // CloudSuite is asked about each journal date once per run, and about today (where a late journal could go).
  const periods = new PeriodBook(periodSource(deps.cloudsuite));
  await periods.load([deps.today]);
  const validation = loadValidationContext(ctx.db, deps.today, periods);
  let processed = 0;
  for (const { issueKey, period } of labourGroups(ctx.db)) {
    if (!periodPostable(period, deps.today, deps.settings.delayDays)) continue;
    const journals = journalsOfGroup(ctx.db, issueKey, period);
    // A journal of this group is still in flight (its post failed): it goes first, alone.
    if (journals.some((j) => j.state === 'pending')) continue;
    let p: Plan | null;
    try {
      p = plan(ctx, deps, issueKey, period, journals);
    } catch (err) {
      if (!(err instanceof PlanError)) throw err;
      const e = err;
      await syncRecord(ctx, { recordType: RECORD, sourceSystem: SOURCE, sourceKey: e.reference, targetSystem: TARGET, replayOf: replayOf.get(e.reference) ?? null, map: () => { throw e.error; }, create: () => Promise.reject(e.error) });
      continue;
    }
    if (!p) continue;
    const plan_ = p;
    if (plan_.kind === 'netted') {
      if (ctx.dryRun) continue;
      ctx.db.transaction(() => {
        saveNettedJournal(ctx.db, { reference: plan_.reference, issueKey, period, journal: plan_.journal, breakdown: plan_.breakdown, runId: ctx.runId });
        appendAudit(ctx.db, { runId: ctx.runId, flow: ctx.flow, recordType: RECORD, sourceSystem: SOURCE, sourceKey: plan_.reference, targetSystem: TARGET, action: 'net', outcome: 'skipped', reason: 'The changes to these worklogs cost nothing in total: no journal is needed.', capture: { payload: plan_.breakdown } });
      })();
      continue;
    }
    try {
      await periods.load([plan_.journal.date]);
      assertValid(validateJournal(validation, plan_.journal));
    } catch (err) {
      const e = err as FerryError;
      await syncRecord(ctx, { recordType: RECORD, sourceSystem: SOURCE, sourceKey: plan_.reference, targetSystem: TARGET, replayOf: replayOf.get(plan_.reference) ?? null, map: () => { throw e; }, create: () => Promise.reject(e) });
      continue;
    }
    // The intent first: from here on, this reference is what gets looked up and posted, whatever happens.
    if (!ctx.dryRun && !getLabourJournal(ctx.db, plan_.reference)) {
      savePendingJournal(ctx.db, { reference: plan_.reference, issueKey, period, kind: plan_.kind, journal: plan_.journal, breakdown: plan_.breakdown, runId: ctx.runId });
    }
    await sendJournal(ctx, deps, { reference: plan_.reference, journal: plan_.journal, carriedOver: false }, replayOf.get(plan_.reference) ?? null);
    ctx.progress({ page: 0, processed: ++processed });
  }
}
