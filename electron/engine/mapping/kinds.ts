import { z } from 'zod';
import type { Db } from '../store/db';
import { getSetting, setSetting } from '../store/settings';
import { MappingError } from './errors';

// The mapping tables finance staff fill: what each CloudSuite code becomes on the JAGGAER side. Keys are the
// CloudSuite side (table mappings, column source_key), values the JAGGAER side (JSON, one schema per kind).

export { MappingError };

export const mappingKinds = ['supplier', 'gl-account', 'cost-center', 'site', 'payment-terms'] as const;
export const MappingKind = z.enum(mappingKinds);
export type MappingKind = z.infer<typeof MappingKind>;

/** Finance words for each kind, for messages and the command line. */
export const mappingLabels: Record<MappingKind, { kind: string; key: string }> = {
  supplier: { kind: 'supplier', key: 'vendor number' },
  'gl-account': { kind: 'GL account', key: 'GL account and cost center' },
  'cost-center': { kind: 'cost center', key: 'cost center' },
  site: { kind: 'site', key: 'site (warehouse)' },
  'payment-terms': { kind: 'payment terms', key: 'terms code' },
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

export interface MappingValues {
  supplier: SupplierTarget;
  'gl-account': CostAllocation;
  'cost-center': string;
  site: SiteTarget;
  'payment-terms': string;
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
};

function valueSchema<K extends MappingKind>(kind: K, segments: string[]): z.ZodType<MappingValues[K], unknown> {
  const schemas: { [P in MappingKind]: z.ZodType<MappingValues[P], unknown> } = {
    supplier: SupplierTarget,
    'gl-account': allocationSchema(segments),
    'cost-center': text('The JAGGAER value'),
    site: SiteTarget,
    'payment-terms': text('The JAGGAER payment terms'),
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
