import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { FerryError } from '../../../shared/errors';
import { auditDownloadLimits } from '../../../shared/audit';
import { planAuditQuery, type AuditFilters, type AuditRow } from './audit';
import type { Db } from './db';

// Exports for auditors: every matching event, oldest first, read a batch at a time and written out as it goes,
// so a trail of millions of events never sits in memory and the database is free between batches.

export type AuditExportFormat = 'csv' | 'xlsx';
export const auditExportFormats: readonly AuditExportFormat[] = ['csv', 'xlsx'];

type ExportRow = Omit<AuditRow, 'capture' | 'prev_hash'>;

export const auditExportColumns: { header: string; width: number; value: (r: ExportRow) => string | number | null }[] = [
  { header: 'ID', width: 8, value: (r) => r.id },
  { header: 'Time (UTC)', width: 25, value: (r) => r.at },
  { header: 'Run', width: 22, value: (r) => r.run_id },
  { header: 'Flow', width: 16, value: (r) => r.flow },
  { header: 'Record type', width: 16, value: (r) => r.record_type },
  { header: 'Source system', width: 14, value: (r) => r.source_system },
  { header: 'Source key', width: 16, value: (r) => r.source_key },
  { header: 'Target system', width: 14, value: (r) => r.target_system },
  { header: 'Target key', width: 16, value: (r) => r.target_key },
  { header: 'Action', width: 12, value: (r) => r.action },
  { header: 'Outcome', width: 10, value: (r) => r.outcome },
  { header: 'Target status', width: 14, value: (r) => r.target_status },
  { header: 'Reason', width: 60, value: (r) => r.reason },
  { header: 'Hash', width: 66, value: (r) => r.hash },
];

export const EXPORT_BATCH_ROWS = 1000;
// Excel refuses longer cell text; the CSV keeps the whole reason.
const XLSX_CELL_MAX = 32_767;

/**
 * The matching rows, oldest first, fetched `batchSize` at a time by id (keyset paging). Events appended after the
 * export started are left out, so the file is one consistent cut of the trail.
 */
export function* auditExportRows(db: Db, filters: AuditFilters, batchSize = EXPORT_BATCH_ROWS): Generator<ExportRow> {
  const upTo = Math.min(filters.upToId ?? Number.MAX_SAFE_INTEGER, (db.prepare('SELECT coalesce(max(id), 0) AS id FROM audit_events').get() as { id: number }).id);
  // The matching ids come from the same indexes the Activity screen reads (store/audit.ts), a batch at a time.
  const plan = planAuditQuery(db, { ...filters, upToId: upTo });
  if (plan.empty) return;
  const page = db.prepare(
    `SELECT id, at, run_id, flow, record_type, source_system, source_key, target_system, target_key, action, outcome,
            target_status, reason, hash
     FROM audit_events
     WHERE id IN (SELECT id FROM ${plan.from} ${plan.where ? `${plan.where} AND` : 'WHERE'} ${plan.id} > @after ORDER BY id LIMIT @batch)
     ORDER BY id`,
  );
  let after = 0;
  for (;;) {
    const rows = page.all({ ...plan.params, after, batch: batchSize }) as ExportRow[];
    yield* rows;
    if (rows.length < batchSize) return;
    after = rows[rows.length - 1]!.id;
  }
}

export interface ExportResult {
  file: string;
  format: AuditExportFormat;
  rows: number;
}

/**
 * Writes the matching events to `file` as CSV (UTF-8 with a byte-order mark, so Excel shows accents) or XLSX.
 * The file appears only when complete (written beside it, then renamed); an existing file is kept unless
 * `overwrite`.
 */
export async function exportAudit(
  db: Db,
  filters: AuditFilters,
  format: AuditExportFormat,
  file: string,
  opts: { overwrite?: boolean; batchSize?: number } = {},
): Promise<ExportResult> {
  const target = path.resolve(file);
  if (!opts.overwrite && fs.existsSync(target)) {
    throw new FerryError('export_exists', `${target} already exists; choose another file name, or allow Ferry to replace it.`);
  }
  const partial = `${target}.${process.pid}.partial`;
  let rows = 0;
  const counted = function* (source: Iterable<ExportRow>): Generator<ExportRow> {
    for (const row of source) {
      rows++;
      yield row;
    }
  };
  try {
    const source = counted(auditExportRows(db, filters, opts.batchSize));
    const out = fs.createWriteStream(partial, { flags: 'wx', mode: 0o600 });
    await once(out, 'open');
    if (format === 'csv') await writeCsv(source, out);
    else await writeXlsx(source, out);
    fs.renameSync(partial, target);
  } catch (err) {
    fs.rmSync(partial, { force: true });
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EPERM' || code === 'EISDIR') {
      throw new FerryError('export_failed', `Ferry could not write ${target}: ${code === 'ENOENT' ? 'its folder does not exist' : 'it is not allowed to write there'}.`);
    }
    throw err;
  }
  return { file: target, format, rows };
}

