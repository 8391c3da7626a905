import type { MappingKindName, ReferenceChoice } from '../shared/api';

// The mapping tables as a person edits them: each kind's key and value split into the fields a finance person
// knows (vendor number, JAGGAER supplier number, …), and back into the { key, value } the API takes. The
// engine checks every change again (kinds.ts, validate.ts); these checks only say early what it would say.

export type RefList = 'vendor' | 'gl-account' | 'cost-center' | 'project';

export interface Field {
  id: string;
  label: string;
  side: 'key' | 'value';
  required: boolean;
  placeholder?: string;
  /** The CloudSuite list the field's code must be in. */
  ref?: RefList;
  /** A value meaning "any" that is not checked against the list (a GL mapping's "*" cost center). */
  any?: string;
}

export type FieldValues = Record<string, string>;

export const kindLabels: Record<MappingKindName, { title: string; lower: string; one: string; description: string }> = {
  supplier: { title: 'Suppliers', lower: 'suppliers', one: 'supplier mapping', description: 'Which JAGGAER supplier each CloudSuite vendor is.' },
  'gl-account': { title: 'GL accounts', lower: 'GL accounts', one: 'GL account mapping', description: "How a CloudSuite GL account (and cost center) is coded in JAGGAER's chart of accounts." },
  'cost-center': { title: 'Cost centers', lower: 'cost centers', one: 'cost center mapping', description: 'What a CloudSuite cost center is called in JAGGAER.' },
  site: { title: 'Sites', lower: 'sites', one: 'site mapping', description: 'The JAGGAER ship-to (and business unit) of each CloudSuite site or warehouse.' },
  'payment-terms': { title: 'Payment terms', lower: 'payment terms', one: 'payment terms mapping', description: 'The JAGGAER text of each CloudSuite terms code (N30 → Net 30).' },
  'jira-project': { title: 'Jira projects', lower: 'Jira projects', one: 'Jira project mapping', description: 'Which Jira project and issue type a CloudSuite project, PO type or everything else becomes.' },
  'labour-rate': { title: 'Labour rates', lower: 'labour rates', one: 'labour rate', description: 'What an hour logged in Jira costs, per user, role, Jira project or for everyone (*).' },
  'jira-role': { title: 'Jira roles', lower: 'Jira roles', one: 'Jira role', description: 'The costing role of each Jira user (used by labour rates with a role: scope).' },
};

/** The fields of one kind; a GL mapping has one value field per JAGGAER segment of this profile. */
export function fieldsOf(kind: MappingKindName, segments: readonly string[]): Field[] {
  switch (kind) {
    case 'supplier':
      return [
        { id: 'key', label: 'Vendor number', side: 'key', required: true, ref: 'vendor', placeholder: 'V001000' },
        { id: 'supplierNumber', label: 'JAGGAER supplier number', side: 'value', required: true },
        { id: 'bravoId', label: 'Bravo id', side: 'value', required: false },
      ];
    case 'gl-account':
      return [
        { id: 'account', label: 'GL account', side: 'key', required: true, ref: 'gl-account', placeholder: '610100' },
        { id: 'costCenter', label: 'Cost center', side: 'key', required: true, ref: 'cost-center', any: '*', placeholder: '* for any' },
        ...segments.map((s): Field => ({ id: `segment:${s}`, label: `JAGGAER ${s}`, side: 'value', required: false })),
      ];
    case 'cost-center':
      return [
        { id: 'key', label: 'Cost center', side: 'key', required: true, ref: 'cost-center', placeholder: 'CC100' },
        { id: 'value', label: 'JAGGAER value', side: 'value', required: true },
      ];
    case 'site':
      return [
        { id: 'key', label: 'Site', side: 'key', required: true, placeholder: 'MAIN' },
        { id: 'shipTo', label: 'JAGGAER ship-to', side: 'value', required: true },
        { id: 'businessUnit', label: 'Business unit', side: 'value', required: false },
      ];
    case 'payment-terms':
      return [
        { id: 'key', label: 'Terms code', side: 'key', required: true, placeholder: 'N30' },
        { id: 'value', label: 'JAGGAER payment terms', side: 'value', required: true, placeholder: 'Net 30' },
      ];
    case 'jira-project':
      return [
        { id: 'key', label: 'CloudSuite project, type:<PO type> or *', side: 'key', required: true, ref: 'project', placeholder: 'PRJ1001' },
        { id: 'project', label: 'Jira project', side: 'value', required: true, placeholder: 'ENG' },
        { id: 'issueType', label: 'Issue type', side: 'value', required: true, placeholder: 'Purchase Order' },
        { id: 'projectIssueType', label: 'Project issue type', side: 'value', required: false, placeholder: 'Epic' },
      ];
    case 'labour-rate':
      return [
        { id: 'scope', label: 'Scope', side: 'key', required: true, placeholder: 'role:Engineer' },
        { id: 'effectiveFrom', label: 'Effective from', side: 'key', required: false, placeholder: 'yyyy-mm-dd' },
        { id: 'rate', label: 'Rate per hour', side: 'value', required: true, placeholder: '85.00' },
      ];
    case 'jira-role':
      return [
        { id: 'key', label: 'Jira account id', side: 'key', required: true },
        { id: 'value', label: 'Role', side: 'value', required: true, placeholder: 'Engineer' },
      ];
  }
}

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const obj = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {});

