import { z } from 'zod';

// What an M3 tenant must tell Ferry because Infor does not publish it (contracts/cloudsuite-m3.json has the
// transactions, not the codes a tenant chose). Each setting has no default: a guess would post to the wrong
// place. Until one is set, the flow that needs it refuses with a sentence naming it, and the connection test
// lists what is missing. The pieces are checked here once, for the stored connection and the command line.

/** An M3 code as MI fields carry it: letters, digits and - _ . / , no spaces. */
const code = (what: string, max: number) =>
  z
    .string()
    .trim()
    .regex(new RegExp(`^[A-Za-z0-9][A-Za-z0-9_./-]{0,${max - 1}}$`), `must be ${what}: up to ${max} letters, digits or - _ . / without spaces`);

/** A supplier number (SUNO, 10 long in CRS620MI's outputs). */
export const supplierNumber = code('a supplier number such as TEMPLATE01', 10);
/** An accounting identity (AITM, 10 long in CRS630MI's outputs). */
export const accountCode = code('an account such as 610100', 10);
const costCenterCode = code('a cost center such as CC100', 10);

/**
 * The supplier address Ferry reads and writes (CRS620MI LstAddresses / AddAddress / UpdAddress): its address
 * type (ADTE) and number (ADID). What each type means is the tenant's own; without it Ferry leaves addresses
 * alone. Written on the command line as TYPE/NUMBER, e.g. 1/MAIN.
 */
export const supplierAddress = z.object({
  type: z.number().int().min(1).max(99),
  id: code('an address number such as MAIN', 6),
});
export type SupplierAddress = z.infer<typeof supplierAddress>;

export function parseSupplierAddress(text: string): SupplierAddress | string {
  const m = /^\s*(\d{1,2})\s*\/\s*(\S+)\s*$/.exec(text);
  if (!m) return 'use TYPE/NUMBER, the address type (ADTE) and address number (ADID), e.g. 1/MAIN';
  const parsed = supplierAddress.safeParse({ type: Number(m[1]), id: m[2] });
  return parsed.success ? parsed.data : `the address ${parsed.error.issues[0]!.message}`;
}

/**
 * Where a PO line is booked: PPS200MI publishes no accounting for a line (M3 derives it from its accounting
 * rules), so the administrator states it. A rule is keyed by the line's item (item:ITEM), the PO's order
 * type (type:ORTY) or * for every other line; the most specific rule wins.
 */
export const poAccountKey = z.string().regex(/^(\*|item:\S{1,15}|type:\S{1,3})$/, 'must be *, item:ITEM or type:ORDERTYPE (e.g. type:PO1)');
export const poAccountCoding = z.object({ account: accountCode, costCenter: costCenterCode.optional() });
export const poAccounts = z.record(poAccountKey, poAccountCoding).refine((r) => Object.keys(r).length > 0, 'must hold at least one rule');
export type PoAccounts = z.infer<typeof poAccounts>;

/** "type:PO1=610100/CC100" → one rule, or the problem in words. */
export function parsePoAccountRule(text: string): { key: string; coding: z.infer<typeof poAccountCoding> } | string {
  const m = /^\s*([^=\s]+)\s*=\s*([^/\s]+)(?:\s*\/\s*(\S+))?\s*$/.exec(text);
  if (!m) return 'use KEY=ACCOUNT or KEY=ACCOUNT/COSTCENTER, the key being *, item:ITEM or type:ORDERTYPE, e.g. "*=610100/CC100"';
  const key = poAccountKey.safeParse(m[1]);
  if (!key.success) return `the key ${key.error.issues[0]!.message}`;
  const coding = poAccountCoding.safeParse({ account: m[2], ...(m[3] ? { costCenter: m[3] } : {}) });
  if (!coding.success) return `the ${coding.error.issues[0]!.path.join('.') === 'costCenter' ? 'cost center' : 'account'} ${coding.error.issues[0]!.message}`;
  return { key: key.data, coding: coding.data };
}

/** The coding of a PO line by the rules: its item's, else its order type's, else *; null when none applies. */
export function poLineCoding(rules: PoAccounts | undefined, orderType: string | null, item: string | null): { account: string; costCenter: string | null } | null {
  if (!rules) return null;
  const rule = (item ? rules[`item:${item}`] : undefined) ?? (orderType ? rules[`type:${orderType}`] : undefined) ?? rules['*'];
  return rule ? { account: rule.account, costCenter: rule.costCenter ?? null } : null;
}

/** APS450MI's line type (RDTP) for an invoice line matched to a PO line: a code M3 does not publish. */
export const invoiceLineType = z.number().int().min(1).max(99);

/** GLS840MI's interface (INTN) Ferry's batches go through; the tenant sets it up for Ferry. */
export const glInterface = code('an interface name such as FERRY', 10);
export const DEFAULT_GL_INTERFACE = 'FERRY';
