import type { SupplierInvoice, SupplierInvoiceSummary } from '../../../../shared/domain';
import { buildOcrBody, type IncomingInvoice } from './invoice-ocr';
import { toInvoice, toInvoicePage } from './invoice-map';
import { invoiceListSchema, invoiceSchema, ocrImportAnswerSchema } from './invoice-schema';
import { collect, fltTime, fltValue, pageThrough, type JaggaerPage } from './paging';
import type { JaggaerPaths } from './paths';
import type { JaggaerRest } from './rest';

export type { IncomingInvoice, IncomingInvoiceLine } from './invoice-ocr';

export interface InvoiceImported {
  /** JAGGAER's invoice id; null when JAGGAER's answer named none. */
  invoiceId: string | null;
  batchId: string;
}

/** Invoices (the J1P `ji` module): list changes, read one, import an incoming one. */
export class JaggaerInvoices {
  constructor(
    private readonly rest: JaggaerRest,
    private readonly paths: Pick<JaggaerPaths, 'invoices' | 'invoice' | 'invoiceImport'>,
  ) {}

  /** One page at a 1-based `startAt`; `flt` is J1P's filter (`lastUpdate>=…`), null for all. */
  async page(flt: string | null, startAt: number): Promise<JaggaerPage<SupplierInvoiceSummary>> {
    const params: Record<string, string> = { startAt: String(startAt) };
    if (flt) params.flt = flt;
    return toInvoicePage(await this.rest.get(this.paths.invoices, invoiceListSchema, { params, what: 'reading invoices' }));
  }

  pages(flt: string | null): AsyncGenerator<SupplierInvoiceSummary[]> {
    return pageThrough((startAt) => this.page(flt, startAt), 'invoices');
  }

  /** Invoices changed at or after `since`, a page at a time (summaries: get() an invoice for its lines). */
  changedSince(since: Date | string): AsyncGenerator<SupplierInvoiceSummary[]> {
    return this.pages(`lastUpdate>=${fltTime(since)}`);
  }

  /** A supplier's invoices with this number on the supplier's own document. */
  async findBySupplierInvoiceNumber(supplierNumber: string, supplierInvoiceNumber: string): Promise<SupplierInvoiceSummary[]> {
    const flt = `supplierNumber==${fltValue('supplier number', supplierNumber)};supplierInvoiceNumber==${fltValue('supplier invoice number', supplierInvoiceNumber)}`;
    return collect(this.pages(flt));
  }

  /** The invoice with its lines and GL coding, or null when JAGGAER has no invoice with this id. */
  async get(invoiceId: string): Promise<SupplierInvoice | null> {
    const body = await this.rest.get(this.paths.invoice(invoiceId), invoiceSchema, { what: `reading invoice ${invoiceId}`, notFoundIsNull: true });
    return body ? toInvoice(body) : null;
  }

  /**
   * Imports an incoming invoice. Not idempotent, so after a lost answer it is sent again only when a search
   * by the supplier's invoice number shows it did not land; when the search finds it, its id is the answer
   * that was lost (JAGGAER refuses the same supplier invoice twice, so the one found is this one).
   */
  async importIncoming(inv: IncomingInvoice): Promise<InvoiceImported> {
    const what = `importing supplier invoice ${inv.supplierInvoiceNumber} of ${inv.supplierNumber}`;
    const sameKind = (s: SupplierInvoiceSummary) => (inv.kind === 'credit-memo') === (s.kind === 'credit-memo');
    const find = async () => (await this.findBySupplierInvoiceNumber(inv.supplierNumber, inv.supplierInvoiceNumber)).filter(sameKind);
    const res = await this.rest.postProved(this.paths.invoiceImport, buildOcrBody(inv), ocrImportAnswerSchema, what, find);
    if (res.found) return { invoiceId: res.found.id, batchId: inv.batchId };
    return { invoiceId: res.answer.invoiceId, batchId: res.answer.batchId ?? inv.batchId };
  }
}
