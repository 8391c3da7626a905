import { describe, expect, it } from 'vitest';
import { closedPeriodAdvice, openPeriodFor, PeriodBook, type PeriodSource, type PostingDateCheck } from '../../electron/engine/mapping/periods';
import { validatePeriod, validationContext } from '../../electron/engine/mapping/validate';
import type { Failure } from '../../electron/engine/store/failures';
import { groupFailures, periodFixFor, ruleOf } from '../../electron/engine/sync/failure-triage';
import { fixtureBook } from '../helpers/mapping-db';

// Where a record of a closed fiscal period can post instead, how the answers of CloudSuite's date check are
// kept for a run, and how Needs attention reads the choice back from the sentence the period rule writes.

describe('the answers of one run', () => {
  it('asks CloudSuite once per day, only for days not asked yet', async () => {
    const asked: string[][] = [];
    const source: PeriodSource = {
      checkPostingDates: async (days) => {
        asked.push([...days]);
        return days.map((day): PostingDateCheck => ({ day, open: true, period: day.slice(0, 7), reason: null }));
      },
    };
    const book = new PeriodBook(source);
    await book.load(['2026-12-07', '2026-12-07', '2026-11-30']);
    await book.load(['2026-11-30', '2026-12-01']);
    await book.load([]);
    expect(asked).toEqual([['2026-12-07', '2026-11-30'], ['2026-12-01']]);
    expect(book.get('2026-12-01')).toEqual({ day: '2026-12-01', open: true, period: '2026-12', reason: null });
    expect(book.available).toBe(true);
  });

  it('without a source (M3) says nothing, and the period rule is skipped', async () => {
    const book = new PeriodBook(null);
    await book.load(['2026-12-07']);
    expect(book.available).toBe(false);
    expect(book.get('2026-12-07')).toBeUndefined();
    expect(validationContext({ periods: book }).periods).toBeNull();
  });
});

describe('the open period a record of a closed one could post in', () => {
  it('is today’s period when CloudSuite takes postings today, dated today', async () => {
    const book = await fixtureBook('2026-12-07', '2026-10-19');
    expect(openPeriodFor(book, '2026-10-19', '2026-12-07')).toEqual({ period: '2026-12', postingDate: '2026-12-07' });
    // A record dated after today is not moved back.
    expect(openPeriodFor(book, '2026-12-08', '2026-12-07')).toBeNull();
  });

  it('is none when today is closed too (or not in any period): only reopening helps, and the advice says so', async () => {
    const book = await fixtureBook('2026-02-27', '2027-01-04');
    expect(openPeriodFor(book, '2026-01-10', '2026-02-27')).toBeNull();
    expect(openPeriodFor(book, '2026-01-10', '2027-01-04')).toBeNull();
    expect(closedPeriodAdvice('2026-10', null)).toBe('No later period is open yet: reopen period 2026-10 in CloudSuite, then retry.');
    expect(closedPeriodAdvice('2026-10', { period: '2026-12', postingDate: '2026-12-07' })).toBe(
      'Post it in the open period 2026-12 instead ("Post in 2026-12" in Needs attention), or reopen period 2026-10 in CloudSuite, then retry.',
    );
    expect(closedPeriodAdvice('2026-10', undefined)).toBe('Post it in an open period instead (Needs attention), or reopen period 2026-10 in CloudSuite, then retry.');
  });
});

describe('the period rule and Needs attention', async () => {
  const book = await fixtureBook('2026-02-19', '2026-02-03', '2026-12-07');
  const ctx = validationContext({ periods: book, today: '2026-12-07' });
  const [err] = validatePeriod(ctx, 'Invoice INV-2602', '2026-02-19', 'invoiceDate');
  const failure = (flow: string, reason = err!.message): Failure =>
    ({ id: 1, flow, code: 'validation_failed', reason, sourceKey: 'JAG-INV-1', state: 'open', updatedAt: '2026-12-07T10:00:00.000Z' }) as Failure;

  it('says what is closed, which rule, and what a person can do', () => {
    expect(err!.message).toBe(
      'Invoice INV-2602: fiscal period 2026-02 is closed for 2026-02-19 (rule: period open). Post it in the open period 2026-12 instead ("Post in 2026-12" in Needs attention), or reopen period 2026-02 in CloudSuite, then retry.',
    );
    expect(ruleOf(err!.message)).toBe('period open');
  });

  it('offers "Post in 2026-12" for an invoice or a journal, dated today, and nothing for other flows or reasons', () => {
    expect(periodFixFor(failure('invoice-to-cloudsuite'), '2026-12-07')).toEqual({
      closedPeriod: '2026-02',
      recordDate: '2026-02-19',
      openPeriod: '2026-12',
      postingDate: '2026-12-07',
      what: 'Post it in the open period 2026-12, dated 2026-12-07; the record keeps its own date 2026-02-19.',
    });
    expect(periodFixFor(failure('worklog-to-gl'), '2026-12-07')).toMatchObject({ openPeriod: '2026-12' });
    expect(periodFixFor(failure('po-to-jaggaer'), '2026-12-07')).toBeNull();
    expect(periodFixFor(failure('invoice-to-cloudsuite', 'Invoice INV-1: vendor V1 is inactive in CloudSuite (rule: supplier active).'), '2026-12-07')).toBeNull();
    // A refusal that named no open period (today was closed too) offers only reopening.
    const [noChoice] = validatePeriod(validationContext({ periods: book, today: '2026-02-03' }), 'Invoice INV-2601', '2026-02-19');
    expect(noChoice!.message).toContain('No later period is open yet');
    expect(periodFixFor(failure('invoice-to-cloudsuite', noChoice!.message), '2026-12-07')).toBeNull();
  });

  it('groups closed-period failures under the problem alone, without the record’s values or the advice', () => {
    const second = validatePeriod(ctx, 'Invoice INV-2603', '2026-02-03')[0]!.message;
    const groups = groupFailures([failure('invoice-to-cloudsuite'), { ...failure('invoice-to-cloudsuite', second), id: 2 }], ['account', 'costCenter'], '2026-12-07');
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ rule: 'period open', title: 'Fiscal period … is closed for …', count: 2 });
    expect(groups[0]!.failures.map((f) => f.periodFix?.recordDate)).toEqual(['2026-02-19', '2026-02-03']);
  });
});
