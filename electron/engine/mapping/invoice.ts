import { z } from 'zod';
import type { ApDistribution, ApVoucher, PurchaseOrder, PurchaseOrderLine, SupplierInvoice, SupplierInvoiceLine, SupplierInvoiceSupplier } from '../../../shared/domain';
import { FerryError } from '../../../shared/errors';
import type { Db } from '../store/db';
import { listMappings, type Mapping } from '../store/mappings';
import { getSetting, setSetting } from '../store/settings';
import { glSegments, MappingError, requiredMappings, splitGlAccountKey, type MappingKind } from './kinds';

// JAGGAER supplier invoice → CloudSuite AP voucher. The mapping tables are kept CloudSuite → JAGGAER (the way
// po-to-jaggaer reads them); an invoice travels the other way, so this file reads them backwards: which
// vendor is this JAGGAER supplier, which account and cost center is this JAGGAER coding. Defaults when no
// mapping says otherwise (and the kind is not required): the supplier's ERP number is the vendor number, the
// first GL segment is the account and the second the cost center (unit code 1). Pure once the tables are
// loaded, so the same invoice and tables always give the same voucher (and content hash).

/** Ferry's reference on the voucher: how it is found again before any write (sync rule 2). */
export const voucherReference = (invoiceId: string): string => `FERRY:JAG-INV-${invoiceId}`;

// ── Settings ────────────────────────────────────────────────────────────────────────────────────────────────

/** How far (in the invoice currency, per line) an invoiced amount may differ from PO price × quantity. */
export const MATCH_TOLERANCE_SETTING = 'invoices.matchTolerance';
export const DEFAULT_MATCH_TOLERANCE = 0.01;
const Tolerance = z.number().min(0).max(1_000_000);

export function matchTolerance(db: Db): number {
  return getSetting(db, MATCH_TOLERANCE_SETTING, Tolerance, DEFAULT_MATCH_TOLERANCE);
}

export function setMatchTolerance(db: Db, tolerance: number): number {
  return setSetting(db, MATCH_TOLERANCE_SETTING, Tolerance, tolerance);
}

// ── The mapping tables, read once per run ───────────────────────────────────────────────────────────────────

export interface InvoiceMappings {
  /** JAGGAER GL segment names in chart order: the first carries the account, the second the cost center. */
  segments: string[];
  required: ReadonlySet<MappingKind>;
  suppliers: Mapping<'supplier'>[];
  glAccounts: Mapping<'gl-account'>[];
  costCenters: Mapping<'cost-center'>[];
}

export function loadInvoiceMappings(db: Db): InvoiceMappings {
  return {
    segments: glSegments(db),
    required: requiredMappings(db),
    suppliers: listMappings(db, 'supplier'),
    glAccounts: listMappings(db, 'gl-account'),
    costCenters: listMappings(db, 'cost-center'),
  };
}

const same = (a: string | null | undefined, b: string | null | undefined): boolean => !!a && !!b && a.trim() === b.trim();

// ── Supplier → vendor ───────────────────────────────────────────────────────────────────────────────────────

/**
 * The CloudSuite vendor of a JAGGAER supplier: the vendor whose supplier mapping names the supplier's number
 * (or, for a supplier JAGGAER holds without an ERP number, its JAGGAER supplier id); without such a mapping,
 * the supplier's ERP number itself.
 */
export function vendorForSupplier(m: InvoiceMappings, supplier: SupplierInvoiceSupplier): string {
  const number = supplier.number?.trim() || null;
  const byNumber = number ? m.suppliers.filter((s) => same(s.value.supplierNumber, number)) : [];
  const hits = byNumber.length > 0 ? byNumber : m.suppliers.filter((s) => same(s.value.supplierNumber, supplier.id));
  if (hits.length === 1) return hits[0]!.key;
  const who = `JAGGAER supplier "${supplier.name}" (${number ? `supplier number ${number}` : `supplier id ${supplier.id}`})`;
  if (hits.length > 1) {
    throw new MappingError('supplier', `${who} is mapped from ${hits.length} CloudSuite vendors (${hits.map((h) => h.key).join(', ')}); keep one supplier mapping for it.`);
  }
  if (!number) {
    throw new MappingError(
      'supplier',
      `${who} has no ERP supplier number, so Ferry cannot tell which CloudSuite vendor sent this invoice: add a supplier mapping from the vendor to JAGGAER supplier number ${supplier.id}, or give the supplier its vendor number in JAGGAER.`,
    );
  }
  if (m.required.has('supplier')) {
    throw new MappingError('supplier', `${who} has no supplier mapping, and this profile requires one: add it in Mappings → Suppliers.`);
  }
  return number;
}

