// Product-neutral business records, in the words a finance person uses. Connectors translate the real
// systems' names (SLPos, PPS200MI, PurchaseOrderMessage) to and from these.

export interface PurchaseOrderLine {
  line: number;
  release: number;
  item: string | null;
  description: string;
  quantity: number;
  unitCost: number;
  unitOfMeasure: string;
  dueDate: string | null;
  status: string;
  glAccount: string | null;
  /** CloudSuite account unit codes 1–4; unit code 1 is usually the cost center. */
  unitCodes: (string | null)[];
}

export type PurchaseOrderStatus = 'planned' | 'ordered' | 'filled' | 'complete' | 'history' | 'unknown';

export interface PurchaseOrder {
  number: string;
  vendorNumber: string;
  orderDate: string | null;
  status: PurchaseOrderStatus;
  type: string | null;
  warehouse: string | null;
  buyer: string | null;
  /** ISO time of the last change CloudSuite recorded for the order header. */
  modifiedAt: string;
  lines: PurchaseOrderLine[];
}

export interface Vendor {
  number: string;
  name: string;
  currency: string | null;
  paymentTerms: string | null;
  status: string | null;
}
