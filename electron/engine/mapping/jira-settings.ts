import { z } from 'zod';
import { FerryError } from '../../../shared/errors';
import { DEFAULT_JIRA_FLOW_SETTINGS, JiraFlowSettings, type JiraFlowSettingsPatch } from '../../../shared/jira-settings';
import type { Db } from '../store/db';
import { getSetting, setSetting } from '../store/settings';

// The per-profile settings of the Jira flows, stored as one value under the setting key `jira.flows` (README,
// "Jira flow settings"). The schema and defaults are in shared/jira-settings.ts, so the API contract carries
// the same shape. What is stored is merged over the defaults setting by setting, so a value stored by an
// older version (with fewer settings) still loads; a change is checked as a whole before anything is stored.

export { DEFAULT_JIRA_FLOW_SETTINGS, JiraFlowSettings, type JiraFlowSettingsPatch };

export const JIRA_FLOW_SETTINGS_KEY = 'jira.flows';

type Section = keyof JiraFlowSettings;
const sections = Object.keys(DEFAULT_JIRA_FLOW_SETTINGS) as Section[];
/** Sections whose settings are merged one by one; statusNotes is one table, replaced whole. */
const isMergedSection = (s: Section): boolean => s !== 'statusNotes';

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The stored value over the defaults, section by section; a section that does not check out is the default. */
export function jiraFlowSettings(db: Db): JiraFlowSettings {
  const stored = getSetting<unknown>(db, JIRA_FLOW_SETTINGS_KEY, z.unknown(), null);
  const raw = isPlainObject(stored) ? stored : {};
  const out = {} as Record<Section, unknown>;
  for (const section of sections) {
    const merged = mergeSection(section, DEFAULT_JIRA_FLOW_SETTINGS[section], raw[section]);
    const parsed = JiraFlowSettings.shape[section].safeParse(merged);
    out[section] = parsed.success ? parsed.data : DEFAULT_JIRA_FLOW_SETTINGS[section];
  }
  return out as JiraFlowSettings;
}

function mergeSection(section: Section, base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (isMergedSection(section) && isPlainObject(base) && isPlainObject(over)) return { ...base, ...over };
  return over;
}

/** How a person names each setting, and what it must be: for the one sentence a bad change gets. */
const settingWords: Record<string, { name: string; rule: string }> = {
  'fields.cloudSuitePo': { name: 'the Jira field for the CloudSuite PO number', rule: 'must be a Jira custom field id such as customfield_10050 (Ferry finds a PO\'s issue by it, so it cannot be left out)' },
  'fields.costCenter': { name: 'the Jira field for the cost center', rule: 'must be a Jira custom field id such as customfield_10051, or null when not used' },
  'fields.glAccount': { name: 'the Jira field for the GL account', rule: 'must be a Jira custom field id such as customfield_10052, or null when not used' },
  'fields.budget': { name: 'the Jira field for the budget', rule: 'must be a Jira custom field id such as customfield_10053, or null when not used' },
  'fields.cloudSuiteProject': { name: 'the Jira field for the CloudSuite project', rule: 'must be a Jira custom field id such as customfield_10054, or null when not used' },
  'selection.requireProject': { name: 'whether only POs with a project become issues', rule: 'must be true or false' },
  'selection.poTypes': { name: 'the PO types that become issues', rule: 'must be a list of CloudSuite PO type codes without spaces (an empty list means any)' },
  'selection.sites': { name: 'the sites whose POs become issues', rule: 'must be a list of CloudSuite site codes without spaces (an empty list means any)' },
  'selection.vendors': { name: 'the vendors whose POs become issues', rule: 'must be a list of CloudSuite vendor numbers without spaces (an empty list means any)' },
  'closed.transition': { name: 'the Jira transition for a closed or cancelled PO', rule: 'must be the name of a transition, or null for none' },
  'closed.label': { name: 'the Jira label for a closed or cancelled PO', rule: 'must be one word without spaces, or null for none' },
  'projects.createIssues': { name: 'whether CloudSuite projects become Jira issues', rule: 'must be true or false' },
  'projects.linkPurchaseOrders': { name: 'whether PO issues go under their project\'s issue', rule: 'must be true or false' },
  'posting.period': { name: 'the posting period of labour journals', rule: 'must be "day" or "week"' },
  'posting.accrualAccount': { name: 'the accrual account credited by labour journals', rule: 'must be a CloudSuite GL account without spaces, or null until it is known' },
  'posting.accrualCostCenter': { name: 'the cost center of the accrual account', rule: 'must be a CloudSuite cost center without spaces, or null for none' },
  'posting.defaultLabourAccount': { name: 'the GL account for hours on project issues without a PO', rule: 'must be a CloudSuite GL account without spaces, or null for none' },
  'posting.delayDays': { name: 'the posting delay', rule: 'must be a whole number of days from 0 to 31' },
  'posting.startDate': { name: 'the first day of worklogs to post', rule: 'must be a day written yyyy-mm-dd, or null to post all' },
  statusNotes: { name: 'the notes written to CloudSuite when an issue reaches a Jira status', rule: 'must name Jira statuses, each with a note of 1 to 200 characters, e.g. { "Done": "Work complete" }' },
};

