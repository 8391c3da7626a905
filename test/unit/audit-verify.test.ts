import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendAudit, auditRowHash, setRunAuditHead, type AuditRow } from '../../electron/engine/store/audit';
import { verifyAudit } from '../../electron/engine/store/audit-verify';
import type { Profile } from '../../electron/engine/store/profile';
import { finishRun, startRun, zeroCounts } from '../../electron/engine/store/runs';
import { auditedRun, auditEvent, count, dropAuditGuards, openAuditProfile } from '../helpers/audit';

let ctx: Awaited<ReturnType<typeof openAuditProfile>>;
let profile: Profile;
beforeEach(async () => {
  ctx = await openAuditProfile();
  profile = ctx.profile;
});
afterEach(() => ctx.close());

const head = (runId: string) => (profile.db.prepare('SELECT audit_head FROM runs WHERE id = ?').get(runId) as { audit_head: string | null }).audit_head;
const hashOf = (id: number) => (profile.db.prepare('SELECT hash FROM audit_events WHERE id = ?').get(id) as { hash: string }).hash;

describe('run audit heads', () => {
  it("records the hash of the run's own last event, not another run's or a later one", () => {
    const a = startRun(profile.db, 'po-to-jaggaer');
    const ids = [1, 2, 3].map((i) => appendAudit(profile.db, auditEvent(i, { runId: a.runId })));
    appendAudit(profile.db, auditEvent(9, { runId: null })); // written meanwhile by something else
    finishRun(profile.db, a.runId, { outcome: 'ok', counts: zeroCounts(), requests: 0, waitedMs: 0, error: null });
    expect(setRunAuditHead(profile.db, a.runId)).toBe(hashOf(ids[2]!));
    expect(head(a.runId)).toBe(hashOf(ids[2]!));
  });

  it('leaves the head empty for a run that wrote nothing, and verification still passes', () => {
    auditedRun(profile.db, 2);
    const { runId } = auditedRun(profile.db, 0);
    expect(head(runId)).toBeNull();
    expect(verifyAudit(profile.db)).toMatchObject({ ok: true, checked: 2 });
  });
});

describe('verifyAudit', () => {
  it('passes an untouched trail of several runs and says so in a sentence', () => {
    auditedRun(profile.db, 3);
    auditedRun(profile.db, 4);
    expect(verifyAudit(profile.db)).toEqual({ ok: true, checked: 7, firstBadId: null, problem: null, message: 'The audit trail is intact: 7 events checked.' });
  });

  it('finds an edited row (trigger dropped, hash left alone)', () => {
    const { ids } = auditedRun(profile.db, 5);
    dropAuditGuards(profile.db);
    profile.db.prepare("UPDATE audit_events SET target_key = 'J-999' WHERE id = ?").run(ids[3]);
    const r = verifyAudit(profile.db);
    expect(r).toMatchObject({ ok: false, problem: 'edited', firstBadId: ids[3], checked: 3 });
    expect(r.message).toBe(`Event #${ids[3]} was changed after it was written: its contents no longer match its hash. 3 events before it check out.`);
  });

  it('finds an edited row whose hash was recomputed, from the next row that no longer points back to it', () => {
    const { ids } = auditedRun(profile.db, 5);
    dropAuditGuards(profile.db);
    const row = profile.db.prepare('SELECT * FROM audit_events WHERE id = ?').get(ids[1]) as AuditRow;
    const forged = { ...row, reason: 'approved by phone' };
    profile.db.prepare('UPDATE audit_events SET reason = ?, hash = ? WHERE id = ?').run(forged.reason, auditRowHash(forged), row.id);
    const r = verifyAudit(profile.db);
    expect(r).toMatchObject({ ok: false, problem: 'edited', firstBadId: ids[1], checked: 1 });
    expect(r.message).toContain(`event #${ids[2]} no longer points back to it`);
  });

  it('finds rows removed from the middle and names the gap', () => {
    const { ids } = auditedRun(profile.db, 6);
    dropAuditGuards(profile.db);
    profile.db.prepare('DELETE FROM audit_events WHERE id IN (?, ?)').run(ids[2], ids[3]);
    const r = verifyAudit(profile.db);
    expect(r).toMatchObject({ ok: false, problem: 'missing', firstBadId: ids[4], checked: 2 });
    expect(r.message).toBe(`events #${ids[2]}–#${ids[3]} are missing: event #${ids[4]} does not follow on from event #${ids[1]}. 2 events before the gap check out.`);
  });

  it('finds the oldest row removed when there was never a retention', () => {
    const { ids } = auditedRun(profile.db, 3);
    dropAuditGuards(profile.db);
    profile.db.prepare('DELETE FROM audit_events WHERE id = ?').run(ids[0]);
    expect(verifyAudit(profile.db)).toMatchObject({ ok: false, problem: 'missing', firstBadId: ids[1], checked: 0 });
  });

  it('finds the newest rows removed', () => {
    auditedRun(profile.db, 3);
    const { ids } = auditedRun(profile.db, 4);
    dropAuditGuards(profile.db);
    profile.db.prepare('DELETE FROM audit_events WHERE id >= ?').run(ids[2]);
    const r = verifyAudit(profile.db);
    expect(r).toMatchObject({ ok: false, problem: 'truncated', firstBadId: ids[2], checked: 5 });
    expect(r.message).toBe(`The newest events are missing: events #${ids[2]}–#${ids[3]} are gone from the end of the trail, and it now ends at event #${ids[1]}.`);
  });

  it("finds the newest rows removed even when SQLite's id counter was wound back too, from the runs' recorded heads", () => {
    const first = auditedRun(profile.db, 3);
    const second = auditedRun(profile.db, 4);
    dropAuditGuards(profile.db);
    profile.db.prepare('DELETE FROM audit_events WHERE id > ?').run(first.ids[2]);
    profile.db.prepare(`UPDATE sqlite_sequence SET seq = ? WHERE name = 'audit_events'`).run(first.ids[2]);
    const r = verifyAudit(profile.db);
    expect(r).toMatchObject({ ok: false, problem: 'truncated', firstBadId: first.ids[2]! + 1, checked: 3 });
    expect(r.message).toContain(`the last event of run ${second.runId} (po-to-jaggaer, finished `);
    expect(r.message).toContain(`it now ends at event #${first.ids[2]}`);
  });

  it('finds a trail emptied completely', () => {
    auditedRun(profile.db, 2);
    dropAuditGuards(profile.db);
    profile.db.prepare('DELETE FROM audit_events').run();
    const r = verifyAudit(profile.db);
    expect(r).toMatchObject({ ok: false, problem: 'truncated', firstBadId: 1, checked: 0 });
    expect(r.message).toContain('it is now empty');
  });
});

describe('the append-only guard', () => {
  it('refuses UPDATE and DELETE outside the purge path, and the trail still verifies', () => {
    const { ids } = auditedRun(profile.db, 3);
    expect(() => profile.db.prepare("UPDATE audit_events SET reason = 'x' WHERE id = ?").run(ids[0])).toThrow(/append-only/);
    expect(() => profile.db.prepare('DELETE FROM audit_events WHERE id = ?').run(ids[0])).toThrow(/append-only/);
    expect(() => profile.db.prepare('DELETE FROM audit_events').run()).toThrow(/append-only/);
    expect(count(profile.db)).toBe(3);
    expect(verifyAudit(profile.db).ok).toBe(true);
  });
});
