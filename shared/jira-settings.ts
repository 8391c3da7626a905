import { z } from 'zod';

// The per-profile settings of the Jira flows (po-to-jira, worklog-to-gl), as one value. The schema lives here
// so that the API contract (shared/api.ts) and the engine (electron/engine/mapping/jira-settings.ts, which
// stores and merges it) share it. See README, "Jira flow settings".

/** A Jira custom field id, e.g. customfield_10050. */
const cf = z.string().regex(/^customfield_\d+$/, 'must be a Jira custom field id such as customfield_10050');
/** A CloudSuite code: PO type, site, vendor number, GL account, cost center. */
const code = z.string().trim().regex(/^[^\s|*]{1,64}$/, 'must be a CloudSuite code without spaces, "|" or "*" (up to 64 characters)');
/** A real calendar day, yyyy-mm-dd. */
const isoDay = z.string().refine((s) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00.000Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}, 'must be a day written yyyy-mm-dd');

export const JiraFlowSettings = z.object({
  /** Jira custom field ids (customfield_NNNNN); null = not used. cloudSuitePo is required for lookup. */
  fields: z.object({ cloudSuitePo: cf, costCenter: cf.nullable(), glAccount: cf.nullable(), budget: cf.nullable(), cloudSuiteProject: cf.nullable() }),
  /** Which POs become issues. Empty lists mean "any". */
  selection: z.object({ requireProject: z.boolean(), poTypes: z.array(code), sites: z.array(code), vendors: z.array(code) }),
  /** What a closed or cancelled PO does to its issue: a transition by name, and/or a label. */
  closed: z.object({ transition: z.string().trim().min(1).nullable(), label: z.string().regex(/^\S+$/).nullable() }),
  /** CloudSuite projects become issues too (of the mapping's projectIssueType), and PO issues go under them. */
  projects: z.object({ createIssues: z.boolean(), linkPurchaseOrders: z.boolean() }),
  posting: z.object({
    period: z.enum(['day', 'week']),
    /** Credit side of every labour journal (accrued payroll / labour clearing). Required before posting. */
    accrualAccount: code.nullable(),
    accrualCostCenter: code.nullable(),
    /** GL account for hours on issues that name a project but no PO and no GL account. */
    defaultLabourAccount: code.nullable(),
    /** A period is posted once this many whole days have passed after its last day (workers in later time zones). */
    delayDays: z.number().int().min(0).max(31),
    /** Worklogs started before this day are never posted (history before Ferry). yyyy-mm-dd or null. */
    startDate: isoDay.nullable(),
  }),
  /** Jira status name → note written to the CloudSuite PO when an issue reaches it (e.g. { "Done": "Work complete" }). */
  statusNotes: z.record(z.string().min(1), z.string().min(1).max(200)),
});
export type JiraFlowSettings = z.infer<typeof JiraFlowSettings>;

/**
 * The defaults. The custom field ids are the sandbox's: a real Jira site has its own ids (Jira → Settings →
 * Issues → Custom fields), which the profile must set before po-to-jira can run there.
 */
export const DEFAULT_JIRA_FLOW_SETTINGS: JiraFlowSettings = {
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
};

/**
 * A change to the settings: any sections, and in each section any settings; what it leaves out stays as it
 * is. statusNotes is replaced whole (it is one table of status → note).
 */
export type JiraFlowSettingsPatch = {
  [S in keyof JiraFlowSettings]?: S extends 'statusNotes' ? JiraFlowSettings[S] : Partial<JiraFlowSettings[S]>;
};
