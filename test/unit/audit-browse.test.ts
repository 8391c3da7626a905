import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { auditEventDetail, exportAuditFile } from '../../electron/engine/audit-api';
import { appendAudit, browseAudit, getAuditEvent, listAudit, planAuditQuery, recordTimeline, type AuditFilters } from '../../electron/engine/store/audit';
import { exportAuditBytes } from '../../electron/engine/store/audit-export';
import { verifyAudit, verifyAuditInSlices } from '../../electron/engine/store/audit-verify';
import { saveConnection } from '../../electron/engine/store/connections';
import type { Profile } from '../../electron/engine/store/profile';
import type { AuditEvent } from '../../shared/api';
import { auditEvent, dropAuditGuards, openAuditProfile } from '../helpers/audit';
import { seedAudit } from '../helpers/seed-audit';

// The Activity screen's queries (store/audit.ts browseAudit and friends): every way of paging, jumping and
// filtering gives exactly the events a plain filter over the whole trail gives, from an index.

let ctx: Awaited<ReturnType<typeof openAuditProfile>>;
let profile: Profile;
let all: AuditEvent[];

beforeEach(async () => {
  ctx = await openAuditProfile();
  profile = ctx.profile;
  seedAudit(profile.db, { count: 3_000, runSize: 250, days: 60, endAt: new Date('2026-11-20T12:00:00Z'), seed: 7 });
  all = listAudit(profile.db, { limit: 5000 });
});
afterEach(() => {
  vi.useRealTimers();
  ctx.close();
});

/** The same filters applied to every event in memory: what each query must return. */
function expected(f: AuditFilters): AuditEvent[] {
  const like = (key: string | null) =>
    f.search !== undefined && key !== null && (f.searchMode === 'prefix' ? key.toLowerCase().startsWith(f.search.toLowerCase()) : key.toLowerCase().includes(f.search.toLowerCase()));
  return all.filter(
    (e) =>
      (f.flow === undefined || e.flow === f.flow) &&
      (f.outcome === undefined || e.outcome === f.outcome) &&
      (f.since === undefined || e.at >= f.since) &&
      (f.until === undefined || e.at < f.until) &&
      (f.search === undefined || like(e.sourceKey) || like(e.targetKey)) &&
      (f.runId === undefined || e.runId === f.runId) &&
      (f.upToId === undefined || e.id <= f.upToId),
  );
}

const ids = (events: AuditEvent[]) => events.map((e) => e.id);

