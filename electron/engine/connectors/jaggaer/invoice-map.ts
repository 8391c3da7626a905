import type { SupplierInvoice, SupplierInvoiceKind, SupplierInvoiceLine, SupplierInvoiceMatch, SupplierInvoiceSummary } from '../../../../shared/domain';
import { parseAnswer } from './errors';
import type { JaggaerPage } from './paging';
import { invoiceListSchema, invoiceSchema, type InvoiceBody, type InvoiceHeader, type InvoiceLine, type InvoiceListBody, type Splittable } from './invoice-schema';

// JAGGAER invoices → Ferry's SupplierInvoice, so flows never see the `ji` module's shape.

const round2 = (n: number): number => Math.round(n * 100) / 100;
const day = (iso: string | null | undefined): string | null => (iso ? iso.slice(0, 10) : null);

function kindOf(invoiceType: string): SupplierInvoiceKind {
  const t = invoiceType.replace(/\s+/g, '').toLowerCase();
  return t === 'invoice' ? 'invoice' : t === 'creditmemo' ? 'credit-memo' : 'other';
}

function matchOf(status: string | null | undefined): SupplierInvoiceMatch {
  const s = (status ?? '').replace(/\s+/g, '').toLowerCase();
  return s === 'matched' ? 'matched' : s === 'unmatched' ? 'unmatched' : s === 'donotmatch' ? 'not-required' : 'unknown';
}

export function toSummary(h: InvoiceHeader): SupplierInvoiceSummary {
  return {
    id: h.invoiceId,
    number: h.invoiceNumber,
    supplierInvoiceNumber: h.supplierInvoiceNumber,
    kind: kindOf(h.invoiceType),
    supplier: { id: h.supplier.id, number: h.supplier.supplierNumber, name: h.supplier.name },
    invoiceDate: day(h.invoiceDate)!,
    dueDate: day(h.dueDate),
    accountingDate: day(h.accountingDate),
    modifiedAt: new Date(Date.parse(h.lastUpdate)).toISOString(),
    currency: h.total?.currency ?? null,
    totals: {
      tax: round2(h.taxCharge1 + h.taxCharge2),
      shipping: h.shippingCharge,
      handling: h.handlingCharge,
      discount: h.discountAmount,
      total: h.total?.value ?? null,
    },
    approved: h.workflowStatus === 'Completed',
    payable: h.paymentStatus === 'Payable',
    match: matchOf(h.matchStatus),
  };
}

/**
 * GL coding: each field set group holds some of the segments (a customer can have several charts side by
 * side), each index one split of the line. Split n is the union of every group's index n.
 */
export function glSplits(list: Splittable | undefined): Record<string, string>[] {
  const splits: Record<string, string>[] = [];
  for (const group of list?.splittableFieldSetGroup ?? []) {
    for (const set of group.splittableFieldIndexSet ?? []) {
      (set.splittableFieldIndexList?.splittableFieldIndex ?? []).forEach((index, n) => {
        const coding = (splits[n] ??= {});
        for (const f of index.customFieldValueList?.customFieldValue ?? []) {
          if (f.internalName && f.value !== undefined && f.value !== null && String(f.value) !== '') coding[f.internalName] = String(f.value);
        }
      });
    }
  }
  return splits;
}

function toLine(l: InvoiceLine): SupplierInvoiceLine {
  return {
    line: l.lineNumber,
    description: l.item?.description ?? null,
    unitOfMeasure: l.item?.unitOfMeasure?.dimension ?? null,
    quantity: l.quantity,
    unitPrice: l.unitPrice,
    amount: round2(l.quantity * l.unitPrice),
    tax: round2(l.taxCharge1 + l.taxCharge2),
    poNumber: l.poNumber,
    poLine: l.poLineNumber,
    glSplits: glSplits(l.splittableFieldSetGroupList),
  };
}

export function toInvoicePage(body: InvoiceListBody): JaggaerPage<SupplierInvoiceSummary> {
  return { totRecords: body.totRecords, returnedRecords: body.returnedRecords, items: (body.jiinvoiceList?.jiinvoice ?? []).map((i) => toSummary(i.header)) };
}

export function toInvoice(body: InvoiceBody): SupplierInvoice {
  const lines = (body.lineList?.invoiceLine ?? []).map(toLine);
  return { ...toSummary(body.header), poNumber: lines.find((l) => l.poNumber)?.poNumber ?? null, lines };
}

/** One page of the invoice list as JSON. Throws a ConnectorError naming any required field that is missing. */
export function parseInvoicePage(raw: unknown, what = 'reading invoices'): JaggaerPage<SupplierInvoiceSummary> {
  return toInvoicePage(parseAnswer(invoiceListSchema, raw, what));
}

/** One invoice with its lines as JSON. Throws a ConnectorError naming any required field that is missing. */
export function parseInvoice(raw: unknown, what = 'reading an invoice'): SupplierInvoice {
  return toInvoice(parseAnswer(invoiceSchema, raw, what));
}
