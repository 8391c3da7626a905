import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { z } from 'zod';

// JAGGAER eProcurement PO XML import (PurchaseOrderMessage). JAGGAER hands each customer the exact element
// set at onboarding; this is the shape published integrations use (../shared/docs/external-systems.md), kept
// in this one file so a customer-specific variant changes one place.

export type PoMessageType = 'new' | 'update' | 'cancel';

export interface JaggaerPoLine {
  lineNumber: number;
  release: number;
  catalogNumber: string | null;
  description: string;
  quantity: number;
  unitOfMeasure: string;
  unitPrice: number;
  needByDate: string | null;
  /** One value per chart-of-accounts segment, by the customer's custom field internal names. */
  costAllocation: Record<string, string>;
}

export interface JaggaerPurchaseOrder {
  poNumber: string;
  orderDate: string | null;
  supplierNumber: string;
  supplierName: string;
  currency: string;
  paymentTerms: string | null;
  shipTo: string | null;
  buyer: string | null;
  totalAmount: number;
  lines: JaggaerPoLine[];
}

export interface PoCredentials {
  identity: string;
  sharedSecret: string;
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, suppressEmptyNode: true });
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false, isArray: (name) => name === 'Error' || name === 'POResponse' });

const money = (n: number): string => n.toFixed(2);
const day = (iso: string | null): string | undefined => (iso ? iso.slice(0, 10) : undefined);

export function buildPoMessage(po: JaggaerPurchaseOrder, type: PoMessageType, creds: PoCredentials, messageId: string): string {
  const doc = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    PurchaseOrderMessage: {
      '@_version': '1.0',
      Header: {
        MessageId: messageId,
        Timestamp: new Date().toISOString(),
        Authentication: { Identity: creds.identity, SharedSecret: creds.sharedSecret },
      },
      PurchaseOrder: {
        POHeader: {
          '@_type': type,
          PONumber: po.poNumber,
          OrderDate: day(po.orderDate),
          Status: 'Approved',
          Supplier: { SupplierNumber: po.supplierNumber, SupplierName: po.supplierName },
          BillTo: { AddressCode: 'MAIN' },
          ShipTo: po.shipTo ? { AddressCode: po.shipTo } : undefined,
          PaymentTerms: po.paymentTerms ?? undefined,
          Buyer: po.buyer ?? undefined,
          Currency: po.currency,
          TotalAmount: money(po.totalAmount),
        },
        POLine: po.lines.map((l) => ({
          '@_lineNumber': l.lineNumber,
          '@_release': l.release,
          Item: { CatalogNumber: l.catalogNumber ?? undefined, Description: l.description },
          Quantity: String(l.quantity),
          UnitOfMeasure: l.unitOfMeasure,
          UnitPrice: money(l.unitPrice),
          NeedByDate: day(l.needByDate),
          CustomFieldValueSet: Object.entries(l.costAllocation).map(([name, value]) => ({ '@_name': name, Value: value })),
        })),
      },
    },
  };
  return builder.build(doc) as string;
}

const errorSchema = z.union([z.string(), z.object({ '#text': z.string().optional(), '@_code': z.string().optional(), '@_line': z.string().optional() })]);
const responseSchema = z.object({
  PurchaseOrderMessageResponse: z.object({
    Status: z.object({ StatusCode: z.string(), StatusText: z.string().optional() }),
    POResponse: z
      .array(
        z.object({
          PONumber: z.string().optional(),
          DocumentId: z.string().optional(),
          Status: z.string().optional(),
          // An empty <Errors/> element parses as '' and means no errors.
          Errors: z.union([z.object({ Error: z.array(errorSchema) }), z.literal('')]).optional(),
        }),
      )
      .optional(),
  }),
});

export interface PoImportError {
  code: string | null;
  line: number | null;
  message: string;
}

export interface PoImportResponse {
  statusCode: number;
  statusText: string;
  poNumber: string | null;
  documentId: string | null;
  poStatus: string | null;
  errors: PoImportError[];
}

/** Reads the body-level status: HTTP 200 with StatusCode 4xx/5xx inside is a failure like any other. */
export function parsePoResponse(xml: string): PoImportResponse | null {
  let raw: unknown;
  try {
    raw = parser.parse(xml);
  } catch {
    return null;
  }
  const parsed = responseSchema.safeParse(raw);
  if (!parsed.success) return null;
  const r = parsed.data.PurchaseOrderMessageResponse;
  const po = r.POResponse?.[0];
  return {
    statusCode: Number(r.Status.StatusCode),
    statusText: r.Status.StatusText ?? '',
    poNumber: po?.PONumber ?? null,
    documentId: po?.DocumentId ?? null,
    poStatus: po?.Status ?? null,
    errors: (po?.Errors ? po.Errors.Error : []).map((e) =>
      typeof e === 'string'
        ? { code: null, line: null, message: e }
        : { code: e['@_code'] ?? null, line: e['@_line'] ? Number(e['@_line']) : null, message: e['#text'] ?? '' },
    ),
  };
}
