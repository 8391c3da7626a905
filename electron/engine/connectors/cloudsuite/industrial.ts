import type { PostingDateCheck } from '../../mapping/periods';
import type { PurchaseOrderField } from './adapter';
import { ComposedAdapter } from './composed-adapter';
import type { IdoClient } from './ido-client';
import { IndustrialJournals } from './industrial-journals';
import { DEFAULT_PO_FIELDS, IndustrialOrders, type UserField } from './industrial-orders';
import { IndustrialReference } from './industrial-reference';
import { IndustrialVendors } from './industrial-vendors';
import { IndustrialVoucherReads } from './industrial-voucher-reads';
import { IndustrialVouchers } from './industrial-vouchers';

// CloudSuite Industrial (SyteLine) through Mongoose IDOs, one file per kind of record.

/** The journal Ferry's GL journals go to unless the connection names another (the admin sets it up for Ferry). */
export const DEFAULT_JOURNAL = 'FERRY';

export interface IndustrialOptions {
  /** The SLPos user field per writable PO field, where the customer named it differently (default Uf_JiraKey). */
  purchaseOrderFields?: Partial<Record<PurchaseOrderField, UserField>>;
  /** The SLPos user field naming the PO's project (default Uf_ProjNum). */
  projectField?: UserField;
  /** The journal Ferry enters its GL journals into and posts (default FERRY): one of Ferry's own. */
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
      journals: new IndustrialJournals(ido, options.journalId ?? DEFAULT_JOURNAL),
    });
    this.reference = reference;
  }

  /** Whether CloudSuite takes postings on these days (SLPeriods' own date check): "period open" before every write. */
  checkPostingDates(days: readonly string[]): Promise<PostingDateCheck[]> {
    return this.reference.checkPostingDates(days);
  }
}
