import { z } from 'zod';
import type { PurchaseOrder, PurchaseOrderLine, PurchaseOrderStatus } from '../../../../shared/domain';
import type { PurchaseOrderPage } from './adapter';
import { changedKeyPages, type Change } from './change-pages';
import { readRecords } from './edge';
import { chunks, type M3Client, type M3Result } from './m3-client';
import { day, key, num, stamp, text } from './m3-fields';

// Purchase orders in CloudSuite M3 (PPS200MI). M3 stamps a change on the head (LMDT/LMTS) and on each line
// separately, and PPS200MI can search heads (SearchHead) but not lines. So a poll:
//   1. searches the heads changed since the cursor's day, plus every PO not yet fully invoiced (lowest status
//      below 85: only those can still have lines that change), a page at a time by PO number;
//   2. lists the lines of those open POs in bulk requests (LstLine, 50 per POST) to see their change stamps;
//   3. delivers the changed POs oldest change first, each page read with one bulk request (GetHead + LstLine).
// SearchHead sorts by PO number, not by time, so step 1 reads the whole list before the first page goes out;
// a PO changed while step 1 runs is caught by the next poll, because reads overlap the cursor (see the flow).
// Assumes SearchHead returns heads in PO-number order, as the sandbox does; Infor does not document the order.

const head = z.looseObject({ PUNO: key, SUNO: key, PUDT: day, PUSL: text, ORTY: text, WHLO: text, BUYE: text, PROJ: text.optional(), LMTS: stamp });
const line = z.looseObject({
  PUNO: key, PNLI: num, PNLS: num, ITNO: text, PITD: text, ORQA: num, PUPR: num, PUUN: text, DWDT: day, PUSL: text, AIT1: text, AIT2: text, LMTS: stamp,
});
const searchHit = z.looseObject({ PUNO: key, PUSL: text, LMTS: stamp });
const lineStamp = z.looseObject({ PUNO: key, LMTS: stamp });
type Head = z.output<typeof head>;
type Line = z.output<typeof line>;

/** M3's lowest PO status (PUSL): below 20 preliminary, 75 fully received, 85 invoiced and beyond. */
function statusOf(pusl: string | null): PurchaseOrderStatus {
  const n = Number(pusl);
  if (!pusl || !Number.isFinite(n)) return 'unknown';
  return n < 20 ? 'planned' : n < 75 ? 'ordered' : n < 85 ? 'filled' : 'complete';
}

export class M3Orders {
  /** PO number → project (PROJ) of every head read so far. */
  private readonly projects = new Map<string, string | null>();

  constructor(private readonly m3: M3Client) {}

