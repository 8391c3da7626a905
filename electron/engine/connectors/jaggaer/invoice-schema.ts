import { z } from 'zod';

// J1P `ji` invoices in the shapes of the captured payloads (../shared/fixtures/jaggaer/): the list carries a
// summary header per invoice, one invoice has the full header and `lineList.invoiceLine`. Only what Ferry
// maps is required; everything else passes (loose objects), because JAGGAER adds fields per customer and
// leaves empty ones out.

const id = z.union([z.number(), z.string().min(1)]).transform(String);
const money = z.union([z.number(), z.string().trim().regex(/^-?\d+(\.\d+)?$/, 'must be a number').transform(Number)]);
// Charges JAGGAER leaves out when there are none.
const charge = money.optional().transform((v) => v ?? 0);
const timestamp = z.string().refine((v) => /^\d{4}-\d{2}-\d{2}/.test(v) && !Number.isNaN(Date.parse(v)), 'must be an ISO 8601 date');
const optString = z.union([z.string(), z.number()]).nullish().transform((v) => (v === undefined || v === null || String(v).trim() === '' ? null : String(v)));

export const invoiceHeaderSchema = z.looseObject({
  invoiceId: id,
  invoiceNumber: z.string().min(1),
  invoiceType: z.string(),
  invoiceDate: timestamp,
  dueDate: timestamp.nullish(),
  accountingDate: timestamp.nullish(),
  lastUpdate: timestamp,
  supplier: z.looseObject({ id, name: z.string(), supplierNumber: optString }),
  supplierInvoiceNumber: optString,
  matchStatus: z.string().nullish(),
  workflowStatus: z.string().nullish(),
  paymentStatus: z.string().nullish(),
  taxCharge1: charge,
  taxCharge2: charge,
  shippingCharge: charge,
  handlingCharge: charge,
  discountAmount: charge,
  total: z.looseObject({ currency: z.string().nullish(), value: money.nullish() }).optional(),
});
export type InvoiceHeader = z.output<typeof invoiceHeaderSchema>;

export const invoiceListSchema = z.looseObject({
  totRecords: z.number().int().min(0),
  returnedRecords: z.number().int().min(0),
  startAt: z.number().int().optional(),
  jiinvoiceList: z.looseObject({ jiinvoice: z.array(z.looseObject({ header: invoiceHeaderSchema })).optional() }).nullish(),
});
export type InvoiceListBody = z.output<typeof invoiceListSchema>;

const glValue = z.looseObject({ internalName: z.string().optional(), value: z.union([z.string(), z.number()]).nullish() });
const splittable = z.looseObject({
  splittableFieldSetGroup: z
    .array(
      z.looseObject({
        splittableFieldIndexSet: z
          .array(
            z.looseObject({
              splittableFieldIndexList: z
                .looseObject({
                  splittableFieldIndex: z.array(z.looseObject({ customFieldValueList: z.looseObject({ customFieldValue: z.array(glValue).optional() }).optional() })).optional(),
                })
                .optional(),
            }),
          )
          .optional(),
      }),
    )
    .optional(),
});
export type Splittable = z.output<typeof splittable>;

export const invoiceLineSchema = z.looseObject({
  lineNumber: z.number().int(),
  item: z.looseObject({ description: z.string().nullish(), unitOfMeasure: z.looseObject({ dimension: z.string().nullish() }).nullish() }).optional(),
  quantity: money,
  unitPrice: money,
  taxCharge1: charge,
  taxCharge2: charge,
  poNumber: optString,
  poLineNumber: optString,
  splittableFieldSetGroupList: splittable.optional(),
});
export type InvoiceLine = z.output<typeof invoiceLineSchema>;

export const invoiceSchema = z.looseObject({
  header: invoiceHeaderSchema,
  lineList: z.looseObject({ invoiceLine: z.array(invoiceLineSchema).optional() }).optional(),
});
export type InvoiceBody = z.output<typeof invoiceSchema>;

export const ocrImportAnswerSchema = z.looseObject({
  batchId: optString,
  invoiceId: optString,
});
