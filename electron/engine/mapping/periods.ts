// Fiscal periods in a finance person's words: whether CloudSuite takes a posting on a date, which period
// that is, and where a record dated in a closed period could post instead. Ferry asks CloudSuite itself (on
// Industrial the product's own date check, SLPeriods.DateChkSp, and PerGetSp for the period's name), a day
// at a time and once per run, instead of keeping a list of periods whose layout is not published. Ferry never
// moves money to another period by itself: it says where it could go, and a person chooses (Needs attention
// → "Post in …", or `ferry replay ID --post-in-open-period`).

/** What CloudSuite says of one posting date. */
export interface PostingDateCheck {
  /** yyyy-mm-dd */
  day: string;
  /** CloudSuite takes postings on this day. */
  open: boolean;
  /** The fiscal period holding the day, as "2026-10" (year and period number); null when no period does. */
  period: string | null;
  /** CloudSuite's own words when it does not take the day. */
  reason: string | null;
}

/** What an adapter offers when its product can check posting dates (Industrial); M3 cannot. */
export interface PeriodSource {
  checkPostingDates(days: readonly string[]): Promise<PostingDateCheck[]>;
}

export function periodSource(adapter: object): PeriodSource | null {
  const candidate = adapter as Partial<PeriodSource>;
  return typeof candidate.checkPostingDates === 'function' ? { checkPostingDates: (days) => candidate.checkPostingDates!.call(adapter, days) } : null;
}

/** A calendar day yyyy-mm-dd of an instant (UTC, like every date Ferry sends). */
export const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** "2026-10": a fiscal year and period number as every message names them. */
export const periodName = (year: number | string, period: number | string): string => `${year}-${String(period).padStart(2, '0')}`;

/**
 * The answers of one run (or one person's action), asked only for days not asked yet: a run of a thousand
 * invoices dated on ten days costs ten checks. Validation reads it synchronously once the days are loaded.
 */
export class PeriodBook {
  private readonly checks = new Map<string, PostingDateCheck>();

  constructor(private readonly source: PeriodSource | null) {}

  /** Whether this product can check dates at all (when not, the period rule is skipped). */
  get available(): boolean {
    return this.source !== null;
  }

  async load(days: Iterable<string>): Promise<void> {
    if (!this.source) return;
    const missing = [...new Set(days)].filter((d) => !this.checks.has(d));
    if (missing.length === 0) return;
    for (const c of await this.source.checkPostingDates(missing)) this.checks.set(c.day, c);
  }

  get(day: string): PostingDateCheck | undefined {
    return this.checks.get(day);
  }
}

export interface OpenPeriodChoice {
  period: string;
  /** The accounting (GL) date the record would carry: today, in the open period. */
  postingDate: string;
}

/**
 * Where a record dated `day` in a closed period could post: today's period, dated today, when CloudSuite takes
 * postings today (the usual choice: a late item is booked in the current period). Null when it does not —
 * then only reopening the record's own period helps. `today`'s check must be loaded.
 */
export function openPeriodFor(book: PeriodBook, day: string, today: string): OpenPeriodChoice | null {
  const check = book.get(today);
  return check?.open && check.period && today > day ? { period: check.period, postingDate: today } : null;
}

/**
 * What a person can do about a record dated in a closed period, in one sentence. `choice` undefined: today
 * is not known here, so the open period cannot be named.
 */
export function closedPeriodAdvice(closedPeriod: string, choice: OpenPeriodChoice | null | undefined): string {
  const reopen = `reopen period ${closedPeriod} in CloudSuite, then retry`;
  if (choice === undefined) return `Post it in an open period instead (Needs attention), or ${reopen}.`;
  if (!choice) return `No later period is open yet: ${reopen}.`;
  return `Post it in the open period ${choice.period} instead ("Post in ${choice.period}" in Needs attention), or ${reopen}.`;
}
