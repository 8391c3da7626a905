import { z } from 'zod';
import type { Db } from '../store/db';
import { getSetting, setSetting } from '../store/settings';
import { MappingError } from './errors';

// The mapping tables finance staff fill: what each CloudSuite code becomes on the JAGGAER side, and what the
// Jira flows need (which Jira project and issue type a PO or project becomes, labour rates, users' roles).
// Keys are the source side (table mappings, column source_key), values the target side (JSON, one schema per
// kind).

export { MappingError };

export const mappingKinds = ['supplier', 'gl-account', 'cost-center', 'site', 'payment-terms', 'jira-project', 'labour-rate', 'jira-role'] as const;
export const MappingKind = z.enum(mappingKinds);
export type MappingKind = z.infer<typeof MappingKind>;

/** Finance words for each kind, for messages and the command line: the kind, its key, and its value. */
export const mappingLabels: Record<MappingKind, { kind: string; key: string; value: string }> = {
  supplier: { kind: 'supplier', key: 'vendor number', value: 'JAGGAER' },
  'gl-account': { kind: 'GL account', key: 'GL account and cost center', value: 'JAGGAER' },
  'cost-center': { kind: 'cost center', key: 'cost center', value: 'JAGGAER' },
  site: { kind: 'site', key: 'site (warehouse)', value: 'JAGGAER' },
  'payment-terms': { kind: 'payment terms', key: 'terms code', value: 'JAGGAER' },
  'jira-project': { kind: 'Jira project', key: 'project number, type:<PO type> or *', value: 'Jira project and issue type' },
  'labour-rate': { kind: 'labour rate', key: 'scope (and effective date)', value: 'Rate per hour' },
  'jira-role': { kind: 'Jira role', key: 'Jira account id', value: 'Role' },
};

const MAX_TEXT = 200;
const text = (what: string) =>
  z
    .string({ error: `${what} must be text` })
    .trim()
    .min(1, `${what} is empty`)
    .max(MAX_TEXT, `${what} is longer than ${MAX_TEXT} characters`)
    // eslint-disable-next-line no-control-regex
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), `${what} holds a control character (a tab or line break)`);

/** A CloudSuite code: vendor number, account, unit code, warehouse, terms code. */
const code = (what: string) =>
  z
    .string({ error: `${what} must be text` })
    .trim()
    .min(1, `${what} is empty`)
    .max(64, `${what} is longer than 64 characters`)
    .refine((s) => !/[|*\s]/.test(s), `${what} may not contain spaces, "|" or "*"`);

export const SupplierTarget = z.strictObject({
  supplierNumber: text('The JAGGAER supplier number'),
  /** JAGGAER's own supplier id (Bravo id), where the customer keys suppliers by it. */
  bravoId: text('The Bravo id').optional(),
});
export type SupplierTarget = z.infer<typeof SupplierTarget>;

/** A JAGGAER cost allocation: chart-of-accounts segment name (the customer's own) → value. */
export type CostAllocation = Record<string, string>;

export const SiteTarget = z.strictObject({
  shipTo: text('The JAGGAER ship-to'),
  businessUnit: text('The business unit').optional(),
});
export type SiteTarget = z.infer<typeof SiteTarget>;

/** A Jira project key: 2 to 10 capital letters, digits or "_", starting with a letter (ENG, FIN_OPS). */
export const JIRA_PROJECT_KEY = /^[A-Z][A-Z0-9_]{1,9}$/;
const jiraProjectKey = (what: string) =>
  z
    .string({ error: `${what} must be text` })
    .trim()
    .toUpperCase()
    .regex(JIRA_PROJECT_KEY, `${what} must be 2 to 10 capital letters, digits or "_", starting with a letter, e.g. ENG`);

/** The issue type a CloudSuite project itself becomes when its mapping names none. */
export const DEFAULT_PROJECT_ISSUE_TYPE = 'Epic';

export const JiraProjectTarget = z.strictObject(
  {
    project: jiraProjectKey('The Jira project key'),
    /** The issue type name of a PO's issue, e.g. "Purchase Order". */
    issueType: text('The issue type'),
    /** The issue type of the CloudSuite project's own issue; "Epic" when not given. */
    projectIssueType: text('The project issue type').optional(),
  },
  { error: 'A Jira project mapping names the Jira project and issue type, e.g. { "project": "ENG", "issueType": "Purchase Order" }' },
);
export type JiraProjectTarget = z.infer<typeof JiraProjectTarget>;

