import { periodKey, type AccountingPeriod } from '../store/reference';

// Fiscal periods in a finance person's words, pure: which period holds a date, and where a record dated in
// a closed period can post instead. Ferry never moves money to another period by itself: it says where it
// could go, and a person chooses (Needs attention → "Post in …", or `ferry replay ID --post-in-open-period`).

/** "2026-10": how periods are named in every message. */
export const periodName = periodKey;

/** A calendar day yyyy-mm-dd of an instant (UTC, like every date Ferry sends). */
export const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export function periodOfDay(periods: readonly AccountingPeriod[], day: string): AccountingPeriod | null {
  return periods.find((p) => p.startDate <= day && day <= p.endDate) ?? null;
}

export interface OpenPeriodChoice {
  period: AccountingPeriod;
  /** The accounting (GL) date the record would carry: today, or the first day of the open period. */
  postingDate: string;
}

/**
 * Where a record dated `day` in a closed period could post: today's period when it is open (the usual
 * choice: late items are booked in the current period, dated today); otherwise the first open period after
 * the record's own that has begun by today, dated its first day. Null when no period qualifies — then only
 * reopening the record's period helps.
 */
export function openPeriodFor(periods: readonly AccountingPeriod[], day: string, today: string): OpenPeriodChoice | null {
  const current = periodOfDay(periods, today);
  if (current?.open && today > day) return { period: current, postingDate: today };
  const later = periods.filter((p) => p.open && p.startDate > day && p.startDate <= today).sort((a, b) => a.startDate.localeCompare(b.startDate))[0];
  return later ? { period: later, postingDate: later.startDate } : null;
}

/**
 * What a person can do about a record dated in a closed period, in one sentence. `choice` undefined: today
 * is not known here, so the open period cannot be named.
 */
export function closedPeriodAdvice(closed: AccountingPeriod, choice: OpenPeriodChoice | null | undefined): string {
  const reopen = `reopen period ${periodName(closed)} in CloudSuite, then retry`;
  if (choice === undefined) return `Post it in an open period instead (Needs attention), or ${reopen}.`;
  if (!choice) return `No later period is open yet: ${reopen}.`;
  const open = periodName(choice.period);
  return `Post it in the open period ${open} instead ("Post in ${open}" in Needs attention), or ${reopen}.`;
}
