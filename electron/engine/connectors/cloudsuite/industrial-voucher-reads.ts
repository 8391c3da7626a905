import { z } from 'zod';
import type { ApVoucherPage, EnteredVoucher } from './adapter';
import { readRecords } from './edge';
import { amount, date, key, requiredDate, text } from './ido-fields';
import { idoDateLiteral, idoString, type IdoClient } from './ido-client';

// Reading AP vouchers back from CloudSuite Industrial, whoever entered them: SLAptrxs headers by RecordDate
// (oldest first, a page at a time through the IDO bookmark), then one SLAptrxds load for the distributions
// of the whole page. A voucher's distributions can only change while it is unposted, and entering or
// posting it stamps the header, so the header's RecordDate is the voucher's change time.

const HEAD_PROPERTIES = ['VendNum', 'Voucher', 'InvNum', 'InvDate', 'InvAmt', 'DueDate', 'CurrCode', 'PoNum', 'Ref', 'Stat', 'RecordDate'] as const;
const DIST_PROPERTIES = ['VendNum', 'Voucher', 'DistSeq', 'Acct', 'AcctUnit1', 'ProjNum', 'Amount', 'Description'] as const;

const head = z.looseObject({
  VendNum: key, Voucher: key, InvNum: text, InvDate: date, InvAmt: amount, DueDate: date, CurrCode: text, PoNum: text, Ref: text, Stat: text, RecordDate: requiredDate,
});
const dist = z.looseObject({ VendNum: key, Voucher: key, DistSeq: amount, Acct: text, AcctUnit1: text, ProjNum: text, Amount: amount, Description: text });
type Head = z.output<typeof head>;
type Dist = z.output<typeof dist>;

const voucherKey = (vendor: string, voucher: string | number) => `${vendor}\u0000${Number(voucher)}`;

export class IndustrialVoucherReads {
  constructor(private readonly ido: IdoClient) {}

  async *changedSince(since: Date, pageSize: number): AsyncGenerator<ApVoucherPage> {
    const pages = this.ido.loadPages('SLAptrxs', {
      properties: HEAD_PROPERTIES,
      filter: `RecordDate >= ${idoDateLiteral(since)}`,
      orderBy: 'RecordDate, VendNum, Voucher',
      recordCap: pageSize,
      readOnly: true,
    });
    for await (const items of pages) {
      const heads = readRecords(head, items, 'a change list of SLAptrxs');
      if (heads.length === 0) continue;
      const upTo = heads.reduce((m, h) => (h.RecordDate > m ? h.RecordDate : m), '');
      yield { vouchers: await this.withDistributions(heads), maxModifiedAt: upTo };
    }
  }

  async get(vendorNumber: string, voucherNumber: string): Promise<EnteredVoucher | null> {
    if (!/^\d+$/.test(voucherNumber.trim())) return null;
    const rows = await this.ido.loadAll('SLAptrxs', {
      properties: HEAD_PROPERTIES,
      filter: `VendNum = ${idoString(vendorNumber)} AND Voucher = ${Number(voucherNumber)}`,
      recordCap: 0,
      readOnly: true,
    });
    const heads = readRecords(head, rows, 'SLAptrxs');
    return heads.length === 0 ? null : ((await this.withDistributions(heads))[0] ?? null);
  }

  /** One SLAptrxds load for all these vouchers; rows of a same-numbered voucher of another vendor are dropped. */
  private async withDistributions(heads: Head[]): Promise<EnteredVoucher[]> {
    const vendors = [...new Set(heads.map((h) => h.VendNum))];
    const vouchers = [...new Set(heads.map((h) => Number(h.Voucher)))];
    const rows = await this.ido.loadAll('SLAptrxds', {
      properties: DIST_PROPERTIES,
      filter: `VendNum IN (${vendors.map(idoString).join(', ')}) AND Voucher IN (${vouchers.join(', ')})`,
      orderBy: 'VendNum, Voucher, DistSeq',
      recordCap: 0,
      readOnly: true,
    });
    const byVoucher = new Map<string, Dist[]>();
    for (const d of readRecords(dist, rows, 'SLAptrxds')) {
      const k = voucherKey(d.VendNum, d.Voucher);
      byVoucher.set(k, [...(byVoucher.get(k) ?? []), d]);
    }
    return heads.map((h) => toVoucher(h, (byVoucher.get(voucherKey(h.VendNum, h.Voucher)) ?? []).sort((a, b) => a.DistSeq - b.DistSeq)));
  }
}

function toVoucher(h: Head, dists: Dist[]): EnteredVoucher {
  return {
    voucherNumber: String(Number(h.Voucher)),
    vendorNumber: h.VendNum,
    invoiceNumber: h.InvNum ?? '',
    reference: h.Ref,
    invoiceDate: h.InvDate,
    amount: h.InvAmt,
    posted: h.Stat === 'P',
    dueDate: h.DueDate,
    currency: h.CurrCode,
    purchaseOrder: h.PoNum,
    status: h.Stat,
    modifiedAt: h.RecordDate,
    distributions: dists.map((d) => ({ account: d.Acct ?? '', costCenter: d.AcctUnit1, project: d.ProjNum, amount: d.Amount, description: d.Description })),
  };
}