/** Upper bound of a labour rate per hour: a larger figure is a typing mistake, not a rate. */
export const MAX_LABOUR_RATE = 100_000;
const RATE_WORDS = 'The rate must be a number of money per hour, e.g. 85 or 92.50';

/** A rate per hour: a number or a number's text ("92.50"), 0 to 100000, at most 4 decimals. */
const rateSchema = z.unknown().transform((raw, ctx): number => {
  const fail = (message: string) => {
    ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  };
  let rate: number;
  let decimals: number;
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return fail(RATE_WORDS);
    rate = raw;
    decimals = Math.abs(Math.round(rate * 10_000) - rate * 10_000) > 1e-6 ? 5 : 0;
  } else if (typeof raw === 'string') {
    const m = /^-?\d+(?:\.(\d+))?$/.exec(raw.trim());
    if (!m) return fail(RATE_WORDS);
    rate = Number(raw.trim());
    decimals = (m[1] ?? '').replace(/0+$/, '').length;
  } else {
    return fail(RATE_WORDS);
  }
  if (rate < 0) return fail(`The rate may not be negative (it is ${String(raw).trim()})`);
  if (rate > MAX_LABOUR_RATE) return fail(`The rate ${String(raw).trim()} is more than ${MAX_LABOUR_RATE} per hour; check the figure`);
  if (decimals > 4) return fail(`The rate ${String(raw).trim()} has more than 4 decimals`);
  return rate === 0 ? 0 : rate; // never -0
});

export const LabourRate = z.strictObject(
  { rate: rateSchema },
  { error: 'A labour rate mapping is the rate per hour, e.g. { "rate": 85 }' },
);
export type LabourRate = { rate: number };

export interface MappingValues {
  supplier: SupplierTarget;
  'gl-account': CostAllocation;
  'cost-center': string;
  site: SiteTarget;
  'payment-terms': string;
  'jira-project': JiraProjectTarget;
  'labour-rate': LabourRate;
  /** The user's role for costing, e.g. "Engineer". */
  'jira-role': string;
}

// ── GL keys ────────────────────────────────────────────────────────────────────────────────────────────────

/** Unit code 1 of a GL mapping that applies to every cost center of the account. */
export const ANY_COST_CENTER = '*';

/** The key of a GL mapping: "610100|CC100", or "610100|*" for any cost center. */
export function glAccountKey(account: string, costCenter: string | null): string {
  return `${account.trim()}|${costCenter?.trim() || ANY_COST_CENTER}`;
}

export function splitGlAccountKey(key: string): { account: string; costCenter: string | null } {
  const [account = '', costCenter = ANY_COST_CENTER] = key.split('|');
  return { account, costCenter: costCenter === ANY_COST_CENTER ? null : costCenter };
}

// ── Jira keys ───────────────────────────────────────────────────────────────────────────────────────────────

/** The key of the default mapping of a kind that has one (jira-project, labour-rate): everything else. */
export const ANY = '*';
/** A jira-project key for every PO of one PO type: "type:R". */
export const PO_TYPE_PREFIX = 'type:';

/** What a jira-project key names: a CloudSuite project number, a PO type ("type:R"), or everything else ("*"). */
export function jiraProjectKeyKind(key: string): 'project' | 'po-type' | 'default' {
  return key === ANY ? 'default' : key.startsWith(PO_TYPE_PREFIX) ? 'po-type' : 'project';
}

function jiraProjectKeySchema() {
  return z
    .string({ error: 'The key must be text' })
    .trim()
    .transform((k, ctx) => {
      if (k === ANY) return k;
      if (k.toLowerCase().startsWith(PO_TYPE_PREFIX)) {
        const type = code('The PO type').safeParse(k.slice(PO_TYPE_PREFIX.length));
        if (!type.success) {
          ctx.addIssue({ code: 'custom', message: `${type.error.issues[0]!.message}; write the key as type:<PO type>, e.g. type:R` });
          return z.NEVER;
        }
        return `${PO_TYPE_PREFIX}${type.data}`;
      }
      const project = code('The project number').safeParse(k);
      if (!project.success) {
        ctx.addIssue({ code: 'custom', message: `${project.error.issues[0]!.message}; the key is a CloudSuite project number (PRJ1001), type:<PO type> (type:R), or * for everything else` });
        return z.NEVER;
      }
      return project.data;
    });
}

/** The key of a labour rate: its scope, and "@yyyy-mm-dd" when it applies from that day (none: always). */
export function labourRateKey(scope: string, effectiveFrom: string | null): string {
  return effectiveFrom ? `${scope}@${effectiveFrom}` : scope;
}

