import { z } from 'zod';
import type { NewVendor, Vendor, VendorChanges } from '../../../shared/domain';
import { FerryError } from '../../../shared/errors';
import type { CompanyProfileInput, JaggaerCompany } from '../connectors/jaggaer/companies';
import type { Db } from '../store/db';
import { getMapping, listMappings } from '../store/mappings';
import { getSetting, setSetting } from '../store/settings';
import { MappingError, requiredMappings, type SupplierTarget } from './kinds';

// A supplier as both systems can agree on it (the common view), how each side's record becomes that view and
// back, and which side wins a field that changed on both sides (the field policy). Pure apart from the
// mapping tables and settings it reads.

export const supplierFields = ['name', 'contactName', 'email', 'phone', 'address1', 'address2', 'city', 'state', 'zip', 'country', 'paymentTerms'] as const;
export const SupplierField = z.enum(supplierFields);
export type SupplierField = z.infer<typeof SupplierField>;

/** Every field as text or null; payment terms in CloudSuite's terms code. */
export type SupplierView = Record<SupplierField, string | null>;

export const Side = z.enum(['cloudsuite', 'jaggaer']);
export type Side = z.infer<typeof Side>;
export const sideNames: Record<Side, string> = { cloudsuite: 'CloudSuite', jaggaer: 'JAGGAER' };

export const fieldLabels: Record<SupplierField, string> = {
  name: 'name', contactName: 'contact name', email: 'contact e-mail', phone: 'contact phone', address1: 'address line 1',
  address2: 'address line 2', city: 'city', state: 'state', zip: 'postal code', country: 'country', paymentTerms: 'payment terms',
};

/**
 * Who wins a field changed on both sides: CloudSuite (the books) for the name, the remit-to address and the
 * payment terms; JAGGAER (where suppliers keep their own profile) for the contact.
 */
export const DEFAULT_FIELD_POLICY: Readonly<Record<SupplierField, Side>> = {
  name: 'cloudsuite', contactName: 'jaggaer', email: 'jaggaer', phone: 'jaggaer', address1: 'cloudsuite', address2: 'cloudsuite',
  city: 'cloudsuite', state: 'cloudsuite', zip: 'cloudsuite', country: 'cloudsuite', paymentTerms: 'cloudsuite',
};

// ── Settings ────────────────────────────────────────────────────────────────────────────────────────────────

export const SUPPLIER_SYNC_SETTING = 'supplierSync';
export const SupplierSyncSettings = z.object({
  /** Overrides of DEFAULT_FIELD_POLICY, field by field. */
  fieldPolicy: z.partialRecord(SupplierField, Side).default({}),
  /**
   * A JAGGAER supplier without an ERP number: `assign` creates the CloudSuite vendor under prefix + bravoId
   * (J021045), `wait` leaves it in Needs attention until someone gives it an ERP number in JAGGAER.
   */
  newVendorNumbers: z.enum(['assign', 'wait']).default('assign'),
  numberPrefix: z.string().regex(/^[A-Z]{1,3}$/, 'the prefix is one to three capital letters').default('J'),
  /** CloudSuite Industrial vendor numbers are 7 long, M3 supplier numbers up to 10. */
  numberLength: z.number().int().min(4).max(10).default(7),
  /** Currency of vendors created from JAGGAER (JAGGAER profiles carry none). */
  currency: z.string().regex(/^[A-Z]{3}$/, 'a three-letter currency code').default('USD'),
});
export type SupplierSyncSettings = z.output<typeof SupplierSyncSettings>;

export interface SupplierSyncConfig extends SupplierSyncSettings {
  policy: Record<SupplierField, Side>;
}

export function supplierSyncSettings(db: Db): SupplierSyncConfig {
  const s = getSetting(db, SUPPLIER_SYNC_SETTING, SupplierSyncSettings, SupplierSyncSettings.parse({}));
  return { ...s, policy: { ...DEFAULT_FIELD_POLICY, ...s.fieldPolicy } };
}

export function setSupplierSyncSettings(db: Db, value: z.input<typeof SupplierSyncSettings>): SupplierSyncSettings {
  return setSetting(db, SUPPLIER_SYNC_SETTING, SupplierSyncSettings, SupplierSyncSettings.parse(value));
}

