import { describe, expect, it } from 'vitest';
import { compileJql, JqlError, parseJql, type JqlField, type JqlSchema } from '../../electron/engine/sandbox/jira/jql';

// The sandbox's JQL subset against plain records, independent of the issue model.

interface Item {
  key: string;
  project: string;
  summary: string;
  po: string | null;
  amount: number | null;
  labels: string[];
  updated: number;
}

const NOW = Date.UTC(2026, 2, 10, 12, 0);
const items: Item[] = [
  { key: 'ABC-1', project: 'ABC', summary: 'Vendor onboarding', po: 'PO-00123', amount: 100, labels: ['capex'], updated: Date.UTC(2026, 2, 1, 9, 30) },
  { key: 'ABC-2', project: 'ABC', summary: 'Site survey north', po: 'PO123', amount: null, labels: [], updated: Date.UTC(2026, 2, 9, 23, 0) },
  { key: 'ABC-10', project: 'ABC', summary: 'Budget review', po: null, amount: 2500, labels: ['opex', 'capex'], updated: Date.UTC(2026, 2, 10, 11, 30) },
  { key: 'XYZ-1', project: 'XYZ', summary: 'Lab refit survey', po: 'PO1234', amount: 50, labels: ['opex'], updated: Date.UTC(2026, 1, 1) },
];

const fields: Record<string, JqlField<Item>> = {
  project: { name: 'project', type: 'exact', values: (i) => [i.project.toLowerCase()], resolve: (l) => (['abc', 'xyz'].includes(l.toLowerCase()) ? l.toLowerCase() : undefined), unknownValue: (l) => `The value '${l}' does not exist for the field 'project'.`, sortKey: (i) => i.project },
  key: { name: 'key', type: 'exact', values: (i) => [i.key.toLowerCase()], sortKey: (i) => i.key },
  summary: { name: 'summary', type: 'text', values: (i) => [i.summary], sortKey: (i) => i.summary },
  'cloudsuite po': { name: 'CloudSuite PO', type: 'text', values: (i) => (i.po ? [i.po] : []) },
  amount: { name: 'amount', type: 'number', values: (i) => (i.amount === null ? [] : [i.amount]), sortKey: (i) => i.amount },
  labels: { name: 'labels', type: 'exact', values: (i) => i.labels },
  updated: { name: 'updated', type: 'date', values: (i) => [i.updated], sortKey: (i) => i.updated },
};

const schema: JqlSchema<Item> = {
  field: (ref) => (ref.cf === 10050 ? fields['cloudsuite po'] : fields[ref.name.toLowerCase()]),
  timeZone: 'UTC',
  now: NOW,
};

const keys = (jql: string): string[] => {
  const c = compileJql(jql, schema);
  const hits = items.filter(c.matches);
  return (c.compare ? hits.sort(c.compare) : hits).map((i) => i.key);
};

const error = (jql: string): string => {
  try {
    compileJql(jql, schema);
  } catch (err) {
    expect(err).toBeInstanceOf(JqlError);
    return (err as Error).message;
  }
  throw new Error(`accepted: ${jql}`);
};

