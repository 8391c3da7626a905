import { describe, expect, it } from 'vitest';
import { parseMapping } from '../../electron/engine/mapping/kinds';
import { fieldProblems, fieldsOf, fromFields, matchesSearch, parseRouteValue, toFields } from '../../renderer/mapping-fields';
import { mappingKindNames } from '../../shared/api';

// The Mappings screen's fields per kind: what it sends is what the engine's parser takes, and its early checks
// say what the engine would refuse.

const segments = ['account', 'costCenter'];

const samples = {
  supplier: { key: 'V001000', value: { supplierNumber: 'S-77', bravoId: 'B-1' } },
  'gl-account': { key: '610100|*', value: { account: '6101-OFFICE' } },
  'cost-center': { key: 'CC100', value: 'SALES-US' },
  site: { key: 'MAIN', value: { shipTo: 'HQ', businessUnit: '0001' } },
  'payment-terms': { key: 'N30', value: 'Net 30' },
  'jira-project': { key: 'type:R', value: { project: 'ENG', issueType: 'Purchase Order' } },
  'labour-rate': { key: 'role:Engineer@2026-01-01', value: { rate: '92.5' } },
  'jira-role': { key: '712020:3f2a', value: 'Engineer' },
} as const;

describe('mapping fields', () => {
  it.each(mappingKindNames)('%s: fields → key and value → fields, and the engine takes what is sent', (kind) => {
    const { key, value } = samples[kind];
    const fields = toFields(kind, key, value, segments);
    const sent = fromFields(kind, fields, segments);
    expect(sent.key).toBe(key);
    expect(parseMapping(kind, sent.key, sent.value, segments)).toMatchObject({ ok: true, key });
    expect(toFields(kind, sent.key, sent.value, segments)).toEqual(fields);
  });

  it('a GL mapping left to "any" cost center, with only the JAGGAER side known (Fix mapping from an invoice)', () => {
    const fields = toFields('gl-account', null, { account: '6101-OFFICE' }, segments);
    expect(fields).toEqual({ account: '', costCenter: '*', 'segment:account': '6101-OFFICE', 'segment:costCenter': '' });
    const all = fieldsOf('gl-account', segments);
    const lists = { 'gl-account': [{ code: '610100', name: 'Office supplies', active: true }, { code: '690900', name: 'Closed', active: false }], 'cost-center': [{ code: 'CC100', name: 'Sales', active: true }] };
    expect(fieldProblems('gl-account', all, fields, lists)).toEqual({ account: 'Enter the GL account.' });
    expect(fieldProblems('gl-account', all, { ...fields, account: '610199' }, lists)).toEqual({ account: "610199 is not in CloudSuite's chart of accounts." });
    expect(fieldProblems('gl-account', all, { ...fields, account: '690900' }, lists)).toEqual({ account: '690900 is closed in CloudSuite.' });
    expect(fieldProblems('gl-account', all, { ...fields, account: '610100' }, lists)).toEqual({});
    expect(fieldProblems('gl-account', all, { ...fields, account: '610100', 'segment:account': '' }, lists)).toEqual({ 'segment:account': 'Give at least one JAGGAER segment value.' });
    expect(fromFields('gl-account', { ...fields, account: '610100' }, segments)).toEqual({ key: '610100|*', value: { account: '6101-OFFICE' } });
  });

  it('checks rates and days, and leaves type: and * keys of Jira projects alone', () => {
    const rate = fieldsOf('labour-rate', segments);
    expect(fieldProblems('labour-rate', rate, { scope: '*', effectiveFrom: '1/1/2026', rate: 'eighty' }, {})).toEqual({
      effectiveFrom: 'Write the day as yyyy-mm-dd, e.g. 2026-01-01.',
      rate: 'Enter the rate as a number, e.g. 85 or 92.50.',
    });
    const jira = fieldsOf('jira-project', segments);
    const projects = { project: [{ code: 'PRJ1001', name: 'Lab move', active: true }] };
    expect(fieldProblems('jira-project', jira, { key: 'type:R', project: 'ENG', issueType: 'Task', projectIssueType: '' }, projects)).toEqual({});
    expect(fieldProblems('jira-project', jira, { key: 'PRJ9', project: 'ENG', issueType: 'Task', projectIssueType: '' }, projects)).toEqual({ key: "PRJ9 is not in CloudSuite's project list." });
  });

  it('searches every field and the note; reads route values as JSON or text', () => {
    expect(matchesSearch({ key: 'CC100', value: 'SALES-US' }, 'from the 2026 chart', 'sales')).toBe(true);
    expect(matchesSearch({ key: 'CC100', value: 'SALES-US' }, null, '2026')).toBe(false);
    expect(parseRouteValue('{"account":"6101-OFFICE"}')).toEqual({ account: '6101-OFFICE' });
    expect(parseRouteValue('"Net 90"')).toBe('Net 90');
    expect(parseRouteValue('Net 90')).toBe('Net 90');
    expect(parseRouteValue(null)).toBeNull();
  });
});