describe('browseAudit', () => {
  const shapes = (): [string, AuditFilters][] => [
    ['no filter', {}],
    ['a status', { outcome: 'failed' }],
    ['a flow and a status', { flow: 'po-to-jaggaer', outcome: 'ok' }],
    ['contains', { search: '001' }],
    ['contains, other case', { search: 'jinv-00' }],
    ['starts with', { search: 'po2', searchMode: 'prefix' }],
    ['starts with, on the target key', { search: '7100', searchMode: 'prefix' }],
    ['a time range', { since: all[2000]!.at, until: all[500]!.at }],
    ['a time range and a status', { since: all[2000]!.at, until: all[500]!.at, outcome: 'skipped' }],
    ['a time range and contains', { since: all[2000]!.at, until: all[500]!.at, search: 'V0' }],
    ['a time range, starts with', { since: all[2000]!.at, search: 'PO2', searchMode: 'prefix' }],
    ['a run', { runId: all[1234]!.runId! }],
  ];

  it('returns what a plain filter returns, with the total, for every filter', () => {
    for (const [name, f] of shapes()) {
      const want = expected(f);
      const page = browseAudit(profile.db, { ...f, limit: 100, withTotal: true });
      expect(ids(page.events), name).toEqual(ids(want.slice(0, 100)));
      expect(page.total, name).toBe(want.length);
      expect(page.nextBeforeId, name).toBe(want.length > 100 ? want[99]!.id : null);
    }
  });

  it('pages by keyset and jumps by offset to the same rows', () => {
    for (const [name, f] of shapes()) {
      const want = expected(f);
      const first = browseAudit(profile.db, { ...f, limit: 50 });
      const upToId = first.upToId!;
      const keyset: AuditEvent[] = [...first.events];
      for (let before = first.nextBeforeId; before !== null; ) {
        const page = browseAudit(profile.db, { ...f, limit: 50, upToId, beforeId: before });
        keyset.push(...page.events);
        before = page.nextBeforeId;
      }
      expect(ids(keyset), name).toEqual(ids(want));
      for (const offset of [0, 1, 49, 50, 777, want.length - 3, want.length + 10]) {
        if (offset < 0) continue;
        expect(ids(browseAudit(profile.db, { ...f, limit: 50, upToId, offset }).events), `${name} at ${offset}`).toEqual(ids(want.slice(offset, offset + 50)));
      }
    }
  });

  it('keeps to its cut of the trail while new events arrive', () => {
    const first = browseAudit(profile.db, { limit: 10, withTotal: true });
    for (let i = 0; i < 5; i++) appendAudit(profile.db, auditEvent(90_000 + i));
    const again = browseAudit(profile.db, { limit: 10, upToId: first.upToId!, offset: 20, withTotal: true });
    expect(again.total).toBe(first.total);
    expect(ids(again.events)).toEqual(ids(all.slice(20, 30)));
    expect(browseAudit(profile.db, { limit: 10, withTotal: true }).total).toBe(first.total! + 5);
  });

  it('stays exact when the clock went back (times out of id order)', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse(all[1500]!.at) - 1000); // between older events: out of order
    const back = appendAudit(profile.db, auditEvent(99_001, { sourceKey: 'PO-CLOCK' }));
    vi.useRealTimers();
    all = listAudit(profile.db, { limit: 5000 });
    const f = { since: all[1600]!.at, until: all[1400]!.at };
    const page = browseAudit(profile.db, { ...f, limit: 500, withTotal: true });
    expect(ids(page.events)).toEqual(ids(expected(f)));
    expect(ids(page.events)).toContain(back);
    expect(page.total).toBe(expected(f).length);
  });

  it('answers every shape from an index, never by reading the events themselves', () => {
    for (const [name, f] of shapes()) {
      const plan = planAuditQuery(profile.db, { ...f, upToId: all[0]!.id });
      const steps = (profile.db.prepare(`EXPLAIN QUERY PLAN SELECT id FROM ${plan.from} ${plan.where} ORDER BY id DESC LIMIT 200`).all(plan.params) as { detail: string }[]).map(
        (s) => s.detail,
      );
      expect(steps.join(' / '), name).toMatch(/INDEX/);
      expect(steps.filter((s) => /^SCAN audit_events$/.test(s)), name).toEqual([]);
      if (f.searchMode !== 'prefix') expect(steps.join(' / '), name).toMatch(/COVERING INDEX/);
    }
  });

  it('finds nothing, quickly, in a time range without events', () => {
    const page = browseAudit(profile.db, { since: '2000-01-01T00:00:00.000Z', until: '2000-02-01T00:00:00.000Z', limit: 10, withTotal: true });
    expect(page).toMatchObject({ events: [], total: 0, nextBeforeId: null });
  });

  it('an empty trail has no cut and no events', async () => {
    const empty = await openAuditProfile();
    try {
      expect(browseAudit(empty.profile.db, { limit: 10, withTotal: true })).toEqual({ events: [], nextBeforeId: null, upToId: null, total: 0 });
    } finally {
      empty.close();
    }
  });
});

