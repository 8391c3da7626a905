import type { PurchaseOrder, PurchaseOrderLine, PurchaseOrderStatus } from '../../../../shared/domain';
import type { PurchaseOrderPage } from './adapter';
import { M3Error, type M3Client } from './m3-client';
import { day, key, num, outputs, stamp, text } from './m3-fields';
import { poLineCoding, type PoAccounts } from './m3-settings';

// Purchase orders in CloudSuite M3. PPSSPPMI LstSupHead lists PO heads with their change stamp (LMTS);
// PPS200MI LstLine lists one PO's lines, with no change stamp and no accounting (contracts/cloudsuite-m3.json).
// So a poll:
//   1. lists every head (LstSupHead takes no PO number to restart from, so maxrecs=0, all at once);
//   2. delivers the heads stamped at or after the cursor, oldest first, each page's cursor its last stamp;
//   3. then every other PO whose lines can still change (lowest status below 85, invoiced), with their lines
//      as they are now and a cursor that does not move: a line's change has no stamp, so the content hash of
//      the flow decides whether the PO really changed, and an unchanged one costs nothing but the read.
// Lines come one PO at a time (LstLine takes one PUNO), a few POs at once. A PO line's account is not in
// LstLine's outputs (M3 derives it from its accounting rules): it comes from the rules the M3 administrator
// set (m3-settings.ts poAccounts), and stays empty where none applies, which po-to-jaggaer's validation
// refuses with the line named.

const head = outputs('PPSSPPMI', 'LstSupHead', { PUNO: key, SUNO: key, PUDT: day, PUSL: text, ORTY: text, WHLO: text, BUYE: text, PROJ: text, LMTS: stamp });
const line = outputs('PPS200MI', 'LstLine', { PUNO: key, PNLI: num, PNLS: num, ITNO: text, PITD: text, ORQA: num, PUPR: num, PUUN: text, DWDT: day, PUSL: text });
const poHead = outputs('PPS200MI', 'GetHead', { PUNO: key, SUNO: key });
type Head = ReturnType<typeof head.read>[number];
type Line = ReturnType<typeof line.read>[number];

/** POs whose lines are read at once: the request budget paces them anyway, this only overlaps the waits. */
const PARALLEL = 4;

/** M3's lowest PO status (PUSL): below 20 preliminary, 75 fully received, 85 invoiced and beyond. */
function statusOf(pusl: string | null): PurchaseOrderStatus {
  const n = Number(pusl);
  if (!pusl || !Number.isFinite(n)) return 'unknown';
  return n < 20 ? 'planned' : n < 75 ? 'ordered' : n < 85 ? 'filled' : 'complete';
}

/** Whether a PO's lines can still change: not invoiced yet. */
const open = (h: Head): boolean => h.PUSL !== null && h.PUSL < '85';

export class M3Orders {
  /** PO number → project (PROJ) of every head read so far. */
  private readonly projects = new Map<string, string | null>();

  constructor(
    private readonly m3: M3Client,
    private readonly accounts: PoAccounts | undefined,
  ) {}

  async *changedSince(since: Date, pageSize: number): AsyncGenerator<PurchaseOrderPage> {
    const size = Math.max(pageSize, 1);
    const sinceIso = since.toISOString();
    const heads = await this.heads({});
    const stamped = heads.filter((h) => h.LMTS >= sinceIso).sort((a, b) => (a.LMTS < b.LMTS ? -1 : a.LMTS > b.LMTS ? 1 : a.PUNO < b.PUNO ? -1 : 1));
    const seen = new Set(stamped.map((h) => h.PUNO));
    const unstamped = heads.filter((h) => !seen.has(h.PUNO) && open(h)).sort((a, b) => (a.PUNO < b.PUNO ? -1 : 1));
    for (let i = 0; i < stamped.length; i += size) {
      const page = stamped.slice(i, i + size);
      yield { orders: await this.withLines(page), maxModifiedAt: page.at(-1)!.LMTS };
    }
    for (let i = 0; i < unstamped.length; i += size) yield { orders: await this.withLines(unstamped.slice(i, i + size)), maxModifiedAt: null };
  }

  /** GetHead names the supplier; the supplier's heads give the PO's status and stamp, which GetHead lacks. */
  async get(number: string): Promise<PurchaseOrder | null> {
    let supplier: string;
    try {
      const found = poHead.read(await this.m3.read('PPS200MI', 'GetHead', { PUNO: number }, { what: `reading purchase order ${number}` }))[0];
      if (!found) return null;
      supplier = found.SUNO;
    } catch (err) {
      if (err instanceof M3Error && err.field === 'PUNO') return null;
      throw err;
    }
    const h = (await this.heads({ SUNO: supplier })).find((x) => x.PUNO === number);
    return h ? ((await this.withLines([h]))[0] ?? null) : null;
  }

  /** The head's project (PROJ) comes with every head read, so only a PO not read yet costs a request. */
  async withJiraFields(orders: PurchaseOrder[]): Promise<PurchaseOrder[]> {
    for (const o of orders) if (!this.projects.has(o.number)) await this.get(o.number);
    return orders.map((o) => ({ ...o, project: this.projects.get(o.number) ?? null, jiraKey: null }));
  }

  private async heads(input: { SUNO?: string }): Promise<Head[]> {
    const records = await this.m3.read('PPSSPPMI', 'LstSupHead', input, { maxrecs: 0, what: 'listing purchase orders' });
    const heads = head.read(records);
    for (const h of heads) this.projects.set(h.PUNO, h.PROJ);
    return heads;
  }

  /** The lines of these POs, a few POs at a time; a PO gone since it was listed is left out. */
  private async withLines(heads: Head[]): Promise<PurchaseOrder[]> {
    const out: (PurchaseOrder | null)[] = [];
    for (let i = 0; i < heads.length; i += PARALLEL) {
      out.push(...(await Promise.all(heads.slice(i, i + PARALLEL).map(async (h) => {
        const lines = await this.lines(h.PUNO);
        return lines ? this.toOrder(h, lines) : null;
      }))));
    }
    return out.filter((o): o is PurchaseOrder => o !== null);
  }

  /** LstLine takes no line to restart from, so all lines at once (maxrecs=0); null when the PO is gone. */
  private async lines(puno: string): Promise<Line[] | null> {
    try {
      return line.read(await this.m3.read('PPS200MI', 'LstLine', { PUNO: puno }, { maxrecs: 0, what: `reading the lines of purchase order ${puno}` }));
    } catch (err) {
      if (err instanceof M3Error && err.field === 'PUNO') return null;
      throw err;
    }
  }

  private toOrder(h: Head, lines: Line[]): PurchaseOrder {
    return {
      number: h.PUNO,
      vendorNumber: h.SUNO,
      orderDate: h.PUDT,
      status: statusOf(h.PUSL),
      type: h.ORTY,
      warehouse: h.WHLO,
      buyer: h.BUYE,
      modifiedAt: h.LMTS,
      lines: lines.map((l) => this.toLine(l, h.ORTY)),
    };
  }

  private toLine(l: Line, orderType: string | null): PurchaseOrderLine {
    const coding = poLineCoding(this.accounts, orderType, l.ITNO);
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
      glAccount: coding?.account ?? null,
      // The cost center goes where Industrial keeps it, unit code 1.
      unitCodes: [coding?.costCenter ?? null, null, null, null],
    };
  }
}
