import type { PurchaseOrder, Vendor } from '../../../../shared/domain';

export interface PurchaseOrderPage {
  orders: PurchaseOrder[];
  /** The newest modification time on this page: the cursor value once the page is recorded. */
  maxModifiedAt: string | null;
}

/**
 * What flows ask of CloudSuite, whatever the product behind it. Industrial (Mongoose IDOs) implements it
 * now; M3 (MI programs) and later LN/FSM slot in behind the same interface.
 */
export interface CloudSuiteAdapter {
  readonly product: 'industrial' | 'm3';
  /** POs whose header changed at or after `since`, oldest first, with their lines, a page at a time. */
  purchaseOrdersChangedSince(since: Date, pageSize: number): AsyncGenerator<PurchaseOrderPage>;
  listVendors(): Promise<Vendor[]>;
}