export function splitLabourRateKey(key: string): { scope: string; effectiveFrom: string | null } {
  const at = key.lastIndexOf('@');
  return at < 0 ? { scope: key, effectiveFrom: null } : { scope: key.slice(0, at), effectiveFrom: key.slice(at + 1) };
}

/** A real calendar day written yyyy-mm-dd. */
export function isIsoDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00.000Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** A Jira Cloud account id ("712020:3f2a…" or "5b10ac8d82e05b22cc7d4ef5"): text without spaces, "@", "|" or "*". */
const accountId = (what: string) =>
  z
    .string({ error: `${what} must be text` })
    .trim()
    .min(1, `${what} is empty`)
    .max(128, `${what} is longer than 128 characters`)
    .refine((s) => !/[\s@|*]/.test(s), `${what} may not contain spaces, "@", "|" or "*"`);

/** A role name as the jira-role table gives it and a labour rate's role: scope names it. */
const roleName = (what: string) =>
  text(what)
    .refine((s) => s.length <= 64, `${what} is longer than 64 characters`)
    .refine((s) => !/[@|*]/.test(s), `${what} may not contain "@", "|" or "*"`);

const SCOPE_WORDS = 'a scope is user:<Jira account id>, role:<role>, project:<Jira project key> or *';

function labourRateKeySchema() {
  return z
    .string({ error: 'The key must be text' })
    .trim()
    .transform((k, ctx) => {
      const fail = (message: string) => {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      };
      const { scope: rawScope, effectiveFrom } = splitLabourRateKey(k);
      if (effectiveFrom !== null && !isIsoDay(effectiveFrom.trim())) {
        return fail(`The effective date "${effectiveFrom}" is not a day written yyyy-mm-dd, e.g. 2026-01-01`);
      }
      const from = effectiveFrom?.trim() ?? null;
      const scopeText = rawScope.trim();
      const colon = scopeText.indexOf(':');
      if (scopeText === ANY) return labourRateKey(ANY, from);
      if (colon < 0) return fail(`"${scopeText}" is not a labour rate scope; ${SCOPE_WORDS}`);
      const prefix = scopeText.slice(0, colon).trim().toLowerCase();
      const rest = scopeText.slice(colon + 1);
      const part =
        prefix === 'user'
          ? accountId('The Jira account id').safeParse(rest)
          : prefix === 'role'
            ? roleName('The role').safeParse(rest)
            : prefix === 'project'
              ? jiraProjectKey('The Jira project key').safeParse(rest)
              : null;
      if (!part) return fail(`"${scopeText}" is not a labour rate scope; ${SCOPE_WORDS}`);
      if (!part.success) return fail(part.error.issues[0]!.message);
      return labourRateKey(`${prefix}:${part.data}`, from);
    });
}

// ── Settings that shape the mappings ────────────────────────────────────────────────────────────────────────

/** JAGGAER segment names of this customer, in chart order; the first carries the account, the second the cost center. */
export const GL_SEGMENTS_SETTING = 'jaggaer.glSegments';
export const DEFAULT_GL_SEGMENTS = ['account', 'costCenter'];
const SegmentName = z
  .string()
  .trim()
  .regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/, 'a segment name starts with a letter and holds letters, digits, "_", "." or "-" (up to 64)');
export const GlSegments = z
  .array(SegmentName)
  .min(1, 'name at least one segment')
  .max(20)
  .refine((names) => new Set(names.map((n) => n.toLowerCase())).size === names.length, 'each segment name may appear once');

export function glSegments(db: Db): string[] {
  return getSetting(db, GL_SEGMENTS_SETTING, GlSegments, DEFAULT_GL_SEGMENTS);
}

export function setGlSegments(db: Db, names: string[]): string[] {
  return setSetting(db, GL_SEGMENTS_SETTING, GlSegments, names);
}

/**
 * Kinds with no default: an unmapped code is a MappingError instead of travelling as itself. Empty by default,
 * because JAGGAER's ERP-fed master data carries the ERP codes (supplier number = vendor number, and so on).
 */
export const REQUIRE_MAPPING_SETTING = 'mappings.requireMapping';
const RequireMapping = z.array(MappingKind);

export function requiredMappings(db: Db): Set<MappingKind> {
  return new Set(getSetting(db, REQUIRE_MAPPING_SETTING, RequireMapping, []));
}

export function setRequiredMappings(db: Db, kinds: MappingKind[]): MappingKind[] {
  return setSetting(db, REQUIRE_MAPPING_SETTING, RequireMapping, [...new Set(kinds)]);
}

