import crypto from 'node:crypto';
import type { GlJournal, GlJournalLine } from '../../../shared/domain';
import { FerryError } from '../../../shared/errors';

// Costing rules for Jira hours, pure so they can be read and tested on their own:
// - the day of a worklog is the worker's own day, as Jira writes it in `started` (2026-11-03T09:00:00.000+0530);
// - a period is that day, or the ISO week (Monday–Sunday) it falls in;
// - each worklog is costed to the cent (hours × rate, half a cent rounds away from zero), and a journal
//   holds the sum of its worklogs' cents, so Σ journal = Σ rounded worklog costs;
// - a journal is balanced: one debit per coding (labour expense on the PO's account and cost center), one
//   credit to the accrual (clearing) account for the total.

const DAY_MS = 86_400_000;

/** The worker's calendar day of a worklog: the date part of Jira's `started`, which carries the worker's offset. */
export function workDay(started: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T/.exec(started);
  if (!m || Number.isNaN(Date.parse(`${m[1]}T00:00:00Z`))) throw new FerryError('invalid_input', `Jira sent a worklog start "${started}" that is not a date and time.`);
  return m[1]!;
}

export type PeriodKind = 'day' | 'week';

/** ISO week of a day: "2026-W45" (the week's Thursday decides the year). */
function isoWeek(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const weekday = (d.getUTCDay() + 6) % 7; // Monday = 0
  const thursday = new Date(d.getTime() + (3 - weekday) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.ceil(((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS + 1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export function periodOf(day: string, kind: PeriodKind): string {
  return kind === 'day' ? day : isoWeek(day);
}

/** The last calendar day of a period (the Sunday of an ISO week). */
export function periodLastDay(period: string): string {
  const week = /^(\d{4})-W(\d{2})$/.exec(period);
  if (!week) return period;
  const jan4 = new Date(Date.UTC(Number(week[1]), 0, 4));
  const monday1 = jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * DAY_MS;
  return new Date(monday1 + ((Number(week[2]) - 1) * 7 + 6) * DAY_MS).toISOString().slice(0, 10);
}

/** A period may be posted once `delayDays` whole days have passed after its last day (today is a UTC date). */
export function periodPostable(period: string, today: string, delayDays: number): boolean {
  const last = Date.parse(`${periodLastDay(period)}T00:00:00Z`);
  return last + (delayDays + 1) * DAY_MS <= Date.parse(`${today}T00:00:00Z`);
}

/**
 * Cents for `seconds` at `rate` per hour: seconds × rate / 36, rounded half away from zero. Integer
 * arithmetic on the rate in ten-thousandths (rates carry at most four decimals), so 0.1 + 0.2 never shows.
 */
export function costCents(seconds: number, rate: number): number {
  const rate4 = Math.round(rate * 10_000);
  const num = seconds * rate4;
  const den = 360_000;
  const sign = num < 0 ? -1 : 1;
  return sign * Math.floor((2 * Math.abs(num) + den) / (2 * den));
}

/** Hours with two decimals, for descriptions. */
export const hours = (seconds: number): string => (seconds / 3600).toFixed(2);

/**
 * Ferry's reference for a labour journal: findable again in CloudSuite (the batch reference it keeps with each
 * line). Industrial's reference holds 30 characters; a longer one is shortened to a stable hash.
 */
export function labourReference(issueKey: string, period: string, sequence: number): string {
  const suffix = sequence === 0 ? '' : `-A${sequence}`;
  const full = `FL-${issueKey}-${period.replace(/-/g, '')}${suffix}`;
  if (full.length <= 30) return full;
  const hash = crypto.createHash('sha256').update(`${issueKey}|${period}`).digest('hex').slice(0, 30 - 3 - suffix.length);
  return `FL-${hash.toUpperCase()}${suffix}`;
}

export interface Coding {
  account: string;
  costCenter: string | null;
  project: string | null;
}

export interface CodedDelta extends Coding {
  cents: number;
  seconds: number;
}

export interface JournalSettings {
  accrualAccount: string;
  accrualCostCenter: string | null;
}

/**
 * A balanced journal moving `deltas` (per coding): expense lines carry each coding's cents (a negative
 * delta reverses), the accrual line carries minus the total. Codings whose delta is zero are left out.
 */
export function labourJournal(o: { reference: string; date: string; issueKey: string; period: string; adjustment: boolean; deltas: CodedDelta[]; settings: JournalSettings }): GlJournal {
  // Descriptions fit CloudSuite Industrial's 40 characters; the reference and Ferry's ledger carry the rest.
  const cut = (s: string) => s.slice(0, 40);
  const what = `${o.adjustment ? 'Adj. labour' : 'Labour'} ${o.issueKey} ${o.period}`;
  const merged = new Map<string, CodedDelta>();
  for (const d of o.deltas) {
    const k = `${d.account}|${d.costCenter ?? ''}|${d.project ?? ''}`;
    const m = merged.get(k);
    merged.set(k, m ? { ...m, cents: m.cents + d.cents, seconds: m.seconds + d.seconds } : { ...d });
  }
  const expense: GlJournalLine[] = [...merged.values()]
    .filter((d) => d.cents !== 0)
    .map((d) => ({ account: d.account, costCenter: d.costCenter, project: d.project, amount: d.cents / 100, description: cut(`${what} ${hours(d.seconds)}h`) }));
  const total = [...merged.values()].reduce((s, d) => s + d.cents, 0);
  const project = new Set(expense.map((l) => l.project)).size === 1 ? (expense[0]?.project ?? null) : null;
  const lines = total === 0 ? expense : [...expense, { account: o.settings.accrualAccount, costCenter: o.settings.accrualCostCenter, project, amount: -total / 100, description: cut(`Accrued ${what.toLowerCase()}`) }];
  return { reference: o.reference, date: o.date, description: cut(what), lines };
}
