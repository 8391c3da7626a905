import { compare, toTime, type Row } from './ido-filter';
import { idoDecimal } from './ido-schema';
import type { IdoTables } from './ido-tables';

// The sandbox's general ledger, shared by both products' simulators: fiscal periods (the books as months,
// open or closed), the chart's rules, and posting — an entered voucher moves to SLAptrxps and its lines to
// SLLedgers; journal entries move from SLJournals to SLLedgers. What Industrial's AptrxpSp and GlPostSp3 do,
// and what M3's APS450MI approval and GLS840MI update do to the same rows.

const blank = (v: string | null | undefined): boolean => v === null || v === undefined || v.trim() === '';
export const same = (a: string | null | undefined, b: string | null | undefined): boolean => !blank(a) && !blank(b) && compare(a!, b!, 'string') === 0;

/** The period (an internal SLPeriods row: FiscalYear, Period, StartDate, EndDate, Stat O/C) holding a date, or undefined. */
export function periodOfDate(tables: IdoTables, date: string): Row | undefined {
  const t = toTime(date);
  if (Number.isNaN(t)) return undefined;
  return tables.find('SLPeriods', (p) => toTime(p.StartDate ?? '') <= t && t <= toTime(p.EndDate ?? ''));
}

/** Why nothing can be posted on this date (no period, or a closed one), or null. */
export function periodProblem(tables: IdoTables, date: string | null | undefined, what: string): string | null {
  if (blank(date)) return null;
  const period = periodOfDate(tables, date!);
  if (!period) return `No accounting period covers ${date!.slice(0, 8)}; ${what} cannot be posted.`;
  if (period.Stat !== 'O') return `Accounting period ${period.FiscalYear}/${period.Period} is closed; ${what} dated ${date!.slice(0, 8)} cannot be posted to it.`;
  return null;
}

/** Why an account cannot take postings (not in the chart, or obsolete), or null. */
export function accountInUse(tables: IdoTables, acct: string | null | undefined): string | null {
  if (blank(acct)) return 'An account is required.';
  const a = tables.find('SLCharts', (c) => same(c.Acct, acct));
  if (!a) return `Account ${acct} is not in the chart of accounts.`;
  if (!blank(a.ObsDate)) return `Account ${acct} is obsolete.`;
  return null;
}

/** An account must exist and not be obsolete, and carry unit code 1 (the cost center) when the chart requires it. */
export function accountProblem(tables: IdoTables, acct: string | null | undefined, unit1: string | null | undefined): string | null {
  const inUse = accountInUse(tables, acct);
  if (inUse) return inUse;
  const a = tables.find('SLCharts', (c) => same(c.Acct, acct))!;
  if (a.AccessUnit1 === 'R' && blank(unit1)) return `Account ${acct} requires unit code 1 (cost center).`;
  if (!blank(unit1) && !tables.find('SLUnitcd1s', (u) => same(u.Unit1, unit1))) return `Unit code 1 ${unit1} is not a valid cost center.`;
  return null;
}

const cents = (v: string | null | undefined): number => Math.round(Number(v ?? 0) * 100);
const money = (c: number): string => (Math.abs(c) / 100).toFixed(2);

function nextTransNum(tables: IdoTables): number {
  return tables.rows('SLLedgers').reduce((m, r) => Math.max(m, Number(r.TransNum) || 0), 0) + 1;
}

export interface LedgerLine {
  acct: string;
  units: (string | null | undefined)[];
  cents: number;
  ref: string | null;
  transDate: string;
  vendNum?: string | null;
  voucher?: string | null;
  fromId: string;
  control?: { prefix: string | null; site: string | null; year: string | null; period: string | null; number: string | null };
}

export function addLedgerLines(tables: IdoTables, lines: LedgerLine[]): void {
  let trans = nextTransNum(tables);
  for (const l of lines) {
    tables.insert('SLLedgers', {
      TransNum: String(trans++), TransDate: l.transDate, Acct: l.acct, AcctUnit1: l.units[0] ?? null, AcctUnit2: l.units[1] ?? null,
      AcctUnit3: l.units[2] ?? null, AcctUnit4: l.units[3] ?? null, DomAmount: idoDecimal(l.cents / 100), Ref: l.ref, VendNum: l.vendNum ?? null,
      Voucher: l.voucher ?? null, FromId: l.fromId, ControlPrefix: l.control?.prefix ?? null, ControlSite: l.control?.site ?? null,
      ControlYear: l.control?.year ?? null, ControlPeriod: l.control?.period ?? null, ControlNumber: l.control?.number ?? null,
    });
  }
}

/** The journal posted A/P vouchers are written to (the journal id the product locks while posting them). */
export const AP_JOURNAL = 'AP Dist';

/**
 * The journals this sandbox's company has: the product's own, and FERRY, the one its admin set up for Ferry
 * (what Ferry's connection test asks for). Entering into or posting any other journal is refused.
 */
export const SANDBOX_JOURNALS = [AP_JOURNAL, 'GJ Dist', 'FERRY'];
export const isJournal = (id: string | null | undefined): boolean => SANDBOX_JOURNALS.some((j) => same(j, id));

