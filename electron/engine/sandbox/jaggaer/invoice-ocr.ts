import crypto from 'node:crypto';
import { z } from 'zod';
import type { SandboxContext } from '../context';
import { RC, fail, type Envelope } from './envelope';
import { parseTimestamp } from './flt';
import { glFromPoLine, type BuildEnv } from './invoice-build';
import { DAY, startOfDay } from './rand';
import type { JaggaerInvoice, JaggaerInvoiceLine } from './state';
import { netDays } from './suppliers';

// POST /invoices/ocr: an incoming invoice as a scanning service hands it over (the body shape of
// invoice_data.json). It lands as a Pending, Automated invoice; lines that name a PO are matched against
// the tenant's PO line (price and quantity), the others stay uncoded for AP to code. Lines may carry
// `poNumber`/`poLineNumber` (not in the captured body, which is a non-PO invoice; accepted so PO invoices
// can be fed in too) and their GL coding in `splittableFieldSetGroupList`, the shape an invoice line is read
// back in (also not in the captured body; a segment the tenant does not have is refused). Unknown keys are
// ignored.

const timestamp = z.string().refine((v) => !Number.isNaN(parseTimestamp(v)), 'must be an ISO 8601 timestamp');
const addressRef = z.looseObject({ address: z.looseObject({ addressCode: z.string().min(1) }) });
const glValue = z.looseObject({ internalName: z.string().min(1), value: z.string().optional() });
const glCoding = z.looseObject({
  splittableFieldSetGroup: z.array(
    z.looseObject({
      splittableFieldIndexSet: z.array(
        z.looseObject({
          splittableFieldIndexList: z.looseObject({
            splittableFieldIndex: z.array(z.looseObject({ customFieldValueList: z.looseObject({ customFieldValue: z.array(glValue) }) })),
          }),
        }),
      ),
    }),
  ),
});

/** The first split's coding (an incoming line is one split); values left empty are uncoded segments. */
function codingOf(list: z.output<typeof glCoding> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const group of list?.splittableFieldSetGroup ?? []) {
    for (const set of group.splittableFieldIndexSet) {
      for (const f of set.splittableFieldIndexList.splittableFieldIndex[0]?.customFieldValueList.customFieldValue ?? []) if (f.value) out[f.internalName] = f.value;
    }
  }
  return out;
}

