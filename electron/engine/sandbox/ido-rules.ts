import { compare, toTime, type Row } from './ido-filter';
import type { IdoTables } from './ido-tables';

// CloudSuite Industrial's business rules for the writes Ferry makes (POs, AP vouchers and their
// distributions, GL journal lines), enforced the way the real server does: the save is refused with
// Success:false and a sentence, on HTTP 200. Messages name the record and the reason so a Ferry user can act.
// Rules that need several rows at once (a balanced journal, a voucher whose distributions match its amount)
// live in ido-invoke.ts, because lines are saved one request at a time.

export type WriteAction = 'insert' | 'update' | 'delete';

export interface WriteCheck {
  tables: IdoTables;
  ido: string;
  action: WriteAction;
  /** The stored row (null on insert). */
  before: Row | null;
  /** The row as it would be stored (the stored row on delete). */
  after: Row;
  /** Property names the request changed. */
  modified: ReadonlySet<string>;
}

const blank = (v: string | null | undefined): boolean => v === null || v === undefined || v.trim() === '';
const same = (a: string | null | undefined, b: string | null | undefined): boolean => !blank(a) && !blank(b) && compare(a!, b!, 'string') === 0;

/** On insert, the server fills what CloudSuite fills: next voucher / sequence numbers and status defaults. */
export function applyInsertDefaults(tables: IdoTables, ido: string, row: Row): void {
  const nextAfter = (rows: readonly Row[], prop: string, start: number) => String(rows.reduce((m, r) => Math.max(m, Number(r[prop]) || 0), start) + 1);
  switch (ido) {
    case 'SLPos':
      row.Stat ??= 'P';
      row.Type ??= 'R';
      break;
    case 'SLPoItems':
      row.PoRelease ??= '0';
      row.Stat ??= 'P';
      break;
    case 'SLAptrxs':
      row.Voucher ??= nextAfter(tables.rows('SLAptrxs'), 'Voucher', 9_999);
      row.Type ??= 'V';
      // 'O' = entered, not yet posted; PostVoucher sets 'P' like the seeded history.
      row.Stat ??= 'O';
      break;
    case 'SLAptrxds':
      row.DistSeq ??= nextAfter(tables.rows('SLAptrxds').filter((d) => same(d.VendNum, row.VendNum) && d.Voucher === row.Voucher), 'DistSeq', 0);
      break;
    case 'SLJournals':
      row.Seq ??= nextAfter(tables.rows('SLJournals').filter((j) => same(j.JournalId, row.JournalId)), 'Seq', 0);
      row.Posted ??= '0';
      break;
  }
}

/** The fiscal period a date falls in must exist and be open. */
export function periodProblem(tables: IdoTables, date: string | null | undefined, what: string): string | null {
  if (blank(date)) return null;
  const t = toTime(date!);
  const period = tables.find('SLPeriods', (p) => toTime(p.StartDate ?? '') <= t && t <= toTime(p.EndDate ?? ''));
  if (!period) return `No accounting period covers ${date!.slice(0, 8)}; ${what} cannot be posted.`;
  if (period.Stat !== 'O') return `Accounting period ${period.FiscalYear}/${period.Period} is closed; ${what} dated ${date!.slice(0, 8)} cannot be posted to it.`;
  return null;
}

/** A GL account must exist, be active, and carry unit code 1 (the cost center) when the chart requires it. */
export function accountProblem(tables: IdoTables, acct: string | null | undefined, unit1: string | null | undefined): string | null {
  if (blank(acct)) return 'An account is required.';
  const a = tables.find('SLCharts', (c) => same(c.Acct, acct));
  if (!a) return `Account ${acct} is not in the chart of accounts.`;
  if (a.Stat === 'I') return `Account ${acct} is inactive.`;
  if (a.UnitCd1Access === 'R' && blank(unit1)) return `Account ${acct} requires unit code 1 (cost center).`;
  if (!blank(unit1)) {
    const unit = tables.find('SLUnitcd1s', (u) => same(u.UnitCd1, unit1));
    if (!unit || unit.Stat === 'I') return `Unit code 1 ${unit1} is not a valid cost center.`;
  }
  return null;
}