// ── Parsing one mapping ─────────────────────────────────────────────────────────────────────────────────────

function glKeySchema() {
  return z
    .string({ error: 'The key must be text' })
    .trim()
    .transform((k, ctx) => {
      const parts = k.split('|');
      if (parts.length !== 2) {
        ctx.addIssue({ code: 'custom', message: 'The key must be an account and a cost center joined by "|", e.g. 610100|CC100 (or 610100|* for any cost center)' });
        return z.NEVER;
      }
      const account = code('The GL account').safeParse(parts[0]);
      if (!account.success) {
        ctx.addIssue({ code: 'custom', message: account.error.issues[0]!.message });
        return z.NEVER;
      }
      const cc = parts[1]!.trim();
      if (cc === '' || cc === ANY_COST_CENTER) return glAccountKey(account.data, null);
      const costCenter = code('The cost center').safeParse(cc);
      if (!costCenter.success) {
        ctx.addIssue({ code: 'custom', message: costCenter.error.issues[0]!.message });
        return z.NEVER;
      }
      return glAccountKey(account.data, costCenter.data);
    });
}

function allocationSchema(segments: string[]) {
  return z
    .record(z.string(), z.unknown(), { error: 'The cost allocation must name segment values' })
    .transform((raw, ctx) => {
      const out: CostAllocation = {};
      for (const [name, value] of Object.entries(raw)) {
        if (!segments.includes(name)) {
          ctx.addIssue({ code: 'custom', message: `"${name}" is not one of this profile's JAGGAER segments (${segments.join(', ')})` });
          return z.NEVER;
        }
        if (value === undefined || value === null || value === '') continue;
        const v = text(`The ${name} segment`).safeParse(value);
        if (!v.success) {
          ctx.addIssue({ code: 'custom', message: v.error.issues[0]!.message });
          return z.NEVER;
        }
        out[name] = v.data;
      }
      if (Object.keys(out).length === 0) {
        ctx.addIssue({ code: 'custom', message: `The cost allocation gives no segment value; name at least one of ${segments.join(', ')}` });
        return z.NEVER;
      }
      // Segment order as configured, so equal allocations are equal JSON (and hash the same).
      return Object.fromEntries(segments.filter((s) => s in out).map((s) => [s, out[s]!]));
    });
}

const keySchemas: Record<MappingKind, () => z.ZodType<string, unknown>> = {
  supplier: () => code('The vendor number'),
  'gl-account': glKeySchema,
  'cost-center': () => code('The cost center'),
  site: () => code('The site'),
  'payment-terms': () => code('The terms code'),
  'jira-project': jiraProjectKeySchema,
  'labour-rate': labourRateKeySchema,
  'jira-role': () => accountId('The Jira account id'),
};

function valueSchema<K extends MappingKind>(kind: K, segments: string[]): z.ZodType<MappingValues[K], unknown> {
  const schemas: { [P in MappingKind]: z.ZodType<MappingValues[P], unknown> } = {
    supplier: SupplierTarget,
    'gl-account': allocationSchema(segments),
    'cost-center': text('The JAGGAER value'),
    site: SiteTarget,
    'payment-terms': text('The JAGGAER payment terms'),
    'jira-project': JiraProjectTarget,
    'labour-rate': LabourRate as z.ZodType<LabourRate, unknown>,
    'jira-role': roleName('The role'),
  };
  return schemas[kind];
}

export type Parsed<K extends MappingKind> = { ok: true; key: string; value: MappingValues[K] } | { ok: false; reason: string };

/** Checks and tidies one mapping (trimmed, segments in chart order); the reason is a sentence without a full stop. */
export function parseMapping<K extends MappingKind>(kind: K, key: unknown, value: unknown, segments: string[]): Parsed<K> {
  const k = keySchemas[kind]().safeParse(key);
  if (!k.success) return { ok: false, reason: issueText(k.error) };
  const v = valueSchema(kind, segments).safeParse(value);
  if (!v.success) return { ok: false, reason: issueText(v.error) };
  return { ok: true, key: k.data, value: v.data };
}

function issueText(err: z.ZodError): string {
  const issue = err.issues[0]!;
  if (issue.code === 'unrecognized_keys') return `"${issue.keys.join('", "')}" is not a field of this mapping`;
  if (issue.code === 'invalid_type' && issue.path.length > 0) return `${String(issue.path.join('.'))} is missing or not text`;
  return issue.message;
}
