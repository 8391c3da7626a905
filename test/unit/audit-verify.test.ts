import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendAudit, auditRowHash, setRunAuditHead, type AuditRow } from '../../electron/engine/store/audit';
import { verifyAudit, verifyAuditInSlices } from '../../electron/engine/store/audit-verify';
import { verifiedPoint } from '../../electron/engine/store/audit-verify-point';
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
    expect(verifyAudit(profile.db)).toEqual({ ok: true, checked: 7, firstBadId: null, problem: null, message: 'The audit trail is intact: 7 events checked.', scope: 'full' });
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

describe('resuming from the last verified point', () => {
  const stored = () => verifiedPoint(profile.db);
  /** Someone with the key changes a row and leaves its hash alone… */
  const edit = (id: number, reason: string | null) => profile.db.prepare('UPDATE audit_events SET reason = ? WHERE id = ?').run(reason, id);
  /** …or computes a fresh hash for the changed row. */
  const forge = (id: number, change: Partial<Pick<AuditRow, 'reason' | 'prev_hash'>>) => {
    const row = { ...(profile.db.prepare('SELECT * FROM audit_events WHERE id = ?').get(id) as AuditRow), ...change };
    profile.db.prepare('UPDATE audit_events SET reason = ?, prev_hash = ?, hash = ? WHERE id = ?').run(row.reason, row.prev_hash, auditRowHash(row), id);
  };

  it('checks in full when nothing is remembered, then walks only the newer events', () => {
    const first = auditedRun(profile.db, 5);
    expect(verifyAudit(profile.db, { resume: true })).toMatchObject({ ok: true, checked: 5, scope: 'full' });
    const point = stored()!;
    expect(point).toMatchObject({ id: first.ids[4], hash: hashOf(first.ids[4]!), checked: 5, fullCheckAt: point.verifiedAt });

    const second = auditedRun(profile.db, 3);
    const r = verifyAudit(profile.db, { resume: true });
    expect(r).toMatchObject({ ok: true, checked: 3, scope: 'resumed', resumedAfter: { id: first.ids[4], verifiedAt: point.verifiedAt, checked: 5 }, fullCheckAt: point.fullCheckAt });
    expect(r.message).toMatch(new RegExp(`^The audit trail is intact: 3 new events checked after event #${first.ids[4]}, which the check of \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC found intact\\. Events up to it were last checked in full on .+ UTC\\.$`));
    expect(stored()).toMatchObject({ id: second.ids[2], checked: 8, fullCheckAt: point.fullCheckAt });

    expect(verifyAudit(profile.db, { resume: true })).toMatchObject({ ok: true, checked: 0, scope: 'resumed', message: expect.stringContaining('no new events since event #') });
    // A full check hashes everything again and says so; its time becomes the new full-check time.
    expect(verifyAudit(profile.db)).toMatchObject({ ok: true, checked: 8, scope: 'full' });
    expect(stored()).toMatchObject({ id: second.ids[2], checked: 8 });
  });

  it('does not see an edit before the point, which a full check finds (and then forgets the point)', () => {
    const { ids } = auditedRun(profile.db, 6);
    verifyAudit(profile.db);
    auditedRun(profile.db, 2);
    dropAuditGuards(profile.db);
    edit(ids[2]!, 'approved by phone');
    expect(verifyAudit(profile.db, { resume: true })).toMatchObject({ ok: true, checked: 2, scope: 'resumed' });
    expect(verifyAudit(profile.db)).toMatchObject({ ok: false, problem: 'edited', firstBadId: ids[2], checked: 2, scope: 'full' });
    expect(stored()).toBeNull();
    expect(verifyAudit(profile.db, { resume: true })).toMatchObject({ ok: false, problem: 'edited', firstBadId: ids[2], scope: 'full' });
  });

  it('finds the remembered event edited, whether its hash was left alone or recomputed, and forgets the point', () => {
    const { ids } = auditedRun(profile.db, 4);
    verifyAudit(profile.db);
    dropAuditGuards(profile.db);
    edit(ids[3]!, 'nothing to see');
    const left = verifyAudit(profile.db, { resume: true });
    expect(left).toMatchObject({ ok: false, problem: 'edited', firstBadId: ids[3], checked: 0, scope: 'resumed' });
    expect(left.message).toMatch(new RegExp(`^Event #${ids[3]} was changed after it was written: its contents no longer match its hash \\(the check of .+ UTC found it intact\\)\\.$`));
    expect(stored()).toBeNull();

    edit(ids[3]!, null);
    verifyAudit(profile.db);
    forge(ids[3]!, { reason: 'nothing to see' });
    expect(verifyAudit(profile.db, { resume: true })).toMatchObject({ ok: false, problem: 'edited', firstBadId: ids[3], message: expect.stringContaining('rewritten with a new hash') });
  });

  it('finds the remembered event removed from the middle of the trail', () => {
    const { ids } = auditedRun(profile.db, 4);
    verifyAudit(profile.db);
    auditedRun(profile.db, 2);
    dropAuditGuards(profile.db);
    profile.db.prepare('DELETE FROM audit_events WHERE id = ?').run(ids[3]);
    const r = verifyAudit(profile.db, { resume: true });
    expect(r).toMatchObject({ ok: false, problem: 'missing', firstBadId: ids[3], checked: 0, scope: 'resumed' });
    expect(r.message).toMatch(new RegExp(`^Event #${ids[3]} is missing: the check of .+ UTC found it intact, and later events are still there\\.$`));
  });

  it("finds the remembered event cut off the end with everything after it, SQLite's counter wound back", () => {
    const { ids } = auditedRun(profile.db, 4);
    verifyAudit(profile.db);
    dropAuditGuards(profile.db);
    profile.db.prepare('DELETE FROM audit_events WHERE id >= ?').run(ids[2]);
    profile.db.prepare(`UPDATE sqlite_sequence SET seq = ? WHERE name = 'audit_events'`).run(ids[1]);
    const r = verifyAudit(profile.db, { resume: true });
    expect(r).toMatchObject({ ok: false, problem: 'truncated', firstBadId: ids[3], checked: 0 });
    expect(r.message).toContain('nor anything after it');
  });

  it('finds tampering after the point: an edit, a hash recomputed, an event pointed elsewhere', () => {
    auditedRun(profile.db, 3);
    verifyAudit(profile.db);
    const next = auditedRun(profile.db, 5);
    dropAuditGuards(profile.db);
    edit(next.ids[3]!, 'changed');
    expect(verifyAudit(profile.db, { resume: true })).toMatchObject({ ok: false, problem: 'edited', firstBadId: next.ids[3], checked: 3, scope: 'resumed' });
    // The failure forgot the point: put the event back, and a passing check remembers a new one.
    edit(next.ids[3]!, null);
    verifyAudit(profile.db);

    const more = auditedRun(profile.db, 3);
    forge(more.ids[0]!, { reason: 'changed' });
    expect(verifyAudit(profile.db, { resume: true })).toMatchObject({ ok: false, problem: 'edited', firstBadId: more.ids[0], checked: 0 });
    forge(more.ids[0]!, { reason: null });
    verifyAudit(profile.db);

    const last = auditedRun(profile.db, 2);
    forge(last.ids[0]!, { prev_hash: 'f'.repeat(64) });
    const r = verifyAudit(profile.db, { resume: true });
    expect(r).toMatchObject({ ok: false, problem: 'edited', firstBadId: last.ids[0], checked: 0 });
    expect(r.message).toContain(`it no longer points back to event #${more.ids[2]}, which is as the check of `);
  });

  it("finds the newest events cut off after the point with SQLite's counter wound back, from a run's recorded head", () => {
    auditedRun(profile.db, 3);
    verifyAudit(profile.db);
    const kept = auditedRun(profile.db, 2);
    const cut = auditedRun(profile.db, 4);
    dropAuditGuards(profile.db);
    profile.db.prepare('DELETE FROM audit_events WHERE id > ?').run(kept.ids[1]);
    profile.db.prepare(`UPDATE sqlite_sequence SET seq = ? WHERE name = 'audit_events'`).run(kept.ids[1]);
    const r = verifyAudit(profile.db, { resume: true });
    expect(r).toMatchObject({ ok: false, problem: 'truncated', firstBadId: kept.ids[1]! + 1, checked: 2, scope: 'resumed' });
    expect(r.message).toContain(`the last event of run ${cut.runId} (po-to-jaggaer`);
  });

  it('finds the oldest events removed, which is cheap to see without walking them', () => {
    const { ids } = auditedRun(profile.db, 4);
    verifyAudit(profile.db);
    dropAuditGuards(profile.db);
    profile.db.prepare('DELETE FROM audit_events WHERE id = ?').run(ids[0]);
    expect(verifyAudit(profile.db, { resume: true })).toMatchObject({ ok: false, problem: 'missing', firstBadId: ids[1], scope: 'resumed' });
  });

  it('checks in full when the stored point was damaged by hand', () => {
    auditedRun(profile.db, 3);
    verifyAudit(profile.db);
    profile.db.prepare(`UPDATE settings SET value = '{"id":"three"}' WHERE key = 'audit.verified'`).run();
    expect(verifyAudit(profile.db, { resume: true })).toMatchObject({ ok: true, checked: 3, scope: 'full' });
    expect(stored()).toMatchObject({ checked: 3 });
  });

  it('in slices: the same verdict, and a full check running answers a request to resume', async () => {
    auditedRun(profile.db, 7);
    const full = verifyAuditInSlices(profile.db, { sliceRows: 2 });
    expect(verifyAuditInSlices(profile.db, { resume: true, sliceRows: 2 })).toBe(full);
    expect(await full).toMatchObject({ ok: true, checked: 7, scope: 'full' });
    auditedRun(profile.db, 3);
    expect(await verifyAuditInSlices(profile.db, { resume: true, sliceRows: 2 })).toMatchObject({ ok: true, checked: 3, scope: 'resumed', resumedAfter: { checked: 7 } });
  });
});