const ocrSchema = z.object({
  batchId: z.string().min(1),
  batchInfo: z.looseObject({ batchNumber: z.string().min(1), batchTimestamp: timestamp, batchDescription: z.string().optional() }),
  invoiceOcr: z.object({
    invoiceOcrHeader: z.looseObject({
      supplierInvoiceNumber: z.string().trim().min(1),
      invoiceType: z.string().optional(),
      billTo: addressRef.optional(),
      remitTo: addressRef.optional(),
      shipTo: addressRef.optional(),
      businessUnit: z.looseObject({ internalName: z.string() }).optional(),
      terms: z.looseObject({ standardPaymentTermsCode: z.string() }).optional(),
      invoiceDate: timestamp,
      notes: z.string().optional(),
      supplier: z.looseObject({ supplierNumber: z.string().trim().min(1) }),
    }),
    invoiceOcrLineList: z.object({
      invoiceOcrLine: z
        .array(
          z.looseObject({
            lineNumber: z.number().int().positive(),
            ocrItem: z.looseObject({ description: z.string().min(1), unitOfMeasure: z.string().min(1), packagingAmount: z.number().optional() }),
            quantity: z.number().refine((n) => n !== 0, 'must not be zero'),
            unitPrice: z.object({ currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code'), money: z.number() }),
            poNumber: z.string().min(1).optional(),
            poLineNumber: z.union([z.string(), z.number()]).optional(),
            splittableFieldSetGroupList: glCoding.optional(),
          }),
        )
        .min(1, 'at least one invoiceOcrLine is required'),
    }),
  }),
});

const TYPES: Record<string, JaggaerInvoice['invoiceType']> = { invoice: 'Invoice', 'credit memo': 'Credit memo', creditmemo: 'Credit memo' };

export function importOcrInvoice(ctx: SandboxContext, env: BuildEnv, body: unknown): Envelope & { batchId?: string; invoiceId?: number } {
  const parsed = ocrSchema.safeParse(body);
  if (!parsed.success) {
    return fail(RC.INVALID_REQUEST, `Invalid invoice: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
  }
  const { batchId, invoiceOcr } = parsed.data;
  const h = invoiceOcr.invoiceOcrHeader;
  const rows = invoiceOcr.invoiceOcrLineList.invoiceOcrLine;
  const invoiceType = TYPES[(h.invoiceType ?? 'Invoice').toLowerCase()];
  if (!invoiceType) return fail(RC.INVALID_REQUEST, `Invalid invoiceType '${h.invoiceType}'; expected Invoice or Credit memo`);
  if (new Set(rows.map((l) => l.lineNumber)).size !== rows.length) return fail(RC.INVALID_REQUEST, 'Duplicate lineNumber in invoiceOcrLineList');
  if (new Set(rows.map((l) => l.unitPrice.currency)).size > 1) return fail(RC.INVALID_REQUEST, 'All lines must be in one currency');

  const { state } = env;
  const segments = new Set(state.config.glSegments.map((g) => g.internalName));
  const unknownSegment = rows.flatMap((l) => Object.keys(codingOf(l.splittableFieldSetGroupList))).find((name) => !segments.has(name));
  if (unknownSegment) return fail(RC.INVALID_REQUEST, `Unknown GL segment '${unknownSegment}'; this tenant codes ${[...segments].join(', ')}`);
  const supplier = env.supplierByExt.get(h.supplier.supplierNumber);
  if (!supplier) return fail(RC.NOT_FOUND, `Supplier with supplier number ${h.supplier.supplierNumber} not found`);
  const dup = state.invoices.find((i) => i.supplier.bravoId === supplier.bravoId && i.supplierInvoiceNumber === h.supplierInvoiceNumber && i.invoiceType === invoiceType);
  if (dup) return fail(RC.DUPLICATE, `Supplier invoice ${h.supplierInvoiceNumber} of ${supplier.companyName} already exists as invoice ${dup.invoiceId}`);

  const shipToCode = h.shipTo?.address.addressCode ?? 'MAIN';
  const lines: JaggaerInvoiceLine[] = rows.map((l) => {
    const po = l.poNumber ? env.poByNumber.get(l.poNumber) : undefined;
    const poLineNo = Number(l.poLineNumber ?? l.lineNumber);
    const poLine = po?.lines.find((x) => x.poLine === poLineNo);
    const matches = !!poLine && Math.abs(poLine.unitCost - l.unitPrice.money) < 0.005 && Math.abs(l.quantity) <= poLine.quantity;
    const coded = codingOf(l.splittableFieldSetGroupList);
    return {
      lineId: state.next.lineId++,
      lineNumber: l.lineNumber,
      description: l.ocrItem.description,
      unitOfMeasure: l.ocrItem.unitOfMeasure,
      quantity: l.quantity,
      unitPrice: l.unitPrice.money,
      poNumber: l.poNumber ?? null,
      poLineNumber: l.poNumber ? String(poLineNo) : null,
      taxCharge1: 0,
      matchStatus: !l.poNumber ? 'Do Not Match' : matches ? 'Matched' : 'Unmatched',
      gl: Object.keys(coded).length > 0 ? coded : poLine ? glFromPoLine(state.config.glSegments, poLine) : {},
      shipToCode,
    };
  });

  const now = ctx.clock.now('jaggaer');
  const invoiceDate = parseTimestamp(h.invoiceDate);
  const days = netDays(h.terms?.standardPaymentTermsCode ?? supplier.paymentTerms);
  const iso = (t: number) => new Date(t).toISOString();
  const statuses = new Set(lines.map((l) => l.matchStatus));
  const invoice: JaggaerInvoice = {
    invoiceId: state.next.invoiceId++,
    originalRequestMessageId: crypto.randomUUID(),
    invoiceName: `${iso(now).slice(0, 10)} ocr.import 01`,
    invoiceNumber: `I${String(state.next.invoiceNumber++).padStart(5, '0')}`,
    supplierInvoiceNumber: h.supplierInvoiceNumber,
    invoiceType,
    invoiceSource: 'Automated',
    invoiceDate: iso(invoiceDate),
    invoiceCreateDate: iso(startOfDay(now)),
    dueDate: iso(invoiceDate + days * DAY),
    lastUpdate: iso(now),
    invoicedBy: 'ocr.import',
    supplier: { bravoId: supplier.bravoId, id: supplier.supplierId, name: supplier.companyName, supplierNumber: supplier.extCode, duns: supplier.extUniqueCode },
    terms: { code: h.terms?.standardPaymentTermsCode ?? supplier.paymentTerms ?? `Net ${days}`, daysAfter: days },
    currency: rows[0]!.unitPrice.currency,
    shippingCharge: 0,
    handlingCharge: 0,
    discountAmount: 0,
    matchStatus: statuses.has('Unmatched') ? 'Unmatched' : statuses.has('Matched') ? 'Matched' : 'Do Not Match',
    workflowStatus: 'Pending',
    paymentStatus: 'InProcess',
    batchId,
    lines,
  };
  state.invoices.push(invoice);
  ctx.changed();
  return { returnCode: RC.OK, returnMessage: 'Invoice imported', batchId, invoiceId: invoice.invoiceId };
}
