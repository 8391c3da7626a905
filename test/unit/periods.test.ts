import { describe, expect, it } from 'vitest';
import { closedPeriodAdvice, isoDay, openPeriodFor, periodOfDay } from '../../electron/engine/mapping/periods';
import { validatePeriod, validationContext } from '../../electron/engine/mapping/validate';
import type { AccountingPeriod } from '../../electron/engine/store/reference';
import { groupFailures, periodFixFor, ruleOf } from '../../electron/engine/sync/failure-triage';
import type { Failure } from '../../electron/engine/store/failures';

// Where a record of a closed fiscal period can post instead, and how Needs attention reads that back from the
// sentence the period rule writes.

const month = (year: number, m: number, open: boolean): AccountingPeriod => {
  const start = new Date(Date.UTC(year, m - 1, 1));
  const end = new Date(Date.UTC(year, m, 0));
  return { year, period: m, startDate: isoDay(start.getTime()), endDate: isoDay(end.getTime()), open };
};
// Books closed up to October; November to January open.
const periods = [month(2026, 9, false), month(2026, 10, false), month(2026, 11, true), month(2026, 12, true), month(2027, 1, true)];

describe('the open period a record of a closed one could post in', () => {
  it('is today’s period when it is open, dated today', () => {
    expect(openPeriodFor(periods, '2026-10-19', '2026-12-07')).toEqual({ period: periods[3], postingDate: '2026-12-07' });
    // Today on the last day of a month: that month's period, dated that day.
    expect(openPeriodFor(periods, '2026-09-30', '2026-11-30')).toEqual({ period: periods[2], postingDate: '2026-11-30' });
  });

  it('is the first open period after the record’s own, dated its first day, when today’s is closed or unknown', () => {
    const decemberClosed = periods.map((p) => (p.period === 12 ? { ...p, open: false } : p));
    expect(openPeriodFor(decemberClosed, '2026-10-19', '2026-12-07')).toEqual({ period: periods[2], postingDate: '2026-11-01' });
    expect(openPeriodFor(periods.slice(0, 3), '2026-10-19', '2027-03-01')).toEqual({ period: periods[2], postingDate: '2026-11-01' });
  });

  it('is none when nothing after the record is open yet: only reopening helps, and the advice says so', () => {
    const allClosed = periods.map((p) => ({ ...p, open: false }));
    expect(openPeriodFor(allClosed, '2026-10-19', '2026-12-07')).toBeNull();
    // A period that has not begun by today is no choice either (no posting into the future).
    expect(openPeriodFor([month(2026, 10, false), month(2027, 1, true)], '2026-10-19', '2026-12-07')).toBeNull();
    expect(closedPeriodAdvice(periods[1]!, null)).toBe('No later period is open yet: reopen period 2026-10 in CloudSuite, then retry.');
    expect(closedPeriodAdvice(periods[1]!, { period: periods[3]!, postingDate: '2026-12-07' })).toBe(
      'Post it in the open period 2026-12 instead ("Post in 2026-12" in Needs attention), or reopen period 2026-10 in CloudSuite, then retry.',
    );
  });

  it('finds the period of a day at either end of a leap-year February', () => {
    const feb = [month(2028, 2, false)];
    expect(periodOfDay(feb, '2028-02-29')).toBe(feb[0]);
    expect(periodOfDay(feb, '2028-03-01')).toBeNull();
  });
});

describe('the period rule and Needs attention', () => {
  const ctx = validationContext({ periods, today: '2026-12-07' });
  const [err] = validatePeriod(ctx, 'Invoice INV-2610', '2026-10-19', 'invoiceDate');
  const failure = (flow: string, reason = err!.message): Failure =>
    ({ id: 1, flow, code: 'validation_failed', reason, sourceKey: 'JAG-INV-1', state: 'open', updatedAt: '2026-12-07T10:00:00.000Z' }) as Failure;

  it('says what is closed, which rule, and what a person can do', () => {
    expect(err!.message).toBe(
      'Invoice INV-2610: fiscal period 2026-10 is closed for 2026-10-19 (rule: period open). Post it in the open period 2026-12 instead ("Post in 2026-12" in Needs attention), or reopen period 2026-10 in CloudSuite, then retry.',
    );
    expect(ruleOf(err!.message)).toBe('period open');
    expect(validatePeriod(ctx, 'Invoice INV-2612', '2026-12-01')).toEqual([]);
    expect(validatePeriod(ctx, 'Invoice INV-2701', '2027-06-01')[0]!.message).toBe(
      'Invoice INV-2701: no fiscal period covers 2027-06-01 (rule: period open). Ask your CloudSuite administrator to set up that period, then retry.',
    );
  });

  it('offers "Post in 2026-12" for an invoice or a journal, and nothing once the period is reopened', () => {
    expect(periodFixFor(failure('invoice-to-cloudsuite'), periods, '2026-12-07')).toEqual({
      closedPeriod: '2026-10',
      recordDate: '2026-10-19',
      openPeriod: '2026-12',
      postingDate: '2026-12-07',
      what: 'Post it in the open period 2026-12, dated 2026-12-07; the record keeps its own date 2026-10-19.',
    });
    expect(periodFixFor(failure('worklog-to-gl'), periods, '2026-12-07')).toMatchObject({ openPeriod: '2026-12' });
    const reopened = periods.map((p) => ({ ...p, open: true }));
    expect(periodFixFor(failure('invoice-to-cloudsuite'), reopened, '2026-12-07')).toBeNull();
    expect(periodFixFor(failure('invoice-to-cloudsuite'), null, '2026-12-07')).toBeNull();
    // Other flows have no accounting date to move; other reasons are not about a period.
    expect(periodFixFor(failure('po-to-jaggaer'), periods, '2026-12-07')).toBeNull();
    expect(periodFixFor(failure('invoice-to-cloudsuite', 'Invoice INV-1: vendor V1 is inactive in CloudSuite (rule: supplier active).'), periods, '2026-12-07')).toBeNull();
  });

  it('groups closed-period failures under the problem alone, without the record’s values or the advice', () => {
    const second = validatePeriod(ctx, 'Invoice INV-2611', '2026-09-03')[0]!.message;
    const groups = groupFailures([failure('invoice-to-cloudsuite'), { ...failure('invoice-to-cloudsuite', second), id: 2 }], ['account', 'costCenter'], { periods, today: '2026-12-07' });
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ rule: 'period open', title: 'Fiscal period … is closed for …', count: 2 });
    expect(groups[0]!.failures.map((f) => f.periodFix?.closedPeriod)).toEqual(['2026-10', '2026-09']);
  });
});
