// The simulated JAGGAER's whole world for one tenant. Everything here is plain JSON: the sandbox saves it
// with JSON.stringify and loads it back as is, so no Dates, Maps or class instances.

export interface JaggaerPoRecord {
  documentId: string;
  poNumber: string;
  status: 'Approved' | 'Cancelled';
  version: number;
  supplierNumber: string;
  totalAmount: string;
  lineCount: number;
  receivedAt: string;
  updatedAt: string;
}

/** Where a GL coding field takes its value from on a CloudSuite PO line (NonInvAcct, NonInvAcctUnit1..4). */
export type GlSource = 'account' | 'unit1' | 'unit2' | 'unit3' | 'unit4';

/** One chart-of-accounts segment as a JAGGAER custom field; the internal names are set per customer. */
export interface GlSegment {
  internalName: string;
  source: GlSource;
}

/** A supplier: the eSourcing company profile (bravoId) and the invoicing module's supplier id are one record. */
export interface JaggaerSupplier {
  bravoId: string;
  /** `supplier.id` in invoices (the ji module numbers suppliers separately from bravoId). */
  supplierId: number;
  companyName: string;
  /** The ERP supplier number (CloudSuite VendNum); null for suppliers that exist only in JAGGAER. */
  extCode: string | null;
  /** DUNS number, as JAGGAER customers usually fill it; also `supplier.duns` on invoices. */
  extUniqueCode: string | null;
  type: 'SELLER';
  bizEmail: string | null;
  bizPhone: string | null;
  webSite: string | null;
  address: string | null;
  zip: string | null;
  city: string | null;
  province: string | null;
  isoCountry: string | null;
  /** JAGGAER's wording ("Net 30"), not CloudSuite's terms code. */
  paymentTerms: string | null;
  userName: string | null;
  userSurName: string | null;
  userEmail: string | null;
  userPhone: string | null;
  /** ISO 8601, sandbox clock. */
  lastModTime: string;
}

export interface JaggaerInvoiceLine {
  lineId: number;
  lineNumber: number;
  description: string;
  unitOfMeasure: string;
  quantity: number;
  unitPrice: number;
  poNumber: string | null;
  poLineNumber: string | null;
  taxCharge1: number;
  matchStatus: 'Matched' | 'Unmatched' | 'Do Not Match';
  /** Value per GlSegment.internalName; a missing key is an uncoded segment. */
  gl: Record<string, string>;
  shipToCode: string;
}

export interface JaggaerInvoice {
  invoiceId: number;
  originalRequestMessageId: string;
  invoiceName: string;
  invoiceNumber: string;
  supplierInvoiceNumber: string;
  invoiceType: 'Invoice' | 'Credit memo';
  invoiceSource: 'Manual' | 'Automated' | 'Form Request';
  /** ISO 8601 timestamps. */
  invoiceDate: string;
  invoiceCreateDate: string;
  dueDate: string;
  lastUpdate: string;
  invoicedBy: string;
  /** A snapshot, as JAGGAER keeps it on the invoice: a later profile change does not rewrite old invoices. */
  supplier: { bravoId: string; id: number; name: string; supplierNumber: string | null; duns: string | null };
  terms: { code: string; daysAfter: number };
  currency: string;
  shippingCharge: number;
  handlingCharge: number;
  discountAmount: number;
  matchStatus: 'Matched' | 'Unmatched' | 'Do Not Match';
  workflowStatus: 'Completed' | 'Pending';
  paymentStatus: 'Payable' | 'InProcess';
  /** The OCR batch the invoice came in with, if any. */
  batchId: string | null;
  lines: JaggaerInvoiceLine[];
}

export interface JaggaerState {
  version: 1;
  auth: {
    clientId: string;
    clientSecret: string;
    /** PO XML import credentials (Header/Authentication), separate from the REST client. */
    identity: string;
    sharedSecret: string;
    /** Signs the access tokens, so they stay valid across a sandbox restart like real Keycloak JWTs. */
    signingKey: string;
    tokenLifetimeSeconds: number;
  };
  config: {
    pageSize: { companyProfiles: number; invoices: number };
    glSegments: GlSegment[];
    businessUnit: string;
    /** When true, the PO import refuses a SupplierNumber no supplier has as extCode (off: the old behaviour). */
    poImportRequiresKnownSupplier: boolean;
  };
  suppliers: JaggaerSupplier[];
  invoices: JaggaerInvoice[];
  purchaseOrders: Record<string, JaggaerPoRecord>;
  next: { bravoId: number; supplierId: number; invoiceId: number; invoiceNumber: number; lineId: number; documentId: number };
}

export function jaggaerCredentials(state: JaggaerState): { clientId: string; clientSecret: string; identity: string; sharedSecret: string } {
  const { clientId, clientSecret, identity, sharedSecret } = state.auth;
  return { clientId, clientSecret, identity, sharedSecret };
}
