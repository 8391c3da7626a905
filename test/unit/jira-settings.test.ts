import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../shared/api';
import { Engine } from '../../electron/engine/engine';
import { createLogger } from '../../electron/engine/log';
import {
  DEFAULT_JIRA_FLOW_SETTINGS,
  JIRA_FLOW_SETTINGS_KEY,
  jiraFlowSettings,
  selectsPurchaseOrder,
  setJiraFlowSettings,
  type JiraFlowSettings,
  type JiraFlowSettingsPatch,
} from '../../electron/engine/mapping/jira-settings';
import type { Db } from '../../electron/engine/store/db';
import { mappingDb, type MappingDb } from '../helpers/mapping-db';
import { tempDir } from '../helpers/temp';

// The Jira flows' settings (setting jira.flows) in a real encrypted profile database.

let env: MappingDb;
let db: Db;
beforeEach(async () => {
  env = await mappingDb();
  db = env.profile.db;
});
afterEach(() => env.close());

const storedRow = (): string | null => (db.prepare('SELECT value FROM settings WHERE key = ?').get(JIRA_FLOW_SETTINGS_KEY) as { value: string } | undefined)?.value ?? null;
const refusal = (patch: unknown): { code: string; message: string } => {
  try {
    setJiraFlowSettings(db, patch as JiraFlowSettingsPatch);
  } catch (err) {
    return { code: (err as { code: string }).code, message: (err as Error).message };
  }
  throw new Error(`expected ${JSON.stringify(patch)} to be refused`);
};