/** The CloudSuite vendor number a JAGGAER-only supplier gets under `assign`, or null when it cannot have one. */
export function assignedVendorNumber(cfg: Pick<SupplierSyncSettings, 'numberPrefix' | 'numberLength'>, bravoId: string): string | null {
  const digits = cfg.numberLength - cfg.numberPrefix.length;
  if (!/^\d+$/.test(bravoId) || bravoId.length > digits) return null;
  return cfg.numberPrefix + bravoId.padStart(digits, '0');
}

// ── Mappings ────────────────────────────────────────────────────────────────────────────────────────────────

const NET_CODE = /^N(\d{1,3})$/i;
const NET_TEXT = /^net\s*(\d{1,3})$/i;

/**
 * CloudSuite terms code → JAGGAER text: the payment-terms mapping, else the built-in table N<days> ↔ Net <days>
 * (N30 ↔ Net 30), else the code itself. With payment-terms mappings required, only a mapping will do.
 */
export function termsToJaggaer(db: Db, code: string): string {
  const mapped = getMapping(db, 'payment-terms', code);
  if (mapped) return mapped.value;
  const required = requiredMappings(db).has('payment-terms');
  if (required) throw new MappingError('paymentTerms', `Payment terms ${code} have no JAGGAER mapping; add them in Mappings → Payment terms.`);
  const net = NET_CODE.exec(code);
  return net ? `Net ${Number(net[1])}` : code;
}

/** JAGGAER text → CloudSuite terms code: the reverse of termsToJaggaer; a text none of them explains is a MappingError. */
export function termsFromJaggaerText(db: Db, text: string): string {
  const wanted = text.toLowerCase();
  const mapped = listMappings(db, 'payment-terms').find((m) => m.value.toLowerCase() === wanted);
  if (mapped) return mapped.key;
  const refusal = `JAGGAER payment terms "${text}" are not mapped to a CloudSuite terms code; add them in Mappings → Payment terms.`;
  if (requiredMappings(db).has('payment-terms')) throw new MappingError('paymentTerms', refusal);
  const net = NET_TEXT.exec(text);
  if (net) return `N${Number(net[1])}`;
  // An unmapped code travels as itself; a text with spaces was never a CloudSuite code.
  if (/^[^\s|*]{1,64}$/.test(text)) return text;
  throw new MappingError('paymentTerms', refusal);
}

/**
 * The supplier mapping read once per run, both ways: vendor number → JAGGAER supplier number (extCode), and
 * a JAGGAER supplier → vendor number. Default when unmapped: the two numbers are the same.
 */
export class SupplierNumbers {
  private readonly byVendor = new Map<string, SupplierTarget>();
  private readonly byExtCode = new Map<string, string>();
  private readonly byBravoId = new Map<string, string>();
  private readonly required: boolean;

  constructor(db: Db) {
    for (const m of listMappings(db, 'supplier')) {
      this.byVendor.set(m.key, m.value);
      this.byExtCode.set(m.value.supplierNumber, m.key);
      if (m.value.bravoId) this.byBravoId.set(m.value.bravoId, m.key);
    }
    this.required = requiredMappings(db).has('supplier');
  }

  target(vendorNumber: string): SupplierTarget {
    const mapped = this.byVendor.get(vendorNumber);
    if (mapped) return mapped;
    if (this.required) throw new MappingError('vendorNumber', `Vendor ${vendorNumber} has no JAGGAER supplier mapping; add it in Mappings → Suppliers.`);
    return { supplierNumber: vendorNumber };
  }

  /** The vendor a JAGGAER supplier belongs to by the mapping or its extCode; null when it names none. */
  vendorOf(company: Pick<JaggaerCompany, 'bravoId' | 'extCode'>): string | null {
    const mapped = this.byBravoId.get(company.bravoId) ?? (company.extCode ? this.byExtCode.get(company.extCode) : undefined);
    if (mapped) return mapped;
    if (!company.extCode) return null;
    if (this.required) {
      throw new MappingError('supplierNumber', `JAGGAER supplier number ${company.extCode} is not mapped to a CloudSuite vendor; add it in Mappings → Suppliers.`);
    }
    return company.extCode;
  }
}

