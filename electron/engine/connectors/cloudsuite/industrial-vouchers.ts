import crypto from 'node:crypto';
import { z } from 'zod';
import type { ApVoucher, ApVoucherKey, ApVoucherRecord } from '../../../../shared/domain';
import { ConnectorError } from '../../http/errors';
import { readRecords } from './edge';
import { cents, checkVoucher, money, referenceConflict } from './finance-checks';
import { amount, date, idoDay, key, text } from './ido-fields';
import { idoString, type IdoClient } from './ido-client';
import { insertOnce } from './ido-writes';

// AP vouchers in CloudSuite Industrial, the way the product enters and posts them (contracts/
// cloudsuite-industrial.json has each call and its source): SLAptrxs.AptrxGetVoucherNoSp gives the voucher
// number; the voucher goes into SLAptrxs with Ferry's reference in Ref, one SLAptrxds row per distribution
// (DistSeq 1..n); SLAptrxs.AptrxpSp posts it — what A/P Voucher Posting runs per voucher — and the posted
// voucher is in SLAptrxps from then on (SLAptrxs holds only unposted ones; neither has a status). Each step
// first looks at what is there, so a call interrupted anywhere is completed by the next one with the same
// reference, and nothing is entered twice. A refused posting (a closed period, an account out of use) comes
// back as ReturnValue 16 with CloudSuite's reason, and the invoice waits in the failures queue with it.

const ENTERED = ['VendNum', 'Voucher', 'InvNum', 'InvDate', 'InvAmt', 'Ref'] as const;
const POSTED = ['VendNum', 'Voucher', 'InvNum', 'InvDate', 'InvAmt', 'Ref'] as const;
const head = z.looseObject({ VendNum: key, Voucher: key, InvNum: text, InvDate: date, InvAmt: amount, Ref: text });
const dist = z.looseObject({ DistSeq: amount, Acct: text, Amount: amount });
type Head = z.output<typeof head>;

export class IndustrialVouchers {
  constructor(private readonly ido: IdoClient) {}

  async find(k: ApVoucherKey): Promise<ApVoucherRecord | null> {
    const posted = await this.posted(k);
    if (posted) return toRecord(posted, true);
    const entered = await this.entered(k);
    return entered ? toRecord(entered, false) : null;
  }

  async create(v: ApVoucher): Promise<ApVoucherRecord> {
    checkVoucher(v);
    const posted = await this.posted(v);
    if (posted) {
      if (cents(posted.InvAmt) !== cents(v.amount)) throw referenceConflict('voucher', v.reference, `for ${money(cents(posted.InvAmt))}, not ${money(cents(v.amount))}`);
      return toRecord(posted, true);
    }
    let h = await this.entered(v);
    if (h && cents(h.InvAmt) !== cents(v.amount)) throw referenceConflict('voucher', v.reference, `for ${money(cents(h.InvAmt))}, not ${money(cents(v.amount))}`);
    if (!h) {
      await this.checkCurrency(v);
      const numbered = await this.ido.invoke('SLAptrxs', 'AptrxGetVoucherNoSp', {}, { what: `numbering voucher ${v.reference}`, idempotent: true });
      const voucher = Number(numbered.RVoucher);
      if (!Number.isInteger(voucher) || voucher <= 0) {
        throw new ConnectorError('bad_response', `CloudSuite gave no voucher number for ${v.reference} (AptrxGetVoucherNoSp answered "${String(numbered.RVoucher)}").`, { system: 'CloudSuite', retryable: true });
      }
      const props = {
        VendNum: v.vendorNumber, Voucher: voucher, Type: 'V', InvNum: v.invoiceNumber, InvDate: idoDay(v.invoiceDate), InvAmt: money(cents(v.amount)),
        DueDate: v.dueDate ? idoDay(v.dueDate) : null, PoNum: v.purchaseOrder, Ref: v.reference,
        // The distribution (GL) date only when a person chose to post an invoice of a closed period in an open
        // one; CloudSuite takes the invoice date otherwise.
        ...(v.postingDate ? { DistDate: idoDay(v.postingDate) } : {}),
      };
      const saved = await insertOnce(this.ido, 'SLAptrxs', props, () => this.enteredItem(v), `adding voucher ${v.reference}`);
      h = readRecords(head, [saved], 'SLAptrxs')[0]!;
    }
    await this.distribute(h, v);
    await this.post(h, v);
    const done = await this.posted(v);
    if (!done) throw new ConnectorError('bad_response', `CloudSuite reported voucher ${h.Voucher} (${v.reference}) as posted, but it is not among the posted vouchers.`, { system: 'CloudSuite', retryable: true });
    return toRecord(done, true);
  }

