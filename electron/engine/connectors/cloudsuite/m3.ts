import type { CloudSuiteAdapter, PurchaseOrderField, VendorField } from './adapter';
import { ComposedAdapter } from './composed-adapter';
import { notSupported } from './finance-checks';
import type { M3Client } from './m3-client';
import { M3Journals } from './m3-journals';
import { M3Orders } from './m3-orders';
import { M3Reference } from './m3-reference';
import { DEFAULT_GL_INTERFACE, type PoAccounts, type SupplierAddress } from './m3-settings';
import { M3Vendors } from './m3-vendors';
import { M3VoucherReads } from './m3-voucher-reads';
import { M3Vouchers } from './m3-vouchers';

// CloudSuite M3 through the MI transactions of contracts/cloudsuite-m3.json (PPSSPPMI, PPS200MI, CRS620MI,
// CRS630MI, APS450MI, APS455MI, APS200MI, GLS200MI, GLS840MI), one file per kind of record, behind the same
// interface as Industrial so a flow runs against either. What M3 does not publish, the M3 administrator tells
// Ferry (m3-settings.ts); until then the flow that needs it says so.

export interface M3Options {
  /** GLS840MI's interface (INTN) for Ferry's GL batches, as set up in the tenant (default FERRY). */
  glInterface?: string;
  /** GLS840MI AddBatchLine's PARM layout (m3-gl-parm.ts); no GL is posted without it. */
  glParm?: string;
  /** The supplier CRS620MI CopyTemplate copies for a new supplier; no supplier is created without it. */
  supplierTemplate?: string;
  /** The supplier address (type and number) Ferry reads and writes; addresses are left alone without it. */
  supplierAddress?: SupplierAddress;
  /** Where PO lines are booked (PPS200MI publishes no accounting for a line). */
  poAccounts?: PoAccounts;
  /** APS450MI's line type for an invoice line matched to a PO line; no invoice is entered without it. */
  poLineType?: number;
  /** The payables account(s) that mark a supplier invoice's voucher in the ledger; vouchers are not read back without them. */
  payablesAccounts?: string[];
}

/** M3 publishes no field for a supplier's contact name or e-mail; the address only once its type is chosen. */
const ADDRESS_FIELDS: VendorField[] = ['address1', 'address2', 'city', 'state', 'zip'];

export class M3Adapter extends ComposedAdapter {
  readonly product = 'm3' as const;
  readonly supports: CloudSuiteAdapter['supports'];

  constructor(m3: M3Client, options: M3Options = {}) {
    super({
      orders: new M3Orders(m3, options.poAccounts),
      vendors: new M3Vendors(m3, { template: options.supplierTemplate, address: options.supplierAddress }),
      reference: new M3Reference(m3),
      vouchers: new M3Vouchers(m3, options.poLineType),
      voucherReads: new M3VoucherReads(m3, options.payablesAccounts),
      journals: new M3Journals(m3, { glInterface: options.glInterface ?? DEFAULT_GL_INTERFACE, glParm: options.glParm }),
    });
    this.supports = {
      purchaseOrderFields: false,
      journalLookup: false,
      voucherReads: (options.payablesAccounts?.length ?? 0) > 0,
      vendorFieldsNotHeld: ['contactName', 'email', ...(options.supplierAddress ? [] : ADDRESS_FIELDS)],
    };
  }

  /**
   * PPS200MI UpdHead, the one published transaction that changes a PO head, has no field for a Jira key or
   * note (contracts/cloudsuite-m3.json), so this refuses before sending anything.
   */
  override setPurchaseOrderField(number: string, field: PurchaseOrderField, _value: string | null): Promise<void> {
    return Promise.reject(
      notSupported(
        `CloudSuite M3 has no place Ferry can write the ${field === 'jiraKey' ? 'Jira key' : 'Jira note'} of purchase order ${number}: PPS200MI UpdHead has no such field. Ferry keeps the link on its side; ask your M3 administrator for a custom field if it must show in M3.`,
      ),
    );
  }
}
