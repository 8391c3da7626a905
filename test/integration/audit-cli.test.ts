import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../shared/api';
import { Engine } from '../../electron/engine/engine';
import { createLogger } from '../../electron/engine/log';
import { profileDir } from '../../electron/engine/paths';
import { headlessKeyProvider } from '../../electron/engine/store/keys';
import { openProfile, type Profile } from '../../electron/engine/store/profile';
import { lastJsonLine, runCli } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

// `ferry audit …` as a person or a script runs it, against a data folder filled by `ferry demo --once`.

let tmp: ReturnType<typeof tempDir>;
let dataDir: string;
let total: number;
let all: Event[];
const ferry = (...args: string[]) => runCli([...args, '--data-dir', dataDir]);

interface Event {
  id: number;
  flow: string;
  sourceKey: string;
  outcome: string;
  runId: string | null;
}

beforeAll(async () => {
  tmp = tempDir('ferry-audit-cli-');
  dataDir = path.join(tmp.dir, 'data');
  const demo = await runCli(['demo', '--once', '--json', '--data-dir', dataDir]);
  expect(demo.code, demo.stderr).toBe(0);
  all = (lastJsonLine((await ferry('audit', '--json', '--limit', '5000')).stdout) as { events: Event[] }).events;
  total = all.length;
  expect(total).toBeGreaterThan(10);
});
afterAll(() => tmp.remove());

/** A copy of the data folder to damage, opened the way someone holding the key file could. */
async function tamperedCopy(name: string, damage: (p: Profile) => void): Promise<string> {
  const copy = path.join(tmp.dir, name);
  fs.cpSync(dataDir, copy, { recursive: true });
  const profile = await openProfile(copy, 'default', headlessKeyProvider(profileDir(copy, 'default'), {}));
  try {
    profile.db.exec('DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;');
    damage(profile);
  } finally {
    profile.close();
  }
  return copy;
}

describe('ferry audit (list)', () => {
  it('filters by status, flow, record key and run, and pages with --before', async () => {
    const skipped = (lastJsonLine((await ferry('audit', '--json', '--status', 'skipped', '--flow', 'po-to-jaggaer', '--limit', '5000')).stdout) as { events: Event[] }).events;
    expect(skipped.length).toBeGreaterThan(0);
    expect(skipped).toEqual(all.filter((e) => e.outcome === 'skipped'));

    const { sourceKey, runId } = all[3]!;
    const found = (lastJsonLine((await ferry('audit', '--json', '--search', sourceKey.slice(-5).toLowerCase(), '--run', runId!)).stdout) as { events: Event[] }).events;
    expect(found.map((e) => e.sourceKey)).toContain(sourceKey);
    expect(found.every((e) => e.runId === runId && e.sourceKey.includes(sourceKey.slice(-5)))).toBe(true);

    const page1 = lastJsonLine((await ferry('audit', '--json', '--limit', '4')).stdout) as { events: Event[]; nextBeforeId: number };
    expect(page1.nextBeforeId).toBe(all[3]!.id);
    const page2 = lastJsonLine((await ferry('audit', 'list', '--json', '--limit', '4', '--before', String(page1.nextBeforeId))).stdout) as { events: Event[] };
    expect([...page1.events, ...page2.events]).toEqual(all.slice(0, 8));

    const today = new Date().toISOString().slice(0, 10);
    const human = await ferry('audit', '--since', today, '--until', today, '--limit', '3');
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^#\s+Time \(UTC\)\s+Flow\s+Record/);
    expect(human.stdout).toContain(`(older events: add --before ${all[2]!.id})`);
    const none = await ferry('audit', '--until', '2001-01-01');
    expect(none.stdout.trim()).toBe('No events match these filters.');
  });

  it('refuses bad input with exit 2 and a sentence', async () => {
    const date = await ferry('audit', '--since', 'last tuesday');
    expect(date.code).toBe(2);
    expect(date.stderr).toContain('"last tuesday" is not a date Ferry understands; use a date like 2026-11-20 or a UTC time like 2026-11-20T08:30Z.');
    const backwards = await ferry('audit', '--since', '2026-11-21', '--until', '2026-11-20');
    expect(backwards.code).toBe(2);
    expect(backwards.stderr).toContain('The start (--since, 2026-11-21T00:00:00.000Z) must be before the end (--until, 2026-11-21T00:00:00.000Z).');
    const status = await ferry('audit', '--status', 'posted');
    expect(status.code).toBe(2);
    expect(status.stderr).toContain('use one of: ok, failed, skipped.');
  });
});

