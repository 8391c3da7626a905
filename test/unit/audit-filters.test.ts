import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api } from '../../shared/api';
import { parseAuditTime } from '../../shared/audit';
import { appendAudit, listAudit } from '../../electron/engine/store/audit';
import type { Profile } from '../../electron/engine/store/profile';
import { auditedRun, auditEvent, openAuditProfile } from '../helpers/audit';

let ctx: Awaited<ReturnType<typeof openAuditProfile>>;
let profile: Profile;
beforeEach(async () => {
  ctx = await openAuditProfile();
  profile = ctx.profile;
});
afterEach(() => {
  vi.useRealTimers();
  ctx.close();
});

describe('parseAuditTime', () => {
  it('reads a bare date as a whole UTC day: its start for since, the next midnight for until', () => {
    expect(parseAuditTime('2026-11-20', 'since')).toBe('2026-11-20T00:00:00.000Z');
    expect(parseAuditTime('2026-11-20', 'until')).toBe('2026-11-21T00:00:00.000Z');
    expect(parseAuditTime('2026-12-31', 'until')).toBe('2027-01-01T00:00:00.000Z');
  });

  it('reads times as UTC unless they carry a zone', () => {
    expect(parseAuditTime('2026-11-20T08:30', 'since')).toBe('2026-11-20T08:30:00.000Z');
    expect(parseAuditTime('2026-11-20 08:30:15', 'until')).toBe('2026-11-20T08:30:15.000Z');
    expect(parseAuditTime('2026-11-20T08:30Z', 'since')).toBe('2026-11-20T08:30:00.000Z');
    expect(parseAuditTime('2026-11-20T08:30:00.250+01:00', 'since')).toBe('2026-11-20T07:30:00.250Z');
    expect(parseAuditTime('2026-11-20T08:30-0500', 'since')).toBe('2026-11-20T13:30:00.000Z');
  });

  it('refuses what is not a real date or time', () => {
    for (const bad of ['yesterday', '', '20/11/2026', '2026-02-30', '2026-13-01', '2026-11-20T24:00', '2026-11-20T08:61', '1700000000', '2026-11-20T08:30+25']) {
      expect(parseAuditTime(bad, 'since'), bad).toBeNull();
    }
    expect(parseAuditTime('2028-02-29', 'since')).toBe('2028-02-29T00:00:00.000Z');
  });
});

