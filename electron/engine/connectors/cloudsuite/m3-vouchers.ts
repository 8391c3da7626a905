import { z } from 'zod';
import type { ApDistribution, ApVoucher, ApVoucherKey, ApVoucherRecord } from '../../../../shared/domain';
import { ConnectorError } from '../../http/errors';
import { readRecords } from './edge';
import { cents, checkVoucher, money, referenceConflict } from './finance-checks';
import { chunks, m3Day, type M3Client, type M3Result } from './m3-client';
import { day, key, num, text } from './m3-fields';

// Supplier invoices in CloudSuite M3 (APS450MI): AddHead opens an invoice batch (INBN), AddLine adds the
// distributions (line type 8, an amount on an accounting string), ApproveInvoice turns the batch into a
// voucher. M3 keys a supplier invoice by supplier and supplier invoice number (SINO) and refuses a second one,
// so that is how a voucher is found again (LstInvBySupInv, then GetHead). APS450MI has no field a read returns
// that could hold Ferry's own reference, so on M3 the reference is not stored: vendor + invoice number is.
// Every step reads the batch first, so an interrupted call is completed by the next one.

const batchRef = z.looseObject({ INBN: key });
const batchHead = z.looseObject({ INBN: key, SUNO: key, SINO: text, IVDT: day, CUAM: num, NOLN: num, VONO: text });
type BatchHead = z.output<typeof batchHead>;

export class M3Vouchers {
  constructor(
    private readonly m3: M3Client,
    private readonly division: string | undefined,
  ) {}

  async find(k: ApVoucherKey): Promise<ApVoucherRecord | null> {
    const approved = (await this.heads(k)).find((h) => h.VONO);
    return approved ? toRecord(approved) : null;
  }

  async create(v: ApVoucher): Promise<ApVoucherRecord> {
    checkVoucher(v);
    const heads = await this.heads(v);
    const approved = heads.find((h) => h.VONO);
    if (approved) {
      if (cents(approved.CUAM) !== cents(v.amount)) throw referenceConflict('invoice', `${v.vendorNumber}/${v.invoiceNumber}`, `for ${money(cents(approved.CUAM))}, not ${money(cents(v.amount))}`);
      return toRecord(approved);
    }
    // An open batch left by an interrupted call is taken over when it is this invoice with none or all of its
    // lines; any other is left for AP to delete in APS450, and a new batch is opened.
    const reusable = heads.find(
      (h) => cents(h.CUAM) === cents(v.amount) && h.IVDT?.slice(0, 10) === v.invoiceDate && (h.NOLN === 0 || h.NOLN === v.distributions.length),
    );
    const inbn = reusable?.INBN ?? (await this.addHead(v, heads.map((h) => h.INBN)));
    if (!reusable || reusable.NOLN === 0) await this.addLines(inbn, v);
    const voucher = await this.approve(inbn, v);
    return { voucherNumber: voucher, vendorNumber: v.vendorNumber, invoiceNumber: v.invoiceNumber, reference: null, invoiceDate: new Date(`${v.invoiceDate}T00:00:00Z`).toISOString(), amount: v.amount, posted: true };
  }

  private async addHead(v: ApVoucher, known: string[]): Promise<string> {
    const fresh = async () => (await this.batches(v)).filter((b) => !known.includes(b));
    const input = {
      DIVI: this.division, SUNO: v.vendorNumber, IVDT: m3Day(v.invoiceDate), SINO: v.invoiceNumber, CUAM: money(cents(v.amount)), CUCD: v.currency,
      DUDT: v.dueDate ? m3Day(v.dueDate) : null, PUNO: v.purchaseOrder,
      // ACDT "Accounting date" (APS450MI AddHead, M3 metadata as published in GaryWayneSmith/M3H5): only when a
      // person chose to post an invoice of a closed period in an open one; M3 takes the invoice date otherwise.
      ...(v.postingDate ? { ACDT: m3Day(v.postingDate) } : {}),
    };
    try {
      const [record] = await this.m3.write('APS450MI', 'AddHead', input, { what: `entering invoice ${v.invoiceNumber} of ${v.vendorNumber}`, verifyNotApplied: async () => (await fresh()).length === 0 });
      return readRecords(batchRef, record ? [record] : [], 'APS450MI/AddHead')[0]?.INBN ?? (await this.only(await fresh(), v));
    } catch (err) {
      if (!(err instanceof ConnectorError && err.code === 'write_uncertain')) throw err;
      // The batch was opened but its number was lost with the answer: it is the one batch that was not there before.
      return this.only(await fresh(), v, err);
    }
  }