  async *changedSince(since: Date, pageSize: number): AsyncGenerator<PurchaseOrderPage> {
    const sinceIso = since.toISOString();
    const changedAt = new Map<string, string>();
    const note = (puno: string, at: string) => {
      if (at >= sinceIso && at > (changedAt.get(puno) ?? '')) changedAt.set(puno, at);
    };
    const query = `(LMDT:[${ymd(since)} TO *] OR PUSL:[00 TO 84])`;
    for await (const hits of this.search(query, Math.max(pageSize, 100))) {
      const open: string[] = [];
      for (const h of hits) {
        note(h.PUNO, h.LMTS);
        if (h.PUSL !== null && h.PUSL < '85') open.push(h.PUNO);
      }
      for (const part of chunks(open)) {
        const results = await this.m3.bulk('PPS200MI', part.map((PUNO) => ({ transaction: 'LstLine', record: { PUNO } })), { what: 'reading purchase order lines', idempotent: true });
        for (const r of accepting(results)) for (const l of readRecords(lineStamp, r.records, 'PPS200MI/LstLine')) note(l.PUNO, l.LMTS);
      }
    }
    const changes: Change[] = [...changedAt].map(([k, at]) => ({ key: k, at, source: 'po' })).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.key < b.key ? -1 : 1));
    for await (const { keys, upTo } of changedKeyPages([iterate(changes)], pageSize, () => false)) {
      yield { orders: await this.load(keys), maxModifiedAt: upTo };
    }
  }

  async get(number: string): Promise<PurchaseOrder | null> {
    return (await this.load([number]))[0] ?? null;
  }

  /**
   * The head's project (PROJ) comes with every head Ferry reads, so it is remembered then and only read again
   * for a PO this adapter has not loaded; M3 has no place for a Jira key (see m3.ts).
   */
  async withJiraFields(orders: PurchaseOrder[]): Promise<PurchaseOrder[]> {
    const missing = orders.filter((o) => !this.projects.has(o.number)).map((o) => o.number);
    if (missing.length > 0) await this.load(missing);
    return orders.map((o) => ({ ...o, project: this.projects.get(o.number) ?? null, jiraKey: null }));
  }

  /** Heads and lines of these POs in bulk requests; a PO gone since it was listed is left out. */
  private async load(numbers: string[]): Promise<PurchaseOrder[]> {
    const transactions = numbers.flatMap((PUNO) => [
      { transaction: 'GetHead', record: { PUNO } },
      { transaction: 'LstLine', record: { PUNO } },
    ]);
    const heads = new Map<string, Head>();
    const lines = new Map<string, Line[]>();
    for (const part of chunks(transactions)) {
      const results = await this.m3.bulk('PPS200MI', part, { what: 'reading purchase orders', idempotent: true });
      for (const r of accepting(results)) {
        if (r.transaction === 'GetHead') {
          for (const h of readRecords(head, r.records, 'PPS200MI/GetHead')) {
            heads.set(h.PUNO, h);
            this.projects.set(h.PUNO, h.PROJ ?? null);
          }
        }
        else for (const l of readRecords(line, r.records, 'PPS200MI/LstLine')) lines.set(l.PUNO, [...(lines.get(l.PUNO) ?? []), l]);
      }
    }
    return numbers.filter((n) => heads.has(n)).map((n) => toOrder(heads.get(n)!, lines.get(n) ?? []));
  }

  /** SearchHead a page at a time, continuing after the last PO number of the previous page. */
  private async *search(query: string, maxrecs: number): AsyncGenerator<z.output<typeof searchHit>[]> {
    let after: string | null = null;
    for (;;) {
      const SQRY: string = after === null ? query : `${query} AND PUNO:["${after}" TO *] AND NOT PUNO:"${after}"`;
      const hits = readRecords(searchHit, await this.m3.read('PPS200MI', 'SearchHead', { SQRY }, { maxrecs, what: 'searching purchase orders' }), 'PPS200MI/SearchHead');
      yield hits;
      if (hits.length < maxrecs) return;
      after = hits.reduce((m, h) => (h.PUNO > m ? h.PUNO : m), after ?? '');
    }
  }
}

/** Results that are records or "no such PO" (M3 names PUNO); any other refusal stops the read. */
function accepting(results: M3Result[]): M3Result[] {
  for (const r of results) if (r.error && r.error.field !== 'PUNO') throw r.error;
  return results.filter((r) => !r.error);
}

async function* iterate<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

const ymd = (d: Date): string => d.toISOString().slice(0, 10).replace(/-/g, '');

function toOrder(h: Head, lines: Line[]): PurchaseOrder {
  const modifiedAt = lines.reduce((m, l) => (l.LMTS > m ? l.LMTS : m), h.LMTS);
  return {
    number: h.PUNO,
    vendorNumber: h.SUNO,
    orderDate: h.PUDT,
    status: statusOf(h.PUSL),
    type: h.ORTY,
    warehouse: h.WHLO,
    buyer: h.BUYE,
    modifiedAt,
    lines: lines.map(toLine),
  };
}

function toLine(l: Line): PurchaseOrderLine {
  return {
    line: l.PNLI,
    release: l.PNLS,
    item: l.ITNO,
    description: l.PITD ?? '',
    quantity: l.ORQA,
    unitCost: l.PUPR,
    unitOfMeasure: l.PUUN ?? 'EA',
    dueDate: l.DWDT,
    status: l.PUSL ?? '',
    glAccount: l.AIT1,
    // M3's accounting dimension 2 is the cost center, Industrial's unit code 1.
    unitCodes: [l.AIT2, null, null, null],
  };
}