describe('listAudit filters', () => {
  function seed() {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse('2026-11-18T10:00:00Z'));
    const a = auditedRun(profile.db, 3); // PO00001..3, ok
    vi.setSystemTime(Date.parse('2026-11-19T10:00:00Z'));
    appendAudit(profile.db, auditEvent(4, { outcome: 'failed', reason: 'Supplier 1234 is not mapped.', targetKey: null }));
    appendAudit(profile.db, auditEvent(5, { outcome: 'skipped', action: 'unchanged', sourceKey: 'PO_50%', targetKey: 'JAG-50' }));
    vi.setSystemTime(Date.parse('2026-11-20T23:59:59.999Z'));
    appendAudit(profile.db, auditEvent(6, { flow: 'invoice-to-cloudsuite', sourceKey: 'INV-77', targetKey: 'V000123' }));
    vi.setSystemTime(Date.parse('2026-11-21T00:00:00Z'));
    appendAudit(profile.db, auditEvent(7));
    return a;
  }
  const keys = (f: Parameters<typeof listAudit>[1]) => listAudit(profile.db, f).map((e) => e.sourceKey);

  it('by flow, outcome and run', () => {
    const run = seed();
    expect(keys({ limit: 50, flow: 'invoice-to-cloudsuite' })).toEqual(['INV-77']);
    expect(keys({ limit: 50, outcome: 'failed' })).toEqual(['PO00004']);
    expect(keys({ limit: 50, outcome: 'skipped' })).toEqual(['PO_50%']);
    expect(keys({ limit: 50, runId: run.runId })).toEqual(['PO00003', 'PO00002', 'PO00001']);
    expect(keys({ limit: 50, flow: 'po-to-jaggaer', outcome: 'ok' })).toEqual(['PO00007', 'PO00003', 'PO00002', 'PO00001']);
  });

  it('by time: since is inclusive, until exclusive, and a bare until date covers that whole day', () => {
    seed();
    const since = parseAuditTime('2026-11-19', 'since')!;
    const until = parseAuditTime('2026-11-20', 'until')!;
    expect(keys({ limit: 50, since, until })).toEqual(['INV-77', 'PO_50%', 'PO00004']);
    expect(keys({ limit: 50, since: '2026-11-21T00:00:00.000Z' })).toEqual(['PO00007']);
    expect(keys({ limit: 50, until: '2026-11-18T10:00:00.000Z' })).toEqual([]);
  });

  it('by part of a record key, on either side, case-insensitive, with % and _ taken literally', () => {
    seed();
    expect(keys({ limit: 50, search: 'inv-7' })).toEqual(['INV-77']);
    expect(keys({ limit: 50, search: 'V000123' })).toEqual(['INV-77']);
    expect(keys({ limit: 50, search: 'jag-5' })).toEqual(['PO_50%']);
    expect(keys({ limit: 50, search: '50%' })).toEqual(['PO_50%']);
    expect(keys({ limit: 50, search: 'O_5' })).toEqual(['PO_50%']);
    expect(keys({ limit: 50, search: '%' })).toEqual(['PO_50%']);
    expect(keys({ limit: 50, search: "'; DROP TABLE audit_events; --" })).toEqual([]);
  });

  it('pages back with beforeId until the start, without gaps or repeats', () => {
    for (let i = 1; i <= 23; i++) appendAudit(profile.db, auditEvent(i, { outcome: i % 3 === 0 ? 'failed' : 'ok' }));
    const all = listAudit(profile.db, { limit: 100 }).map((e) => e.id);
    const paged: number[] = [];
    let beforeId: number | undefined;
    for (;;) {
      const page = listAudit(profile.db, { limit: 5, beforeId });
      paged.push(...page.map((e) => e.id));
      if (page.length < 5) break;
      beforeId = page[page.length - 1]!.id;
    }
    expect(paged).toEqual(all);

    const failed = listAudit(profile.db, { limit: 3, outcome: 'failed' });
    const next = listAudit(profile.db, { limit: 3, outcome: 'failed', beforeId: failed[2]!.id });
    expect([...failed, ...next].map((e) => e.sourceKey)).toEqual(['PO00021', 'PO00018', 'PO00015', 'PO00012', 'PO00009', 'PO00006']);
  });
});

describe('the listAudit API input', () => {
  const input = api.listAudit.input;

  it('keeps the old fields working and normalises dates', () => {
    expect(input.parse({})).toEqual({ limit: 500 });
    expect(input.parse({ limit: 5, flow: 'po-to-jaggaer' })).toEqual({ limit: 5, flow: 'po-to-jaggaer' });
    expect(input.parse({ since: '2026-11-19', until: '2026-11-19', outcome: 'failed', search: ' PO1 ', beforeId: 40 })).toEqual({
      limit: 500,
      since: '2026-11-19T00:00:00.000Z',
      until: '2026-11-20T00:00:00.000Z',
      outcome: 'failed',
      search: 'PO1',
      beforeId: 40,
    });
  });

  it('refuses an unreadable date, a start after the end, and an unknown outcome with a message', () => {
    const bad = input.safeParse({ since: 'last tuesday' });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.message).toBe('"last tuesday" is not a date Ferry understands; use a date like 2026-11-20 or a UTC time like 2026-11-20T08:30Z');
    const backwards = input.safeParse({ since: '2026-11-21', until: '2026-11-20' });
    expect(backwards.error!.issues[0]).toMatchObject({ path: ['until'], message: 'the start (since) must be before the end (until)' });
    expect(input.safeParse({ outcome: 'posted' }).success).toBe(false);
    expect(input.safeParse({ beforeId: 0 }).success).toBe(false);
  });
});
