// Product-neutral business records, in the words a finance person uses. Connectors translate the real
// systems' names (SLPos, PPS200MI, PurchaseOrderMessage) to and from these.

export interface PurchaseOrderLine {
  line: number;
  release: number;
  item: string | null;
  description: string;
  quantity: number;
  unitCost: number;
  unitOfMeasure: string;
  dueDate: string | null;
  status: string;
  glAccount: string | null;
  /** CloudSuite account unit codes 1–4; unit code 1 is usually the cost center. */
  unitCodes: (string | null)[];
}

export type PurchaseOrderStatus = 'planned' | 'ordered' | 'filled' | 'complete' | 'history' | 'unknown';

export interface PurchaseOrder {
  number: string;
  vendorNumber: string;
  orderDate: string | null;
  status: PurchaseOrderStatus;
  type: string | null;
  warehouse: string | null;
  buyer: string | null;
  /** ISO time of the last change CloudSuite recorded for the order: its header or any of its lines. */
  modifiedAt: string;
  lines: PurchaseOrderLine[];
  /** The CloudSuite project the PO is for; read when a flow asks for it (adapter.withJiraFields). */
  project?: string | null;
  /** The Jira key Ferry wrote back to the PO; read with `project`. */
  jiraKey?: string | null;
}

export interface VendorAddress {
  line1: string | null;
  line2: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  /** ISO country code as CloudSuite holds it (US, DE, …). */
  country: string | null;
}

export interface VendorContact {
  name: string | null;
  phone: string | null;
  email: string | null;
}

export interface Vendor {
  number: string;
  name: string;
  currency: string | null;
  paymentTerms: string | null;
  /** The product's own status code (Industrial A/I, M3 20/90); `active` says the same in finance words. */
  status: string | null;
  active: boolean;
  address: VendorAddress;
  contact: VendorContact;
  /** ISO time of the last change CloudSuite recorded, when it says. */
  modifiedAt: string | null;
}

/** A vendor to create. CloudSuite keys vendors by number, so the caller chooses it. */
export interface NewVendor {
  number: string;
  name: string;
  currency: string;
  paymentTerms: string;
  active?: boolean;
  address?: Partial<VendorAddress>;
  contact?: Partial<VendorContact>;
}

/** Only the fields given change; the others stay as CloudSuite has them. */
export interface VendorChanges {
  name?: string;
  currency?: string;
  paymentTerms?: string;
  active?: boolean;
  address?: Partial<VendorAddress>;
  contact?: Partial<VendorContact>;
}

/** M3 only tells balance-sheet from profit-and-loss accounts; Industrial's chart says which kind. */
export type GlAccountType = 'asset' | 'liability' | 'equity' | 'revenue' | 'expense' | 'balance-sheet' | 'profit-and-loss' | 'unknown';

export interface GlAccount {
  number: string;
  description: string;
  type: GlAccountType;
  active: boolean;
  /** A posting to this account must name a cost center. */
  costCenterRequired: boolean;
}

export interface CostCenter {
  code: string;
  description: string;
  active: boolean;
}

export interface Project {
  number: string;
  description: string;
  active: boolean;
  manager: string | null;
  costCenter: string | null;
  /** ISO times; M3's accounting identities carry no dates, so null there. */
  startDate: string | null;
  endDate: string | null;
}

/** One GL coding of a voucher: where (part of) the invoice amount is booked. */
export interface ApDistribution {
  account: string;
  costCenter: string | null;
  project: string | null;
  amount: number;
  description: string | null;
  /**
   * The PO line this distribution pays, for a product that books an invoice line through its PO line (M3:
   * APS450MI takes no account). Set only for that product, so every other voucher's content (and hash) is
   * what it was before the field existed.
   */
  purchaseOrderLine?: { number: string; line: number; release: number; quantity: number };
}