describe('Jira flow settings', () => {
  it('are the documented defaults until changed', () => {
    expect(storedRow()).toBeNull();
    expect(jiraFlowSettings(db)).toEqual({
      fields: {
        cloudSuitePo: 'customfield_10050',
        costCenter: 'customfield_10051',
        glAccount: 'customfield_10052',
        budget: 'customfield_10053',
        cloudSuiteProject: 'customfield_10054',
      },
      selection: { requireProject: true, poTypes: [], sites: [], vendors: [] },
      closed: { transition: 'Done', label: 'cloudsuite-closed' },
      projects: { createIssues: true, linkPurchaseOrders: false },
      posting: { period: 'week', accrualAccount: null, accrualCostCenter: null, defaultLabourAccount: null, delayDays: 1, startDate: null },
      statusNotes: {},
    } satisfies JiraFlowSettings);
  });

  it('change only the settings a patch names; the rest stays, across patches', () => {
    const after = setJiraFlowSettings(db, { posting: { accrualAccount: ' 210500 ', delayDays: 2 }, fields: { budget: null } });
    expect(after.posting).toEqual({ ...DEFAULT_JIRA_FLOW_SETTINGS.posting, accrualAccount: '210500', delayDays: 2 });
    expect(after.fields).toEqual({ ...DEFAULT_JIRA_FLOW_SETTINGS.fields, budget: null });
    expect(after.closed).toEqual(DEFAULT_JIRA_FLOW_SETTINGS.closed);

    setJiraFlowSettings(db, { selection: { poTypes: ['R', 'B'] }, statusNotes: { Done: 'Work complete', 'In Review': 'Awaiting approval' } });
    // statusNotes is one table: a patch replaces it whole.
    const last = setJiraFlowSettings(db, { posting: { period: 'day' }, statusNotes: { Done: 'Finished' } });
    expect(last.posting).toMatchObject({ period: 'day', accrualAccount: '210500', delayDays: 2 });
    expect(last.selection).toEqual({ requireProject: true, poTypes: ['R', 'B'], sites: [], vendors: [] });
    expect(last.statusNotes).toEqual({ Done: 'Finished' });
    expect(jiraFlowSettings(db)).toEqual(last);
    expect(JSON.parse(storedRow()!)).toEqual(last);
  });

  it('refuse a bad patch with a sentence naming the setting, and store nothing', () => {
    setJiraFlowSettings(db, { posting: { accrualAccount: '210500' } });
    const before = storedRow();
    const cases: [unknown, string][] = [
      [{ posting: { delayDays: 40 } }, 'The posting delay (posting.delayDays) must be a whole number of days from 0 to 31, not 40.'],
      [{ posting: { delayDays: '2' } }, 'The posting delay (posting.delayDays) must be a whole number of days from 0 to 31, not "2".'],
      [{ posting: { startDate: '2026-02-30' } }, 'The first day of worklogs to post (posting.startDate) must be a day written yyyy-mm-dd, or null to post all, not "2026-02-30".'],
      [{ posting: { period: 'month' } }, 'The posting period of labour journals (posting.period) must be "day" or "week", not "month".'],
      [
        { fields: { cloudSuitePo: null } },
        "The Jira field for the CloudSuite PO number (fields.cloudSuitePo) must be a Jira custom field id such as customfield_10050 (Ferry finds a PO's issue by it, so it cannot be left out), not null.",
      ],
      [{ fields: { glAccount: 'GL Account' } }, 'The Jira field for the GL account (fields.glAccount) must be a Jira custom field id such as customfield_10052, or null when not used, not "GL Account".'],
      [
        { selection: { sites: ['MAIN', 'EAST DOCK'] } },
        'The sites whose POs become issues (selection.sites) must be a list of CloudSuite site codes without spaces (an empty list means any); item 2 is "EAST DOCK".',
      ],
      [{ closed: { label: 'closed in cloudsuite' } }, 'The Jira label for a closed or cancelled PO (closed.label) must be one word without spaces, or null for none, not "closed in cloudsuite".'],
      [{ statusNotes: { Done: '' } }, 'The note for Jira status "Done" (statusNotes) must be text of 1 to 200 characters, not "".'],
      [{ statusNotes: { '': 'x' } }, 'A status note (statusNotes) must name its Jira status; one is given for an empty status name.'],
      [
        { statusNotes: ['Done'] },
        'The notes written to CloudSuite when an issue reaches a Jira status (statusNotes) must name Jira statuses, each with a note of 1 to 200 characters, e.g. { "Done": "Work complete" }, not ["Done"].',
      ],
      [{ posting: { delaydays: 2 } }, 'There is no Jira flow setting "posting.delaydays"; the posting settings are period, accrualAccount, accrualCostCenter, defaultLabourAccount, delayDays and startDate.'],
      [{ webhooks: {} }, 'There is no Jira flow setting "webhooks"; the settings are fields, selection, closed, projects, posting and statusNotes.'],
      [{ posting: 3 }, 'The posting settings (posting) must be given as an object of settings, e.g. { "posting": { "period": … } }, not 3.'],
      [['posting'], 'The Jira flow settings must be given as one JSON object, e.g. { "posting": { "delayDays": 2 } }.'],
    ];
    for (const [patch, message] of cases) {
      expect(refusal(patch)).toEqual({ code: 'invalid_input', message });
      expect(storedRow()).toBe(before);
    }
    // One bad setting spoils the whole patch: the good one beside it is not stored either.
    expect(refusal({ posting: { delayDays: 3, period: 'fortnight' } }).message).toContain('(posting.period)');
    expect(jiraFlowSettings(db).posting.delayDays).toBe(1);
  });

  it('load a value stored by an older version over the defaults, and fall back section by section', () => {
    // An older version knew fewer settings.
    db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run(
      JIRA_FLOW_SETTINGS_KEY,
      JSON.stringify({ fields: { cloudSuitePo: 'customfield_20001' }, posting: { period: 'day', delayDays: 'soon' }, closed: { label: null } }),
    );
    const s = jiraFlowSettings(db);
    expect(s.fields).toEqual({ ...DEFAULT_JIRA_FLOW_SETTINGS.fields, cloudSuitePo: 'customfield_20001' });
    expect(s.closed).toEqual({ transition: 'Done', label: null });
    // A section that cannot be read (a hand-edited delay) is the default section, not a broken run.
    expect(s.posting).toEqual(DEFAULT_JIRA_FLOW_SETTINGS.posting);
    expect(s.selection).toEqual(DEFAULT_JIRA_FLOW_SETTINGS.selection);
    // A patch then starts from what loaded.
    expect(setJiraFlowSettings(db, { posting: { delayDays: 0 } }).fields.cloudSuitePo).toBe('customfield_20001');
  });

  it('are read and changed through the API, errors as data', async () => {
    const tmp = tempDir();
    const engine = await Engine.open({ dataDir: tmp.dir, log: createLogger(null) });
    try {
      expect(await dispatch(engine.handlers, 'getJiraSettings', {})).toEqual({ ok: true, value: DEFAULT_JIRA_FLOW_SETTINGS });
      const changed = await dispatch(engine.handlers, 'setJiraSettings', { projects: { linkPurchaseOrders: true } });
      expect(changed).toEqual({ ok: true, value: { ...DEFAULT_JIRA_FLOW_SETTINGS, projects: { createIssues: true, linkPurchaseOrders: true } } });
      expect(await dispatch(engine.handlers, 'setJiraSettings', { projects: { linkPurchaseOrders: 'yes' } })).toEqual({
        ok: false,
        error: { code: 'invalid_input', message: 'Whether PO issues go under their project\'s issue (projects.linkPurchaseOrders) must be true or false, not "yes".' },
      });
      expect(await dispatch(engine.handlers, 'getJiraSettings', {})).toMatchObject({ ok: true, value: { projects: { linkPurchaseOrders: true } } });
    } finally {
      engine.close();
      tmp.remove();
    }
  });
});