describe('JQL evaluation', () => {
  it('=, !=, IN, NOT IN and EMPTY on exact fields; != never matches an empty field', () => {
    expect(keys('project = ABC')).toEqual(['ABC-1', 'ABC-2', 'ABC-10']);
    expect(keys('project in (xyz, "ABC") and labels = capex')).toEqual(['ABC-1', 'ABC-10']);
    expect(keys('labels != capex')).toEqual(['XYZ-1']);
    expect(keys('labels not in (capex)')).toEqual(['XYZ-1']);
    expect(keys('labels is EMPTY')).toEqual(['ABC-2']);
    expect(keys('labels IS NOT empty AND project = XYZ')).toEqual(['XYZ-1']);
    expect(keys('labels in (EMPTY, opex)')).toEqual(['ABC-2', 'ABC-10', 'XYZ-1']);
  });

  it('AND binds tighter than OR; NOT and parentheses', () => {
    expect(keys('project = XYZ OR project = ABC AND labels = opex')).toEqual(['ABC-10', 'XYZ-1']);
    expect(keys('(project = XYZ OR project = ABC) AND labels = opex')).toEqual(['ABC-10', 'XYZ-1']);
    expect(keys('NOT project = ABC')).toEqual(['XYZ-1']);
    expect(keys('project = ABC AND NOT (labels = capex)')).toEqual(['ABC-2']);
  });

  it('~ is a word search: whole words, a trailing * for prefixes, cf[id] by number', () => {
    expect(keys('"CloudSuite PO" ~ "PO123"')).toEqual(['ABC-2']);
    expect(keys('cf[10050] ~ PO123*')).toEqual(['ABC-2', 'XYZ-1']);
    // Punctuation splits words, so a PO with a dash also matches its parts — clients must filter exactly.
    expect(keys('"CloudSuite PO" ~ "PO 00123"')).toEqual(['ABC-1']);
    expect(keys('summary ~ survey')).toEqual(['ABC-2', 'XYZ-1']);
    expect(keys('summary !~ survey')).toEqual(['ABC-1', 'ABC-10']);
  });

  it('numbers and dates compare; dates take literals, periods and functions on the given clock', () => {
    expect(keys('amount >= 100')).toEqual(['ABC-1', 'ABC-10']);
    expect(keys('amount < 100 OR amount is EMPTY')).toEqual(['ABC-2', 'XYZ-1']);
    expect(keys('updated >= "2026-03-09 23:00"')).toEqual(['ABC-2', 'ABC-10']);
    expect(keys('updated > "2026/03/09"')).toEqual(['ABC-2', 'ABC-10']);
    expect(keys('updated >= -1d')).toEqual(['ABC-2', 'ABC-10']);
    expect(keys('updated >= -45m')).toEqual(['ABC-10']);
    expect(keys('updated >= startOfDay()')).toEqual(['ABC-10']);
    expect(keys('updated < now() AND updated < "2026-02-02"')).toEqual(['XYZ-1']);
  });

  it('orders by several fields, empty values last when ascending', () => {
    expect(keys('project in (ABC, XYZ) ORDER BY key')).toEqual(['ABC-1', 'ABC-2', 'ABC-10', 'XYZ-1']);
    expect(keys('project in (ABC, XYZ) ORDER BY project DESC, updated ASC')).toEqual(['XYZ-1', 'ABC-1', 'ABC-2', 'ABC-10']);
    expect(keys('project = ABC order by amount asc')).toEqual(['ABC-1', 'ABC-10', 'ABC-2']);
  });

  it('knows bounded from unbounded queries', () => {
    expect(compileJql('', schema).bounded).toBe(false);
    expect(compileJql('ORDER BY key DESC', schema).bounded).toBe(false);
    expect(compileJql('project = ABC ORDER BY key', schema).bounded).toBe(true);
  });
});

describe('JQL errors', () => {
  it('names unknown fields, values, unsupported operators and bad dates as Jira does', () => {
    expect(error('priority = High')).toBe("Field 'priority' does not exist or you do not have permission to view it.");
    expect(error('project = NOPE')).toBe("The value 'NOPE' does not exist for the field 'project'.");
    expect(error('summary = "x"')).toBe("The operator '=' is not supported by the 'summary' field.");
    expect(error('project ~ ABC')).toBe("The operator '~' is not supported by the 'project' field.");
    expect(error('updated > "yesterday"')).toMatch(/^Date value 'yesterday' for field 'updated' is invalid\. Valid formats include/);
    expect(error('amount > lots')).toMatch(/invalid/);
    expect(error('project = ABC ORDER BY labels')).toMatch(/does not support sorting/);
  });

  it('reports syntax errors with their position', () => {
    expect(error('project = ')).toMatch(/^Error in the JQL Query: Expecting either a value, list or function but got the end of the query/);
    expect(error('project ABC')).toMatch(/Expecting operator but got 'ABC' \(line 1, character 9\)/);
    expect(error('project = "ABC')).toMatch(/The quoted string 'ABC' has not been completed/);
    expect(error('project = ABC project = XYZ')).toMatch(/Expecting either 'OR' or 'AND' but got 'project'/);
    expect(error('project in (ABC')).toMatch(/Expecting ',' or '\)'/);
    expect(error('project = and')).toMatch(/reserved JQL word/);
    expect(error('project = (ABC)')).toMatch(/Expecting either a value, list or function but got '\('/);
  });

  it('parses quoted names, escapes and cf[] references into the syntax tree', () => {
    const q = parseJql('"CloudSuite PO" ~ "say \\"hi\\"" AND cf[10050] !~ x ORDER BY updated DESC');
    expect(q.where).toEqual({
      kind: 'and',
      items: [
        { kind: 'term', field: { name: 'CloudSuite PO' }, op: '~', operand: { kind: 'value', text: 'say "hi"' } },
        { kind: 'term', field: { name: 'cf[10050]', cf: 10050 }, op: '!~', operand: { kind: 'value', text: 'x' } },
      ],
    });
    expect(q.orderBy).toEqual([{ field: { name: 'updated' }, desc: true }]);
  });
});
