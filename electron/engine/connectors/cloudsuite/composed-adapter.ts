import type {
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
import type { ApVoucherPage, CloudSuiteAdapter, EnteredVoucher, PurchaseOrderField, PurchaseOrderPage } from './adapter';
import { notSupported } from './finance-checks';

/** The parts each product implements, one per kind of record (industrial-*.ts, m3-*.ts). */
export interface AdapterParts {
  orders: {
    changedSince(since: Date, pageSize: number): AsyncGenerator<PurchaseOrderPage>;
    get(number: string): Promise<PurchaseOrder | null>;
    withJiraFields(orders: PurchaseOrder[]): Promise<PurchaseOrder[]>;
    /** Absent where the product has no place for such a field (the adapter then says so). */
    setField?(number: string, field: PurchaseOrderField, value: string | null): Promise<void>;
  };
  vendors: { list(): Promise<Vendor[]>; create(v: NewVendor): Promise<Vendor>; update(number: string, changes: VendorChanges): Promise<Vendor> };
  reference: { glAccounts(): Promise<GlAccount[]>; costCenters(): Promise<CostCenter[]>; projects(): Promise<Project[]> };
  vouchers: { create(v: ApVoucher): Promise<ApVoucherRecord>; find(key: ApVoucherKey): Promise<ApVoucherRecord | null> };
  /** Reading vouchers back, whoever entered them (invoice-to-jaggaer). */
  voucherReads: { changedSince(since: Date, pageSize: number): AsyncGenerator<ApVoucherPage>; get(vendorNumber: string, voucherNumber: string): Promise<EnteredVoucher | null> };
  journals: { post(j: GlJournal): Promise<GlJournalRecord>; find(reference: string): Promise<GlJournalRecord | null> };
}

/** The adapter interface over a product's parts: both products share this, and differ only in their parts. */
export abstract class ComposedAdapter implements CloudSuiteAdapter {
  abstract readonly product: CloudSuiteAdapter['product'];
  abstract readonly supports: CloudSuiteAdapter['supports'];

  constructor(protected readonly parts: AdapterParts) {}

  purchaseOrdersChangedSince(since: Date, pageSize: number): AsyncGenerator<PurchaseOrderPage> {
    return this.parts.orders.changedSince(since, pageSize);
  }
  getPurchaseOrder(number: string): Promise<PurchaseOrder | null> {
    return this.parts.orders.get(number);
  }
  withJiraFields(orders: PurchaseOrder[]): Promise<PurchaseOrder[]> {
    return this.parts.orders.withJiraFields(orders);
  }
  setPurchaseOrderField(number: string, field: PurchaseOrderField, value: string | null): Promise<void> {
    if (!this.parts.orders.setField) return Promise.reject(notSupported(`This CloudSuite product has no place Ferry can write the ${field} of purchase order ${number}.`));
    return this.parts.orders.setField(number, field, value);
  }
  listVendors(): Promise<Vendor[]> {
    return this.parts.vendors.list();
  }
  createVendor(vendor: NewVendor): Promise<Vendor> {
    return this.parts.vendors.create(vendor);
  }
  updateVendor(number: string, changes: VendorChanges): Promise<Vendor> {
    return this.parts.vendors.update(number, changes);
  }
  listGlAccounts(): Promise<GlAccount[]> {
    return this.parts.reference.glAccounts();
  }
  listCostCenters(): Promise<CostCenter[]> {
    return this.parts.reference.costCenters();
  }
  listProjects(): Promise<Project[]> {
    return this.parts.reference.projects();
  }
  createApVoucher(voucher: ApVoucher): Promise<ApVoucherRecord> {
    return this.parts.vouchers.create(voucher);
  }
  findVoucherByReference(key: ApVoucherKey): Promise<ApVoucherRecord | null> {
    return this.parts.vouchers.find(key);
  }
  apVouchersChangedSince(since: Date, pageSize: number): AsyncGenerator<ApVoucherPage> {
    return this.parts.voucherReads.changedSince(since, pageSize);
  }
  getApVoucher(vendorNumber: string, voucherNumber: string): Promise<EnteredVoucher | null> {
    return this.parts.voucherReads.get(vendorNumber, voucherNumber);
  }
  postGlJournal(journal: GlJournal): Promise<GlJournalRecord> {
    return this.parts.journals.post(journal);
  }
  findJournalByReference(reference: string): Promise<GlJournalRecord | null> {
    return this.parts.journals.find(reference);
  }
}
