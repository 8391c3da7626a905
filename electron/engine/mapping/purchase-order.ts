import type { PurchaseOrder, Vendor } from '../../../shared/domain';
import type { JaggaerPurchaseOrder } from '../connectors/jaggaer/po-xml';

export class MappingError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * CloudSuite PO → JAGGAER PO. Pure: the same PO and vendor always give the same payload, so its hash tells
 * whether anything changed. The supplier is matched by CloudSuite vendor number (JAGGAER's supplier number
 * for ERP-fed suppliers); the GL account and unit code 1 travel as the line's cost allocation.
 */
export function mapPurchaseOrder(po: PurchaseOrder, vendor: Vendor | undefined, defaultCurrency: string): JaggaerPurchaseOrder {
  if (!vendor) {
    throw new MappingError('VendNum', `Vendor ${po.vendorNumber} on PO ${po.number} is not in CloudSuite's vendor list, so Ferry cannot name the JAGGAER supplier.`);
  }
  if (po.lines.length === 0) throw new MappingError('lines', `PO ${po.number} has no lines; JAGGAER needs at least one.`);
  const lines = po.lines.map((l) => {
    if (!l.glAccount) throw new MappingError('NonInvAcct', `Line ${l.line} of PO ${po.number} has no GL account, so its cost cannot be allocated.`);
    const allocation: Record<string, string> = { Account: l.glAccount };
    if (l.unitCodes[0]) allocation.CostCenter = l.unitCodes[0];
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
    supplierNumber: vendor.number,
    supplierName: vendor.name,
    currency: vendor.currency ?? defaultCurrency,
    paymentTerms: vendor.paymentTerms,
    shipTo: po.warehouse,
    buyer: po.buyer,
    totalAmount: total,
    lines,
  };
}
