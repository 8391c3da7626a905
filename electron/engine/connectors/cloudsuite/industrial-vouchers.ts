import { z } from 'zod';
import type { ApVoucher, ApVoucherKey, ApVoucherRecord } from '../../../../shared/domain';
import { ConnectorError } from '../../http/errors';
import { readRecords } from './edge';
import { cents, checkVoucher, money, referenceConflict } from './finance-checks';
import { amount, date, idoDay, key, text } from './ido-fields';
import { idoString, type IdoClient } from './ido-client';
import { insertOnce } from './ido-writes';

// AP vouchers in CloudSuite Industrial: an SLAptrxs header carrying Ferry's reference in Ref, one SLAptrxds
// row per distribution (DistSeq 1..n, chosen by Ferry so a repeat is recognised), then SLAptrxs.PostVoucher.
// Each step first looks at what is there, so a call interrupted anywhere is completed by the next one with
// the same reference, and nothing is entered twice.

const HEAD_PROPERTIES = ['VendNum', 'Voucher', 'InvNum', 'InvDate', 'InvAmt', 'Ref', 'Stat'] as const;
const head = z.looseObject({ VendNum: key, Voucher: key, InvNum: text, InvDate: date, InvAmt: amount, Ref: text, Stat: text });
const dist = z.looseObject({ DistSeq: amount, Acct: text, AcctUnit1: text, Amount: amount });
type Head = z.output<typeof head>;

export class IndustrialVouchers {
  constructor(private readonly ido: IdoClient) {}

  async find(k: ApVoucherKey): Promise<ApVoucherRecord | null> {
    const h = await this.head(k);
    return h ? toRecord(h) : null;
  }

  async create(v: ApVoucher): Promise<ApVoucherRecord> {
    checkVoucher(v);
    let h = await this.head(v);
    if (h && cents(h.InvAmt) !== cents(v.amount)) {
      throw referenceConflict('voucher', v.reference, `for ${money(cents(h.InvAmt))}, not ${money(cents(v.amount))}`);
    }
    if (!h) {
      const props = {
        VendNum: v.vendorNumber, InvNum: v.invoiceNumber, InvDate: idoDay(v.invoiceDate), InvAmt: money(cents(v.amount)),
        DueDate: v.dueDate ? idoDay(v.dueDate) : null, CurrCode: v.currency, PoNum: v.purchaseOrder, Ref: v.reference,
        // The distribution (GL) date — aptrx.dist_date in the published SyteLine schema — only when a person chose
        // to post an invoice of a closed period in an open one; CloudSuite takes the invoice date otherwise.
        ...(v.postingDate ? { DistDate: idoDay(v.postingDate) } : {}),
      };
      const saved = await insertOnce(this.ido, 'SLAptrxs', props, () => this.headItem(v), `adding voucher ${v.reference}`);
      h = readRecords(head, [saved], 'SLAptrxs')[0]!;
    }
    if (h.Stat === 'P') return toRecord(h);
    await this.distribute(h, v);
    await this.post(h, v);
    return toRecord({ ...h, Stat: 'P' });
  }

  /** Adds the distributions the voucher does not have yet; ones already there must be the same. */
  private async distribute(h: Head, v: ApVoucher): Promise<void> {
    const find = async (seq: number) =>
      (await this.ido.loadPage('SLAptrxds', { properties: ['VendNum', 'Voucher', 'DistSeq', 'Acct', 'AcctUnit1', 'Amount'], filter: `${this.voucherFilter(h)} AND DistSeq = ${seq}`, readOnly: true })).items[0] ?? null;
    const existing = readRecords(dist, await this.ido.loadAll('SLAptrxds', { properties: ['DistSeq', 'Acct', 'AcctUnit1', 'Amount'], filter: this.voucherFilter(h), recordCap: 0, readOnly: true }), 'SLAptrxds');
    const bySeq = new Map(existing.map((d) => [d.DistSeq, d]));
    for (const [i, d] of v.distributions.entries()) {
      const seq = i + 1;
      const there = bySeq.get(seq);
      if (there) {
        if (there.Acct !== d.account || cents(there.Amount) !== cents(d.amount)) {
          throw referenceConflict('voucher', v.reference, `its distribution ${seq} books ${money(cents(there.Amount))} to ${there.Acct ?? '(none)'}, not ${money(cents(d.amount))} to ${d.account}`);
        }
        continue;
      }
      const props = {
        VendNum: h.VendNum, Voucher: h.Voucher, DistSeq: seq, Acct: d.account, AcctUnit1: d.costCenter, ProjNum: d.project, Amount: money(cents(d.amount)),
        Description: d.description,
      };
      await insertOnce(this.ido, 'SLAptrxds', props, () => find(seq), `adding distribution ${seq} of voucher ${v.reference}`);
    }
    if (existing.some((d) => d.DistSeq > v.distributions.length)) {
      throw referenceConflict('voucher', v.reference, `it has more distributions than the ${v.distributions.length} Ferry would enter`);
    }
  }

  /** PostVoucher refuses a posted voucher, so a lost answer is settled by reading the status. */
  private async post(h: Head, v: ApVoucher): Promise<void> {
    const posted = async () => (await this.head(v))?.Stat === 'P';
    try {
      await this.ido.invoke('SLAptrxs', 'PostVoucher', [h.VendNum, h.Voucher, null], { what: `posting voucher ${v.reference}`, verifyNotApplied: async () => !(await posted()) });
    } catch (err) {
      if (err instanceof ConnectorError && err.code === 'write_uncertain' && (await posted())) return;
      throw err;
    }
  }

  private async head(k: ApVoucherKey): Promise<Head | null> {
    const item = await this.headItem(k);
    return item ? readRecords(head, [item], 'SLAptrxs')[0]! : null;
  }

  private async headItem(k: ApVoucherKey) {
    const rows = await this.ido.loadAll('SLAptrxs', {
      properties: HEAD_PROPERTIES,
      filter: `VendNum = ${idoString(k.vendorNumber)} AND Ref = ${idoString(k.reference)}`,
      recordCap: 0,
      readOnly: true,
    });
    if (rows.length > 1) {
      throw new ConnectorError('reference_conflict', `CloudSuite holds ${rows.length} vouchers of vendor ${k.vendorNumber} with reference ${k.reference}; Ferry stops until someone resolves it.`, {
        system: 'CloudSuite',
        retryable: false,
      });
    }
    return rows[0] ?? null;
  }

  private voucherFilter(h: Head): string {
    return `VendNum = ${idoString(h.VendNum)} AND Voucher = ${Number(h.Voucher)}`;
  }
}

function toRecord(h: Head): ApVoucherRecord {
  return {
    voucherNumber: h.Voucher,
    vendorNumber: h.VendNum,
    invoiceNumber: h.InvNum ?? '',
    reference: h.Ref,
    invoiceDate: h.InvDate,
    amount: h.InvAmt,
    posted: h.Stat === 'P',
  };
}
