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

const journalLines = (ref: string) => w.sandbox.runtime().ido.rows('SLJournals').filter((l) => l.Ref === ref);

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
    }

    const [first, ...others] = held;
    const moved = await w.engine.handlers.postInOpenPeriod({ id: first!.id });
    expect(moved).toMatchObject({ openPeriod: open, postingDate: today });
    expect(getFailure(w.engine.profile.db, first!.id)!.state).toBe('replayed');
    const lines = journalLines(first!.sourceKey);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.every((l) => l.TransDate!.startsWith(today.replace(/-/g, '')) && l.Posted === '1')).toBe(true);
    expect(lines.reduce((s, l) => s + Math.round(Number(l.DomAmount) * 100), 0)).toBe(0);
    const journal = listLabourJournals(w.engine.profile.db, { state: 'posted' }).find((j) => j.reference === first!.sourceKey)!;
    expect(journal.journal.date).toBe(today);
    // The others still wait, each for its own choice.
    const still = new Set(listFailures(w.engine.profile.db, { flow: 'worklog-to-gl' }).map((f) => f.sourceKey));
    for (const f of others) expect(still.has(f.sourceKey)).toBe(true);
  });
});
