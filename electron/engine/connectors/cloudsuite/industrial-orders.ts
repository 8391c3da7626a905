import { z } from 'zod';
import type { PurchaseOrder, PurchaseOrderLine, PurchaseOrderStatus } from '../../../../shared/domain';
import { ConnectorError } from '../../http/errors';
import type { PurchaseOrderField, PurchaseOrderPage } from './adapter';
import { changedKeyPages, flatten, type Change } from './change-pages';
import { readRecords } from './edge';
import { amount, date, key, requiredDate, text } from './ido-fields';
import type { IdoProperty } from '../../contracts/cloudsuite';
import { idoDateLiteral, idoString, type IdoClient, type IdoItem, type IdoProperties, type IdoValue } from './ido-client';
import { holds, updateOnce } from './ido-writes';

// Purchase orders in CloudSuite Industrial: SLPos headers and SLPoItems lines. Both stamp RecordDate, so a
// PO changed when either did; two change feeds (headers and lines, each by RecordDate) are merged, and each
// page then costs one SLPoItems request for all its lines (plus one SLPos request for POs that only a line
// change brought in), so requests per PO stay far below one.

const HEAD_PROPERTIES = ['PoNum', 'VendNum', 'OrderDate', 'Stat', 'Type', 'Whse', 'Buyer', 'RecordDate'] as const;
const LINE_PROPERTIES = [
  'PoNum', 'PoLine', 'PoRelease', 'Item', 'Description', 'QtyOrdered', 'ItemCost', 'UM', 'DueDate', 'Stat',
  'NonInvAcct', 'NonInvAcctUnit1', 'NonInvAcctUnit2', 'NonInvAcctUnit3', 'NonInvAcctUnit4', 'RecordDate',
] as const;

const head = z.looseObject({
  PoNum: key, VendNum: key, OrderDate: date, Stat: text, Type: text, Whse: text, Buyer: text, RecordDate: requiredDate,
});
const line = z.looseObject({
  PoNum: key, PoLine: amount, PoRelease: amount, Item: text, Description: text, QtyOrdered: amount, ItemCost: amount, UM: text,
  DueDate: date, Stat: text, NonInvAcct: text, NonInvAcctUnit1: text, NonInvAcctUnit2: text, NonInvAcctUnit3: text,
  NonInvAcctUnit4: text, RecordDate: requiredDate,
});
const changeRow = z.looseObject({ PoNum: key, RecordDate: requiredDate });
type Head = z.output<typeof head>;
type Line = z.output<typeof line>;

const statuses: Record<string, PurchaseOrderStatus> = { P: 'planned', O: 'ordered', F: 'filled', C: 'complete', H: 'history' };

/** The default user field for each writable PO field; a customer's own name comes from the connection. */
export const DEFAULT_PO_FIELDS: Record<PurchaseOrderField, UserField> = { jiraKey: 'Uf_JiraKey', jiraNote: 'Uf_JiraNote' };
/** The SLPos user field that names the PO's project, where the customer added one. */
export const DEFAULT_PROJECT_FIELD: UserField = 'Uf_ProjNum';

/** A customer's user field on SLPos (its name is the customer's; the contract allows the Uf_ pattern). */
export type UserField = `Uf_${string}`;

interface Loaded {
  order: PurchaseOrder;
  headAt: string;
  linesAt: string;
}

export class IndustrialOrders {
  constructor(
    private readonly ido: IdoClient,
    private readonly fields: Record<PurchaseOrderField, UserField>,
    private readonly projectField: UserField = DEFAULT_PROJECT_FIELD,
  ) {}

  /** One SLPos read per call for the project and Jira key user fields of these POs. */
  async withJiraFields(orders: PurchaseOrder[]): Promise<PurchaseOrder[]> {
    if (orders.length === 0) return [];
    const props: IdoProperty<'SLPos'>[] = ['PoNum', this.fields.jiraKey, this.projectField];
    const rows = await this.ido.loadAll('SLPos', { properties: props, filter: `PoNum IN (${orders.map((o) => idoString(o.number)).join(', ')})`, recordCap: 0 });
    const byPo = new Map(rows.map((r) => [String(r.PoNum ?? '').trim(), r]));
    const field = (r: IdoItem | undefined, name: string): string | null => {
      const v = r?.[name];
      return typeof v === 'string' && v.trim() ? v.trim() : null;
    };
    return orders.map((o) => {
      const r = byPo.get(o.number);
      return { ...o, project: field(r, this.projectField), jiraKey: field(r, this.fields.jiraKey) };
    });
  }