describe('which POs become issues', () => {
  const po = { project: 'PRJ00001', type: 'R', warehouse: 'MAIN', vendorNumber: 'V001000', status: 'ordered' };
  const selection = DEFAULT_JIRA_FLOW_SETTINGS.selection;

  it('by default: every ordered PO with a project', () => {
    expect(selectsPurchaseOrder(selection, po)).toBeNull();
    expect(selectsPurchaseOrder(selection, { ...po, project: null })).toBe('No project on the PO');
    expect(selectsPurchaseOrder(selection, { ...po, project: '  ' })).toBe('No project on the PO');
    expect(selectsPurchaseOrder(selection, { ...po, status: 'planned' })).toBe('Planned PO');
    expect(selectsPurchaseOrder({ ...selection, requireProject: false }, { ...po, project: undefined })).toBeNull();
    // A planned PO is never selected, whatever the settings.
    expect(selectsPurchaseOrder({ ...selection, requireProject: false }, { ...po, status: 'planned' })).toBe('Planned PO');
  });

  it('by PO type, site and vendor when the lists name some', () => {
    const s = { requireProject: false, poTypes: ['R'], sites: ['MAIN', 'EAST'], vendors: ['V001000'] };
    expect(selectsPurchaseOrder(s, po)).toBeNull();
    expect(selectsPurchaseOrder(s, { ...po, type: 'B' })).toBe('PO type B is not in the selection (R)');
    expect(selectsPurchaseOrder(s, { ...po, type: null })).toBe('The PO has no PO type; the selection takes PO types R');
    expect(selectsPurchaseOrder(s, { ...po, warehouse: 'WEST' })).toBe('Site WEST is not in the selection (MAIN, EAST)');
    expect(selectsPurchaseOrder(s, { ...po, warehouse: null })).toBe('The PO has no site; the selection takes sites MAIN, EAST');
    expect(selectsPurchaseOrder(s, { ...po, vendorNumber: 'V001010' })).toBe('Vendor V001010 is not in the selection (V001000)');
    expect(selectsPurchaseOrder({ ...s, poTypes: [] }, { ...po, type: 'B' })).toBeNull();
  });
});
