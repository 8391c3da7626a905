import { describe, expect, it } from 'vitest';
import { costCents, labourJournal, labourReference, periodLastDay, periodOf, periodPostable, workDay } from '../../electron/engine/mapping/labour';

// The costing rules of worklog-to-gl, one by one: the worker's day, ISO weeks, cents, references, balance.

describe('labour costing rules', () => {
  it('takes the worker’s own day from Jira’s started, whatever the UTC date', () => {
    expect(workDay('2026-11-09T07:30:00.000+1000')).toBe('2026-11-09');
    expect(workDay('2026-11-08T23:30:00.000-0800')).toBe('2026-11-08');
    expect(() => workDay('yesterday')).toThrow(/not a date and time/);
  });

  it('places days in ISO weeks, across year ends', () => {
    expect(periodOf('2026-11-21', 'week')).toBe('2026-W47');
    expect(periodOf('2026-11-21', 'day')).toBe('2026-11-21');
    expect(periodOf('2026-01-01', 'week')).toBe('2026-W01');
    expect(periodOf('2027-01-03', 'week')).toBe('2026-W53');
    expect(periodOf('2021-01-03', 'week')).toBe('2020-W53');
    expect(periodOf('2027-01-04', 'week')).toBe('2027-W01');
    expect(periodLastDay('2026-W47')).toBe('2026-11-22');
    expect(periodLastDay('2026-W53')).toBe('2027-01-03');
    expect(periodLastDay('2026-11-03')).toBe('2026-11-03');
  });

  it('posts a period once it is over everywhere, plus the delay', () => {
    expect(periodPostable('2026-W46', '2026-11-16', 1)).toBe(false);
    expect(periodPostable('2026-W46', '2026-11-17', 1)).toBe(true);
    expect(periodPostable('2026-11-19', '2026-11-20', 1)).toBe(false);
    expect(periodPostable('2026-11-19', '2026-11-20', 0)).toBe(true);
  });

  it('costs to the cent, half a cent away from zero, without floating-point drift', () => {
    expect(costCents(1800, 85)).toBe(4250);
    expect(costCents(5400, 92.5)).toBe(13875);
    expect(costCents(60, 0.3)).toBe(1); // 0.5 cent → 1
    expect(costCents(-60, 0.3)).toBe(-1);
    expect(costCents(3600, 0.1 + 0.2)).toBe(30);
    expect(costCents(7, 101.5)).toBe(20); // 19.736… cents
  });

  it('keeps references within 30 characters, stable for the same group', () => {
    expect(labourReference('PRJ1001-12', '2026-W45', 0)).toBe('FL-PRJ1001-12-2026W45');
    expect(labourReference('PRJ1001-12', '2026-W45', 2)).toBe('FL-PRJ1001-12-2026W45-A2');
    const long = labourReference('ABCDEFGHIJ-123456', '2026-11-03', 12);
    expect(long.length).toBeLessThanOrEqual(30);
    expect(long).toMatch(/^FL-[0-9A-F]+-A12$/);
    expect(labourReference('ABCDEFGHIJ-123456', '2026-11-03', 12)).toBe(long);
    expect(labourReference('ABCDEFGHIJ-123456', '2026-11-04', 12)).not.toBe(long);
  });

  it('builds balanced journals: a debit per coding, the accrual credited, reversals negative', () => {
    const settings = { accrualAccount: '215000', accrualCostCenter: null };
    const j = labourJournal({
      reference: 'FL-X-1',
      date: '2026-11-22',
      issueKey: 'PRJ1-1',
      period: '2026-W47',
      adjustment: false,
      deltas: [
        { account: '650500', costCenter: 'CC100', project: 'P1', cents: 4250, seconds: 1800 },
        { account: '650500', costCenter: 'CC100', project: 'P1', cents: 1000, seconds: 600 },
        { account: '650300', costCenter: 'CC200', project: 'P1', cents: 333, seconds: 300 },
      ],
      settings,
    });
    expect(j.lines.map((l) => [l.account, l.amount])).toEqual([
      ['650500', 52.5],
      ['650300', 3.33],
      ['215000', -55.83],
    ]);
    expect(j.lines.reduce((s, l) => s + Math.round(l.amount * 100), 0)).toBe(0);
    expect(j.lines.every((l) => (l.description ?? '').length <= 40)).toBe(true);
    expect(j.lines[2]!.project).toBe('P1');

    const reversal = labourJournal({ reference: 'FL-X-1-A1', date: '2026-11-30', issueKey: 'PRJ1-1', period: '2026-W47', adjustment: true, deltas: [{ account: '650500', costCenter: 'CC100', project: null, cents: -4250, seconds: -1800 }], settings });
    expect(reversal.lines.map((l) => l.amount)).toEqual([-42.5, 42.5]);
    expect(reversal.description).toMatch(/^Adj\. labour/);

    // Moved between codings at no cost: two lines that balance, no accrual line.
    const moved = labourJournal({
      reference: 'FL-X-1-A2', date: '2026-11-30', issueKey: 'PRJ1-1', period: '2026-W47', adjustment: true, settings,
      deltas: [{ account: '650500', costCenter: 'CC100', project: null, cents: -500, seconds: -600 }, { account: '650300', costCenter: 'CC100', project: null, cents: 500, seconds: 600 }],
    });
    expect(moved.lines.map((l) => l.account)).toEqual(['650500', '650300']);
  });
});