// ── JAGGAER GL coding → account + cost center ───────────────────────────────────────────────────────────────

export interface Coding {
  account: string;
  costCenter: string | null;
}

/** The JAGGAER value a CloudSuite cost center goes out as (its mapping, or itself). */
function costCenterValue(m: InvoiceMappings, code: string): string {
  return m.costCenters.find((c) => c.key === code)?.value ?? code;
}

/** The CloudSuite cost center behind a JAGGAER cost-center value. */
function costCenterFor(m: InvoiceMappings, value: string, where: string): string {
  const hits = m.costCenters.filter((c) => same(c.value, value));
  if (hits.length === 1) return hits[0]!.key;
  if (hits.length > 1) throw new MappingError('costCenter', `${where}: JAGGAER cost center ${value} is mapped from ${hits.length} CloudSuite cost centers (${hits.map((h) => h.key).join(', ')}); keep one.`);
  if (m.required.has('cost-center')) throw new MappingError('costCenter', `${where}: JAGGAER cost center ${value} has no cost-center mapping, and this profile requires one.`);
  return value.trim();
}

const describeSplit = (split: Record<string, string>): string =>
  Object.entries(split)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ') || '(no segments)';

/**
 * A GL mapping matches a JAGGAER coding when every segment it names holds its value and the segments it leaves
 * to the defaults hold the account (and, for a mapping of one cost center, that cost center's value). A
 * mapping of one cost center beats the account's "any cost center" mapping; two different answers at the
 * same level are ambiguous. Without a matching mapping the coding maps by identity.
 */
export function codingForSplit(m: InvoiceMappings, split: Record<string, string>, where: string): Coding {
  const [accountSegment, costCenterSegment] = m.segments;
  const found: (Coding & { specific: boolean; key: string })[] = [];
  for (const g of m.glAccounts) {
    const { account, costCenter } = splitGlAccountKey(g.key);
    const alloc = g.value;
    if (!Object.entries(alloc).every(([segment, value]) => same(split[segment], value))) continue;
    if (accountSegment && !(accountSegment in alloc) && !same(split[accountSegment], account)) continue;
    const ccDefaulted = !!costCenterSegment && !(costCenterSegment in alloc);
    if (costCenter) {
      if (ccDefaulted && !same(split[costCenterSegment], costCenterValue(m, costCenter))) continue;
      found.push({ account, costCenter, specific: true, key: g.key });
    } else {
      const ccValue = ccDefaulted ? split[costCenterSegment]?.trim() : undefined;
      found.push({ account, costCenter: ccValue ? costCenterFor(m, ccValue, where) : null, specific: false, key: g.key });
    }
  }
  const best = found.some((f) => f.specific) ? found.filter((f) => f.specific) : found;
  const distinct = new Map(best.map((f) => [`${f.account}|${f.costCenter ?? ''}`, f]));
  if (distinct.size > 1) {
    throw new MappingError('glAccount', `${where}: JAGGAER coding ${describeSplit(split)} matches ${distinct.size} GL account mappings (${best.map((f) => f.key).join(', ')}); make them distinct.`);
  }
  const only = [...distinct.values()][0];
  if (only) return { account: only.account, costCenter: only.costCenter };

  if (m.required.has('gl-account')) {
    throw new MappingError('glAccount', `${where}: JAGGAER coding ${describeSplit(split)} has no GL account mapping, and this profile requires one: add it in Mappings → GL accounts.`);
  }
  const account = accountSegment ? split[accountSegment]?.trim() : undefined;
  if (!account) throw new MappingError('glAccount', `${where}: the JAGGAER coding ${describeSplit(split)} has no ${accountSegment ?? 'account'} segment, so Ferry cannot tell the GL account.`);
  const ccValue = costCenterSegment ? split[costCenterSegment]?.trim() : undefined;
  return { account, costCenter: ccValue ? costCenterFor(m, ccValue, where) : null };
}

// ── PO match ────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * The invoice does not match its purchase order. A validation failure like those of mapping/validate.ts
 * (code `validation_failed`, "<record> <where>: <problem> (rule: PO match).").
 */
export class PoMatchError extends FerryError {
  constructor(
    readonly record: string,
    readonly field: string,
    problem: string,
    where: string,
  ) {
    super('validation_failed', `${record} ${where}: ${problem} (rule: PO match).`, { record, field, rule: 'PO match' });
    this.name = 'PoMatchError';
  }
}