// ── The common view of each side ────────────────────────────────────────────────────────────────────────────

/** Text as both systems compare it: runs of white space are one space, blank is null. */
export const clean = (v: string | null | undefined): string | null => {
  const t = (v ?? '').replace(/\s+/g, ' ').trim();
  return t === '' ? null : t;
};
const upper = (v: string | null | undefined): string | null => clean(v)?.toUpperCase() ?? null;

export function viewOfVendor(v: Vendor): SupplierView {
  return {
    name: clean(v.name),
    contactName: clean(v.contact.name),
    email: clean(v.contact.email),
    phone: clean(v.contact.phone),
    address1: clean(v.address.line1),
    address2: clean(v.address.line2),
    city: clean(v.address.city),
    state: clean(v.address.state),
    zip: clean(v.address.postalCode),
    country: upper(v.address.country),
    paymentTerms: clean(v.paymentTerms),
  };
}

/**
 * JAGGAER keeps one address text: the lines travel joined by a line break. The contact is the profile's user
 * (first names and surname); e-mail and phone are the business ones, as CloudSuite keeps them for the vendor.
 */
export function viewOfCompany(db: Db, c: JaggaerCompany): SupplierView {
  const [line1 = null, ...rest] = (c.address ?? '').split(/\r?\n/).map(clean).filter((l): l is string => l !== null);
  const terms = clean(c.paymentTerms);
  return {
    name: clean(c.companyName),
    contactName: clean([c.userName, c.userSurName].filter(Boolean).join(' ')),
    email: clean(c.bizEmail),
    phone: clean(c.bizPhone),
    address1: line1,
    address2: clean(rest.join(' ')),
    city: clean(c.city),
    state: clean(c.province),
    zip: clean(c.zip),
    country: upper(c.isoCountry),
    paymentTerms: terms === null ? null : termsFromJaggaerText(db, terms),
  };
}

// ── From the view to each side's write ─────────────────────────────────────────────────────────────────────

/** The JAGGAER fields that carry these common fields of `view` (the whole address when either line changes). */
export function companyInput(db: Db, view: SupplierView, fields: readonly SupplierField[]): Omit<CompanyProfileInput, 'companyName'> {
  const out: Omit<CompanyProfileInput, 'companyName'> = {};
  for (const f of fields) {
    if (f === 'contactName') {
      const parts = (view.contactName ?? '').split(' ').filter(Boolean);
      out.userName = parts.length > 1 ? parts.slice(0, -1).join(' ') : (parts[0] ?? null);
      out.userSurName = parts.length > 1 ? parts.at(-1)! : null;
    } else if (f === 'email') out.bizEmail = view.email;
    else if (f === 'phone') out.bizPhone = view.phone;
    else if (f === 'address1' || f === 'address2') out.address = [view.address1, view.address2].filter(Boolean).join('\n') || null;
    else if (f === 'city') out.city = view.city;
    else if (f === 'state') out.province = view.state;
    else if (f === 'zip') out.zip = view.zip;
    else if (f === 'country') out.isoCountry = view.country;
    else if (f === 'paymentTerms') out.paymentTerms = view.paymentTerms === null ? null : termsToJaggaer(db, view.paymentTerms);
  }
  return out;
}

/** The profile as JAGGAER keeps it after saving `input` on `company`: trimmed, blank cleared, country in capitals. */
export function applyCompanyInput(company: JaggaerCompany, input: CompanyProfileInput): JaggaerCompany {
  const out: JaggaerCompany = { ...company };
  for (const [k, v] of Object.entries(input) as [keyof CompanyProfileInput, string | null | undefined][]) {
    if (v === undefined || k === 'companyName') continue;
    const value = v === null || v.trim() === '' ? null : v.trim();
    out[k] = k === 'isoCountry' ? (value?.toUpperCase() ?? null) : value;
  }
  const name = input.companyName.trim();
  if (name) out.companyName = name;
  return out;
}

const cannotClear = (field: SupplierField, number: string) =>
  new FerryError('cannot_clear', `The ${fieldLabels[field]} of vendor ${number} was cleared in JAGGAER; a CloudSuite vendor cannot be without it, so Ferry left both as they are. Enter it again in JAGGAER, or the same in both.`);

