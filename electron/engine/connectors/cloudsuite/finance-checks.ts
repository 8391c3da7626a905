import type { ApVoucher, GlJournal } from '../../../../shared/domain';
import { ConnectorError } from '../../http/errors';

// Checks made before anything is sent to CloudSuite, so a journal or voucher that cannot post never leaves a
// half-entered batch behind, plus the small conversions both products share. Not retryable: the input
// must change.

export const cents = (amount: number): number => Math.round(amount * 100);
export const money = (c: number): string => (c / 100).toFixed(2);

const invalid = (code: string, message: string, detail?: unknown) => new ConnectorError(code, message, { system: 'CloudSuite', retryable: false, detail });

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date yyyy-mm-dd that exists, or a typed error naming the field. */
export function calendarDay(value: string, field: string): string {
  const m = DAY.exec(value);
  const d = m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!)) : null;
  if (!m || !d || d.toISOString().slice(0, 10) !== value) throw invalid('invalid_input', `${field} "${value}" is not a date (yyyy-mm-dd).`, { field });
  return value;
}

/** Refuses a journal whose lines do not sum to zero, or that has none, before any request. */
export function checkJournal(journal: GlJournal): void {
  calendarDay(journal.date, 'The journal date');
  if (!journal.reference.trim()) throw invalid('invalid_input', 'A journal needs a reference, so that it can be found again and never posted twice.');
  if (journal.lines.length === 0) throw invalid('journal_unbalanced', `Journal ${journal.reference} has no lines.`);
  const bad = journal.lines.findIndex((l) => !Number.isFinite(l.amount) || cents(l.amount) === 0);
  if (bad >= 0) throw invalid('invalid_input', `Line ${bad + 1} of journal ${journal.reference} has no amount.`, { line: bad + 1 });
  const debit = journal.lines.filter((l) => l.amount > 0).reduce((s, l) => s + cents(l.amount), 0);
  const credit = journal.lines.filter((l) => l.amount < 0).reduce((s, l) => s - cents(l.amount), 0);
  if (debit !== credit) {
    throw invalid(
      'journal_unbalanced',
      `Journal ${journal.reference} does not balance: debits ${money(debit)}, credits ${money(credit)}. Ferry did not send it to CloudSuite.`,
      { debit: debit / 100, credit: credit / 100 },
    );
  }
}

/** Refuses a voucher whose distributions do not add up to its amount, before any request. */
export function checkVoucher(v: ApVoucher): void {
  calendarDay(v.invoiceDate, 'The invoice date');
  if (v.dueDate) calendarDay(v.dueDate, 'The due date');
  if (!v.reference.trim()) throw invalid('invalid_input', 'A voucher needs a reference, so that it can be found again and never entered twice.');
  if (v.distributions.length === 0) throw invalid('voucher_unbalanced', `Voucher ${v.reference} has no distributions.`);
  const total = v.distributions.reduce((s, d) => s + cents(d.amount), 0);
  if (total !== cents(v.amount)) {
    throw invalid(
      'voucher_unbalanced',
      `Voucher ${v.reference} does not add up: the distributions total ${money(total)}, the invoice amount is ${money(cents(v.amount))}. Ferry did not send it to CloudSuite.`,
      { distributions: total / 100, amount: v.amount },
    );
  }
}

/** What a product cannot do through its API, said plainly; not retryable. */
export function notSupported(message: string): ConnectorError {
  return invalid('not_supported', message);
}

/**
 * The record found under a reference is not the one being written (another amount or vendor): Ferry stops
 * rather than post something different under the same reference.
 */
export function referenceConflict(what: string, reference: string, difference: string): ConnectorError {
  return invalid('reference_conflict', `CloudSuite already holds ${what} ${reference}, but ${difference}. Ferry did not change or repost it; check it in CloudSuite.`, { reference });
}