/** An AP voucher Ferry enters and posts: a supplier invoice with its GL distributions. */
export interface ApVoucher {
  /** Ferry's external reference (e.g. "FERRY:JAG-INV-123"): how a voucher is found again before any write. */
  reference: string;
  vendorNumber: string;
  /** The number on the supplier's own invoice; CloudSuite refuses a second voucher with it for one vendor. */
  invoiceNumber: string;
  /** Calendar dates, yyyy-mm-dd. */
  invoiceDate: string;
  dueDate: string | null;
  /**
   * The accounting (GL distribution) date, when a person chose to post an invoice of a closed period in an
   * open one; absent: the invoice date. The invoice keeps its own date either way. (Absent rather than null, so
   * the content hash of every voucher without one is what it was before the field existed.)
   */
  postingDate?: string;
  /** Invoice total; the distributions must add up to it. */
  amount: number;
  currency: string | null;
  purchaseOrder: string | null;
  distributions: ApDistribution[];
}

/** What identifies a voucher: M3 finds vouchers by vendor and invoice number, Industrial by Ferry's reference too. */
export type ApVoucherKey = Pick<ApVoucher, 'reference' | 'vendorNumber' | 'invoiceNumber'>;

/** A voucher as CloudSuite holds it. */
export interface ApVoucherRecord {
  voucherNumber: string;
  vendorNumber: string;
  invoiceNumber: string;
  /** Ferry's reference where the product stores one (Industrial); null on M3, which has no such field. */
  reference: string | null;
  invoiceDate: string | null;
  amount: number;
  posted: boolean;
}

/** A journal line: debits positive, credits negative, so a balanced journal sums to zero. */
export interface GlJournalLine {
  account: string;
  costCenter: string | null;
  project: string | null;
  amount: number;
  description: string | null;
}

export interface GlJournal {
  /** Ferry's external reference: the batch key CloudSuite keeps with every line. */
  reference: string;
  /** Accounting date, yyyy-mm-dd. */
  date: string;
  description: string;
  lines: GlJournalLine[];
}

export interface GlJournalRecord {
  reference: string;
  lines: (GlJournalLine & { date: string | null })[];
  posted: boolean;
}

/** Money on a supplier invoice, in the invoice's currency; a credit memo's amounts are negative. */
export interface SupplierInvoiceTotals {
  tax: number;
  shipping: number;
  handling: number;
  discount: number;
  /** The invoice total as the procurement system states it; null when it states none. */
  total: number | null;
}

export interface SupplierInvoiceSupplier {
  /** The procurement system's own supplier id. */
  id: string;
  /** The ERP supplier (vendor) number, when the supplier has one. */
  number: string | null;
  name: string;
}

export type SupplierInvoiceKind = 'invoice' | 'credit-memo' | 'other';
export type SupplierInvoiceMatch = 'matched' | 'unmatched' | 'not-required' | 'unknown';

/** A supplier invoice as an invoice list shows it: the header, without lines. */
export interface SupplierInvoiceSummary {
  /** The procurement system's key for the invoice. */
  id: string;
  /** The procurement system's invoice number (e.g. I00092). */
  number: string;
  /** The number on the supplier's own document; what AP keys into the ERP. */
  supplierInvoiceNumber: string | null;
  kind: SupplierInvoiceKind;
  supplier: SupplierInvoiceSupplier;
  /** Calendar dates, yyyy-mm-dd. */
  invoiceDate: string;
  dueDate: string | null;
  accountingDate: string | null;
  /** ISO time of the last change the procurement system recorded. */
  modifiedAt: string;
  currency: string | null;
  totals: SupplierInvoiceTotals;
  /** Approved for payment in the procurement system (its workflow is complete). */
  approved: boolean;
  payable: boolean;
  match: SupplierInvoiceMatch;
}

export interface SupplierInvoiceLine {
  line: number;
  description: string | null;
  unitOfMeasure: string | null;
  quantity: number;
  unitPrice: number;
  /** quantity × unit price, rounded to cents; tax and charges are separate. */
  amount: number;
  tax: number;
  poNumber: string | null;
  poLine: string | null;
  /**
   * GL coding, one entry per distribution (split) of the line; most lines have exactly one. Each maps a
   * chart-of-accounts segment name (the customer's own, e.g. "Account", "Fund") to its value; segments
   * left uncoded are absent.
   */
  glSplits: Record<string, string>[];
}

export interface SupplierInvoice extends SupplierInvoiceSummary {
  /** The first purchase order the lines refer to; null for a non-PO invoice. */
  poNumber: string | null;
  lines: SupplierInvoiceLine[];
}