const sectionWords: Record<Section, string> = {
  fields: 'Jira field',
  selection: 'selection',
  closed: 'closed-PO',
  projects: 'project',
  posting: 'posting',
  statusNotes: 'status note',
};

const capital = (s: string): string => `${s.charAt(0).toUpperCase()}${s.slice(1)}`;
const shown = (v: unknown): string => {
  const s = v === undefined ? 'missing' : JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
};
const listing = (items: string[]): string => (items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);

/** The patch's shape: known sections and settings only, so a misspelt setting is refused, not ignored. */
function checkPatchShape(patch: unknown): asserts patch is JiraFlowSettingsPatch {
  if (!isPlainObject(patch)) throw new FerryError('invalid_input', 'The Jira flow settings must be given as one JSON object, e.g. { "posting": { "delayDays": 2 } }.');
  for (const [section, value] of Object.entries(patch)) {
    if (!sections.includes(section as Section)) {
      throw new FerryError('invalid_input', `There is no Jira flow setting "${section}"; the settings are ${listing(sections)}.`);
    }
    const s = section as Section;
    if (!isMergedSection(s)) continue;
    if (!isPlainObject(value)) {
      throw new FerryError('invalid_input', `The ${sectionWords[s]} settings (${s}) must be given as an object of settings, e.g. { "${s}": { "${Object.keys(DEFAULT_JIRA_FLOW_SETTINGS[s])[0]}": … } }, not ${shown(value)}.`);
    }
    const known = Object.keys(DEFAULT_JIRA_FLOW_SETTINGS[s]);
    const unknown = Object.keys(value).find((k) => !known.includes(k));
    if (unknown !== undefined) {
      throw new FerryError('invalid_input', `There is no Jira flow setting "${s}.${unknown}"; the ${sectionWords[s]} settings are ${listing(known)}.`);
    }
  }
}

/**
 * Applies a change (any sections, any settings in them; statusNotes replaced whole), checks the result as a
 * whole and stores it. A bad change throws FerryError('invalid_input') with one sentence naming the setting,
 * and nothing is stored.
 */
export function setJiraFlowSettings(db: Db, patch: JiraFlowSettingsPatch): JiraFlowSettings {
  checkPatchShape(patch as unknown);
  const current = jiraFlowSettings(db);
  const merged = Object.fromEntries(sections.map((s) => [s, mergeSection(s, current[s], (patch as Record<string, unknown>)[s])]));
  const parsed = JiraFlowSettings.safeParse(merged);
  if (!parsed.success) throw new FerryError('invalid_input', settingProblem(parsed.error, merged));
  return setSetting(db, JIRA_FLOW_SETTINGS_KEY, JiraFlowSettings, parsed.data);
}

function settingProblem(err: z.ZodError, merged: Record<string, unknown>): string {
  const issue = err.issues[0]!;
  const [section, setting, ...rest] = issue.path.map(String);
  if (section === 'statusNotes') {
    const notes = merged.statusNotes;
    if (setting !== undefined && isPlainObject(notes)) {
      if (setting === '') return 'A status note (statusNotes) must name its Jira status; one is given for an empty status name.';
      return `The note for Jira status "${setting}" (statusNotes) must be text of 1 to 200 characters, not ${shown(notes[setting])}.`;
    }
    const words = settingWords.statusNotes!;
    return `${capital(words.name)} (statusNotes) ${words.rule}, not ${shown(notes)}.`;
  }
  const path = setting === undefined ? section! : `${section}.${setting}`;
  const words = settingWords[path];
  if (!words) return `The Jira flow setting ${path} is not valid: ${issue.message}.`;
  const value = setting === undefined ? merged[section!] : (merged[section!] as Record<string, unknown>)[setting];
  const item = rest.length > 0 && Array.isArray(value) ? `; item ${Number(rest[0]) + 1} is ${shown(value[Number(rest[0])])}` : `, not ${shown(value)}`;
  return `${capital(words.name)} (${path}) ${words.rule}${item}.`;
}

/**
 * Whether a CloudSuite PO becomes a Jira issue under these selection settings: null when it does, else why
 * not, in words ("No project on the PO"). A planned PO never does: it is not an order yet.
 */
export function selectsPurchaseOrder(
  s: JiraFlowSettings['selection'],
  po: { project?: string | null; type: string | null; warehouse: string | null; vendorNumber: string; status: string },
): string | null {
  if (po.status === 'planned') return 'Planned PO';
  if (s.requireProject && !po.project?.trim()) return 'No project on the PO';
  const check = (list: string[], value: string | null, what: string, none: string): string | null => {
    if (list.length === 0) return null;
    const v = value?.trim() ?? '';
    if (v === '') return `${none}; the selection takes ${what}s ${list.join(', ')}`;
    return list.includes(v) ? null : `${capital(what)} ${v} is not in the selection (${list.join(', ')})`;
  };
  return (
    check(s.poTypes, po.type, 'PO type', 'The PO has no PO type') ??
    check(s.sites, po.warehouse, 'site', 'The PO has no site') ??
    check(s.vendors, po.vendorNumber, 'vendor', 'The PO has no vendor')
  );
}
