import type {
  ApDistribution,
  ApVoucher,
  ApVoucherKey,
  ApVoucherRecord,
  CostCenter,
  GlAccount,
  GlJournal,
  GlJournalRecord,
  NewVendor,
  Project,
  PurchaseOrder,
  Vendor,
  VendorChanges,
} from '../../../../shared/domain';

export interface PurchaseOrderPage {
  orders: PurchaseOrder[];
  /**
   * Every change (header or line) up to this time is on this page or an earlier one: the cursor value once
   * the page is recorded. Null when the page moves nothing.
   */
  maxModifiedAt: string | null;
}

/** A voucher as CloudSuite holds it, with its distributions: what a flow reads to send it on. */
export interface EnteredVoucher extends ApVoucherRecord {
  /** ISO time (midnight), like `invoiceDate`. */
  dueDate: string | null;
  currency: string | null;
  purchaseOrder: string | null;
  /** The product's own status code (Industrial Stat O/P; null on M3, which reads only posted vouchers); `posted` says the same in finance words. */
  status: string | null;
  /** ISO time of the last change CloudSuite recorded for the voucher. */
  modifiedAt: string;
  /** In CloudSuite's order (distribution sequence). */
  distributions: ApDistribution[];
}

export interface ApVoucherPage {
  vouchers: EnteredVoucher[];
  /** Every change up to this time is on this page or an earlier one (see PurchaseOrderPage). */
  maxModifiedAt: string | null;
}

/** Fields Ferry writes back to a purchase order, by their finance meaning; each product maps them to its own. */
export type PurchaseOrderField = 'jiraKey' | 'jiraNote';

/** A vendor's fields as supplier-sync compares them (mapping/supplier.ts SupplierField). */
export type VendorField = 'name' | 'contactName' | 'email' | 'phone' | 'address1' | 'address2' | 'city' | 'state' | 'zip' | 'country' | 'paymentTerms';

/**
 * What flows ask of CloudSuite, whatever the product behind it: Industrial (Mongoose IDOs) and M3 (MI
 * programs) today, LN and FSM later. Every write is safe to call again with the same input: it first looks
 * for what an earlier, interrupted call left (by reference), and never creates a second voucher or journal.
 * Failures are ConnectorErrors; CloudSuite's own refusals (IdoError, M3Error) are not retryable.
 */
export interface CloudSuiteAdapter {
  readonly product: 'industrial' | 'm3';
  /** What this product can do through its API; a flow checks these instead of catching `not_supported`. */
  readonly supports: {
    purchaseOrderFields: boolean;
    journalLookup: boolean;
    /** Vouchers can be read back (apVouchersChangedSince, getApVoucher); absent means yes. M3: once set up. */
    voucherReads?: boolean;
    /** Vendor fields the product keeps nowhere Ferry can reach (M3: contact name, e-mail); absent means none. */
    vendorFieldsNotHeld?: readonly VendorField[];
  };

  /**
   * POs whose header or lines changed at or after `since`, oldest change first, with all their lines, a
   * page of up to `pageSize` orders at a time. Industrial reads by page; M3 stamps no line change and lists a
   * PO's lines one PO at a time, so it also delivers every open PO, on pages that do not move the cursor
   * (maxModifiedAt null), and the flow's content hash tells which really changed.
   */
  purchaseOrdersChangedSince(since: Date, pageSize: number): AsyncGenerator<PurchaseOrderPage>;
  /** One PO with its lines, or null when CloudSuite has no such PO. */
  getPurchaseOrder(number: string): Promise<PurchaseOrder | null>;
  /**
   * The same POs with `project` and `jiraKey` filled in. Kept apart from the change feed because on
   * Industrial both are user fields of the PO header that only customers using the Jira flows add: reading
   * them always would break the JAGGAER flows everywhere else.
   */
  withJiraFields(orders: PurchaseOrder[]): Promise<PurchaseOrder[]>;
  /** Writes one field of a PO header (the Jira key). Throws `not_supported` where the product has no place for it. */
  setPurchaseOrderField(number: string, field: PurchaseOrderField, value: string | null): Promise<void>;

  listVendors(): Promise<Vendor[]>;
  /** Creates the vendor, or completes one an interrupted call left half-made; returns it as saved. */
  createVendor(vendor: NewVendor): Promise<Vendor>;
  updateVendor(number: string, changes: VendorChanges): Promise<Vendor>;

  listGlAccounts(): Promise<GlAccount[]>;
  listCostCenters(): Promise<CostCenter[]>;
  listProjects(): Promise<Project[]>;

  /**
   * Enters the voucher with its distributions and posts it. When the voucher already exists (found by
   * `findVoucherByReference`) it is completed and posted if need be, and returned; never entered twice.
   */
  createApVoucher(voucher: ApVoucher): Promise<ApVoucherRecord>;
  findVoucherByReference(key: ApVoucherKey): Promise<ApVoucherRecord | null>;
  /**
   * Vouchers entered or changed at or after `since`, whoever entered them, oldest change first, with their
   * distributions, a page of up to `pageSize` at a time (one distributions read per page, never per voucher).
   */
  apVouchersChangedSince(since: Date, pageSize: number): AsyncGenerator<ApVoucherPage>;
  /** One voucher with its distributions, or null when CloudSuite has no such voucher of this vendor. */
  getApVoucher(vendorNumber: string, voucherNumber: string): Promise<EnteredVoucher | null>;

  /** Posts a balanced journal; an unbalanced one is refused before anything is sent (`journal_unbalanced`). */
  postGlJournal(journal: GlJournal): Promise<GlJournalRecord>;
  /** Throws `not_supported` where the product cannot read a journal back (see `supports.journalLookup`). */
  findJournalByReference(reference: string): Promise<GlJournalRecord | null>;
}
