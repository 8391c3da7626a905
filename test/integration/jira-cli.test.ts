import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastJsonLine, runCli } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

// `ferry jira settings` and `ferry mappings …` for the Jira mapping kinds, as a person runs them, on a fresh
// data folder (none of these needs a connection or CloudSuite reference data).

let tmp: ReturnType<typeof tempDir>;
let dataDir: string;
const ferry = (...args: string[]) => runCli([...args, '--data-dir', dataDir]);
const file = (name: string, content: string) => {
  const p = path.join(tmp.dir, name);
  fs.writeFileSync(p, content);
  return p;
};

beforeAll(() => {
  tmp = tempDir();
  dataDir = path.join(tmp.dir, 'data');
});
afterAll(() => tmp.remove());

const PM = '712020:3f2a9c1e-77aa-4bd0-9e1d-0c5a1f0e2b11';

describe('ferry jira settings', () => {
  it('prints the settings; --set applies a JSON file; a bad file is refused (exit 2) and nothing is stored', async () => {
    const shown = await ferry('jira', 'settings', '--json');
    expect(shown.code, shown.stderr).toBe(0);
    const defaults = lastJsonLine(shown.stdout);
    expect(defaults).toMatchObject({ fields: { cloudSuitePo: 'customfield_10050' }, posting: { period: 'week', accrualAccount: null, delayDays: 1 } });

    const good = file('jira.json', '\uFEFF{ "posting": { "accrualAccount": "210500", "delayDays": 2 }, "statusNotes": { "Done": "Work complete" } }\n');
    const set = await ferry('jira', 'settings', '--set', good);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain(`Saved the settings from ${good}.`);
    expect(set.stdout).toContain('    accrualAccount: 210500');
    expect(set.stdout).toContain('    "Done": Work complete');
    expect(set.stdout).toContain('    poTypes: (any)');

    const bad = await ferry('jira', 'settings', '--set', file('bad.json', '{ "posting": { "delayDays": 40, "period": "day" } }'));
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('The posting delay (posting.delayDays) must be a whole number of days from 0 to 31, not 40.');

    const notJson = await ferry('jira', 'settings', '--set', file('broken.json', '{ "posting": { "delayDays": 3, }'));
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/broken\.json is not valid JSON \(.+\); nothing was changed\./);

    const missing = await ferry('jira', 'settings', '--set', path.join(tmp.dir, 'nowhere.json'));
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe(`Ferry cannot find the file ${path.join(tmp.dir, 'nowhere.json')}.`);

    const after = lastJsonLine((await ferry('jira', 'settings', '--json')).stdout);
    expect(after).toEqual({ ...defaults, posting: { ...(defaults.posting as object), accrualAccount: '210500', delayDays: 2 }, statusNotes: { Done: 'Work complete' } });
  });
});

describe('ferry mappings for the Jira kinds', () => {
  it('set, import, list, export and undo jira-project, labour-rate and jira-role mappings', async () => {
    const project = await ferry('mappings', 'set', 'jira-project', 'type:R', 'project=ops', 'issueType=Purchase Order');
    expect(project.code, project.stderr).toBe(0);
    expect(project.stdout.trim()).toBe('Jira project mapping type:R → OPS · Purchase Order (project issues: Epic) saved.');
    // A project number is checked against CloudSuite's projects, which this data folder never read.
    const unchecked = await ferry('mappings', 'set', 'jira-project', 'PRJ1001', 'project=ENG', 'issueType=Task');
    expect(unchecked.code).toBe(1);
    expect(unchecked.stderr).toContain('Ferry has not read the projects from CloudSuite yet');

    const rate = await ferry('mappings', 'set', 'labour-rate', 'role:Engineer@2026-01-01', '92.50');
    expect(rate.code, rate.stderr).toBe(0);
    expect(rate.stdout.trim()).toBe('labour rate mapping role:Engineer@2026-01-01 → 92.5 per hour saved.');
    const badRate = await ferry('mappings', 'set', 'labour-rate', '*', 'rate=cheap');
    expect(badRate.code).toBe(2);
    expect(badRate.stderr.trim()).toBe('The labour rate mapping for "*" is not valid: The rate must be a number of money per hour, e.g. 85 or 92.50.');

    const roles = file('roles.csv', `account_id,role,note\r\n${PM},Project manager,\r\n5b10ac8d82e05b22cc7d4ef5,Engineer,\r\n`);
    const imported = await ferry('mappings', 'import', 'jira-role', roles);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout.trim()).toBe('Stored 2 Jira role mapping(s).');

    const listed = await ferry('mappings', 'list', 'labour-rate', '--json');
    expect(lastJsonLine(listed.stdout)).toMatchObject({ kind: 'labour-rate', mappings: [{ key: 'role:Engineer@2026-01-01', value: { rate: 92.5 } }] });
    const text = await ferry('mappings', 'list', 'jira-role');
    expect(text.stdout).toMatch(/^Jira account id\s+Role\s+Note/m);

    const out = path.join(tmp.dir, 'rates.csv');
    expect((await ferry('mappings', 'export', 'labour-rate', out)).code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toBe('\uFEFFscope,effective_from,rate,note\nrole:Engineer,2026-01-01,92.5,\n');

    const undo = await ferry('mappings', 'undo', 'jira-role', '--json');
    expect(lastJsonLine(undo.stdout)).toMatchObject({ undone: { kind: 'jira-role', action: 'import', count: 2 } });
    expect(lastJsonLine((await ferry('mappings', 'list', 'jira-role', '--json')).stdout)).toMatchObject({ mappings: [] });
  });
});
