import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { appendAudit, type AuditRow } from '../../electron/engine/store/audit';
import type { Db } from '../../electron/engine/store/db';
import { auditExportColumns, exportAudit } from '../../electron/engine/store/audit-export';
import type { Profile } from '../../electron/engine/store/profile';
import { auditedRun, auditEvent, openAuditProfile } from '../helpers/audit';

let ctx: Awaited<ReturnType<typeof openAuditProfile>>;
let profile: Profile;
beforeEach(async () => {
  ctx = await openAuditProfile();
  profile = ctx.profile;
});
afterEach(() => ctx.close());

const headers = auditExportColumns.map((c) => c.header);
const stored = (db: Db, where = ''): AuditRow[] => db.prepare(`SELECT * FROM audit_events ${where} ORDER BY id`).all() as AuditRow[];
/** What each stored row should look like in the export, column by column (CSV has no null: it is empty). */
const expectedCells = (rows: AuditRow[], nullAs: '' | null) =>
  rows.map((r) =>
    [r.id, r.at, r.run_id, r.flow, r.record_type, r.source_system, r.source_key, r.target_system, r.target_key, r.action, r.outcome, r.target_status, r.reason, r.hash].map(
      (v) => (v === null ? nullAs : v),
    ),
  );

function awkwardTrail(): void {
  auditedRun(profile.db, 3);
  appendAudit(profile.db, auditEvent(4, { outcome: 'failed', targetKey: null, targetStatus: null, reason: 'JAGGAER said: "Supplier 1234, site 02 is blocked"\nTry again after the vendor is released.' }));
  appendAudit(profile.db, auditEvent(5, { sourceKey: '=HYPERLINK("x")', reason: 'Lieferant Müller – ÄÖÜ, 日本, emoji 🚢' }));
  appendAudit(profile.db, auditEvent(6, { flow: 'invoice-to-cloudsuite', outcome: 'skipped', action: 'unchanged' }));
}

describe('exportAudit', () => {
  it('writes CSV that csv-parse reads back as exactly the stored rows, oldest first', async () => {
    awkwardTrail();
    const file = path.join(ctx.dir, 'trail.csv');
    const result = await exportAudit(profile.db, {}, 'csv', file);
    expect(result).toEqual({ file, format: 'csv', rows: 6 });
    const records = parse(fs.readFileSync(file), { bom: true }) as string[][];
    expect(records[0]).toEqual(headers);
    expect(records.slice(1)).toEqual(expectedCells(stored(profile.db), '').map((r) => r.map(String)));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('writes XLSX that exceljs reads back as the same rows, the formula-looking key as plain text', async () => {
    awkwardTrail();
    const file = path.join(ctx.dir, 'trail.xlsx');
    expect(await exportAudit(profile.db, {}, 'xlsx', file)).toEqual({ file, format: 'xlsx', rows: 6 });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.getWorksheet('Audit trail')!;
    const values: unknown[][] = [];
    sheet.eachRow({ includeEmpty: false }, (row) => values.push(headers.map((_, i) => row.getCell(i + 1).value ?? null)));
    expect(values[0]).toEqual(headers);
    expect(values.slice(1)).toEqual(expectedCells(stored(profile.db), null));
    expect(sheet.getCell('G6').type).toBe(ExcelJS.ValueType.String);
  });

  it('applies the filters', async () => {
    awkwardTrail();
    const file = path.join(ctx.dir, 'failed.csv');
    expect((await exportAudit(profile.db, { outcome: 'failed' }, 'csv', file)).rows).toBe(1);
    const records = parse(fs.readFileSync(file), { bom: true, columns: true }) as Record<string, string>[];
    expect(records.map((r) => r['Source key'])).toEqual(['PO00004']);
    const none = path.join(ctx.dir, 'none.xlsx');
    expect((await exportAudit(profile.db, { search: 'nothing like this' }, 'xlsx', none)).rows).toBe(0);
  });

  it('keeps an existing file unless told to replace it, and leaves no partial file behind', async () => {
    auditedRun(profile.db, 2);
    const file = path.join(ctx.dir, 'keep.csv');
    fs.writeFileSync(file, 'precious');
    await expect(exportAudit(profile.db, {}, 'csv', file)).rejects.toThrow(/already exists/);
    expect(fs.readFileSync(file, 'utf8')).toBe('precious');
    expect((await exportAudit(profile.db, {}, 'csv', file, { overwrite: true })).rows).toBe(2);
    expect(fs.readFileSync(file, 'utf8')).toContain('PO00002');
    await expect(exportAudit(profile.db, {}, 'csv', path.join(ctx.dir, 'no-such-folder', 'x.csv'))).rejects.toThrow(/its folder does not exist/);
    expect(fs.readdirSync(ctx.dir).filter((f) => f.includes('partial'))).toEqual([]);
  });

  describe('20,000 events', () => {
    const N = 20_000;
    let big: Awaited<ReturnType<typeof openAuditProfile>>;
    beforeAll(async () => {
      big = await openAuditProfile();
      // One transaction for the set-up only (the runner commits event by event).
      big.profile.db.transaction(() => {
        for (let i = 1; i <= N; i++) appendAudit(big.profile.db, auditEvent(i, { reason: `Line ${i}: ${'x'.repeat(200)}` }));
      })();
    });
    afterAll(() => big.close());

    /** The profile's database, watched: how many rows each query hands back, and how big the file is by then. */
    function watched(db: Db, partial: string) {
      const reads: { rows: number; fileBytes: number }[] = [];
      const iterated: string[] = [];
      const bind = <T extends object>(target: T, key: string | symbol) => {
        const v = Reflect.get(target, key) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      };
      const spy = new Proxy(db, {
        get(target, key) {
          if (key !== 'prepare') return bind(target, key);
          return (sql: string) => {
            const statement = target.prepare(sql);
            return new Proxy(statement, {
              get(st, k) {
                if (k === 'all') {
                  return (...args: unknown[]) => {
                    const rows = (st.all as (...a: unknown[]) => unknown[])(...args);
                    reads.push({ rows: rows.length, fileBytes: fs.existsSync(partial) ? fs.statSync(partial).size : 0 });
                    return rows;
                  };
                }
                if (k === 'iterate') iterated.push(sql);
                return bind(st, k);
              },
            });
          };
        },
      });
      return { spy, reads, iterated };
    }

    for (const format of ['csv', 'xlsx'] as const) {
      it(`streams to ${format}: reads a batch at a time and writes earlier rows out before reading the last ones`, async () => {
        const file = path.join(big.dir, `big.${format}`);
        const { spy, reads, iterated } = watched(big.profile.db, `${file}.${process.pid}.partial`);
        const result = await exportAudit(spy, {}, format, file);
        expect(result.rows).toBe(N);
        expect(iterated).toEqual([]);
        const batches = reads.filter((r) => r.rows > 0);
        expect(batches.reduce((n, r) => n + r.rows, 0)).toBe(N);
        expect(Math.max(...batches.map((r) => r.rows))).toBeLessThanOrEqual(1000);
        expect(batches.length).toBeGreaterThanOrEqual(20);
        // By the time the last batch is read, most of the file is already on disk: rows are not held back.
        const finalBytes = fs.statSync(file).size;
        expect(batches[batches.length - 1]!.fileBytes).toBeGreaterThan(finalBytes * 0.5);
        if (format === 'csv') {
          const records = parse(fs.readFileSync(file), { bom: true, from_line: 2 }) as string[][];
          expect(records).toHaveLength(N);
          expect(records[N - 1]![6]).toBe('PO20000');
        }
      });
    }
  });
});
