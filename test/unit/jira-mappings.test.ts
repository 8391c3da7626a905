import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../shared/api';
import { Engine } from '../../electron/engine/engine';
import { createLogger } from '../../electron/engine/log';
import { exportMappingsCsv, importMappingsCsv } from '../../electron/engine/mapping/csv';
import { setMappingChecked, unmappedRule } from '../../electron/engine/mapping/edit';
import { labourRateTable, resolveJiraTarget, resolveLabourRate } from '../../electron/engine/mapping/jira';
import { DEFAULT_GL_SEGMENTS, parseMapping, type MappingKind } from '../../electron/engine/mapping/kinds';
import type { Db } from '../../electron/engine/store/db';
import { deleteMapping, listMappings, setMapping, setMappings, undoLastMappingChange } from '../../electron/engine/store/mappings';
import { mappingDb, type MappingDb } from '../helpers/mapping-db';
import { tempDir } from '../helpers/temp';

// The mapping kinds of the Jira flows: jira-project (where a PO or project goes in Jira), labour-rate (what an
// hour costs) and jira-role (a user's role for costing). Real encrypted profile databases throughout.

let env: MappingDb;
let db: Db;
beforeEach(async () => {
  env = await mappingDb({ reference: true });
  db = env.profile.db;
});
afterEach(() => env.close());

