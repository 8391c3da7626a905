import type { Row } from './ido-filter';
import { accountProblem, periodProblem, same } from './books';
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

/** On insert, the server fills what CloudSuite fills: next voucher / sequence numbers and defaults. */
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
      row.Voucher ??= nextVoucher(tables);
      row.Type ??= 'V';
      // The vendor's A/P account (APVoucherandAdjustmentSp returns it as the default in the product).
      row.ApAcct ??= '201000';
      break;
    case 'SLAptrxds':
      row.DistSeq ??= nextAfter(tables.rows('SLAptrxds').filter((d) => same(d.VendNum, row.VendNum) && d.Voucher === row.Voucher), 'DistSeq', 0);
      break;
  }
}

/** The next voucher number: above every entered and posted voucher (AptrxGetVoucherNoSp's answer). */
export function nextVoucher(tables: IdoTables): string {
  const max = (rows: readonly Row[]) => rows.reduce((m, r) => Math.max(m, Number(r.Voucher) || 0), 9_999);
  return String(Math.max(max(tables.rows('SLAptrxs')), max(tables.rows('SLAptrxps'))) + 1);
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
    { watch: ['VendNum'], on: ['insert', 'update'], check: (c) => vendorProblem(c.tables, c.after.VendNum) },
    // The GL period is the distribution date's; without one, the invoice date's.
    { watch: ['InvDate', 'DistDate'], on: ['insert', 'update'], check: (c) => periodProblem(c.tables, c.after.DistDate ?? c.after.InvDate, `invoice ${c.after.InvNum ?? ''}`.trim()) },
    {
      watch: ['VendNum', 'InvNum'],
      on: ['insert', 'update'],
      check: (c) => {
        // AptrxVerifyInvNumSp's check: one invoice number per vendor, entered or posted.
        const same_ = (v: Row) => v.RowPointer !== c.after.RowPointer && same(v.VendNum, c.after.VendNum) && same(v.InvNum, c.after.InvNum);
        const dup = c.tables.find('SLAptrxs', same_) ?? c.tables.find('SLAptrxps', same_);
        return dup ? `Invoice ${c.after.InvNum} of vendor ${c.after.VendNum} was already entered as voucher ${dup.Voucher}.` : null;
      },
    },
  ],
  SLAptrxds: [
    {
      watch: 'always',
      on: ['insert', 'update', 'delete'],
      check: (c) => {
        // Posted vouchers are not in SLAptrxs any more: their distributions cannot be touched.
        return voucherOf(c.tables, c.after) ? null : `Voucher ${c.after.Voucher} of vendor ${c.after.VendNum} does not exist or is posted.`;
      },
    },
    { watch: ['Acct', 'AcctUnit1'], on: ['insert', 'update'], check: (c) => accountProblem(c.tables, c.after.Acct, c.after.AcctUnit1) },
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

export { blank, same, accountProblem, periodProblem };