describe('ferry audit verify', () => {
  it('passes the trail the demo wrote', async () => {
    const human = await ferry('audit', 'verify');
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout.trim()).toBe(`The audit trail is intact: ${total} events checked.`);
    const asJson = await ferry('audit', 'verify', '--json');
    expect(lastJsonLine(asJson.stdout)).toEqual({ ok: true, checked: total, firstBadId: null, problem: null, message: `The audit trail is intact: ${total} events checked.`, scope: 'full' });
  });

  it('with --quick, checks only what came after the last passing check', async () => {
    const quick = await ferry('audit', 'verify', '--quick', '--json');
    expect(quick.code, quick.stderr).toBe(0);
    expect(lastJsonLine(quick.stdout)).toMatchObject({ ok: true, checked: 0, scope: 'resumed', resumedAfter: { id: total, checked: total } });
    expect((lastJsonLine(quick.stdout) as { message: string }).message).toMatch(new RegExp(`^The audit trail is intact: no new events since event #${total}, which the check of .+ UTC found intact\\.`));
  });

  it('exits 1 and says what and where when an event was edited', async () => {
    const copy = await tamperedCopy('edited', (p) => p.db.prepare("UPDATE audit_events SET target_key = 'J-FAKE' WHERE id = 5").run());
    const r = await runCli(['audit', 'verify', '--data-dir', copy]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toBe('The audit trail is broken. Event #5 was changed after it was written: its contents no longer match its hash. 4 events before it check out.');
  });

  it('exits 1 when the newest events of the last run were cut off', async () => {
    const copy = await tamperedCopy('truncated', (p) => {
      p.db.prepare('DELETE FROM audit_events WHERE id > ?').run(total - 3);
      p.db.prepare(`UPDATE sqlite_sequence SET seq = ? WHERE name = 'audit_events'`).run(total - 3);
    });
    const r = await runCli(['audit', 'verify', '--json', '--data-dir', copy]);
    expect(r.code).toBe(1);
    expect(lastJsonLine(r.stdout)).toMatchObject({ ok: false, problem: 'truncated', firstBadId: total - 2, checked: total - 3 });
    expect(r.stderr).toMatch(/The newest events are missing: the last event of run \S+ \(po-to-jaggaer, finished .+\) is no longer in the trail, and it now ends at event #\d+\./);
  });
});

describe('ferry audit export', () => {
  it('writes CSV and XLSX with every event, prints the count, and will not overwrite without --force', async () => {
    const csv = path.join(tmp.dir, 'trail.csv');
    const first = await ferry('audit', 'export', '--format', 'csv', '--out', csv);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.trim()).toBe(`Exported ${total} audit events to ${csv}.`);
    const rows = parse(fs.readFileSync(csv), { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(total);
    expect(rows.map((r) => Number(r.ID))).toEqual([...Array(total).keys()].map((i) => i + 1));

    const again = await ferry('audit', 'export', '--format', 'csv', '--out', csv, '--status', 'ok');
    expect(again.code).toBe(2);
    expect(again.stderr.trim()).toBe(`${csv} already exists; choose another name, or add --force to replace it.`);
    const forced = await ferry('audit', 'export', '--format', 'csv', '--out', csv, '--status', 'ok', '--force', '--json');
    expect(forced.code).toBe(0);
    const okRows = (lastJsonLine(forced.stdout) as { rows: number }).rows;
    expect(okRows).toBeLessThan(total);
    expect(parse(fs.readFileSync(csv), { bom: true, columns: true })).toHaveLength(okRows);

    const xlsx = path.join(tmp.dir, 'trail.xlsx');
    const excel = await ferry('audit', 'export', '--out', xlsx);
    expect(excel.code, excel.stderr).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(xlsx);
    expect(workbook.getWorksheet('Audit trail')!.actualRowCount).toBe(total + 1);
  });

  it('refuses an unknown format, a missing folder and a folder as the file, with exit 2', async () => {
    const noFormat = await ferry('audit', 'export', '--out', path.join(tmp.dir, 'trail.txt'));
    expect(noFormat.code).toBe(2);
    expect(noFormat.stderr.trim()).toBe('Say which format to export with --format csv or --format xlsx.');
    const folder = path.join(tmp.dir, 'nowhere');
    const missing = await ferry('audit', 'export', '--out', path.join(folder, 'x.csv'));
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe(`The folder ${folder} does not exist; create it first or choose another place.`);
    const dir = await ferry('audit', 'export', '--format', 'csv', '--out', tmp.dir);
    expect(dir.code).toBe(2);
    expect(dir.stderr.trim()).toBe(`${tmp.dir} is a folder; give a file name for the export.`);
    expect(fs.readdirSync(tmp.dir).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });
});

describe('ferry audit retention', () => {
  it('shows, sets and refuses too short a retention; --purge with nothing due removes nothing', async () => {
    const shown = await ferry('audit', 'retention');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('Audit events are kept for 2555 days (about 7 years).');
    expect(shown.stdout).toContain(`The trail holds ${total} events, the oldest #1 from `);

    const short = await ferry('audit', 'retention', '--days', '10');
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('use a whole number of days from 30 to 36500');

    const set = await ferry('audit', 'retention', '--days', '400', '--purge', '--json');
    expect(set.code).toBe(0);
    expect(lastJsonLine(set.stdout)).toMatchObject({ retentionDays: 400, events: total, oldest: { id: 1 }, purge: { deleted: 0, eventId: null, retentionDays: 400 } });
  });
});

describe('the engine API', () => {
  it('lists with the new filters (old inputs still work) and verifies', async () => {
    const engine = await Engine.open({ dataDir, log: createLogger(null), keyProvider: headlessKeyProvider(profileDir(dataDir, 'default'), {}) });
    try {
      const old = await dispatch(engine.handlers, 'listAudit', { limit: 3, flow: 'po-to-jaggaer' });
      expect(old).toMatchObject({ ok: true, value: { events: [{}, {}, {}] } });
      const failed = await dispatch(engine.handlers, 'listAudit', { outcome: 'skipped', since: '2000-01-01', search: 'PO' });
      const events = (failed as { value: { events: Event[] } }).value.events;
      expect(events.length).toBeGreaterThan(0);
      expect(events.every((e) => e.outcome === 'skipped')).toBe(true);
      const bad = await dispatch(engine.handlers, 'listAudit', { until: 'soon' });
      expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      expect((bad as { error: { message: string } }).error.message).toContain('"soon" is not a date Ferry understands');
      // `ferry audit verify` above left a verified point: the app's check resumes from it unless told otherwise.
      expect(await dispatch(engine.handlers, 'verifyAudit', {})).toMatchObject({ ok: true, value: { ok: true, checked: 0, scope: 'resumed' } });
      expect(await dispatch(engine.handlers, 'verifyAudit', { full: true })).toEqual({
        ok: true,
        value: { ok: true, checked: total, firstBadId: null, problem: null, message: `The audit trail is intact: ${total} events checked.`, scope: 'full' },
      });
    } finally {
      engine.close();
    }
  });
});
