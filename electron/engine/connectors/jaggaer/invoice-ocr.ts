import { FerryError } from '../../../../shared/errors';

// POST invoices/ocr: an incoming supplier invoice handed over the way a scanning service does it (the body
// of invoice_data.json). JAGGAER matches lines that name a PO and leaves the rest for AP to code, unless a
// line brings its GL coding (not in the captured body; the sandbox's reading, see the README).

export interface IncomingInvoiceLine {
  line: number;
  description: string;
  unitOfMeasure: string;
  quantity: number;
  unitPrice: number;
  packagingAmount?: number;
  poNumber?: string;
  poLine?: string;
  /**
   * GL coding: chart-of-accounts segment name (the customer's own) → value, sent the way an invoice line
   * carries it (`splittableFieldSetGroupList`, one split). Absent: the line is left for AP to code.
   */
  costAllocation?: Record<string, string>;
}

export interface IncomingInvoice {
  /** Unique per import; JAGGAER echoes it back. */
  batchId: string;
  batchNumber?: string;
  batchDescription?: string;
  /** Defaults to now. */
  batchTimestamp?: string;
  /** The ERP supplier number (the company profile's extCode). */
  supplierNumber: string;
  supplierInvoiceNumber: string;
  kind?: 'invoice' | 'credit-memo';
  /** yyyy-mm-dd or an ISO time. */
  invoiceDate: string;
  /** JAGGAER's wording, e.g. "Net 60". */
  paymentTerms?: string;
  /** JAGGAER address codes. */
  billTo?: string;
  remitTo?: string;
  shipTo?: string;
  businessUnit?: string;
  notes?: string;
  /** ISO 4217, one per invoice. */
  currency: string;
  lines: IncomingInvoiceLine[];
}

function isoTime(value: string, field: string): string {
  const v = value.trim();
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00.000Z` : v);
  if (Number.isNaN(t)) throw new FerryError('invalid_invoice', `The invoice's ${field} "${value}" is not a date.`);
  return new Date(t).toISOString();
}

const addressRef = (code: string | undefined) => (code ? { address: { addressCode: code } } : undefined);

/** One split of a line's GL coding, in the shape JAGGAER returns it on an invoice line. */
function splittable(allocation: Record<string, string> | undefined): Record<string, unknown> | undefined {
  const values = Object.entries(allocation ?? {}).map(([internalName, value]) => ({ internalName, value }));
  if (values.length === 0) return undefined;
  const index = { customFieldValueList: { customFieldValue: values } };
  return { splittableFieldSetGroup: [{ splittableFieldIndexSet: [{ context: 'Line', splittableFieldIndexList: { splittableFieldIndex: [index] } }] }] };
}

/** The JSON body of an OCR import; fields not given are left out, as JAGGAER does itself. */
export function buildOcrBody(inv: IncomingInvoice, now: Date = new Date()): Record<string, unknown> {
  if (inv.lines.length === 0) throw new FerryError('invalid_invoice', `Supplier invoice ${inv.supplierInvoiceNumber} has no lines to send to JAGGAER.`);
  const batchNumber = inv.batchNumber ?? inv.batchId;
  return {
    batchId: inv.batchId,
    batchInfo: {
      batchNumber,
      batchTimestamp: inv.batchTimestamp ? isoTime(inv.batchTimestamp, 'batch time') : now.toISOString(),
      batchDescription: inv.batchDescription ?? batchNumber,
    },
    invoiceOcr: {
      invoiceOcrHeader: {
        supplierInvoiceNumber: inv.supplierInvoiceNumber,
        invoiceType: inv.kind === 'credit-memo' ? 'Credit memo' : 'Invoice',
        billTo: addressRef(inv.billTo),
        remitTo: addressRef(inv.remitTo),
        shipTo: addressRef(inv.shipTo),
        businessUnit: inv.businessUnit ? { internalName: inv.businessUnit } : undefined,
        terms: inv.paymentTerms ? { standardPaymentTermsCode: inv.paymentTerms } : undefined,
        invoiceDate: isoTime(inv.invoiceDate, 'invoice date'),
        notes: inv.notes,
        supplier: { supplierNumber: inv.supplierNumber },
      },
      invoiceOcrLineList: {
        invoiceOcrLine: inv.lines.map((l) => ({
          lineNumber: l.line,
          ocrItem: { description: l.description, unitOfMeasure: l.unitOfMeasure, packagingAmount: l.packagingAmount },
          quantity: l.quantity,
          unitPrice: { currency: inv.currency, money: l.unitPrice },
          poNumber: l.poNumber,
          poLineNumber: l.poLine,
          splittableFieldSetGroupList: splittable(l.costAllocation),
        })),
      },
    },
  };
}