  /**
   * A voucher is in its vendor's currency (SLAptrxs shows it as VenCurrCode and takes no other): an invoice
   * in another currency is refused before anything is entered, with what to do.
   */
  private async checkCurrency(v: ApVoucher): Promise<void> {
    if (!v.currency) return;
    const rows = await this.ido.loadPage('SLVendors', { properties: ['VendNum', 'CurrCode'], filter: `VendNum = ${idoString(v.vendorNumber)}` });
    const currency = rows.items[0]?.CurrCode;
    if (typeof currency === 'string' && currency.trim() && currency.trim() !== v.currency) {
      throw new ConnectorError(
        'currency_mismatch',
        `Invoice ${v.invoiceNumber} is in ${v.currency}, but CloudSuite Industrial enters vouchers of vendor ${v.vendorNumber} in the vendor's currency, ${currency.trim()}. Enter it in CloudSuite by hand, or have the supplier invoice in ${currency.trim()}.`,
        { system: 'CloudSuite', retryable: false },
      );
    }
  }

  /** Adds the distributions the voucher does not have yet; ones already there must be the same. */
  private async distribute(h: Head, v: ApVoucher): Promise<void> {
    const filter = `VendNum = ${idoString(h.VendNum)} AND Voucher = ${Number(h.Voucher)}`;
    const find = async (seq: number) => (await this.ido.loadPage('SLAptrxds', { properties: ['VendNum', 'Voucher', 'DistSeq', 'Acct', 'Amount'], filter: `${filter} AND DistSeq = ${seq}` })).items[0] ?? null;
    const existing = readRecords(dist, await this.ido.loadAll('SLAptrxds', { properties: ['DistSeq', 'Acct', 'Amount'], filter, recordCap: 0 }), 'SLAptrxds');
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
      const props = { VendNum: h.VendNum, Voucher: Number(h.Voucher), DistSeq: seq, Acct: d.account, AcctUnit1: d.costCenter, ProjNum: d.project, Amount: money(cents(d.amount)) };
      await insertOnce(this.ido, 'SLAptrxds', props, () => find(seq), `adding distribution ${seq} of voucher ${v.reference}`);
    }
    if (existing.some((d) => d.DistSeq > v.distributions.length)) {
      throw referenceConflict('voucher', v.reference, `it has more distributions than the ${v.distributions.length} Ferry would enter`);
    }
  }

  /** AptrxpSp refuses a voucher that is not entered any more, so a lost answer is settled by looking for it posted. */
  private async post(h: Head, v: ApVoucher): Promise<void> {
    const isPosted = async () => (await this.posted(v)) !== null;
    try {
      await this.ido.invoke('SLAptrxs', 'AptrxpSp', { PVendNum: h.VendNum, PVoucher: Number(h.Voucher), PSessionID: crypto.randomUUID() }, {
        what: `posting voucher ${v.reference}`,
        verifyNotApplied: async () => !(await isPosted()),
      });
    } catch (err) {
      if (err instanceof ConnectorError && err.code === 'write_uncertain' && (await isPosted())) return;
      throw err;
    }
  }

  private async entered(k: ApVoucherKey): Promise<Head | null> {
    const item = await this.enteredItem(k);
    return item ? readRecords(head, [item], 'SLAptrxs')[0]! : null;
  }

  private async enteredItem(k: ApVoucherKey) {
    return only(await this.ido.loadAll('SLAptrxs', { properties: ENTERED, filter: byReference(k), recordCap: 0 }), k, 'unposted');
  }

  private async posted(k: ApVoucherKey): Promise<Head | null> {
    const item = only(await this.ido.loadAll('SLAptrxps', { properties: POSTED, filter: byReference(k), recordCap: 0 }), k, 'posted');
    return item ? readRecords(head, [item], 'SLAptrxps')[0]! : null;
  }
}

const byReference = (k: ApVoucherKey): string => `VendNum = ${idoString(k.vendorNumber)} AND Ref = ${idoString(k.reference)}`;

function only<T>(rows: T[], k: ApVoucherKey, kind: string): T | null {
  if (rows.length > 1) {
    throw new ConnectorError('reference_conflict', `CloudSuite holds ${rows.length} ${kind} vouchers of vendor ${k.vendorNumber} with reference ${k.reference}; Ferry stops until someone resolves it.`, {
      system: 'CloudSuite',
      retryable: false,
    });
  }
  return rows[0] ?? null;
}

function toRecord(h: Head, isPosted: boolean): ApVoucherRecord {
  return {
    voucherNumber: String(Number(h.Voucher)),
    vendorNumber: h.VendNum,
    invoiceNumber: h.InvNum ?? '',
    reference: h.Ref,
    invoiceDate: h.InvDate,
    amount: h.InvAmt,
    posted: isPosted,
  };
}
