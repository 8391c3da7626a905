import type { AccountingPeriod } from '../../store/reference';
import type { PurchaseOrderField } from './adapter';
import { ComposedAdapter } from './composed-adapter';
import type { IdoClient } from './ido-client';
import { IndustrialJournals } from './industrial-journals';
import { DEFAULT_PO_FIELDS, IndustrialOrders } from './industrial-orders';
import { IndustrialReference } from './industrial-reference';
import { IndustrialVendors } from './industrial-vendors';
import { IndustrialVoucherReads } from './industrial-voucher-reads';
import { IndustrialVouchers } from './industrial-vouchers';

// CloudSuite Industrial (SyteLine) through Mongoose IDOs, one file per kind of record.

export interface IndustrialOptions {
  /** The SLPos user field per writable PO field, where the customer named it differently (default Uf_JiraKey). */
  purchaseOrderFields?: Partial<Record<PurchaseOrderField, string>>;
  /** The SLPos user field naming the PO's project (default Uf_ProjNum). */
  projectField?: string;
  /** SLJournals.JournalId for Ferry's journal lines (default GL). */
  journalId?: string;
}

export class IndustrialAdapter extends ComposedAdapter {
  readonly product = 'industrial' as const;
  readonly supports = { purchaseOrderFields: true, journalLookup: true };
  private readonly reference: IndustrialReference;

  constructor(ido: IdoClient, options: IndustrialOptions = {}) {
    const reference = new IndustrialReference(ido);
    super({
      orders: new IndustrialOrders(ido, { ...DEFAULT_PO_FIELDS, ...options.purchaseOrderFields }, options.projectField),
      vendors: new IndustrialVendors(ido),
      reference,
      vouchers: new IndustrialVouchers(ido),
      voucherReads: new IndustrialVoucherReads(ido),
      journals: new IndustrialJournals(ido, options.journalId ?? 'GL'),
    });
    this.reference = reference;
  }

  /** Fiscal periods (SLPeriods): the reference refresh caches them, and "period open" is checked before writes. */
  listPeriods(): Promise<AccountingPeriod[]> {
    return this.reference.periods();
  }
}