  async *changedSince(since: Date, pageSize: number): AsyncGenerator<PurchaseOrderPage> {
    const filter = `RecordDate >= ${idoDateLiteral(since)}`;
    // Header rows the header feed has read and no page has used yet: a page takes them instead of loading again.
    const heads = new Map<string, Head>();
    const headFeed = flatten(
      this.ido.loadPages('SLPos', { properties: HEAD_PROPERTIES, filter, orderBy: 'RecordDate, PoNum', recordCap: pageSize }),
      (item): Change => {
        const h = readRecords(head, [item], 'a change list of SLPos')[0]!;
        heads.set(h.PoNum, h);
        return { key: h.PoNum, at: h.RecordDate, source: 'head' };
      },
    );
    // Lines change without their header (a quantity, a price): the line feed carries only PO and time.
    const lineFeed = flatten(
      this.ido.loadPages('SLPoItems', { properties: ['PoNum', 'RecordDate'], filter, orderBy: 'RecordDate, PoNum, PoLine, PoRelease', recordCap: pageSize * 4 }),
      (item): Change => {
        const c = readRecords(changeRow, [item], 'a change list of SLPoItems')[0]!;
        return { key: c.PoNum, at: c.RecordDate, source: 'lines' };
      },
    );
    // What each delivered PO held when it was read: a later change in the feeds older than that is already in it.
    const delivered = new Map<string, { head: string; lines: string }>();
    const seen = (c: Change) => {
      const d = delivered.get(c.key);
      return d !== undefined && c.at <= (c.source === 'head' ? d.head : d.lines);
    };
    for await (const { keys, upTo } of changedKeyPages([headFeed, lineFeed], pageSize, seen)) {
      const loaded = await this.load(keys, heads);
      for (const l of loaded) delivered.set(l.order.number, { head: l.headAt, lines: l.linesAt });
      yield { orders: loaded.map((l) => l.order), maxModifiedAt: upTo };
    }
  }

  async get(number: string): Promise<PurchaseOrder | null> {
    const [loaded] = await this.load([number], new Map());
    return loaded?.order ?? null;
  }

  /**
   * Writes a header user field through an IDO update of the row's `_ItemId` (with RecordDate locking), and
   * checks the saved row holds it: Mongoose silently drops a property it cannot save (a joined one).
   */
  async setField(number: string, field: PurchaseOrderField, value: string | null): Promise<void> {
    const property = this.fields[field];
    const read = async (): Promise<IdoItem | null> =>
      (await this.ido.loadPage('SLPos', { properties: ['PoNum', property], filter: `PoNum = ${idoString(number)}` })).items[0] ?? null;
    const row = await read();
    if (!row) throw new ConnectorError('not_found', `CloudSuite has no purchase order ${number}.`, { system: 'CloudSuite', retryable: false });
    const change: IdoProperties<'SLPos'> = { [property]: value };
    if (holds(row, change as Record<string, IdoValue>)) return;
    const saved = await updateOnce(this.ido, 'SLPos', row, change, read, `writing ${property} on PO ${number}`);
    if (!holds(saved, change as Record<string, IdoValue>)) {
      throw new ConnectorError(
        'not_saved',
        `CloudSuite accepted ${property} on PO ${number} but did not store it. Ask your CloudSuite administrator whether ${property} is a user field of the PO header (SLPos).`,
        { system: 'CloudSuite', retryable: false, detail: { property } },
      );
    }
  }

  /** Headers (those the feed has not read already) and all lines of these POs, in the order given. */
  private async load(numbers: string[], known: Map<string, Head>): Promise<Loaded[]> {
    const missing = numbers.filter((n) => !known.has(n));
    const loadedHeads =
      missing.length === 0
        ? []
        : readRecords(head, await this.ido.loadAll('SLPos', { properties: HEAD_PROPERTIES, filter: `PoNum IN (${missing.map(idoString).join(', ')})`, recordCap: 0 }), 'SLPos');
    const heads = new Map(loadedHeads.map((h) => [h.PoNum, h]));
    for (const n of numbers) {
      const h = known.get(n);
      if (h) heads.set(n, h);
      known.delete(n);
    }
    const present = numbers.filter((n) => heads.has(n));
    const lines =
      present.length === 0
        ? []
        : readRecords(
            line,
            await this.ido.loadAll('SLPoItems', { properties: LINE_PROPERTIES, filter: `PoNum IN (${present.map(idoString).join(', ')})`, orderBy: 'PoNum, PoLine, PoRelease', recordCap: 0 }),
            'SLPoItems',
          );
    const byPo = new Map<string, Line[]>();
    for (const l of lines) byPo.set(l.PoNum, [...(byPo.get(l.PoNum) ?? []), l]);
    return present.map((n) => {
      const h = heads.get(n)!;
      const ls = byPo.get(n) ?? [];
      const linesAt = ls.reduce((m, l) => (l.RecordDate > m ? l.RecordDate : m), '');
      return { order: toOrder(h, ls, linesAt > h.RecordDate ? linesAt : h.RecordDate), headAt: h.RecordDate, linesAt };
    });
  }
}

function toOrder(h: Head, lines: Line[], modifiedAt: string): PurchaseOrder {
  return {
    number: h.PoNum,
    vendorNumber: h.VendNum,
    orderDate: h.OrderDate,
    status: statuses[h.Stat ?? ''] ?? 'unknown',
    type: h.Type,
    warehouse: h.Whse,
    buyer: h.Buyer,
    modifiedAt,
    lines: lines.map(toLine),
  };
}

function toLine(l: Line): PurchaseOrderLine {
  return {
    line: l.PoLine,
    release: l.PoRelease,
    item: l.Item,
    description: l.Description ?? '',
    quantity: l.QtyOrdered,
    unitCost: l.ItemCost,
    unitOfMeasure: l.UM ?? 'EA',
    dueDate: l.DueDate,
    status: l.Stat ?? '',
    glAccount: l.NonInvAcct,
    unitCodes: [l.NonInvAcctUnit1, l.NonInvAcctUnit2, l.NonInvAcctUnit3, l.NonInvAcctUnit4],
  };
}