const vendorProblem = (tables: IdoTables, vendNum: string | null | undefined): string | null =>
  tables.find('SLVendors', (v) => same(v.VendNum, vendNum)) ? null : `Vendor ${vendNum ?? '(blank)'} does not exist.`;

const voucherOf = (tables: IdoTables, r: Row): Row | undefined =>
  tables.find('SLAptrxs', (v) => same(v.VendNum, r.VendNum) && v.Voucher === r.Voucher);

/** One rule: the properties it watches (checked on insert, and on update when one of them changed). */
interface Rule {
  watch: string[] | 'always';
  on: WriteAction[];
  check(c: WriteCheck): string | null;
}

const RULES: Record<string, Rule[]> = {
  SLPos: [{ watch: ['VendNum'], on: ['insert', 'update'], check: (c) => vendorProblem(c.tables, c.after.VendNum) }],
  SLAptrxs: [
    { watch: 'always', on: ['update', 'delete'], check: (c) => (c.before?.Stat === 'P' ? `Voucher ${c.before.Voucher} is posted and cannot be changed.` : null) },
    { watch: ['VendNum'], on: ['insert', 'update'], check: (c) => vendorProblem(c.tables, c.after.VendNum) },
    // The GL period is the distribution date's; without one, the invoice date's.
    { watch: ['InvDate', 'DistDate'], on: ['insert', 'update'], check: (c) => periodProblem(c.tables, c.after.DistDate ?? c.after.InvDate, `invoice ${c.after.InvNum ?? ''}`.trim()) },
    {
      watch: ['VendNum', 'InvNum'],
      on: ['insert', 'update'],
      check: (c) => {
        const dup = c.tables.find('SLAptrxs', (v) => v.RowPointer !== c.after.RowPointer && same(v.VendNum, c.after.VendNum) && same(v.InvNum, c.after.InvNum));
        return dup ? `Invoice ${c.after.InvNum} of vendor ${c.after.VendNum} was already entered as voucher ${dup.Voucher}.` : null;
      },
    },
  ],
  SLAptrxds: [
    {
      watch: 'always',
      on: ['insert', 'update', 'delete'],
      check: (c) => {
        const voucher = voucherOf(c.tables, c.after);
        if (!voucher) return `Voucher ${c.after.Voucher} of vendor ${c.after.VendNum} does not exist.`;
        return voucher.Stat === 'P' ? `Voucher ${voucher.Voucher} is posted; its distributions cannot be changed.` : null;
      },
    },
    { watch: ['Acct', 'AcctUnit1'], on: ['insert', 'update'], check: (c) => accountProblem(c.tables, c.after.Acct, c.after.AcctUnit1) },
  ],
  SLJournals: [
    { watch: 'always', on: ['update', 'delete'], check: (c) => (c.before?.Posted === '1' ? `Journal line ${c.before.JournalId}/${c.before.Seq} is posted and cannot be changed.` : null) },
    { watch: ['Acct', 'AcctUnit1'], on: ['insert', 'update'], check: (c) => accountProblem(c.tables, c.after.Acct, c.after.AcctUnit1) },
    { watch: ['TransDate'], on: ['insert', 'update'], check: (c) => periodProblem(c.tables, c.after.TransDate, `journal line ${c.after.JournalId}/${c.after.Seq}`) },
  ],
};

/** The first rule the write breaks, as CloudSuite's message, or null. */
export function checkWrite(c: WriteCheck): string | null {
  for (const rule of RULES[c.ido] ?? []) {
    if (!rule.on.includes(c.action)) continue;
    if (c.action === 'update' && rule.watch !== 'always' && !rule.watch.some((p) => c.modified.has(p))) continue;
    const problem = rule.check(c);
    if (problem) return problem;
  }
  return null;
}

export { blank, same };
