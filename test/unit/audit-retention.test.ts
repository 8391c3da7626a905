import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AUDIT_ANCHOR_KEY, AUDIT_PURGING_KEY, listAudit } from '../../electron/engine/store/audit';
import {
  auditRetentionDays,
  DEFAULT_RETENTION_DAYS,
  purgeAudit,
  setAuditRetentionDays,
} from '../../electron/engine/store/audit-retention';
import { verifyAudit } from '../../electron/engine/store/audit-verify';
import { rememberVerified, verifiedPoint } from '../../electron/engine/store/audit-verify-point';
import type { Profile } from '../../electron/engine/store/profile';
import { auditedRun, count, dropAuditGuards, openAuditProfile } from '../helpers/audit';

const DAY = 86_400_000;
const T0 = Date.parse('2026-01-05T09:00:00.000Z');

let ctx: Awaited<ReturnType<typeof openAuditProfile>>;
let profile: Profile;
beforeEach(async () => {
  ctx = await openAuditProfile();
  profile = ctx.profile;
  // Only the clock is faked, so events can be written "100 days ago" by moving it.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
});
afterEach(() => {
  vi.useRealTimers();
  ctx.close();
});

const at = (ms: number) => vi.setSystemTime(ms);
const setting = (key: string) => (profile.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined)?.value;

describe('audit retention setting', () => {
  it('defaults to 2555 days (about 7 years) and keeps a valid new value', () => {
    expect(auditRetentionDays(profile.db)).toBe(DEFAULT_RETENTION_DAYS);
    expect(setAuditRetentionDays(profile.db, 400)).toBe(400);
    expect(auditRetentionDays(profile.db)).toBe(400);
  });

  it('refuses fewer than 30 days, fractions and absurd values with a sentence, keeping the old value', () => {
    setAuditRetentionDays(profile.db, 400);
    for (const bad of [29, 0, -5, 90.5, 100_000]) {
      expect(() => setAuditRetentionDays(profile.db, bad)).toThrow(/whole number of days from 30 to 36500/);
    }
    expect(auditRetentionDays(profile.db)).toBe(400);
  });

  it('falls back to the default when the stored value was damaged by hand', () => {
    profile.db.prepare("INSERT INTO settings (key, value) VALUES ('audit.retentionDays', '7')").run();
    expect(auditRetentionDays(profile.db)).toBe(DEFAULT_RETENTION_DAYS);
  });
});

