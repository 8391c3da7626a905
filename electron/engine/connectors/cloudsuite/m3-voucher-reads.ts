import { z } from 'zod';
import type { ApVoucherPage, EnteredVoucher } from './adapter';
import { readRecords } from './edge';
import { chunks, M3Error, type M3Client } from './m3-client';
import { day, key, num, stamp, text } from './m3-fields';

// Reading supplier invoices (vouchers) back from CloudSuite M3, whoever entered them, through APS200MI:
// LstChanged lists invoice heads changed at or after a change stamp (LMTS), oldest first; LstLines gives an
// invoice's accounting lines, read for a whole page in bulk requests (50 per POST), so requests per invoice
// stay far below one. APS200MI's transactions are not public: these are the sandbox's reading (see the
// README's "knowingly different"). LstChanged has no continuation key, so the next page starts again at the
// last stamp seen and drops the invoices already delivered at exactly that stamp.

const head = z.looseObject({
  SUNO: key, SINO: text, VONO: key, IVDT: day, DUDT: day, CUCD: text, CUAM: num, PUNO: text, SUPA: text, LMTS: stamp,
});
const line = z.looseObject({ SUNO: key, VONO: key, TRNO: num, NLAM: num, AIT1: text, AIT2: text, AIT3: text, VTXT: text });
type Head = z.output<typeof head>;
type Line = z.output<typeof line>;

/** SUPA 90: the invoice is approved and its voucher posted (the APS450MI reading). */
const APPROVED = '90';

const voucherKey = (suno: string, vono: string) => `${suno}\u0000${vono}`;

export class M3VoucherReads {
  constructor(
    private readonly m3: M3Client,
    private readonly division: string | undefined,
  ) {}

  async *changedSince(since: Date, pageSize: number): AsyncGenerator<ApVoucherPage> {
    const size = Math.max(pageSize, 1);
    let from = since.getTime();
    // Invoices delivered with exactly the stamp `from`: the next list starts at `from` again and drops them.
    let deliveredAtFrom = new Set<string>();
    let maxrecs = size;
    for (;;) {
      const records = await this.m3.read('APS200MI', 'LstChanged', { DIVI: this.division, LMTS: String(from) }, { maxrecs, what: 'listing supplier invoices changed since the last sync' });
      const heads = readRecords(head, records, 'APS200MI/LstChanged');
      const full = records.length >= maxrecs;
      const fresh = heads.filter((h) => !(Date.parse(h.LMTS) === from && deliveredAtFrom.has(voucherKey(h.SUNO, h.VONO))));
      if (fresh.length === 0) {
        if (!full) return;
        // A full list of invoices all stamped `from` and all delivered already: ask for more at once.
        maxrecs *= 2;
        continue;
      }
      const upTo = fresh.reduce((m, h) => (h.LMTS > m ? h.LMTS : m), '');
      yield { vouchers: await this.withLines(fresh), maxModifiedAt: upTo };
      if (!full) return;
      const last = Date.parse(upTo);
      if (last !== from) deliveredAtFrom = new Set();
      from = last;
      for (const h of fresh) if (Date.parse(h.LMTS) === from) deliveredAtFrom.add(voucherKey(h.SUNO, h.VONO));
      maxrecs = size;
    }
  }

  async get(vendorNumber: string, voucherNumber: string): Promise<EnteredVoucher | null> {
    let records;
    try {
      records = await this.m3.read('APS200MI', 'GetHead', { DIVI: this.division, SUNO: vendorNumber, VONO: voucherNumber }, { what: `reading voucher ${voucherNumber} of ${vendorNumber}` });
    } catch (err) {
      if (err instanceof M3Error && (err.field === 'VONO' || err.field === 'SUNO')) return null;
      throw err;
    }
    const heads = readRecords(head, records, 'APS200MI/GetHead');
    return heads.length === 0 ? null : ((await this.withLines(heads))[0] ?? null);
  }

  /** The accounting lines of these invoices, 50 invoices per bulk request. */
  private async withLines(heads: Head[]): Promise<EnteredVoucher[]> {
    const lines = new Map<string, Line[]>();
    for (const part of chunks(heads)) {
      const results = await this.m3.bulk('APS200MI', part.map((h) => ({ transaction: 'LstLines', record: { DIVI: this.division, SUNO: h.SUNO, VONO: h.VONO } })), {
        what: 'reading the accounting lines of supplier invoices',
        idempotent: true,
      });
      for (const r of results) {
        if (r.error) throw r.error;
        for (const l of readRecords(line, r.records, 'APS200MI/LstLines')) {
          const k = voucherKey(l.SUNO, l.VONO);
          lines.set(k, [...(lines.get(k) ?? []), l]);
        }
      }
    }
    return heads.map((h) => toVoucher(h, (lines.get(voucherKey(h.SUNO, h.VONO)) ?? []).sort((a, b) => a.TRNO - b.TRNO)));
  }
}

function toVoucher(h: Head, lines: Line[]): EnteredVoucher {
  return {
    voucherNumber: h.VONO,
    vendorNumber: h.SUNO,
    invoiceNumber: h.SINO ?? '',
    // M3 keeps no free reference on a supplier invoice (see m3-vouchers.ts).
    reference: null,
    invoiceDate: h.IVDT,
    amount: h.CUAM,
    posted: h.SUPA === APPROVED,
    dueDate: h.DUDT,
    currency: h.CUCD,
    purchaseOrder: h.PUNO,
    status: h.SUPA,
    modifiedAt: h.LMTS,
    distributions: lines.map((l) => ({ account: l.AIT1 ?? '', costCenter: l.AIT2, project: l.AIT3, amount: l.NLAM, description: l.VTXT })),
  };
}