export function vendorChanges(number: string, view: SupplierView, fields: readonly SupplierField[]): VendorChanges {
  const out: VendorChanges = {};
  const address = (): NonNullable<VendorChanges['address']> => (out.address ??= {});
  const contact = (): NonNullable<VendorChanges['contact']> => (out.contact ??= {});
  for (const f of fields) {
    const v = view[f];
    if (f === 'name' || f === 'paymentTerms') {
      if (v === null) throw cannotClear(f, number);
      if (f === 'name') out.name = v;
      else out.paymentTerms = v;
    } else if (f === 'contactName') contact().name = v;
    else if (f === 'email') contact().email = v;
    else if (f === 'phone') contact().phone = v;
    else if (f === 'address1') address().line1 = v;
    else if (f === 'address2') address().line2 = v;
    else if (f === 'city') address().city = v;
    else if (f === 'state') address().state = v;
    else if (f === 'zip') address().postalCode = v;
    else address().country = v;
  }
  return out;
}

export function newVendor(number: string, view: SupplierView, currency: string): NewVendor {
  if (!view.name) throw new FerryError('missing_name', `JAGGAER supplier for vendor ${number} has no name.`);
  if (!view.paymentTerms) {
    throw new FerryError('missing_terms', `JAGGAER supplier "${view.name}" has no payment terms, so Ferry did not create vendor ${number} in CloudSuite; enter its terms in JAGGAER.`);
  }
  return {
    number,
    name: view.name,
    currency,
    paymentTerms: view.paymentTerms,
    address: { line1: view.address1, line2: view.address2, city: view.city, state: view.state, postalCode: view.zip, country: view.country },
    contact: { name: view.contactName, email: view.email, phone: view.phone },
  };
}

// ── Comparing both sides with the snapshot ──────────────────────────────────────────────────────────────────

/** What both sides looked like, in the common view, when they were last in step. */
export const SupplierSnapshot = z.object({
  cloudsuite: z.record(SupplierField, z.string().nullable()),
  jaggaer: z.record(SupplierField, z.string().nullable()),
});
export type SupplierSnapshot = z.infer<typeof SupplierSnapshot>;

export interface FieldConflict {
  field: SupplierField;
  cloudsuite: string | null;
  jaggaer: string | null;
  /** The last in-step values; null when the pair had never been in step (their first sync). */
  was: { cloudsuite: string | null; jaggaer: string | null } | null;
  winner: Side;
}

export interface SupplierMerge {
  /** Fields to write, with their new values, per side. */
  toCloudSuite: Partial<SupplierView>;
  toJaggaer: Partial<SupplierView>;
  conflicts: FieldConflict[];
}

/**
 * Field by field: changed on one side only → carried to the other; changed on both to different values (or,
 * without a snapshot, different at all) → the policy's winner, as a conflict; changed on neither → left
 * alone, even where the two differ (they were in step like that: what the last write read back).
 */
export function mergeSupplier(cs: SupplierView, j: SupplierView, snapshot: SupplierSnapshot | null, policy: Record<SupplierField, Side>): SupplierMerge {
  const out: SupplierMerge = { toCloudSuite: {}, toJaggaer: {}, conflicts: [] };
  for (const f of supplierFields) {
    const csChanged = snapshot === null || cs[f] !== snapshot.cloudsuite[f];
    const jChanged = snapshot === null || j[f] !== snapshot.jaggaer[f];
    if (cs[f] === j[f] || (!csChanged && !jChanged)) continue;
    let from: Side;
    if (csChanged && jChanged) {
      from = policy[f];
      out.conflicts.push({ field: f, cloudsuite: cs[f], jaggaer: j[f], was: snapshot ? { cloudsuite: snapshot.cloudsuite[f], jaggaer: snapshot.jaggaer[f] } : null, winner: from });
    } else from = csChanged ? 'cloudsuite' : 'jaggaer';
    if (from === 'cloudsuite') out.toJaggaer[f] = cs[f];
    else out.toCloudSuite[f] = j[f];
  }
  return out;
}

export const changedFields = (changes: Partial<SupplierView>): SupplierField[] => supplierFields.filter((f) => f in changes);
