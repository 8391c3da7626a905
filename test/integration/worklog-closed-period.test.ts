import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setJiraFlowSettings } from '../../electron/engine/mapping/jira-settings';
import { isoDay } from '../../electron/engine/mapping/periods';
import { getFailure, listFailures } from '../../electron/engine/store/failures';
import { listLabourJournals } from '../../electron/engine/store/labour';
import { periodNameOn, periodOpenOn } from '../helpers/periods';
import { closeWorld, openWorld, type World } from '../helpers/world';

// Labour journals whose period the books have closed (hours posted from three months back): each waits with
// what to do, and one is posted in the open period a person chooses — dated today, its hours unchanged.

let w: World;
beforeAll(async () => {
  w = await openWorld({ poCount: 30, seed: 23 });
  const d = w.sandbox.clock.date();
  // From the first day of the world's month three back: the sandbox's books close two months behind.
  setJiraFlowSettings(w.engine.profile.db, { posting: { startDate: isoDay(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 3, 1)), period: 'week' } });
}, 120_000);
afterAll(async () => closeWorld(w));

/** A journal's posted lines: GlPostSp3 moves them from SLJournals to SLLedgers, under Ferry's journal. */
const journalLines = (ref: string, world = w) => world.sandbox.runtime().ido.rows('SLLedgers').filter((l) => l.Ref === ref && l.FromId === 'FERRY');
const enteredLines = (ref: string, world = w) => world.sandbox.runtime().ido.rows('SLJournals').filter((l) => l.Ref === ref);

describe('worklog-to-gl and closed periods', () => {
  it('holds a journal of a closed period with what to do, and posts it in the open period when a person chooses it', { timeout: 120_000 }, async () => {
    const run = await w.engine.runFlow('worklog-to-gl');
    expect(run.error).toBeNull();
    const today = isoDay(w.sandbox.clock.now());
    const open = periodNameOn(w.sandbox, today)!;
    const held = listFailures(w.engine.profile.db, { flow: 'worklog-to-gl' }).filter((f) => f.reason.includes('(rule: period open)'));
    expect(held.length).toBeGreaterThan(0);
    for (const f of held) {
      const day = /is closed for (\d{4}-\d{2}-\d{2})/.exec(f.reason)![1]!;
      // The journal is dated its week's Sunday, in a month the world's books have closed.
      expect(periodOpenOn(w.sandbox, day)).toBe(false);
      expect(f.reason).toContain(`Post it in the open period ${open} instead ("Post in ${open}" in Needs attention), or reopen period ${periodNameOn(w.sandbox, day)} in CloudSuite, then retry.`);
      expect(journalLines(f.sourceKey)).toEqual([]);
      expect(enteredLines(f.sourceKey)).toEqual([]);
    }

    const [first, ...others] = held;
    const moved = await w.engine.handlers.postInOpenPeriod({ id: first!.id });
    expect(moved).toMatchObject({ openPeriod: open, postingDate: today });
    expect(getFailure(w.engine.profile.db, first!.id)!.state).toBe('replayed');
    const lines = journalLines(first!.sourceKey);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.every((l) => l.TransDate!.startsWith(today.replace(/-/g, '')))).toBe(true);
    expect(enteredLines(first!.sourceKey)).toEqual([]);
    expect(lines.reduce((s, l) => s + Math.round(Number(l.DomAmount) * 100), 0)).toBe(0);
    const journal = listLabourJournals(w.engine.profile.db, { state: 'posted' }).find((j) => j.reference === first!.sourceKey)!;
    expect(journal.journal.date).toBe(today);
    // The others still wait, each for its own choice.
    const still = new Set(listFailures(w.engine.profile.db, { flow: 'worklog-to-gl' }).map((f) => f.sourceKey));
    for (const f of others) expect(still.has(f.sourceKey)).toBe(true);
  });
});

describe('worklog-to-gl when CloudSuite refuses to post', () => {
  let v: World;
  beforeAll(async () => {
    v = await openWorld({ poCount: 30, seed: 29 });
    const d = v.sandbox.clock.date();
    setJiraFlowSettings(v.engine.profile.db, { posting: { startDate: isoDay(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)), period: 'week' } });
  }, 120_000);
  afterAll(async () => closeWorld(v));

  it('keeps a journal GlPostSp3 refuses (ReturnValue 16) in the failures queue with CloudSuite’s reason, and posts it once after the fix', { timeout: 120_000 }, async () => {
    // Someone keys a line by hand into FERRY, the journal set aside for Ferry: posting the journal now posts
    // their unbalanced line too, and CloudSuite refuses the whole journal.
    const { ido } = v.sandbox.runtime();
    const firstOpen = ido.rows('SLPeriods').filter((p) => p.Stat === 'O').sort((a, b) => a.StartDate!.localeCompare(b.StartDate!))[0]!;
    const stray = ido.insert('SLJournals', { Id: 'FERRY', Seq: '9999', TransDate: firstOpen.StartDate!, Acct: '650500', AcctUnit1: 'CC500', DomAmount: '12.34000000', Ref: 'BY HAND' });

    const run = await v.engine.runFlow('worklog-to-gl');
    expect(run.error).toBeNull();
    const refused = listFailures(v.engine.profile.db, { flow: 'worklog-to-gl' }).filter((f) => f.code === 'ido_method_failed');
    expect(refused.length).toBeGreaterThan(0);
    for (const f of refused) {
      expect(f.reason).toBe("CloudSuite refused SLJournals.GlPostSp3: Journal 'FERRY' is out of balance by 12.34 (debits exceed credits).");
      // Entered, not posted, and Ferry does not count it as posted.
      expect(journalLines(f.sourceKey, v)).toEqual([]);
      expect(enteredLines(f.sourceKey, v).length).toBeGreaterThanOrEqual(2);
      expect(listLabourJournals(v.engine.profile.db, { state: 'posted' }).some((j) => j.reference === f.sourceKey)).toBe(false);
    }

    // The stray line is removed in CloudSuite; replaying posts each refused journal once, balanced.
    ido.delete('SLJournals', stray.RowPointer!);
    await v.engine.handlers.replayFailures({ ids: refused.map((f) => f.id), all: false });
    expect(listFailures(v.engine.profile.db, { flow: 'worklog-to-gl' }).filter((f) => f.code === 'ido_method_failed')).toEqual([]);
    for (const f of refused) {
      const lines = journalLines(f.sourceKey, v);
      expect(lines.length).toBeGreaterThanOrEqual(2);
      expect(lines.reduce((s, l) => s + Math.round(Number(l.DomAmount) * 100), 0)).toBe(0);
      expect(enteredLines(f.sourceKey, v)).toEqual([]);
    }
    expect(ido.rows('SLLedgers').filter((l) => l.Ref === 'BY HAND')).toEqual([]);
    // Nothing posted twice: a second run changes nothing.
    const before = ido.rows('SLLedgers').length;
    expect((await v.engine.runFlow('worklog-to-gl')).counts.created).toBe(0);
    expect(ido.rows('SLLedgers').length).toBe(before);
  });
});