  /** The distributions, in bulk requests; a lost answer is settled by the batch's line count. */
  private async addLines(inbn: string, v: ApVoucher): Promise<void> {
    let before = 0;
    for (const part of chunks(v.distributions)) {
      const count = async () => (await this.head(inbn))?.NOLN ?? -1;
      const expected = before;
      let results: M3Result[];
      try {
        results = await this.m3.bulk('APS450MI', part.map((d) => ({ transaction: 'AddLine', record: line(inbn, this.division, d) })), {
          what: `adding the distributions of invoice ${v.invoiceNumber}`,
          verifyNotApplied: async () => (await count()) === expected,
        });
      } catch (err) {
        if (!(err instanceof ConnectorError && err.code === 'write_uncertain' && (await count()) === expected + part.length)) throw err;
        results = [];
      }
      const refused = results.find((r) => r.error);
      if (refused?.error) throw refused.error;
      before += part.length;
    }
  }

  /** ApproveInvoice refuses an approved batch, so a lost answer is settled by the voucher number on it. */
  private async approve(inbn: string, v: ApVoucher): Promise<string> {
    const voucherOf = async () => (await this.head(inbn))?.VONO ?? null;
    try {
      const [record] = await this.m3.write('APS450MI', 'ApproveInvoice', { DIVI: this.division, INBN: inbn }, {
        what: `approving invoice ${v.invoiceNumber} of ${v.vendorNumber}`,
        verifyNotApplied: async () => (await voucherOf()) === null,
      });
      return record?.VONO || ((await voucherOf()) ?? missingVoucher(inbn));
    } catch (err) {
      if (!(err instanceof ConnectorError && err.code === 'write_uncertain')) throw err;
      const voucher = await voucherOf();
      if (voucher) return voucher;
      throw err;
    }
  }

  private async batches(k: ApVoucherKey): Promise<string[]> {
    const records = await this.m3.read('APS450MI', 'LstInvBySupInv', { DIVI: this.division, SPYN: k.vendorNumber, SUNO: k.vendorNumber, SINO: k.invoiceNumber }, {
      maxrecs: 0,
      what: `looking for invoice ${k.invoiceNumber} of ${k.vendorNumber}`,
    });
    return readRecords(batchRef, records, 'APS450MI/LstInvBySupInv').map((b) => b.INBN);
  }

  private async heads(k: ApVoucherKey): Promise<BatchHead[]> {
    const out: BatchHead[] = [];
    for (const inbn of await this.batches(k)) {
      const h = await this.head(inbn);
      if (h) out.push(h);
    }
    return out;
  }

  private async head(inbn: string): Promise<BatchHead | null> {
    const [record] = await this.m3.read('APS450MI', 'GetHead', { DIVI: this.division, INBN: inbn }, { what: `reading invoice batch ${inbn}` });
    return record ? readRecords(batchHead, [record], 'APS450MI/GetHead')[0]! : null;
  }

  private only(fresh: string[], v: ApVoucher, cause?: unknown): string {
    if (fresh.length === 1) return fresh[0]!;
    if (cause) throw cause;
    throw new ConnectorError('bad_response', `CloudSuite M3 opened a batch for invoice ${v.invoiceNumber} of ${v.vendorNumber} but did not say which.`, { system: 'CloudSuite', retryable: false });
  }
}

/** Line type 8: an amount booked to account (AIT1), cost center (AIT2) and project (AIT3). */
function line(inbn: string, division: string | undefined, d: ApDistribution) {
  return { DIVI: division, INBN: inbn, RDTP: 8, NLAM: money(cents(d.amount)), AIT1: d.account, AIT2: d.costCenter, AIT3: d.project };
}

function missingVoucher(inbn: string): never {
  throw new ConnectorError('bad_response', `CloudSuite M3 approved invoice batch ${inbn} but reported no voucher number.`, { system: 'CloudSuite', retryable: false });
}

function toRecord(h: BatchHead): ApVoucherRecord {
  return { voucherNumber: h.VONO ?? '', vendorNumber: h.SUNO, invoiceNumber: h.SINO ?? '', reference: null, invoiceDate: h.IVDT, amount: h.CUAM, posted: Boolean(h.VONO) };
}
