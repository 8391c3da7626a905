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
import { notSupported } from './finance-checks';
import type { M3Client } from './m3-client';
import { M3Journals } from './m3-journals';
import { M3Orders } from './m3-orders';
import { M3Reference } from './m3-reference';
import { M3Vendors } from './m3-vendors';
import { M3Vouchers } from './m3-vouchers';

// CloudSuite M3 through MI programs (PPS200MI, CRS620MI, CRS630MI, APS450MI, GLS840MI), one file per kind of
// record, behind the same interface as Industrial so a flow runs against either.

export interface M3Options {
  /** The division (DIVI) for AP and GL transactions; M3 uses the user's default division when none is given. */
  division?: string;
  /** GLS840MI's interface (INTN) for Ferry's GL batches, as set up in the tenant (default FERRY). */
  glInterface?: string;
}

export class M3Adapter implements CloudSuiteAdapter {
  readonly product = 'm3' as const;
  readonly supports = { purchaseOrderFields: false, journalLookup: false };
  private readonly orders: M3Orders;
  private readonly vendors: M3Vendors;
  private readonly reference: M3Reference;
  private readonly vouchers: M3Vouchers;
  private readonly journals: M3Journals;

  constructor(m3: M3Client, options: M3Options = {}) {
    this.orders = new M3Orders(m3);
    this.vendors = new M3Vendors(m3);
    this.reference = new M3Reference(m3);
    this.vouchers = new M3Vouchers(m3, options.division);
    this.journals = new M3Journals(m3, { division: options.division, glInterface: options.glInterface ?? 'FERRY' });
  }

  purchaseOrdersChangedSince(since: Date, pageSize: number): AsyncGenerator<PurchaseOrderPage> {
    return this.orders.changedSince(since, pageSize);
  }

  getPurchaseOrder(number: string): Promise<PurchaseOrder | null> {
    return this.orders.get(number);
  }

  /**
   * PPS200MI offers no transaction that writes a field like the Jira key on a PO head (the sandbox has no
   * UpdHead, and M3 has no user field there by default), so this refuses before sending anything.
   */
  setPurchaseOrderField(number: string, field: PurchaseOrderField, _value: string | null): Promise<void> {
    return Promise.reject(
      notSupported(
        `CloudSuite M3 has no place Ferry can write the ${field === 'jiraKey' ? 'Jira key' : field} of purchase order ${number}: PPS200MI offers no transaction for it. Ferry keeps the link on its side; ask your M3 administrator for a custom field if it must show in M3.`,
      ),
    );
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
