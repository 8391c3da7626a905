import { z } from 'zod';
import type { ApVoucherPage, EnteredVoucher } from './adapter';
import { readRecords } from './edge';
import { amount, date, key, requiredDate, text } from './ido-fields';
import { idoDateLiteral, idoString, type IdoClient } from './ido-client';

// Reading posted AP vouchers back from CloudSuite Industrial, whoever entered them: SLAptrxps (where A/P
// Voucher Posting puts them) by RecordDate, oldest first, a page at a time through the IDO bookmark; then one
// SLLedgers load for the lines of the whole page — a posted voucher's distributions are its ledger lines, all
// but the one on its A/P account. Vouchers still being entered (SLAptrxs) are none of invoice-to-jaggaer's
// business: it sends posted ones only. The vendor's currency is the voucher's (VendorCurrCode).

const HEAD = ['VendNum', 'Voucher', 'InvNum', 'InvDate', 'InvAmt', 'DueDate', 'PoNum', 'Ref', 'ApAcct', 'VendorCurrCode', 'RecordDate'] as const;
const LINE = ['TransNum', 'VendNum', 'Voucher', 'Acct', 'AcctUnit1', 'DomAmount'] as const;

const head = z.looseObject({
  VendNum: key, Voucher: key, InvNum: text, InvDate: date, InvAmt: amount, DueDate: date, PoNum: text, Ref: text, ApAcct: text, VendorCurrCode: text, RecordDate: requiredDate,
});
const line = z.looseObject({ TransNum: amount, VendNum: key, Voucher: key, Acct: text, AcctUnit1: text, DomAmount: amount });
type Head = z.output<typeof head>;
type Line = z.output<typeof line>;

const voucherKey = (vendor: string, voucher: string | number) => `${vendor}\u0000${Number(voucher)}`;

export class IndustrialVoucherReads {
  constructor(private readonly ido: IdoClient) {}

  async *changedSince(since: Date, pageSize: number): AsyncGenerator<ApVoucherPage> {
    const pages = this.ido.loadPages('SLAptrxps', {
      properties: HEAD,
      filter: `RecordDate >= ${idoDateLiteral(since)}`,
      orderBy: 'RecordDate, VendNum, Voucher',
      recordCap: pageSize,
    });
    for await (const items of pages) {
      const heads = readRecords(head, items, 'a change list of SLAptrxps');
      if (heads.length === 0) continue;
      const upTo = heads.reduce((m, h) => (h.RecordDate > m ? h.RecordDate : m), '');
      yield { vouchers: await this.withLines(heads), maxModifiedAt: upTo };
    }
  }

  async get(vendorNumber: string, voucherNumber: string): Promise<EnteredVoucher | null> {
    if (!/^\d+$/.test(voucherNumber.trim())) return null;
    const rows = await this.ido.loadAll('SLAptrxps', { properties: HEAD, filter: `VendNum = ${idoString(vendorNumber)} AND Voucher = ${Number(voucherNumber)}`, recordCap: 0 });
    const heads = readRecords(head, rows, 'SLAptrxps');
    return heads.length === 0 ? null : ((await this.withLines(heads.slice(0, 1)))[0] ?? null);
  }

  /** One SLLedgers load for all these vouchers; lines of a same-numbered voucher of another vendor are dropped. */
  private async withLines(heads: Head[]): Promise<EnteredVoucher[]> {
    const vendors = [...new Set(heads.map((h) => h.VendNum))];
    const vouchers = [...new Set(heads.map((h) => Number(h.Voucher)))];
    const rows = await this.ido.loadAll('SLLedgers', {
      properties: LINE,
      filter: `VendNum IN (${vendors.map(idoString).join(', ')}) AND Voucher IN (${vouchers.join(', ')})`,
      orderBy: 'TransNum',
      recordCap: 0,
    });
    const byVoucher = new Map<string, Line[]>();
    for (const l of readRecords(line, rows, 'SLLedgers')) {
      const k = voucherKey(l.VendNum, l.Voucher);
      byVoucher.set(k, [...(byVoucher.get(k) ?? []), l]);
    }
    return heads.map((h) => toVoucher(h, (byVoucher.get(voucherKey(h.VendNum, h.Voucher)) ?? []).filter((l) => l.Acct !== h.ApAcct)));
  }
}

function toVoucher(h: Head, lines: Line[]): EnteredVoucher {
  return {
    voucherNumber: String(Number(h.Voucher)),
    vendorNumber: h.VendNum,
    invoiceNumber: h.InvNum ?? '',
    reference: h.Ref,
    invoiceDate: h.InvDate,
    amount: h.InvAmt,
    posted: true,
    dueDate: h.DueDate,
    currency: h.VendorCurrCode,
    purchaseOrder: h.PoNum,
    status: 'posted',
    modifiedAt: h.RecordDate,
    distributions: lines.map((l) => ({ account: l.Acct ?? '', costCenter: l.AcctUnit1, project: null, amount: l.DomAmount, description: null })),
  };
}
