import type { PurchaseOrder, PurchaseOrderLine, PurchaseOrderStatus, Vendor } from '../../../../shared/domain';
import type { CloudSuiteAdapter, PurchaseOrderPage } from './adapter';
import { idoDateLiteral, idoString, parseIdoDate, type IdoClient, type IdoItem, type IdoValue } from './ido-client';

// CloudSuite Industrial (SyteLine) through Mongoose IDOs. Reads go by page: one SLPos page, then one
// SLPoItems request for all of that page's lines, so requests per PO stay far below one.

const PO_PROPERTIES = ['PoNum', 'VendNum', 'OrderDate', 'Stat', 'Type', 'Whse', 'Buyer', 'RecordDate'] as const;
const LINE_PROPERTIES = [
  'PoNum', 'PoLine', 'PoRelease', 'Item', 'Description', 'QtyOrdered', 'ItemCost', 'UM', 'DueDate', 'Stat',
  'NonInvAcct', 'NonInvAcctUnit1', 'NonInvAcctUnit2', 'NonInvAcctUnit3', 'NonInvAcctUnit4',
] as const;
const VENDOR_PROPERTIES = ['VendNum', 'Name', 'CurrCode', 'TermsCode', 'Stat'] as const;

const statuses: Record<string, PurchaseOrderStatus> = { P: 'planned', O: 'ordered', F: 'filled', C: 'complete', H: 'history' };

const str = (v: IdoValue | undefined): string | null => (v === null || v === undefined || String(v).trim() === '' ? null : String(v).trim());
const num = (v: IdoValue | undefined): number => {
  const n = Number(v);
  return Number.isFinite(n) ? n : 0;
};

export class IndustrialAdapter implements CloudSuiteAdapter {
  readonly product = 'industrial' as const;

  constructor(private readonly ido: IdoClient) {}

  async *purchaseOrdersChangedSince(since: Date, pageSize: number): AsyncGenerator<PurchaseOrderPage> {
    const pages = this.ido.loadPages('SLPos', {
      properties: PO_PROPERTIES,
      filter: `RecordDate >= ${idoDateLiteral(since)}`,
      orderBy: 'RecordDate, PoNum',
      recordCap: pageSize,
      readOnly: true,
    });
    for await (const heads of pages) {
      const numbers = heads.map((h) => str(h.PoNum)).filter((n): n is string => n !== null);
      const lines = numbers.length === 0 ? [] : await this.ido.loadAll('SLPoItems', {
        properties: LINE_PROPERTIES,
        filter: `PoNum IN (${numbers.map(idoString).join(', ')})`,
        orderBy: 'PoNum, PoLine, PoRelease',
        recordCap: 0,
        readOnly: true,
      });
      const byPo = new Map<string, PurchaseOrderLine[]>();
      for (const l of lines) {
        const po = str(l.PoNum);
        if (po === null) continue;
        byPo.set(po, [...(byPo.get(po) ?? []), toLine(l)]);
      }
      const orders = heads.map((h) => toOrder(h, byPo.get(str(h.PoNum) ?? '') ?? []));
      const maxModifiedAt = orders.reduce<string | null>((m, o) => (m === null || o.modifiedAt > m ? o.modifiedAt : m), null);
      yield { orders, maxModifiedAt };
    }
  }

  async listVendors(): Promise<Vendor[]> {
    const rows = await this.ido.loadAll('SLVendors', { properties: VENDOR_PROPERTIES, orderBy: 'VendNum', recordCap: 0, readOnly: true });
    return rows.map((r) => ({
      number: str(r.VendNum) ?? '',
      name: str(r.Name) ?? '',
      currency: str(r.CurrCode),
      paymentTerms: str(r.TermsCode),
      status: str(r.Stat),
    }));
  }
}

function toOrder(h: IdoItem, lines: PurchaseOrderLine[]): PurchaseOrder {
  return {
    number: str(h.PoNum) ?? '',
    vendorNumber: str(h.VendNum) ?? '',
    orderDate: parseIdoDate(h.OrderDate ?? null),
    status: statuses[str(h.Stat) ?? ''] ?? 'unknown',
    type: str(h.Type),
    warehouse: str(h.Whse),
    buyer: str(h.Buyer),
    modifiedAt: parseIdoDate(h.RecordDate ?? null) ?? new Date(0).toISOString(),
    lines,
  };
}

function toLine(l: IdoItem): PurchaseOrderLine {
  return {
    line: num(l.PoLine),
    release: num(l.PoRelease),
    item: str(l.Item),
    description: str(l.Description) ?? '',
    quantity: num(l.QtyOrdered),
    unitCost: num(l.ItemCost),
    unitOfMeasure: str(l.UM) ?? 'EA',
    dueDate: parseIdoDate(l.DueDate ?? null),
    status: str(l.Stat) ?? '',
    glAccount: str(l.NonInvAcct),
    unitCodes: [str(l.NonInvAcctUnit1), str(l.NonInvAcctUnit2), str(l.NonInvAcctUnit3), str(l.NonInvAcctUnit4)],
  };
}