describe('purgeAudit', () => {
  it('removes only the events older than the retention, records the purge, and the trail still verifies', () => {
    setAuditRetentionDays(profile.db, 30);
    const old = auditedRun(profile.db, 3);
    at(T0 + 100 * DAY);
    const recent = auditedRun(profile.db, 2);
    const now = new Date(T0 + 110 * DAY);
    at(now.getTime());

    const result = purgeAudit(profile.db, now);
    const cutoff = new Date(now.getTime() - 30 * DAY).toISOString();
    expect(result).toMatchObject({ deleted: 3, cutoff, retentionDays: 30 });
    expect(listAudit(profile.db, { limit: 10 }).map((e) => e.id)).toEqual([result.eventId, ...recent.ids.slice().reverse()]);

    const [event] = listAudit(profile.db, { limit: 1, flow: 'audit' });
    expect(event).toMatchObject({ action: 'retention', outcome: 'ok', sourceKey: `#${old.ids[0]}–#${old.ids[2]}` });
    expect(event!.reason).toBe(`Removed 3 audit events recorded before ${cutoff} (kept for 30 days).`);

    expect(JSON.parse(setting(AUDIT_ANCHOR_KEY)!)).toMatchObject({ id: recent.ids[0], prevHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(setting(AUDIT_PURGING_KEY)).toBeUndefined();
    const check = verifyAudit(profile.db);
    expect(check).toMatchObject({ ok: true, checked: 3, problem: null });
    expect(check.message).toBe(`The audit trail is intact: 3 events checked, from event #${recent.ids[0]} on (older events were removed by retention).`);
  });

  it('closes the delete path again: outside a purge rows still cannot be deleted', () => {
    setAuditRetentionDays(profile.db, 30);
    auditedRun(profile.db, 2);
    at(T0 + 40 * DAY);
    auditedRun(profile.db, 1);
    purgeAudit(profile.db, new Date(T0 + 40 * DAY));
    expect(() => profile.db.prepare('DELETE FROM audit_events').run()).toThrow(/append-only/);
    expect(count(profile.db)).toBe(2);
  });

  it('does nothing, and records nothing, when no event is due', () => {
    auditedRun(profile.db, 2);
    expect(purgeAudit(profile.db, new Date(T0 + DAY))).toMatchObject({ deleted: 0, eventId: null, anchor: null });
    expect(count(profile.db)).toBe(2);
    expect(verifyAudit(profile.db)).toMatchObject({ ok: true, checked: 2 });
  });

  it('keeps its own record when every event is due, and purges again later on the new anchor', () => {
    setAuditRetentionDays(profile.db, 30);
    auditedRun(profile.db, 4);
    at(T0 + 60 * DAY);
    const first = purgeAudit(profile.db, new Date(T0 + 60 * DAY));
    expect(first.deleted).toBe(4);
    expect(count(profile.db)).toBe(1);
    expect(verifyAudit(profile.db)).toMatchObject({ ok: true, checked: 1 });

    at(T0 + 70 * DAY);
    const later = auditedRun(profile.db, 2);
    at(T0 + 120 * DAY);
    const newest = auditedRun(profile.db, 1);
    const second = purgeAudit(profile.db, new Date(T0 + 120 * DAY));
    expect(second.deleted).toBe(3); // the first retention event and the run 50 days later
    expect(second.anchor).toMatchObject({ id: newest.ids[0] });
    expect(listAudit(profile.db, { limit: 10 }).map((e) => e.id)).not.toContain(later.ids[0]);
    expect(verifyAudit(profile.db)).toMatchObject({ ok: true, checked: 2 });
  });

  it('is one transaction: when a step fails nothing is removed and the delete path stays closed', () => {
    setAuditRetentionDays(profile.db, 30);
    auditedRun(profile.db, 3);
    profile.db.exec(`CREATE TRIGGER fail_anchor BEFORE INSERT ON settings WHEN NEW.key = '${AUDIT_ANCHOR_KEY}'
      BEGIN SELECT RAISE(ABORT, 'disk trouble'); END`);
    at(T0 + 60 * DAY);
    expect(() => purgeAudit(profile.db, new Date(T0 + 60 * DAY))).toThrow(/disk trouble/);
    expect(count(profile.db)).toBe(3);
    expect(setting(AUDIT_PURGING_KEY)).toBeUndefined();
    expect(listAudit(profile.db, { limit: 10, flow: 'audit' })).toEqual([]);
    expect(verifyAudit(profile.db).ok).toBe(true);
  });

  it('refuses to purge a trail that fails verification, so the evidence stays', () => {
    setAuditRetentionDays(profile.db, 30);
    const { ids } = auditedRun(profile.db, 3);
    dropAuditGuards(profile.db);
    profile.db.prepare("UPDATE audit_events SET reason = 'quietly changed' WHERE id = ?").run(ids[1]);
    profile.db.exec(`CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
      WHEN (SELECT value FROM settings WHERE key = 'audit.purging') IS NULL
      BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END`);
    at(T0 + 60 * DAY);
    expect(() => purgeAudit(profile.db, new Date(T0 + 60 * DAY))).toThrow(
      new RegExp(`will not remove old audit events while the trail fails verification. Event #${ids[1]} was changed`),
    );
    expect(count(profile.db)).toBe(3);
  });

  describe('after a purge, verification still catches', () => {
    function purged() {
      setAuditRetentionDays(profile.db, 30);
      auditedRun(profile.db, 3);
      at(T0 + 100 * DAY);
      const kept = auditedRun(profile.db, 3);
      at(T0 + 110 * DAY);
      const result = purgeAudit(profile.db, new Date(T0 + 110 * DAY));
      at(T0 + 111 * DAY);
      const after = auditedRun(profile.db, 2);
      dropAuditGuards(profile.db);
      return { kept, result, after };
    }

    it('the first kept event removed', () => {
      const { kept } = purged();
      profile.db.prepare('DELETE FROM audit_events WHERE id = ?').run(kept.ids[0]);
      const r = verifyAudit(profile.db);
      expect(r).toMatchObject({ ok: false, problem: 'missing', firstBadId: kept.ids[1] });
      expect(r.message).toBe(`The oldest kept events are missing: the trail should start at event #${kept.ids[0]} but starts at event #${kept.ids[1]}.`);
    });

    it('an edited kept event', () => {
      const { kept } = purged();
      profile.db.prepare("UPDATE audit_events SET outcome = 'skipped' WHERE id = ?").run(kept.ids[2]);
      expect(verifyAudit(profile.db)).toMatchObject({ ok: false, problem: 'edited', firstBadId: kept.ids[2] });
    });

    it('the newest events cut off back past the purge, even with the id counter wound back', () => {
      const { kept, result } = purged();
      profile.db.prepare('DELETE FROM audit_events WHERE id >= ?').run(result.eventId);
      profile.db.prepare(`UPDATE sqlite_sequence SET seq = ? WHERE name = 'audit_events'`).run(kept.ids[2]);
      const r = verifyAudit(profile.db);
      expect(r).toMatchObject({ ok: false, problem: 'truncated', firstBadId: result.eventId });
      expect(r.message).toContain('the event that recorded the last retention is no longer in the trail');
    });

    it('the newest events cut off back past the purge, when the check resumes from a point before it', () => {
      const { kept, result } = purged();
      expect(verifiedPoint(profile.db)).toMatchObject({ id: kept.ids[2] });
      profile.db.prepare('DELETE FROM audit_events WHERE id >= ?').run(result.eventId);
      profile.db.prepare(`UPDATE sqlite_sequence SET seq = ? WHERE name = 'audit_events'`).run(kept.ids[2]);
      const r = verifyAudit(profile.db, { resume: true });
      expect(r).toMatchObject({ ok: false, problem: 'truncated', firstBadId: result.eventId, checked: 0, scope: 'resumed' });
      expect(r.message).toContain('the event that recorded the last retention is no longer in the trail');
    });

    it('the last run cut off', () => {
      const { after } = purged();
      profile.db.prepare('DELETE FROM audit_events WHERE id >= ?').run(after.ids[0]);
      profile.db.prepare(`UPDATE sqlite_sequence SET seq = ? WHERE name = 'audit_events'`).run(after.ids[0]! - 1);
      const r = verifyAudit(profile.db);
      expect(r).toMatchObject({ ok: false, problem: 'truncated', firstBadId: after.ids[0] });
      expect(r.message).toContain(`the last event of run ${after.runId}`);
    });
  });

  describe('and the point the last check reached', () => {
    it('a point above the removed events stands for the kept ones only, and the next check resumes from it', () => {
      setAuditRetentionDays(profile.db, 30);
      auditedRun(profile.db, 3);
      at(T0 + 100 * DAY);
      const recent = auditedRun(profile.db, 2);
      at(T0 + 110 * DAY);
      purgeAudit(profile.db, new Date(T0 + 110 * DAY));
      // The purge's own full check remembered the newest event before its record; the 3 below it are gone.
      expect(verifiedPoint(profile.db)).toMatchObject({ id: recent.ids[1], checked: 2 });

      at(T0 + 111 * DAY);
      const after = auditedRun(profile.db, 1);
      expect(verifyAudit(profile.db, { resume: true })).toMatchObject({ ok: true, scope: 'resumed', checked: 2, resumedAfter: { id: recent.ids[1], checked: 2 } });
      expect(verifiedPoint(profile.db)).toMatchObject({ id: after.ids[0], checked: 4 });
      // Resuming past the retention event finds it by its hash instead of walking it.
      expect(verifyAudit(profile.db, { resume: true })).toMatchObject({ ok: true, scope: 'resumed', checked: 0 });
      expect(verifyAudit(profile.db)).toMatchObject({ ok: true, scope: 'full', checked: 4 });
    });

    it('a point among the removed events goes with them, and the next check is full from the new start', () => {
      setAuditRetentionDays(profile.db, 30);
      auditedRun(profile.db, 4);
      at(T0 + 60 * DAY);
      purgeAudit(profile.db, new Date(T0 + 60 * DAY));
      expect(verifiedPoint(profile.db)).toBeNull();
      expect(verifyAudit(profile.db, { resume: true })).toMatchObject({ ok: true, scope: 'full', checked: 1 });
    });

    it('a point left below the new start (put back by hand) is not resumed from: the check is full from the anchor', () => {
      setAuditRetentionDays(profile.db, 30);
      auditedRun(profile.db, 3);
      verifyAudit(profile.db);
      const stale = verifiedPoint(profile.db)!;
      at(T0 + 100 * DAY);
      const recent = auditedRun(profile.db, 2);
      at(T0 + 110 * DAY);
      purgeAudit(profile.db, new Date(T0 + 110 * DAY));
      rememberVerified(profile.db, stale);
      const r = verifyAudit(profile.db, { resume: true });
      expect(r).toMatchObject({ ok: true, scope: 'full', checked: 3 });
      expect(r.message).toContain(`from event #${recent.ids[0]} on (older events were removed by retention)`);
    });
  });
});