describe('one record, one event', () => {
  it('lists every event of a record across runs, newest first', () => {
    const e = all.find((x) => x.flow === 'supplier-sync')!;
    const want = all.filter((x) => x.sourceSystem === e.sourceSystem && x.sourceKey === e.sourceKey);
    expect(want.length).toBeGreaterThan(0);
    const first = recordTimeline(profile.db, { sourceSystem: e.sourceSystem, sourceKey: e.sourceKey, limit: 2 });
    expect(first.total).toBe(want.length);
    const rest = first.nextBeforeId === null ? [] : recordTimeline(profile.db, { sourceSystem: e.sourceSystem, sourceKey: e.sourceKey, limit: 1000, beforeId: first.nextBeforeId }).events;
    expect(ids([...first.events, ...rest])).toEqual(ids(want));
  });

  it('shows an event with its stored capture, and says where its records can be opened', () => {
    saveConnection(profile.db, profile.sealKey, 'jira', { auth: 'basic', baseUrl: 'https://acme.atlassian.net/', email: 'ap@acme.com' }, { apiToken: 'secret-token' });
    const toJira = all.find((x) => x.flow === 'po-to-jira' && x.outcome === 'ok')!;
    const detail = auditEventDetail(profile.db, toJira.id);
    expect(detail.capture).toMatchObject({ method: 'POST', requestHeaders: { Authorization: '[redacted]' } });
    expect(detail.links).toEqual([
      { side: 'source', system: 'cloudsuite', key: toJira.sourceKey, url: null, note: expect.stringMatching(/^Ferry cannot build a web address for a CloudSuite record/) },
      { side: 'target', system: 'jira', key: toJira.targetKey, url: `https://acme.atlassian.net/browse/${toJira.targetKey}`, note: `Open ${toJira.targetKey} in Jira` },
    ]);
    expect(JSON.stringify(detail)).not.toContain('secret-token');

    const skipped = all.find((x) => x.outcome === 'skipped')!;
    expect(getAuditEvent(profile.db, skipped.id)!.capture).toBeNull();
    expect(() => auditEventDetail(profile.db, 999_999)).toThrow(/Event #999999 is not in the audit trail/);
  });

  it('offers no Jira address without a Jira connection, nor for a key that is not an issue key', () => {
    const toJira = all.find((x) => x.flow === 'po-to-jira' && x.outcome === 'ok')!;
    expect(auditEventDetail(profile.db, toJira.id).links[1]).toMatchObject({ url: null, note: expect.stringMatching(/Jira is not connected/) });
    const fromJira = appendAudit(profile.db, auditEvent(1, { flow: 'worklog-to-gl', sourceSystem: 'jira', sourceKey: 'LAB-FIN-12-2026-11', targetSystem: 'cloudsuite' }));
    saveConnection(profile.db, profile.sealKey, 'jira', { auth: 'pat', baseUrl: 'https://jira.acme.local' }, { token: 't' });
    expect(auditEventDetail(profile.db, fromJira).links[0]).toMatchObject({ url: null, note: 'LAB-FIN-12-2026-11 is not a Jira issue key, so there is no issue page to open; look it up in Jira.' });
  });
});

describe('downloads', () => {
  it('exports the filtered events as CSV bytes, oldest first', async () => {
    const file = await exportAuditFile(profile.db, { format: 'csv', outcome: 'failed' }, new Date('2026-11-21T08:30:00Z'));
    expect(file).toMatchObject({ fileName: 'ferry-audit-2026-11-21-0830.csv', mimeType: 'text/csv;charset=utf-8', rows: expected({ outcome: 'failed' }).length });
    const lines = Buffer.from(file.base64, 'base64').toString('utf8').trim().split('\n');
    expect(lines).toHaveLength(file.rows + 1);
    expect(lines[1]).toContain(String(expected({ outcome: 'failed' }).at(-1)!.id));
    const xlsx = await exportAuditFile(profile.db, { format: 'xlsx', search: 'V00', searchMode: 'prefix' });
    expect(Buffer.from(xlsx.base64, 'base64').subarray(0, 2).toString()).toBe('PK');
    expect(xlsx.rows).toBe(expected({ search: 'V00', searchMode: 'prefix' }).length);
  });

  it('refuses, with what to do instead, an export above the download limits', async () => {
    await expect(exportAuditBytes(profile.db, {}, 'csv', { rows: 1000, bytes: 10_000_000 })).rejects.toThrow(
      'These filters match 3,000 events; the app downloads at most 1,000 at a time. Narrow the filters (a flow, a status or a shorter date range), or run "ferry audit export --out FILE" with the same filters, which has no limit.',
    );
    await expect(exportAuditBytes(profile.db, {}, 'xlsx', { rows: 5000, bytes: 50_000 })).rejects.toThrow(/larger than the 0 MB the app downloads at a time/);
    await expect(exportAuditBytes(profile.db, { outcome: 'failed' }, 'csv', { rows: 5000, bytes: 10_000 })).rejects.toThrow(/larger than/);
  });
});

describe('verification in slices', () => {
  it('gives the same verdict as the one-piece check, and callers share one check', async () => {
    const [a, b] = [verifyAuditInSlices(profile.db, { sliceRows: 128 }), verifyAuditInSlices(profile.db, { sliceRows: 128 })];
    expect(a).toBe(b);
    expect(await a).toEqual(verifyAudit(profile.db));
    expect(await a).toMatchObject({ ok: true, checked: 3000 });
  });

  it('finds an edited event the same way', async () => {
    dropAuditGuards(profile.db);
    profile.db.prepare(`UPDATE audit_events SET reason = 'nothing to see' WHERE id = 1700`).run();
    const sliced = await verifyAuditInSlices(profile.db, { sliceRows: 100 });
    expect(sliced).toEqual(verifyAudit(profile.db));
    expect(sliced).toMatchObject({ ok: false, problem: 'edited', firstBadId: 1700 });
  });
});
