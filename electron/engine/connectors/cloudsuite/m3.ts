import type { PurchaseOrderField } from './adapter';
import { ComposedAdapter } from './composed-adapter';
import { notSupported } from './finance-checks';
import type { M3Client } from './m3-client';
import { M3Journals } from './m3-journals';
import { M3Orders } from './m3-orders';
import { M3Reference } from './m3-reference';
import { M3Vendors } from './m3-vendors';
import { M3VoucherReads } from './m3-voucher-reads';
import { M3Vouchers } from './m3-vouchers';

// CloudSuite M3 through MI programs (PPS200MI, CRS620MI, CRS630MI, APS200MI, APS450MI, GLS840MI), one file
// per kind of record, behind the same interface as Industrial so a flow runs against either.

export interface M3Options {
  /** The division (DIVI) for AP and GL transactions; M3 uses the user's default division when none is given. */
  division?: string;
  /** GLS840MI's interface (INTN) for Ferry's GL batches, as set up in the tenant (default FERRY). */
  glInterface?: string;
}

export class M3Adapter extends ComposedAdapter {
  readonly product = 'm3' as const;
  readonly supports = { purchaseOrderFields: false, journalLookup: false };

  constructor(m3: M3Client, options: M3Options = {}) {
    super({
      orders: new M3Orders(m3),
      vendors: new M3Vendors(m3),
      reference: new M3Reference(m3),
      vouchers: new M3Vouchers(m3, options.division),
      voucherReads: new M3VoucherReads(m3, options.division),
      journals: new M3Journals(m3, { division: options.division, glInterface: options.glInterface ?? 'FERRY' }),
    });
  }

  /**
   * PPS200MI offers no transaction that writes a field like the Jira key on a PO head (the sandbox has no
   * UpdHead, and M3 has no user field there by default), so this refuses before sending anything.
   */
  override setPurchaseOrderField(number: string, field: PurchaseOrderField, _value: string | null): Promise<void> {
    return Promise.reject(
      notSupported(
        `CloudSuite M3 has no place Ferry can write the ${field === 'jiraKey' ? 'Jira key' : field} of purchase order ${number}: PPS200MI offers no transaction for it. Ferry keeps the link on its side; ask your M3 administrator for a custom field if it must show in M3.`,
      ),
    );
  }
}
