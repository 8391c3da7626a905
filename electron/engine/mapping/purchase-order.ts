import type { PurchaseOrder, Vendor } from '../../../shared/domain';
import type { JaggaerPurchaseOrder } from '../connectors/jaggaer/po-xml';
import { MappingError } from './errors';

export { MappingError };

/** The mapping tables a PO goes through (store/mappings.ts resolvers, bound to a profile). */
export interface PoMappings {
  supplier(vendorNumber: string): { supplierNumber: string } | MappingError;
  costAllocation(account: string, costCenter: string | null): Record<string, string> | MappingError;
  site(warehouse: string): { shipTo: string } | MappingError;
  terms(code: string): string | MappingError;
}

const must = <T>(v: T | MappingError): T => {
  if (v instanceof MappingError) throw v;
  return v;
};

/**
 * CloudSuite PO → JAGGAER PO, through the mapping tables: supplier, GL account + cost center → cost
 * allocation segments, warehouse → ship-to, payment terms. Pure given the mappings: the same PO gives the same
 * payload, so its hash tells whether anything changed.
 */
export function mapPurchaseOrder(po: PurchaseOrder, vendor: Vendor | undefined, defaultCurrency: string, maps: PoMappings): JaggaerPurchaseOrder {
  if (!vendor) {
    throw new MappingError('VendNum', `Vendor ${po.vendorNumber} on PO ${po.number} is not in CloudSuite's vendor list, so Ferry cannot name the JAGGAER supplier.`);
  }
  if (!vendor.active) {
    throw new MappingError('VendNum', `Vendor ${vendor.number} on PO ${po.number} is inactive in CloudSuite (rule: supplier active); reactivate it or change the PO's vendor.`);
  }
  if (po.lines.length === 0) throw new MappingError('lines', `PO ${po.number} has no lines; JAGGAER needs at least one.`);
  const lines = po.lines.map((l) => {
    if (!l.glAccount) throw new MappingError('NonInvAcct', `Line ${l.line} of PO ${po.number} has no GL account, so its cost cannot be allocated.`);
    const allocation = must(maps.costAllocation(l.glAccount, l.unitCodes[0] ?? null));
    return {
      lineNumber: l.line,
      release: l.release,
      catalogNumber: l.item,
      description: l.description,
      quantity: l.quantity,
      unitOfMeasure: l.unitOfMeasure,
      unitPrice: l.unitCost,
      needByDate: l.dueDate,
      costAllocation: allocation,
    };
  });
  const total = Math.round(lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0) * 100) / 100;
  return {
    poNumber: po.number,
    orderDate: po.orderDate,
    supplierNumber: must(maps.supplier(vendor.number)).supplierNumber,
    supplierName: vendor.name,
    currency: vendor.currency ?? defaultCurrency,
    paymentTerms: vendor.paymentTerms ? must(maps.terms(vendor.paymentTerms)) : null,
    shipTo: po.warehouse ? must(maps.site(po.warehouse)).shipTo : null,
    buyer: po.buyer,
    totalAmount: total,
    lines,
  };
}