const parse = (kind: MappingKind, key: unknown, value: unknown) => parseMapping(kind, key, value, DEFAULT_GL_SEGMENTS);
const reason = (kind: MappingKind, key: unknown, value: unknown): string => {
  const p = parse(kind, key, value);
  if (p.ok) throw new Error(`expected ${String(key)} → ${JSON.stringify(value)} to be refused`);
  return p.reason;
};
const errorOf = (fn: () => unknown): Error & { code?: string } => {
  try {
    fn();
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error('expected an error');
};

const PM = '712020:3f2a9c1e-77aa-4bd0-9e1d-0c5a1f0e2b11';
const DEV = '5b10ac8d82e05b22cc7d4ef5';
const PO = { project: 'ENG', issueType: 'Purchase Order' };

describe('jira-project mappings', () => {
  it('take a project number, type:<PO type> or *, tidied', () => {
    expect(parse('jira-project', ' PRJ1001 ', PO)).toEqual({ ok: true, key: 'PRJ1001', value: PO });
    expect(parse('jira-project', 'TYPE:R', PO)).toMatchObject({ ok: true, key: 'type:R' });
    expect(parse('jira-project', 'type: B ', PO)).toMatchObject({ ok: true, key: 'type:B' });
    expect(parse('jira-project', '*', PO)).toMatchObject({ ok: true, key: '*' });
    expect(reason('jira-project', 'PRJ 1001', PO)).toBe(
      'The project number may not contain spaces, "|" or "*"; the key is a CloudSuite project number (PRJ1001), type:<PO type> (type:R), or * for everything else',
    );
    expect(reason('jira-project', 'type:', PO)).toBe('The PO type is empty; write the key as type:<PO type>, e.g. type:R');
  });

  it('name a Jira project key and issue type; the project issue type is optional', () => {
    expect(parse('jira-project', '*', { project: ' eng ', issueType: ' Purchase Order ', projectIssueType: 'Initiative' })).toEqual({
      ok: true,
      key: '*',
      value: { project: 'ENG', issueType: 'Purchase Order', projectIssueType: 'Initiative' },
    });
    const keyRule = 'The Jira project key must be 2 to 10 capital letters, digits or "_", starting with a letter, e.g. ENG';
    expect(reason('jira-project', '*', { project: 'E', issueType: 'Task' })).toBe(keyRule);
    expect(reason('jira-project', '*', { project: 'ENGINEERING1', issueType: 'Task' })).toBe(keyRule);
    expect(reason('jira-project', '*', { project: '1ENG', issueType: 'Task' })).toBe(keyRule);
    expect(reason('jira-project', '*', { project: 'ENG', issueType: '  ' })).toBe('The issue type is empty');
    expect(reason('jira-project', '*', { project: 'ENG' })).toBe('issueType is missing or not text');
    expect(reason('jira-project', '*', { project: 'ENG', issueType: 'Task', board: 'X' })).toBe('"board" is not a field of this mapping');
    expect(reason('jira-project', '*', 'ENG')).toBe(
      'A Jira project mapping names the Jira project and issue type, e.g. { "project": "ENG", "issueType": "Purchase Order" }',
    );
  });

  it('check a project-number key against CloudSuite projects; type: and * keys need no reference data', async () => {
    expect(setMappingChecked(db, 'jira-project', 'PRJ00001', PO).key).toBe('PRJ00001');
    expect(errorOf(() => setMappingChecked(db, 'jira-project', 'PRJ99999', PO)).message).toBe(
      "The Jira project mapping for PRJ99999 cannot be saved: project PRJ99999 is not in CloudSuite's project list.",
    );
    expect(errorOf(() => setMappingChecked(db, 'jira-project', 'PRJ00002', PO)).message).toBe(
      'The Jira project mapping for PRJ00002 cannot be saved: project PRJ00002 is closed in CloudSuite.',
    );

    const bare = await mappingDb();
    try {
      const b = bare.profile.db;
      expect(setMappingChecked(b, 'jira-project', 'type:R', PO).key).toBe('type:R');
      expect(importMappingsCsv(b, 'jira-project', 'cloudsuite_key,jira_project,issue_type\n*,FIN,Task\n').stored).toBe(1);
      const missing = errorOf(() => setMappingChecked(b, 'jira-project', 'PRJ00001', PO));
      expect(missing.code).toBe('reference_missing');
      expect(missing.message).toBe(
        'Ferry has not read the projects from CloudSuite yet, so it cannot check against them: refresh the reference data first ("ferry reference refresh").',
      );
      expect(() => importMappingsCsv(b, 'jira-project', 'cloudsuite_key,jira_project,issue_type\n*,FIN,Task\nPRJ00001,ENG,Task\n')).toThrow('has not read the projects');
      expect(listMappings(b, 'jira-project').map((m) => m.key)).toEqual(['*', 'type:R']);
    } finally {
      bare.close();
    }
  });

  it('resolve by project number, then type:<PO type>, then *', () => {
    expect(resolveJiraTarget(db, { project: 'PRJ00001', poType: 'R' })).toBeNull();
    setMapping(db, 'jira-project', '*', { project: 'FIN', issueType: 'Task' });
    expect(resolveJiraTarget(db, { project: 'PRJ00001', poType: 'R' })).toEqual({ project: 'FIN', issueType: 'Task', projectIssueType: 'Epic', rule: '*' });
    setMapping(db, 'jira-project', 'type:R', { project: 'OPS', issueType: 'Purchase Order' });
    expect(resolveJiraTarget(db, { project: 'PRJ00001', poType: 'R' })).toMatchObject({ project: 'OPS', rule: 'type:R' });
    expect(resolveJiraTarget(db, { project: 'PRJ00001', poType: 'B' })).toMatchObject({ project: 'FIN', rule: '*' });
    setMapping(db, 'jira-project', 'PRJ00001', { project: 'ENG', issueType: 'Purchase Order', projectIssueType: 'Initiative' });
    expect(resolveJiraTarget(db, { project: 'PRJ00001', poType: 'R' })).toEqual({ project: 'ENG', issueType: 'Purchase Order', projectIssueType: 'Initiative', rule: 'PRJ00001' });
    // A CloudSuite project itself (no PO type), a PO without a project, and blanks.
    expect(resolveJiraTarget(db, { project: 'PRJ00001', poType: null })).toMatchObject({ rule: 'PRJ00001' });
    expect(resolveJiraTarget(db, { project: null, poType: 'R' })).toMatchObject({ rule: 'type:R' });
    expect(resolveJiraTarget(db, { project: ' ', poType: '' })).toMatchObject({ rule: '*' });
    deleteMapping(db, 'jira-project', '*');
    expect(resolveJiraTarget(db, { project: 'PRJ00009', poType: 'B' })).toBeNull();
  });
});

describe('labour-rate mappings', () => {
  it('take a scope and an optional effective date, tidied', () => {
    const ok = (key: string) => {
      const p = parse('labour-rate', key, { rate: 85 });
      return p.ok ? p.key : p.reason;
    };
    expect(ok(`user:${PM}`)).toBe(`user:${PM}`);
    expect(ok(` USER:${PM} @2026-01-01`)).toBe(`user:${PM}@2026-01-01`);
    expect(ok('role: Project manager ')).toBe('role:Project manager');
    expect(ok('project:eng@2026-07-01')).toBe('project:ENG@2026-07-01');
    expect(ok('*')).toBe('*');
    expect(ok('*@2026-02-01')).toBe('*@2026-02-01');

    expect(ok('team:blue')).toBe('"team:blue" is not a labour rate scope; a scope is user:<Jira account id>, role:<role>, project:<Jira project key> or *');
    expect(ok('everyone')).toBe('"everyone" is not a labour rate scope; a scope is user:<Jira account id>, role:<role>, project:<Jira project key> or *');
    expect(ok('role:Engineer@2026-02-30')).toBe('The effective date "2026-02-30" is not a day written yyyy-mm-dd, e.g. 2026-01-01');
    expect(ok('*@1/2/2026')).toBe('The effective date "1/2/2026" is not a day written yyyy-mm-dd, e.g. 2026-01-01');
    expect(ok('user:')).toBe('The Jira account id is empty');
    expect(ok('user:Jane Doe')).toBe('The Jira account id may not contain spaces, "@", "|" or "*"');
    expect(ok('project:Engineering')).toBe('The Jira project key must be 2 to 10 capital letters, digits or "_", starting with a letter, e.g. ENG');
  });

  it('take a rate per hour: a number from 0 to 100000 with at most 4 decimals, given as a number or its text', () => {
    const rate = (value: unknown) => {
      const p = parse('labour-rate', '*', value);
      return p.ok ? p.value : p.reason;
    };
    expect(rate({ rate: 85 })).toEqual({ rate: 85 });
    expect(rate({ rate: ' 92.50 ' })).toEqual({ rate: 92.5 });
    expect(rate({ rate: '0' })).toEqual({ rate: 0 });
    expect(rate({ rate: 100000 })).toEqual({ rate: 100000 });
    expect(rate({ rate: '12.34560' })).toEqual({ rate: 12.3456 });

    const words = 'The rate must be a number of money per hour, e.g. 85 or 92.50';
    expect(rate({ rate: 'eighty' })).toBe(words);
    expect(rate({ rate: Number.NaN })).toBe(words);
    expect(rate({ rate: Number.POSITIVE_INFINITY })).toBe(words);
    expect(rate({ rate: '92,50' })).toBe(words);
    expect(rate({ rate: '' })).toBe(words);
    expect(rate({ rate: null })).toBe(words);
    expect(rate({})).toBe(words);
    expect(rate({ rate: -1 })).toBe('The rate may not be negative (it is -1)');
    expect(rate({ rate: '100000.01' })).toBe('The rate 100000.01 is more than 100000 per hour; check the figure');
    expect(rate({ rate: 1.23456 })).toBe('The rate 1.23456 has more than 4 decimals');
    expect(rate({ rate: '1.00001' })).toBe('The rate 1.00001 has more than 4 decimals');
    expect(rate({ rate: 85, currency: 'EUR' })).toBe('"currency" is not a field of this mapping');
    expect(rate(85)).toBe('A labour rate mapping is the rate per hour, e.g. { "rate": 85 }');

    expect(errorOf(() => setMapping(db, 'labour-rate', 'role:Engineer', { rate: 'lots' })).message).toBe(
      'The labour rate mapping for "role:Engineer" is not valid: The rate must be a number of money per hour, e.g. 85 or 92.50.',
    );
  });

  it('resolve user, then role, then project, then *; the latest rate in effect on the day within a scope', () => {
    const q = (accountId: string, day: string, jiraProject = 'ENG') => resolveLabourRate(db, { accountId, day, jiraProject });
    expect(q(PM, '2026-03-02')).toBeNull();
    setMappings(db, 'labour-rate', [
      { key: '*', value: { rate: 70 } },
      { key: '*@2026-01-01', value: { rate: 75 } },
    ]);
    expect(q(PM, '2025-12-31')).toEqual({ rate: 70, rule: '*' });
    expect(q(PM, '2026-01-01')).toEqual({ rate: 75, rule: '*@2026-01-01' });

    setMapping(db, 'labour-rate', 'project:ENG', { rate: 90 });
    expect(q(PM, '2026-03-02')).toEqual({ rate: 90, rule: 'project:ENG' });
    expect(q(PM, '2026-03-02', 'OPS')).toEqual({ rate: 75, rule: '*@2026-01-01' });
    expect(q(PM, '2026-03-02', 'eng')).toEqual({ rate: 90, rule: 'project:ENG' });

    // A role rate applies only through the user's role (jira-role).
    setMapping(db, 'labour-rate', 'role:Project manager', { rate: 110 });
    expect(q(PM, '2026-03-02')).toEqual({ rate: 90, rule: 'project:ENG' });
    setMapping(db, 'jira-role', PM, 'Project manager');
    setMapping(db, 'jira-role', DEV, 'Engineer');
    expect(q(PM, '2026-03-02')).toEqual({ rate: 110, rule: 'role:Project manager' });
    // A role without a rate falls through to the project.
    expect(q(DEV, '2026-03-02')).toEqual({ rate: 90, rule: 'project:ENG' });

    // The user's own rate wins; it takes effect on its date and not before.
    setMapping(db, 'labour-rate', `user:${PM}@2026-04-01`, { rate: 125.5 });
    expect(q(PM, '2026-03-31')).toEqual({ rate: 110, rule: 'role:Project manager' });
    expect(q(PM, '2026-04-01')).toEqual({ rate: 125.5, rule: `user:${PM}@2026-04-01` });
    setMapping(db, 'labour-rate', `user:${PM}@2026-06-01`, { rate: 130 });
    setMapping(db, 'labour-rate', `user:${PM}`, { rate: 100 });
    expect(q(PM, '2026-03-31')).toEqual({ rate: 100, rule: `user:${PM}` });
    expect(q(PM, '2026-05-31')).toEqual({ rate: 125.5, rule: `user:${PM}@2026-04-01` });
    expect(q(PM, '2026-06-01')).toEqual({ rate: 130, rule: `user:${PM}@2026-06-01` });

    // A scope with only future rates falls through, down to nothing at all.
    setMapping(db, 'labour-rate', 'role:Engineer@2027-01-01', { rate: 95 });
    expect(q(DEV, '2026-12-31')).toEqual({ rate: 90, rule: 'project:ENG' });
    expect(q(DEV, '2027-01-01')).toEqual({ rate: 95, rule: 'role:Engineer@2027-01-01' });
    for (const key of ['project:ENG', '*', '*@2026-01-01']) deleteMapping(db, 'labour-rate', key);
    expect(q(DEV, '2026-12-31')).toBeNull();
  });

  it('a table reads the mappings once and answers many worklogs from memory', () => {
    setMapping(db, 'labour-rate', '*', { rate: 80 });
    setMapping(db, 'jira-role', DEV, 'Engineer');
    setMapping(db, 'labour-rate', 'role:Engineer', { rate: 95 });
    const table = labourRateTable(db);
    expect(table.roleOf(DEV)).toBe('Engineer');
    expect(table.roleOf(PM)).toBeNull();
    setMapping(db, 'labour-rate', '*', { rate: 1 });
    // The table keeps what it read; a new table (the next run) sees the change.
    expect(table.resolve({ accountId: PM, day: '2026-03-02', jiraProject: 'ENG' })).toEqual({ rate: 80, rule: '*' });
    expect(labourRateTable(db).resolve({ accountId: PM, day: '2026-03-02', jiraProject: 'ENG' })).toEqual({ rate: 1, rule: '*' });
    const started = performance.now();
    for (let i = 0; i < 10_000; i++) table.resolve({ accountId: i % 2 ? DEV : PM, day: '2026-03-02', jiraProject: 'ENG' });
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('jira-role mappings', () => {
  it('key a role by Jira account id', () => {
    expect(parse('jira-role', ` ${PM} `, ' Project manager ')).toEqual({ ok: true, key: PM, value: 'Project manager' });
    expect(reason('jira-role', 'jane doe', 'Engineer')).toBe('The Jira account id may not contain spaces, "@", "|" or "*"');
    expect(reason('jira-role', DEV, '')).toBe('The role is empty');
    expect(reason('jira-role', DEV, 'Eng@HQ')).toBe('The role may not contain "@", "|" or "*"');
    expect(reason('jira-role', DEV, 7)).toBe('The role must be text');
  });
});

describe('CSV files of the Jira kinds', () => {
  it('round trip: import → export → import gives the same mappings, values typed', () => {
    const projects = importMappingsCsv(
      db,
      'jira-project',
      'Cloudsuite_Key,Jira_Project,Issue_Type,Project_Issue_Type,Note\r\nPRJ00001,eng,Purchase Order,Initiative,\r\ntype:R,OPS,Purchase Order,,regular POs\r\n*,FIN,Task,,\r\n',
    );
    expect(projects.bad, JSON.stringify(projects.rows)).toBe(0);
    expect(listMappings(db, 'jira-project').map((m) => [m.key, m.value, m.note])).toEqual([
      ['*', { project: 'FIN', issueType: 'Task' }, null],
      ['PRJ00001', { project: 'ENG', issueType: 'Purchase Order', projectIssueType: 'Initiative' }, null],
      ['type:R', { project: 'OPS', issueType: 'Purchase Order' }, 'regular POs'],
    ]);
    expect(exportMappingsCsv(db, 'jira-project')).toBe(
      'cloudsuite_key,jira_project,issue_type,project_issue_type,note\n*,FIN,Task,,\nPRJ00001,ENG,Purchase Order,Initiative,\ntype:R,OPS,Purchase Order,,regular POs\n',
    );

    // effective_from may be left out of the header; the scope cell may carry the date itself.
    const rates = importMappingsCsv(db, 'labour-rate', `scope,rate\n*,85\nrole:Engineer@2026-01-01,92.50\nuser:${PM},"110.125"\n`);
    expect(rates.bad, JSON.stringify(rates.rows)).toBe(0);
    const exported = exportMappingsCsv(db, 'labour-rate');
    expect(exported).toBe(`scope,effective_from,rate,note\n*,,85,\nrole:Engineer,2026-01-01,92.5,\nuser:${PM},,110.125,\n`);
    expect(listMappings(db, 'labour-rate').map((m) => [m.key, m.value])).toEqual([
      ['*', { rate: 85 }],
      ['role:Engineer@2026-01-01', { rate: 92.5 }],
      [`user:${PM}`, { rate: 110.125 }],
    ]);
    const before = listMappings(db, 'labour-rate');
    expect(importMappingsCsv(db, 'labour-rate', exported).bad).toBe(0);
    expect(listMappings(db, 'labour-rate').map((m) => [m.key, m.value, m.note])).toEqual(before.map((m) => [m.key, m.value, m.note]));

    expect(importMappingsCsv(db, 'jira-role', `account_id,role,note\n${PM},Project manager,since March\n${DEV},Engineer,\n`).stored).toBe(2);
    expect(exportMappingsCsv(db, 'jira-role')).toBe(`account_id,role,note\n${DEV},Engineer,\n${PM},Project manager,since March\n`);
  });

  it('report each bad row, and store nothing', () => {
    const r = importMappingsCsv(
      db,
      'labour-rate',
      ['scope,effective_from,rate,note', '*,,85,', 'role:Engineer,2026-13-01,90,', 'role:Engineer,,ninety,', '*,,70,', 'team:x,,50,', `user:${PM},2026-01-01,-5,`].join('\n'),
    );
    expect(r.stored).toBe(0);
    expect(r.rows.map((x) => [x.row, x.reason])).toEqual([
      [2, null],
      [3, 'The effective date "2026-13-01" is not a day written yyyy-mm-dd, e.g. 2026-01-01.'],
      [4, 'The rate must be a number of money per hour, e.g. 85 or 92.50.'],
      [5, 'It repeats scope (and effective date) * from row 2.'],
      [6, '"team:x" is not a labour rate scope; a scope is user:<Jira account id>, role:<role>, project:<Jira project key> or *.'],
      [7, 'The rate may not be negative (it is -5).'],
    ]);
    expect(listMappings(db, 'labour-rate')).toEqual([]);

    const p = importMappingsCsv(db, 'jira-project', 'cloudsuite_key,jira_project,issue_type\nPRJ99999,ENG,Task\nPRJ00002,ENG,Task\n*,E,Task\n*,ENG,Task\n');
    expect(p.rows.map((x) => [x.row, x.reason])).toEqual([
      [2, "Project PRJ99999 is not in CloudSuite's project list."],
      [3, 'Project PRJ00002 is closed in CloudSuite.'],
      [4, 'The Jira project key must be 2 to 10 capital letters, digits or "_", starting with a letter, e.g. ENG.'],
      [5, null],
    ]);
    expect(p.stored).toBe(0);

    expect(() => importMappingsCsv(db, 'jira-role', 'account,role\nX,Engineer\n')).toThrow(
      'The first row of a Jira role mapping file must name its columns account_id, role, note (note may be left out); this file\'s first row is "account,role".',
    );
  });
});

describe('the Jira kinds through the API', () => {
  it('set, list, import, export and undo work for each kind', async () => {
    const tmp = tempDir();
    const engine = await Engine.open({ dataDir: tmp.dir, log: createLogger(null) });
    try {
      const call = async (method: Parameters<typeof dispatch>[1], input: unknown) => {
        const r = await dispatch(engine.handlers, method, input);
        if (!r.ok) throw new Error(r.error.message);
        return r.value as Record<string, unknown>;
      };
      expect(await call('setMapping', { kind: 'jira-project', key: 'type:R', value: { project: 'OPS', issueType: 'Purchase Order' } })).toMatchObject({
        kind: 'jira-project',
        key: 'type:R',
        value: { project: 'OPS', issueType: 'Purchase Order' },
      });
      expect(await call('setMapping', { kind: 'labour-rate', key: 'role:Engineer@2026-01-01', value: { rate: '92.5' } })).toMatchObject({ value: { rate: 92.5 } });
      expect(await call('importMappings', { kind: 'jira-role', csv: `account_id,role\n${DEV},Engineer\n` })).toMatchObject({ stored: 1, bad: 0 });

      const listed = await call('listMappings', { kind: 'labour-rate' });
      expect(listed).toMatchObject({ kind: 'labour-rate', mappings: [{ key: 'role:Engineer@2026-01-01', value: { rate: 92.5 } }], lastChange: { action: 'set', count: 1 } });
      expect(listed.unmapped).toBe(unmappedRule(engine.profile.db, 'labour-rate'));
      expect(await call('exportMappings', { kind: 'jira-role' })).toEqual({ csv: `account_id,role,note\n${DEV},Engineer,\n` });
      expect(resolveLabourRate(engine.profile.db, { accountId: DEV, day: '2026-02-01', jiraProject: 'ENG' })).toEqual({ rate: 92.5, rule: 'role:Engineer@2026-01-01' });

      const bad = await dispatch(engine.handlers, 'setMapping', { kind: 'labour-rate', key: '*', value: { rate: 'n/a' } });
      expect(bad).toEqual({ ok: false, error: { code: 'invalid_input', message: 'The labour rate mapping for "*" is not valid: The rate must be a number of money per hour, e.g. 85 or 92.50.' } });

      expect(await call('undoMapping', { kind: 'jira-role' })).toMatchObject({ undone: { kind: 'jira-role', action: 'import', count: 1 } });
      expect(await call('listMappings', { kind: 'jira-role' })).toMatchObject({ mappings: [] });
      expect(undoLastMappingChange(engine.profile.db, 'jira-project')).toMatchObject({ action: 'set' });
      expect(resolveJiraTarget(engine.profile.db, { project: null, poType: 'R' })).toBeNull();
    } finally {
      engine.close();
      tmp.remove();
    }
  });
});