const cents = (amount: number): number => Math.round(amount * 100);
const money = (c: number): string => (c / 100).toFixed(2);
const qty = (n: number): string => String(Math.round(n * 10_000) / 10_000);

export const invoiceRecord = (invoice: Pick<SupplierInvoice, 'number' | 'supplierInvoiceNumber'>): string =>
  `Invoice ${invoice.number}${invoice.supplierInvoiceNumber ? ` (${invoice.supplierInvoiceNumber})` : ''}`;

/** "3", "3-0", "3.1", "3/1": line 3 (release 0 or 1). */
function poLineOf(ref: string): { line: number; release: number | null } | null {
  const m = /^\s*0*(\d+)(?:\s*[-./]\s*(\d+))?\s*$/.exec(ref);
  return m ? { line: Number(m[1]), release: m[2] === undefined ? null : Number(m[2]) } : null;
}

/**
 * Each line that names a PO must be on that PO, of this vendor, for no more than the ordered quantity, at
 * the PO's price: |invoiced amount − quantity × PO unit cost| ≤ tolerance. Returns the matched PO line per
 * invoice line (for coding a line JAGGAER left uncoded). `pos` holds every PO the lines name (null: not in
 * CloudSuite).
 */
export function matchPurchaseOrders(
  invoice: SupplierInvoice,
  vendorNumber: string,
  pos: ReadonlyMap<string, PurchaseOrder | null>,
  tolerance: number,
): Map<number, PurchaseOrderLine> {
  const record = invoiceRecord(invoice);
  const matched = new Map<number, PurchaseOrderLine>();
  for (const l of invoice.lines) {
    if (!l.poNumber) continue;
    const where = `line ${l.line}`;
    const field = (name: string) => `lines[${l.line}].${name}`;
    const po = pos.get(l.poNumber) ?? null;
    if (!po) throw new PoMatchError(record, field('poNumber'), `purchase order ${l.poNumber} is not in CloudSuite`, where);
    if (po.vendorNumber !== vendorNumber) {
      throw new PoMatchError(record, field('poNumber'), `purchase order ${po.number} is with vendor ${po.vendorNumber}, but the invoice is from vendor ${vendorNumber}`, where);
    }
    const ref = l.poLine ? poLineOf(l.poLine) : null;
    if (!ref) throw new PoMatchError(record, field('poLine'), `it names purchase order ${po.number} but ${l.poLine ? `no PO line Ferry can read ("${l.poLine}")` : 'no PO line'}`, where);
    const poLine = po.lines.find((p) => p.line === ref.line && (ref.release === null || p.release === ref.release));
    if (!poLine) {
      throw new PoMatchError(record, field('poLine'), `purchase order ${po.number} has no line ${l.poLine} (its lines are ${po.lines.map((p) => p.line).join(', ') || 'none'})`, where);
    }
    if (Math.abs(l.quantity) > poLine.quantity + 1e-9) {
      throw new PoMatchError(record, field('quantity'), `it bills ${qty(Math.abs(l.quantity))} ${poLine.unitOfMeasure} but PO ${po.number} line ${poLine.line} orders ${qty(poLine.quantity)}`, where);
    }
    const expected = cents(l.quantity * poLine.unitCost);
    const actual = cents(l.amount);
    if (Math.abs(actual - expected) > cents(tolerance)) {
      throw new PoMatchError(
        record,
        field('amount'),
        `it bills ${money(actual)} (${qty(l.quantity)} × ${l.unitPrice}), but PO ${po.number} line ${poLine.line} prices it at ${money(expected)} (${qty(l.quantity)} × ${poLine.unitCost}): ${money(Math.abs(actual - expected))} off, more than the tolerance of ${tolerance.toFixed(2)}`,
        where,
      );
    }
    matched.set(l.line, poLine);
  }
  return matched;
}

// ── The voucher ─────────────────────────────────────────────────────────────────────────────────────────────