/**
 * The same file for the app to download (exportAudit in the API): in memory, so nothing of the trail lands on disk
 * unencrypted, and refused with a sentence to act on when it would pass auditDownloadLimits.
 */
export async function exportAuditBytes(
  db: Db,
  filters: AuditFilters,
  format: AuditExportFormat,
  limits: { rows: number; bytes: number } = auditDownloadLimits,
): Promise<{ bytes: Buffer; rows: number }> {
  const matching = countMatching(db, filters);
  if (matching > limits.rows) {
    throw new FerryError(
      'export_too_large',
      `These filters match ${matching.toLocaleString('en-US')} events; the app downloads at most ${limits.rows.toLocaleString('en-US')} at a time. Narrow the filters (a flow, a status or a shorter date range), or run "ferry audit export --out FILE" with the same filters, which has no limit.`,
    );
  }
  let rows = 0;
  const counted = function* (source: Iterable<ExportRow>): Generator<ExportRow> {
    for (const row of source) {
      rows++;
      yield row;
    }
  };
  const sink = new MemorySink(limits.bytes);
  const source = counted(auditExportRows(db, filters));
  if (format === 'csv') await writeCsv(source, sink);
  else await writeXlsx(source, sink);
  if (sink.overflowed) {
    throw new FerryError(
      'export_too_large',
      `This file would be larger than the ${Math.round(limits.bytes / (1024 * 1024))} MB the app downloads at a time. Narrow the filters (a flow, a status or a shorter date range), or run "ferry audit export --out FILE" with the same filters, which has no limit.`,
    );
  }
  return { bytes: sink.contents(), rows };
}

function countMatching(db: Db, filters: AuditFilters): number {
  const plan = planAuditQuery(db, filters);
  if (plan.empty) return 0;
  return (db.prepare(`SELECT count(*) AS n FROM ${plan.from} ${plan.where}`).get(plan.params) as { n: number }).n;
}

/**
 * Collects what is written up to `max` bytes and drops the rest (the writers run to their end rather than stall
 * on an error mid-stream: the row limit bounds that), noting that it overflowed.
 */
class MemorySink extends Writable {
  private chunks: Buffer[] = [];
  private size = 0;
  overflowed = false;

  constructor(private readonly max: number) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.size += chunk.length;
    if (this.size > this.max) {
      this.overflowed = true;
      this.chunks = [];
    } else this.chunks.push(chunk);
    done();
  }

  contents(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

async function writeCsv(source: Iterable<ExportRow>, out: Writable): Promise<void> {
  const records = function* () {
    for (const row of source) yield auditExportColumns.map((c) => c.value(row));
  };
  await pipeline(
    Readable.from(records(), { objectMode: true }),
    stringify({ header: true, columns: auditExportColumns.map((c) => c.header), bom: true }),
    out,
  );
}

async function writeXlsx(source: Iterable<ExportRow>, out: Writable): Promise<void> {
  const closed = out instanceof fs.WriteStream ? once(out, 'close') : once(out, 'finish');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet('Audit trail', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = auditExportColumns.map((c, i) => ({ header: c.header, key: String(i), width: c.width }));
  sheet.getRow(1).font = { bold: true };
  let n = 0;
  for (const row of source) {
    sheet
      .addRow(auditExportColumns.map((c) => {
        const v = c.value(row);
        return typeof v === 'string' && v.length > XLSX_CELL_MAX ? `${v.slice(0, XLSX_CELL_MAX - 1)}…` : v;
      }))
      .commit();
    if (++n % EXPORT_BATCH_ROWS === 0) await drained(sheet, out);
  }
  sheet.commit();
  await workbook.commit();
  await closed;
}

/**
 * exceljs 4.4's streaming writer ignores backpressure (exceljs#1894, #2916): committed rows go into the zip
 * entry's buffer as fast as they come, and only the compressor empties it, so a long export would pile up in
 * memory. Waiting for that buffer (the PassThrough, from readable-stream 2, that archiver reads the sheet
 * from) and for the file to drain keeps memory flat however many rows there are.
 */
async function drained(sheet: ExcelJS.Worksheet, out: Writable): Promise<void> {
  type Entry = Writable & { _writableState?: { needDrain?: boolean } };
  const entry = (sheet as unknown as { stream?: { pipes?: Entry[] } }).stream?.pipes?.[0];
  if (entry && (entry.writableNeedDrain ?? entry._writableState?.needDrain)) await once(entry, 'drain');
  if (out.writableNeedDrain) await once(out, 'drain');
}
