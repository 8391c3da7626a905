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
import type { CloudSuiteAdapter, PurchaseOrderField, PurchaseOrderPage } from './adapter';
import type { IdoClient } from './ido-client';
import { IndustrialJournals } from './industrial-journals';
import { DEFAULT_PO_FIELDS, IndustrialOrders } from './industrial-orders';
import { IndustrialReference } from './industrial-reference';
import { IndustrialVendors } from './industrial-vendors';
import { IndustrialVouchers } from './industrial-vouchers';

// CloudSuite Industrial (SyteLine) through Mongoose IDOs, one file per kind of record.

export interface IndustrialOptions {
  /** The SLPos user field per writable PO field, where the customer named it differently (default Uf_JiraKey). */
  purchaseOrderFields?: Partial<Record<PurchaseOrderField, string>>;
  /** SLJournals.JournalId for Ferry's journal lines (default GL). */
  journalId?: string;
}

export class IndustrialAdapter implements CloudSuiteAdapter {
  readonly product = 'industrial' as const;
  readonly supports = { purchaseOrderFields: true, journalLookup: true };
  private readonly orders: IndustrialOrders;
  private readonly vendors: IndustrialVendors;
  private readonly reference: IndustrialReference;
  private readonly vouchers: IndustrialVouchers;
  private readonly journals: IndustrialJournals;

  constructor(ido: IdoClient, options: IndustrialOptions = {}) {
    this.orders = new IndustrialOrders(ido, { ...DEFAULT_PO_FIELDS, ...options.purchaseOrderFields });
    this.vendors = new IndustrialVendors(ido);
    this.reference = new IndustrialReference(ido);
    this.vouchers = new IndustrialVouchers(ido);
    this.journals = new IndustrialJournals(ido, options.journalId ?? 'GL');
  }

  purchaseOrdersChangedSince(since: Date, pageSize: number): AsyncGenerator<PurchaseOrderPage> {
    return this.orders.changedSince(since, pageSize);
  }

  getPurchaseOrder(number: string): Promise<PurchaseOrder | null> {
    return this.orders.get(number);
  }

  setPurchaseOrderField(number: string, field: PurchaseOrderField, value: string | null): Promise<void> {
    return this.orders.setField(number, field, value);
  }

  listVendors(): Promise<Vendor[]> {
    return this.vendors.list();
  }

  createVendor(vendor: NewVendor): Promise<Vendor> {
    return this.vendors.create(vendor);
  }

  updateVendor(number: string, changes: VendorChanges): Promise<Vendor> {
    return this.vendors.update(number, changes);
  }

  listGlAccounts(): Promise<GlAccount[]> {
    return this.reference.glAccounts();
  }

  listCostCenters(): Promise<CostCenter[]> {
    return this.reference.costCenters();
  }

  listProjects(): Promise<Project[]> {
    return this.reference.projects();
  }

  createApVoucher(voucher: ApVoucher): Promise<ApVoucherRecord> {
    return this.vouchers.create(voucher);
  }

  findVoucherByReference(key: ApVoucherKey): Promise<ApVoucherRecord | null> {
    return this.vouchers.find(key);
  }

  postGlJournal(journal: GlJournal): Promise<GlJournalRecord> {
    return this.journals.post(journal);
  }

  findJournalByReference(reference: string): Promise<GlJournalRecord | null> {
    return this.journals.find(reference);
  }
}