/** Splits `total` cents over `weights` in proportion, to the cent (largest remainder), so the parts add up exactly. */
export function allocate(total: number, weights: number[]): number[] {
  if (weights.length === 0) return [];
  const w = weights.map((x) => Math.abs(x));
  const sum = w.reduce((s, x) => s + x, 0);
  const shares = sum === 0 ? w.map((_, i) => (i === 0 ? 1 : 0)) : w.map((x) => x / sum);
  const exact = shares.map((s) => s * total);
  const parts = exact.map((x) => Math.trunc(x));
  let rest = total - parts.reduce((s, x) => s + x, 0);
  const order = exact.map((x, i) => ({ i, frac: Math.abs(x - Math.trunc(x)) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (let k = 0; rest !== 0; k = (k + 1) % order.length) {
    const step = Math.sign(rest);
    parts[order[k]!.i]! += step;
    rest -= step;
  }
  return parts;
}

const DESCRIPTION_MAX = 40;
const describeLine = (l: SupplierInvoiceLine): string => (l.description ? `Line ${l.line}: ${l.description}` : `Line ${l.line}`).slice(0, DESCRIPTION_MAX);

export interface VoucherInputs {
  invoice: SupplierInvoice;
  vendorNumber: string;
  /** The vendor's currency in CloudSuite, used when JAGGAER states none. */
  vendorCurrency: string | null;
  mappings: InvoiceMappings;
  /** PO line matched to each invoice line that names one. */
  poLines: ReadonlyMap<number, PurchaseOrderLine>;
  /** The accounting date a person chose because the invoice's own period is closed (store/posting-dates.ts). */
  postingDate?: string | null;
  /** Name each distribution's PO line (ApDistribution.purchaseOrderLine), for a product that books through it (M3). */
  referencePoLines?: boolean;
}

/**
 * The voucher: the invoice total as its amount; one distribution per line and GL split, carrying the line's
 * amount and tax, plus its weighted share of the header charges (shipping + handling − discount, and any
 * header tax beyond the lines' own), a line's splits sharing it equally. Credit memos become negative
 * vouchers whichever sign JAGGAER gives them. The distributions are not forced to the stated total: when
 * they differ, validation says so before anything is written.
 */
export function toVoucher({ invoice, vendorNumber, vendorCurrency, mappings, poLines, postingDate, referencePoLines }: VoucherInputs): ApVoucher {
  const record = invoiceRecord(invoice);
  if (invoice.lines.length === 0) throw new MappingError('lines', `${record} has no lines, so there is nothing to distribute.`);
  const lineCents = invoice.lines.map((l) => cents(l.amount) + cents(l.tax));
  const lineTax = invoice.lines.reduce((s, l) => s + cents(l.tax), 0);
  const t = invoice.totals;
  const charges = cents(t.shipping) + cents(t.handling) - cents(t.discount) + (cents(t.tax) - lineTax);
  const shares = allocate(charges, invoice.lines.map((l) => cents(l.amount)));
  const sign = invoice.kind === 'credit-memo' && lineCents.reduce((s, c) => s + c, 0) + charges > 0 ? -1 : 1;

  const distributions: ApDistribution[] = [];
  invoice.lines.forEach((l, i) => {
    const where = `${record} line ${l.line}`;
    const poLine = poLines.get(l.line);
    let codings: Coding[];
    if (l.glSplits.length > 0) codings = l.glSplits.map((split) => codingForSplit(mappings, split, where));
    else if (poLine?.glAccount) codings = [{ account: poLine.glAccount, costCenter: poLine.unitCodes[0] ?? null }];
    else throw new MappingError('glAccount', `${where} has no GL coding in JAGGAER${l.poNumber ? ' and its PO line has no GL account' : ''}, so Ferry cannot tell where to book it.`);
    const parts = allocate(lineCents[i]! + shares[i]!, codings.map(() => 1));
    const paying = referencePoLines && poLine && l.poNumber ? { purchaseOrderLine: { number: l.poNumber, line: poLine.line, release: poLine.release, quantity: l.quantity } } : {};
    codings.forEach((c, k) => {
      if (parts[k] === 0) return;
      distributions.push({ account: c.account, costCenter: c.costCenter, project: null, amount: (sign * parts[k]!) / 100, description: describeLine(l), ...paying });
    });
  });
  const computed = distributions.reduce((s, d) => s + cents(d.amount), 0);
  const stated = t.total === null ? null : invoice.kind === 'credit-memo' ? -Math.abs(cents(t.total)) : cents(t.total);
  return {
    reference: voucherReference(invoice.id),
    vendorNumber,
    // CloudSuite keys a voucher by the number on the supplier's own document; JAGGAER's number stands in when it has none.
    invoiceNumber: invoice.supplierInvoiceNumber?.trim() || invoice.number,
    invoiceDate: invoice.invoiceDate,
    dueDate: invoice.dueDate,
    ...(postingDate ? { postingDate } : {}),
    amount: (stated ?? computed) / 100,
    currency: invoice.currency ?? vendorCurrency,
    purchaseOrder: invoice.poNumber,
    distributions,
  };
}
