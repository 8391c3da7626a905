import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it, expect } from 'vitest';
import { appendAudit, listAudit } from '../../electron/engine/store/audit';
import { verifyAudit } from '../../electron/engine/store/audit-verify';
import type { AuditInput } from '../../electron/engine/store/audit';
import { headlessKeyProvider } from '../../electron/engine/store/keys';
import { openProfile } from '../../electron/engine/store/profile';
import type { Profile } from '../../electron/engine/store/profile';
import { auditEvent } from '../helpers/audit';

const HEX_KEY = '8c1f0e2d3b4a59687786a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f9';

let tmp: string;
let profile: Profile;

beforeEach(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-audit-'));
  profile = await openProfile(tmp, 'default', headlessKeyProvider(tmp, { FERRY_DB_KEY: HEX_KEY }));
});
afterEach(() => {
  profile.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

// The shared builder, with this file's four-digit keys and a capture on every event.
const event = (i: number, flow = 'po-to-jaggaer'): AuditInput =>
  auditEvent(i, { flow, sourceKey: `PO${String(i).padStart(4, '0')}`, capture: { request: { url: 'https://example.invalid/po', n: i } } });

function appendMany(n: number, flow?: string): number[] {
  return Array.from({ length: n }, (_, i) => appendAudit(profile.db, event(i + 1, flow)));
}

describe('audit trail', () => {
  it('stores the database encrypted (no plain SQLite header)', () => {
    appendMany(1);
    const file = path.join(profile.dir, 'ferry.db');
    expect(fs.readFileSync(file).subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3');
  });

  it('verifies an untouched chain', () => {
    const ids = appendMany(5);
    expect(new Set(ids).size).toBe(5);
    expect(verifyAudit(profile.db)).toEqual({ ok: true, checked: 5, firstBadId: null, problem: null, message: 'The audit trail is intact: 5 events checked.', scope: 'full' });
  });

  it('verifies an empty chain', () => {
    expect(verifyAudit(profile.db)).toMatchObject({ ok: true, checked: 0, firstBadId: null, problem: null });
  });

  it('refuses UPDATE and DELETE', () => {
    const [id] = appendMany(3);
    expect(() => profile.db.prepare("UPDATE audit_events SET reason = 'edited' WHERE id = ?").run(id)).toThrow(/append-only/);
    expect(() => profile.db.prepare('DELETE FROM audit_events').run()).toThrow(/append-only/);
    const count = profile.db.prepare('SELECT count(*) AS n FROM audit_events').get() as { n: number };
    expect(count.n).toBe(3);
    expect(verifyAudit(profile.db).ok).toBe(true);
  });

  it('detects a row edited by someone who dropped the trigger', () => {
    const ids = appendMany(5);
    const victim = ids[2]!;
    profile.db.exec('DROP TRIGGER audit_events_no_update');
    profile.db.prepare("UPDATE audit_events SET reason = 'nothing to see here' WHERE id = ?").run(victim);
    expect(verifyAudit(profile.db)).toMatchObject({ ok: false, checked: 2, firstBadId: victim, problem: 'edited' });
  });

  it('detects a row removed from the middle', () => {
    const ids = appendMany(4);
    profile.db.exec('DROP TRIGGER audit_events_no_delete');
    profile.db.prepare('DELETE FROM audit_events WHERE id = ?').run(ids[1]);
    expect(verifyAudit(profile.db)).toMatchObject({ ok: false, checked: 1, firstBadId: ids[2], problem: 'missing' });
  });

  it('lists newest first, honours the limit and the flow filter', () => {
    appendMany(3, 'po-to-jaggaer');
    appendMany(2, 'invoice-to-cloudsuite');
    appendMany(1, 'po-to-jaggaer');

    const all = listAudit(profile.db, { limit: 100 });
    expect(all).toHaveLength(6);
    const ids = all.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(all[0]?.flow).toBe('po-to-jaggaer');
    expect(all[1]?.flow).toBe('invoice-to-cloudsuite');

    const two = listAudit(profile.db, { limit: 2 });
    expect(two.map((e) => e.id)).toEqual(ids.slice(0, 2));

    const po = listAudit(profile.db, { limit: 100, flow: 'po-to-jaggaer' });
    expect(po).toHaveLength(4);
    expect(po.every((e) => e.flow === 'po-to-jaggaer')).toBe(true);
    expect(po.map((e) => e.sourceKey)).toEqual(['PO0001', 'PO0003', 'PO0002', 'PO0001']);

    const inv = listAudit(profile.db, { limit: 1, flow: 'invoice-to-cloudsuite' });
    expect(inv).toHaveLength(1);
    expect(inv[0]).toMatchObject({
      flow: 'invoice-to-cloudsuite',
      sourceKey: 'PO0002',
      targetKey: 'J-2',
      recordType: 'purchase-order',
      action: 'create',
      outcome: 'ok',
      targetStatus: 'Approved',
      reason: null,
      runId: null,
    });
  });

  it('reopens with the same key and still verifies', async () => {
    appendMany(3);
    profile.close();
    profile = await openProfile(tmp, 'default', headlessKeyProvider(tmp, { FERRY_DB_KEY: HEX_KEY }));
    appendMany(1);
    expect(verifyAudit(profile.db)).toMatchObject({ ok: true, checked: 4, firstBadId: null });
  });
});