/** A stored (or suggested) key and value as field texts; missing parts are empty. */
export function toFields(kind: MappingKindName, key: string | null, value: unknown, segments: readonly string[]): FieldValues {
  const k = key ?? '';
  const v = obj(value);
  switch (kind) {
    case 'supplier':
      return { key: k, supplierNumber: str(v.supplierNumber), bravoId: str(v.bravoId) };
    case 'gl-account': {
      const [account = '', costCenter = '*'] = k ? k.split('|') : ['', '*'];
      return { account, costCenter: costCenter || '*', ...Object.fromEntries(segments.map((s) => [`segment:${s}`, str(v[s])])) };
    }
    case 'site':
      return { key: k, shipTo: str(v.shipTo), businessUnit: str(v.businessUnit) };
    case 'jira-project':
      return { key: k, project: str(v.project), issueType: str(v.issueType), projectIssueType: str(v.projectIssueType) };
    case 'labour-rate': {
      const at = k.lastIndexOf('@');
      return { scope: at < 0 ? k : k.slice(0, at), effectiveFrom: at < 0 ? '' : k.slice(at + 1), rate: str(v.rate) };
    }
    case 'cost-center':
    case 'payment-terms':
    case 'jira-role':
      return { key: k, value: typeof value === 'string' ? value : '' };
  }
}

/** Field texts → the key and value the API takes (trimmed; empty optional parts left out). */
export function fromFields(kind: MappingKindName, f: FieldValues, segments: readonly string[]): { key: string; value: unknown } {
  const t = (id: string) => (f[id] ?? '').trim();
  const optional = (id: string, name = id) => (t(id) ? { [name]: t(id) } : {});
  switch (kind) {
    case 'supplier':
      return { key: t('key'), value: { supplierNumber: t('supplierNumber'), ...optional('bravoId') } };
    case 'gl-account':
      return {
        key: `${t('account')}|${t('costCenter') || '*'}`,
        value: Object.fromEntries(segments.filter((s) => t(`segment:${s}`)).map((s) => [s, t(`segment:${s}`)])),
      };
    case 'site':
      return { key: t('key'), value: { shipTo: t('shipTo'), ...optional('businessUnit') } };
    case 'jira-project':
      return { key: t('key'), value: { project: t('project'), issueType: t('issueType'), ...optional('projectIssueType') } };
    case 'labour-rate':
      return { key: t('effectiveFrom') ? `${t('scope')}@${t('effectiveFrom')}` : t('scope'), value: { rate: t('rate') } };
    case 'cost-center':
    case 'payment-terms':
    case 'jira-role':
      return { key: t('key'), value: t('value') };
  }
}

/** A field's text for the table: the value as stored, "*" spelt out for a GL mapping's any cost center. */
export function displayText(field: Field, text: string): string {
  if (field.any && text === field.any) return 'any';
  return text;
}

/**
 * What is wrong with the field texts before they are sent, per field id: required fields, at least one GL
 * segment, a rate that is a number, a day written yyyy-mm-dd, and codes that the CloudSuite lists (when read)
 * do not have or hold as inactive. A jira-project key of type:… or * names no project and is not looked up.
 */
export function fieldProblems(kind: MappingKindName, fields: readonly Field[], f: FieldValues, lists: Partial<Record<RefList, readonly ReferenceChoice[]>>): Record<string, string> {
  const out: Record<string, string> = {};
  const t = (id: string) => (f[id] ?? '').trim();
  for (const field of fields) {
    const text = t(field.id);
    if (!text) {
      if (field.required) out[field.id] = `Enter the ${lowerFirst(field.label)}.`;
      continue;
    }
    if (!field.ref || text === field.any) continue;
    if (kind === 'jira-project' && (text === '*' || text.toLowerCase().startsWith('type:'))) continue;
    const list = lists[field.ref];
    if (!list || list.length === 0) continue;
    const item = list.find((i) => i.code === text);
    if (!item) out[field.id] = `${text} is not in CloudSuite's ${listWords[field.ref]}.`;
    else if (!item.active) out[field.id] = `${text} is ${field.ref === 'gl-account' || field.ref === 'project' ? 'closed' : 'inactive'} in CloudSuite.`;
  }
  if (kind === 'gl-account' && fields.every((fd) => fd.side === 'key' || !t(fd.id))) {
    const first = fields.find((fd) => fd.side === 'value');
    if (first) out[first.id] = 'Give at least one JAGGAER segment value.';
  }
  if (kind === 'labour-rate') {
    if (t('rate') && !/^\d+(\.\d{1,4})?$/.test(t('rate'))) out.rate = 'Enter the rate as a number, e.g. 85 or 92.50.';
    if (t('effectiveFrom') && !/^\d{4}-\d{2}-\d{2}$/.test(t('effectiveFrom'))) out.effectiveFrom = 'Write the day as yyyy-mm-dd, e.g. 2026-01-01.';
  }
  return out;
}

/** "Vendor number" → "vendor number", but "GL account" and "JAGGAER value" keep their capitals. */
const lowerFirst = (s: string): string => (/^[A-Z][a-z]/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s);

const listWords: Record<RefList, string> = { vendor: 'vendor list', 'gl-account': 'chart of accounts', 'cost-center': 'cost center list', project: 'project list' };

/** Whether a stored row matches the search text (any field, case ignored). */
export function matchesSearch(values: FieldValues, note: string | null, search: string): boolean {
  const q = search.trim().toLowerCase();
  if (!q) return true;
  return [...Object.values(values), note ?? ''].some((v) => v.toLowerCase().includes(q));
}

/** The route's prefilled value: JSON text of the value's known part, or plain text for kinds whose value is text. */
export function parseRouteValue(text: string | null): unknown {
  if (text === null || text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
