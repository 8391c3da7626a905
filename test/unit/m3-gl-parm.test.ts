import { describe, expect, it } from 'vitest';
import type { GlJournal } from '../../shared/domain';
import { buildParm, glParmTemplate, parseParmTemplate, parmPositions, previewParm } from '../../electron/engine/connectors/cloudsuite/m3-gl-parm';

// GLS840MI's PARM template: the tenant's layout stated by its M3 administrator (docs/m3-gl-parm.md). The
// template is checked when it is set; a line is built exactly to its widths, and a value that does not fit is
// refused with the line and the field named rather than cut.

const SANDBOX_LAYOUT = '{date:8}{account:10}{costCenter:10}{project:10}{blank:40}{amount:17}{text:40}';

const journal: GlJournal = {
  reference: 'FERRY:WL-1',
  date: '2026-11-18',
  description: 'Labour, week 47',
  lines: [
    { account: '650500', costCenter: 'CC500', project: null, amount: 1200.5, description: 'Hours x rate' },
    { account: '215000', costCenter: null, project: null, amount: -1200.5, description: null },
  ],
};

const problem = (t: string) => {
  const r = glParmTemplate.safeParse(t);
  return r.success ? null : r.error.issues[0]!.message;
};

describe('PARM template', () => {
  it('accepts a layout with an account, a date and an amount, and refuses what Ferry could not fill', () => {
    expect(problem(SANDBOX_LAYOUT)).toBeNull();
    expect(problem('{date}|{account}|{debit}|{credit}')).toBeNull();
    expect(problem('')).toMatch(/it is empty/);
    expect(problem('{date}{amount}')).toMatch(/it has no \{account\}/);
    expect(problem('{account}{amount}')).toMatch(/it has no \{date\}/);
    expect(problem('{date}{account}{debit}')).toMatch(/it has no \{amount\} \(or \{debit\} and \{credit\}\)/);
    expect(problem('{date}{account}{amount}{costcentre}')).toMatch(/\{costcentre\} is not a placeholder Ferry fills/);
    expect(problem('{date}{account}{amount}{account}')).toMatch(/\{account\} appears twice/);
    expect(problem('{date}{account}{amount}{blank}')).toMatch(/\{blank\} needs a width/);
    expect(problem('{date}{account}{amount} {oops')).toMatch(/a brace that is not part of a placeholder/);
    expect(problem('{date}{account}\t{amount}')).toMatch(/control character/);
  });

  it('builds each line to the widths: text padded right, numbers left, amounts signed with two decimals', () => {
    const parts = parseParmTemplate(SANDBOX_LAYOUT);
    const debit = buildParm(parts, journal, 0);
    const credit = buildParm(parts, journal, 1);
    expect(debit).toHaveLength(135);
    expect(debit.slice(0, 8)).toBe('20261118');
    expect(debit.slice(8, 18)).toBe('650500    ');
    expect(debit.slice(18, 28)).toBe('CC500     ');
    expect(debit.slice(78, 95)).toBe('          1200.50');
    expect(debit.slice(95)).toBe('Hours x rate'.padEnd(40));
    expect(credit.slice(78, 95)).toBe('         -1200.50');
    expect(credit.slice(95).trim()).toBe('Labour, week 47');
    const split = parseParmTemplate('{date};{account};{debit};{credit};{reference};{line}');
    expect(buildParm(split, journal, 0)).toBe('20261118;650500;1200.50;;FERRY:WL-1;1');
    expect(buildParm(split, journal, 1)).toBe('20261118;215000;;1200.50;FERRY:WL-1;2');
  });

  it('refuses a value wider than its place, naming the line and the field', () => {
    const narrow = parseParmTemplate('{date:8}{account:4}{amount:17}');
    expect(() => buildParm(narrow, journal, 0)).toThrow(/Line 1 of journal FERRY:WL-1: the account \(accounting dimension 1\) "650500" is 6 characters, but the PARM layout gives it 4/);
  });

  it('previews a sample line with where each field lands', () => {
    expect(parmPositions(parseParmTemplate(SANDBOX_LAYOUT))).toEqual(['date 1–8', 'account 9–18', 'costCenter 19–28', 'project 29–38', 'amount 79–95', 'text 96–135']);
    expect(previewParm(SANDBOX_LAYOUT)).toMatch(/^"20261130650500 {4}CC500 {5}PRJ001 {4}/);
    expect(previewParm(SANDBOX_LAYOUT)).toMatch(/\(135 characters; date 1–8, account 9–18/);
  });
});