/**
 * Posts an entered voucher: its distribution date's period must be open, its distributions valid and equal to
 * its amount. Then it moves to SLAptrxps and its lines (distributions, and the A/P account for the total) to
 * SLLedgers. Returns the reason when it cannot post; nothing changes then.
 */
export function postVoucher(tables: IdoTables, voucher: Row): string | null {
  const dists = tables.rows('SLAptrxds').filter((d) => same(d.VendNum, voucher.VendNum) && d.Voucher === voucher.Voucher);
  const date = voucher.DistDate ?? voucher.InvDate;
  const period = periodProblem(tables, date, `voucher ${voucher.Voucher}`);
  if (period) return period;
  if (dists.length === 0) return `Voucher ${voucher.Voucher} has no distributions.`;
  for (const d of dists) {
    const problem = accountProblem(tables, d.Acct, d.AcctUnit1);
    if (problem) return `Voucher ${voucher.Voucher}, distribution ${d.DistSeq}: ${problem}`;
  }
  const diff = dists.reduce((s, d) => s + cents(d.Amount), 0) - cents(voucher.InvAmt);
  if (diff !== 0) return `Voucher ${voucher.Voucher} is out of balance by ${money(diff)}: its distributions total ${money(cents(voucher.InvAmt) + diff)}, the invoice amount is ${money(cents(voucher.InvAmt))}.`;
  // The vendor's A/P account, which the product fills in itself, is checked only now: a client cannot see it
  // fail before posting.
  const apAcct = voucher.ApAcct ?? '201000';
  const apProblem = accountInUse(tables, apAcct);
  if (apProblem) return `Voucher ${voucher.Voucher}, A/P account: ${apProblem}`;
  const v = (name: string): string | null => voucher[name] ?? null;
  tables.insert('SLAptrxps', {
    VendNum: v('VendNum'), Voucher: v('Voucher'), VouchSeq: '1', Type: v('Type') ?? 'V', InvNum: v('InvNum'), InvDate: v('InvDate'),
    DistDate: date ?? null, DueDate: v('DueDate'), InvAmt: v('InvAmt'), PoNum: v('PoNum'), Ref: v('Ref'), ApAcct: apAcct,
  });
  const base = { ref: v('Ref'), transDate: date!, vendNum: v('VendNum'), voucher: v('Voucher'), fromId: AP_JOURNAL };
  addLedgerLines(tables, [
    ...[...dists].sort((a, b) => Number(a.DistSeq) - Number(b.DistSeq)).map((d) => ({ ...base, acct: d.Acct!, units: [d.AcctUnit1, d.AcctUnit2, d.AcctUnit3, d.AcctUnit4], cents: cents(d.Amount) })),
    { ...base, acct: apAcct, units: [], cents: -cents(voucher.InvAmt) },
  ]);
  for (const d of dists) tables.delete('SLAptrxds', d.RowPointer!);
  tables.delete('SLAptrxs', voucher.RowPointer!);
  return null;
}

/**
 * Posts the unposted entries of one journal dated up to `through`: each line's period open and account
 * valid, and the entries balanced. They then move to SLLedgers. Returns the reason when they cannot post.
 */
export function postJournal(tables: IdoTables, journalId: string, through: string | null): { posted: number } | { problem: string } {
  const limit = through ? toTime(through) : Number.POSITIVE_INFINITY;
  const lines = tables.rows('SLJournals').filter((j) => same(j.Id, journalId) && toTime(j.TransDate ?? '') <= limit);
  if (lines.length === 0) return { problem: `Journal '${journalId}' has no entries to post.` };
  for (const line of lines) {
    const problem = accountProblem(tables, line.Acct, line.AcctUnit1) ?? periodProblem(tables, line.TransDate, `journal entry ${line.Id}/${line.Seq}`);
    if (problem) return { problem: `Journal '${journalId}' cannot be posted: ${problem}` };
  }
  const total = lines.reduce((sum, l) => sum + cents(l.DomAmount), 0);
  if (total !== 0) return { problem: `Journal '${journalId}' is out of balance by ${money(total)} (${total > 0 ? 'debits' : 'credits'} exceed ${total > 0 ? 'credits' : 'debits'}).` };
  addLedgerLines(
    tables,
    [...lines].sort((a, b) => Number(a.Seq) - Number(b.Seq)).map((l) => ({
      acct: l.Acct!, units: [l.AcctUnit1, l.AcctUnit2, l.AcctUnit3, l.AcctUnit4], cents: cents(l.DomAmount), ref: l.Ref ?? null, transDate: l.TransDate!, fromId: journalId,
      control: { prefix: l.ControlPrefix ?? null, site: l.ControlSite ?? null, year: l.ControlYear ?? null, period: l.ControlPeriod ?? null, number: l.ControlNumber ?? null },
    })),
  );
  for (const l of lines) tables.delete('SLJournals', l.RowPointer!);
  return { posted: lines.length };
}
