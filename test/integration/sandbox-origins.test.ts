import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FlowName } from '../../shared/api';
import { setJiraFlowSettings } from '../../electron/engine/mapping/jira-settings';
import { isoDay } from '../../electron/engine/mapping/periods';
import { listFailures } from '../../electron/engine/store/failures';
import { listLabourJournals } from '../../electron/engine/store/labour';
import { maskReason } from '../../electron/engine/sync/failure-triage';
import { periodNameOn, periodOpenOn } from '../helpers/periods';
import { closeWorld, openWorld, TEST_ORIGIN, type World } from '../helpers/world';

// The same seed gives the same world on any day: the key flows run against worlds that start at awkward
// instants — the last second of a month, the first of the next, a 29 February, the day before the books
// close another month, and the hour European workers' clocks go forward — and end the same way. Nothing
// here reads the wall clock: each world's dates, periods and "today" are its own.

const ORIGINS: [string, string][] = [
  ['the last second of a month', '2027-01-31T23:59:59.000Z'],
  ['the first instant of a month', '2027-02-01T00:00:00.000Z'],
  ['a 29 February', '2028-02-29T12:00:00.000Z'],
  ['the day before another month closes', '2027-04-30T22:00:00.000Z'],
  ['the hour Berlin and London switch to summer time', '2027-03-28T01:00:00.000Z'],
  ['the hour New York falls back, on the first of a month', '2026-11-01T06:00:00.000Z'],
];

const FLOWS: FlowName[] = ['po-to-jaggaer', 'supplier-sync', 'invoice-to-cloudsuite', 'invoice-to-jaggaer', 'po-to-jira'];
const DAY = 86_400_000;

/** What a finance person would compare: per flow, its counts and what waits in Needs attention (record and reason, dates masked). */
interface Outcome {
  counts: Record<string, unknown>;
  waiting: string[];
  lateInvoice: { key: string; postedIn: string; keptDate: boolean };
}

let w: World | null = null;
afterEach(async () => {
  if (w) await closeWorld(w);
  w = null;
});

async function outcomeAt(origin: Date): Promise<Outcome> {
  w = await openWorld({ origin, seed: 7, poCount: 30 });
  const { engine, sandbox } = w;
  expect(sandbox.clock.now() - origin.getTime()).toBeLessThan(60_000);
  const counts: Record<string, unknown> = {};
  for (const flow of FLOWS) {
    const run = await engine.runFlow(flow);
    expect(run.error, `${flow} at ${origin.toISOString()}`).toBeNull();
    counts[flow] = run.counts;
  }
  const waiting = listFailures(engine.profile.db, {})
    .map((f) => `${f.flow} ${f.sourceKey}: ${maskReason(f.reason)}`)
    .sort();

  // The invoice dated in a closed period on purpose: held, then posted in today's open period from Needs attention.
  const { groups } = await engine.handlers.listFailureGroups({ limit: 500 });
  const held = groups.filter((g) => g.rule === 'period open').flatMap((g) => g.failures);
  expect(held).toHaveLength(1);
  const late = held[0]!;
  const today = isoDay(sandbox.clock.now());
  expect(late.periodFix).toMatchObject({ openPeriod: periodNameOn(sandbox, today), postingDate: today });
  expect(periodOpenOn(sandbox, late.periodFix!.recordDate)).toBe(false);
  const moved = await engine.handlers.postInOpenPeriod({ id: late.id });
  expect(moved.runs[0]!.counts).toMatchObject({ created: 1, failed: 0 });
  const invoiceId = late.sourceKey.replace('JAG-INV-', '');
  const voucher = sandbox.runtime().ido.find('SLAptrxps', (v) => v.Ref === `FERRY:JAG-INV-${invoiceId}`)!;
  const lateInvoice = {
    key: late.sourceKey,
    postedIn: voucher.DistDate!.slice(0, 8) === today.replace(/-/g, '') ? 'today' : voucher.DistDate!,
    keptDate: voucher.InvDate!.slice(0, 8) === late.periodFix!.recordDate.replace(/-/g, ''),
  };
  return { counts, waiting, lateInvoice };
}

/** Hours since four weeks before the origin post as balanced journals, each in an open period of the world. */
async function labourAt(origin: Date): Promise<void> {
  const { engine, sandbox } = w!;
  setJiraFlowSettings(engine.profile.db, { posting: { startDate: isoDay(origin.getTime() - 28 * DAY), period: 'week' } });
  const run = await engine.runFlow('worklog-to-gl');
  expect(run.error).toBeNull();
  expect(run.counts.created).toBeGreaterThan(0);
  const reasons = listFailures(engine.profile.db, { flow: 'worklog-to-gl' }).map((f) => f.reason);
  // What may wait is the world's own data (closed projects, issues with nothing to post to), never a period.
  for (const r of reasons) expect(r).toMatch(/\(rule: project valid\)|has no GL account/);
  // Posted journal lines are in the ledger under Ferry's journal; none is left entered.
  const lines = sandbox.runtime().ido.rows('SLLedgers').filter((l) => (l.Ref ?? '').startsWith('FL-') && l.FromId === 'FERRY');
  expect(lines.length).toBeGreaterThan(0);
  expect(sandbox.runtime().ido.rows('SLJournals').filter((l) => (l.Ref ?? '').startsWith('FL-'))).toEqual([]);
  for (const l of lines) expect(periodOpenOn(sandbox, `${l.TransDate!.slice(0, 4)}-${l.TransDate!.slice(4, 6)}-${l.TransDate!.slice(6, 8)}`), l.Ref!).toBe(true);
  const sums = new Map<string, number>();
  for (const l of lines) sums.set(l.Ref!, (sums.get(l.Ref!) ?? 0) + Math.round(Number(l.DomAmount) * 100));
  for (const [ref, sum] of sums) expect(sum, ref).toBe(0);
  expect(listLabourJournals(engine.profile.db, { state: 'posted' })).toHaveLength(sums.size);
}

describe('the sample world on awkward days', () => {
  // The same seed started at the tests' usual origin (an ordinary afternoon in November) is the yardstick.
  let reference: Outcome;
  beforeAll(async () => {
    reference = await outcomeAt(TEST_ORIGIN);
    await closeWorld(w!);
    w = null;
    // The yardstick itself must show every case: POs sent, invoices posted and held, suppliers, Jira issues.
    for (const flow of FLOWS) expect((reference.counts[flow] as { created: number }).created, flow).toBeGreaterThan(0);
    expect(reference.waiting.length).toBeGreaterThan(1);
  }, 120_000);

  for (const [what, iso] of ORIGINS) {
    it(`starting at ${what} (${iso}), ends as on any other day`, { timeout: 120_000 }, async () => {
      const origin = new Date(iso);
      const outcome = await outcomeAt(origin);
      expect(outcome.lateInvoice).toMatchObject({ postedIn: 'today', keptDate: true });
      expect(outcome).toEqual(reference);
      await labourAt(origin);
    });
  }
});
