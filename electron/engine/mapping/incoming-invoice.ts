import type { EnteredVoucher } from '../connectors/cloudsuite/adapter';
import type { IncomingInvoice } from '../connectors/jaggaer/invoices';
import type { Db } from '../store/db';
import { resolveCostAllocation, resolveSupplier } from '../store/mappings';
import { MappingError, type CostAllocation, type SupplierTarget } from './kinds';

// CloudSuite AP voucher → JAGGAER incoming invoice (invoices/ocr). One invoice line per GL distribution
// (quantity 1, the distribution's amount), coded through the gl-account mapping; the supplier through the
// supplier mapping. Defaults where no mapping says otherwise: JAGGAER supplier number = vendor number, the
// first GL segment the account and the second the cost center. Pure once the mappings are given, so the same
// voucher always gives the same payload (and content hash).

/** What the mapping asks of the mapping tables; each answer is the JAGGAER value or a MappingError. */
export interface IncomingInvoiceMappings {
  supplier(vendorNumber: string): SupplierTarget | MappingError;
  costAllocation(account: string, costCenter: string | null): CostAllocation | MappingError;
}

export function incomingInvoiceMappings(db: Db): IncomingInvoiceMappings {
  return {
    supplier: (vendorNumber) => resolveSupplier(db, vendorNumber),
    costAllocation: (account, costCenter) => resolveCostAllocation(db, account, costCenter),
  };
}

/** The voucher in finance words, for messages: "Voucher 10023 of vendor V001000 (invoice INV-7)". */
export function voucherRecord(v: Pick<EnteredVoucher, 'voucherNumber' | 'vendorNumber' | 'invoiceNumber'>): string {
  return `Voucher ${v.voucherNumber} of vendor ${v.vendorNumber}${v.invoiceNumber ? ` (invoice ${v.invoiceNumber})` : ''}`;
}

const cents = (n: number): number => Math.round(n * 100);
const money = (c: number): string => (c / 100).toFixed(2);

function unwrap<T>(value: T | MappingError): T {
  if (value instanceof MappingError) throw value;
  return value;
}

/**
 * The incoming invoice for a posted voucher. `vendorCurrency` is the vendor's currency, used when the voucher
 * names none; `defaultCurrency` when neither does. A voucher with a negative amount is a credit memo (its lines
 * are sent with the sign turned, as JAGGAER's credit memos carry positive amounts).
 */
export function mapIncomingInvoice(v: EnteredVoucher, m: IncomingInvoiceMappings, vendorCurrency: string | null, defaultCurrency: string): IncomingInvoice {
  const record = voucherRecord(v);
  const invoiceNumber = v.invoiceNumber.trim();
  if (!invoiceNumber) throw new MappingError('invoiceNumber', `${record} has no supplier invoice number; JAGGAER files incoming invoices by it.`);
  if (!v.invoiceDate) throw new MappingError('invoiceDate', `${record} has no invoice date.`);
  if (v.distributions.length === 0) throw new MappingError('distributions', `${record} has no distributions, so there is nothing to code in JAGGAER.`);
  const total = v.distributions.reduce((sum, d) => sum + cents(d.amount), 0);
  if (total !== cents(v.amount)) {
    throw new MappingError('distributions', `${record}: its distributions add up to ${money(total)}, not the invoice amount ${money(cents(v.amount))}; JAGGAER would show another total.`);
  }
  const supplier = unwrap(m.supplier(v.vendorNumber));
  const sign = v.amount < 0 ? -1 : 1;
  const lines = v.distributions.map((d, i) => {
    if (!d.account.trim()) throw new MappingError(`distributions[${i + 1}].account`, `${record}: distribution ${i + 1} has no GL account.`);
    return {
      line: i + 1,
      description: d.description?.trim() || `GL ${d.account}${d.costCenter ? ` / ${d.costCenter}` : ''}`,
      unitOfMeasure: 'EA',
      quantity: 1,
      unitPrice: (sign * cents(d.amount)) / 100,
      costAllocation: unwrap(m.costAllocation(d.account, d.costCenter)),
    };
  });
  const po = v.purchaseOrder?.trim();
  return {
    // One batch per voucher, always the same: JAGGAER echoes it back, and a repeat names the same voucher.
    batchId: `FERRY-CS-${v.vendorNumber}-${v.voucherNumber}`,
    batchDescription: `CloudSuite voucher ${v.voucherNumber} of vendor ${v.vendorNumber}`,
    supplierNumber: supplier.supplierNumber,
    supplierInvoiceNumber: invoiceNumber,
    kind: sign < 0 ? 'credit-memo' : 'invoice',
    invoiceDate: v.invoiceDate.slice(0, 10),
    notes: `Entered in CloudSuite as AP voucher ${v.voucherNumber}${po ? ` against purchase order ${po}` : ''}; sent by Ferry.`,
    currency: v.currency?.trim() || vendorCurrency || defaultCurrency,
    lines,
  };
}
