import type { ApDistribution, ApVoucher, ApVoucherKey, ApVoucherRecord } from '../../../../shared/domain';
import { ConnectorError } from '../../http/errors';
import { cents, checkVoucher, money, notSupported, referenceConflict } from './finance-checks';
import { m3Day, type M3Client } from './m3-client';
import { day, key, num, outputs, text } from './m3-fields';

// Supplier invoices in CloudSuite M3: APS450MI AddHead opens an invoice batch (INBN), AddLine adds its lines,
// ApproveInvoice approves it, and APS455MI ValidByBatchNo validates it and updates it to the ledger, where it
// gets its voucher number (GetHead VONO). AddLine takes no account or cost center (contracts/cloudsuite-m3.json):
// M3 books an invoice line from its own rules for the PO line it names. So Ferry enters only lines matched to
// a PO line, with the line type the M3 administrator named for them (RDTP codes are not published), and
// refuses an invoice with any other line before sending anything, in words AP can act on.
// M3 keys a supplier invoice by supplier and supplier invoice number (SINO) and refuses a second one, so that
// is how an invoice is found again (LstInvBySupInv, then GetHead); M3 keeps no field a read returns for
// Ferry's own reference. Every step reads the batch first, so an interrupted call is completed by the next.

const batchRef = outputs('APS450MI', 'LstInvBySupInv', { INBN: key });
const created = outputs('APS450MI', 'AddHead', { INBN: key });
const batchHead = outputs('APS450MI', 'GetHead', { SUNO: key, SINO: text, IVDT: day, CUAM: num, VONO: text, AAPD: text });
const batchLine = outputs('APS450MI', 'LstLines', { TRNO: key });
type BatchHead = ReturnType<typeof batchHead.read>[number] & { INBN: string };

/** A voucher number M3 has given: VONO is numeric, and 0 or blank means none yet. */
const voucherOf = (h: BatchHead | null): string | null => (h?.VONO && Number(h.VONO) !== 0 ? h.VONO : null);
/** AAPD, the approval date, is set once the batch is approved. */
const approved = (h: BatchHead | null): boolean => !!h?.AAPD && Number(h.AAPD) !== 0;

/** One invoice line for M3: a PO line, with every distribution Ferry coded on it summed. */
interface PoLineEntry {
  number: string;
  line: number;
  release: number;
  quantity: number;
  cents: number;
}

export class M3Vouchers {
  constructor(
    private readonly m3: M3Client,
    private readonly poLineType: number | undefined,
  ) {}

  async find(k: ApVoucherKey): Promise<ApVoucherRecord | null> {
    const posted = (await this.heads(k)).find((h) => voucherOf(h));
    return posted ? toRecord(posted) : null;
  }

  async create(v: ApVoucher): Promise<ApVoucherRecord> {
    checkVoucher(v);
    const lines = this.poLines(v);
    const heads = await this.heads(v);
    const done = heads.find((h) => voucherOf(h));
    if (done) {
      if (cents(done.CUAM) !== cents(v.amount)) throw referenceConflict('invoice', `${v.vendorNumber}/${v.invoiceNumber}`, `for ${money(cents(done.CUAM))}, not ${money(cents(v.amount))}`);
      return toRecord(done);
    }
    // An open batch left by an interrupted call is taken over when it is this invoice with none or all of its
    // lines; any other is left for AP to delete in APS450, and a new batch is opened.
    let reusable: { head: BatchHead; lines: number } | null = null;
    for (const h of heads) {
      if (cents(h.CUAM) !== cents(v.amount) || h.IVDT?.slice(0, 10) !== v.invoiceDate) continue;
      const count = await this.lineCount(h.INBN);
      if (count === 0 || count === lines.length) {
        reusable = { head: h, lines: count };
        break;
      }
    }
    const inbn = reusable?.head.INBN ?? (await this.addHead(v, heads.map((h) => h.INBN)));
    if (!reusable || reusable.lines === 0) await this.addLines(inbn, v, lines);
    if (!approved(reusable?.head ?? null)) await this.approve(inbn, v);
    const voucher = await this.validate(inbn, v);
    return { voucherNumber: voucher, vendorNumber: v.vendorNumber, invoiceNumber: v.invoiceNumber, reference: null, invoiceDate: new Date(`${v.invoiceDate}T00:00:00Z`).toISOString(), amount: v.amount, posted: true };
  }

  /**
   * The invoice as M3 takes it: one line per PO line. A distribution without a PO line cannot be coded through
   * AddLine, and without the line type Ferry cannot name one: both refuse the invoice before anything is sent.
   */
  private poLines(v: ApVoucher): PoLineEntry[] {
    const free = v.distributions.map((d, i) => [d, i + 1] as const).filter(([d]) => !d.purchaseOrderLine);
    if (free.length > 0) {
      const [d, n] = free[0]!;
      throw notSupported(
        `Invoice ${v.invoiceNumber} of supplier ${v.vendorNumber} has ${free.length === 1 ? 'a line' : `${free.length} lines`} not matched to a purchase order line (distribution ${n}: ${describe(d)}). CloudSuite M3 books an invoice line only through the PO line it pays (APS450MI takes no account or cost center), so Ferry did not enter the invoice: match the line to a PO line in JAGGAER, or enter the invoice in M3 (APS450) by hand.`,
      );
    }
    if (this.poLineType === undefined) {
      throw new ConnectorError(
        'not_set_up',
        `Ferry enters no supplier invoice in CloudSuite M3 until it knows the APS450MI line type your M3 uses for a line matched to a PO line: ask your M3 administrator and set it with "ferry connect cloudsuite --m3-po-line-type N". Invoice ${v.invoiceNumber} was not sent.`,
        { system: 'CloudSuite', retryable: false },
      );
    }
    const byLine = new Map<string, PoLineEntry>();
    for (const d of v.distributions) {
      const p = d.purchaseOrderLine!;
      const k = `${p.number}\u0000${p.line}\u0000${p.release}`;
      const entry = byLine.get(k);
      // A PO line split over several codings is one invoice line: its quantity once, its amounts summed.
      if (entry) entry.cents += cents(d.amount);
      else byLine.set(k, { number: p.number, line: p.line, release: p.release, quantity: p.quantity, cents: cents(d.amount) });
    }
    return [...byLine.values()];
  }

  private async addHead(v: ApVoucher, known: string[]): Promise<string> {
    const fresh = async () => (await this.batches(v)).filter((b) => !known.includes(b));
    const input = {
      SUNO: v.vendorNumber, IVDT: m3Day(v.invoiceDate), SINO: v.invoiceNumber, CUAM: money(cents(v.amount)), CUCD: v.currency,
      DUDT: v.dueDate ? m3Day(v.dueDate) : null, PUNO: v.purchaseOrder,
      // ACDT "Accounting date": only when a person chose to post an invoice of a closed period in an open one;
      // M3 takes the invoice date otherwise.
      ...(v.postingDate ? { ACDT: m3Day(v.postingDate) } : {}),
    };
    try {
      const records = await this.m3.write('APS450MI', 'AddHead', input, { what: `entering invoice ${v.invoiceNumber} of ${v.vendorNumber}`, verifyNotApplied: async () => (await fresh()).length === 0 });
      return created.read(records)[0]?.INBN ?? (await this.only(await fresh(), v));
    } catch (err) {
      if (!(err instanceof ConnectorError && err.code === 'write_uncertain')) throw err;
      // The batch was opened but its number was lost with the answer: it is the one batch that was not there before.
      return this.only(await fresh(), v, err);
    }
  }

  /** The lines, one request each; a lost answer is settled by the batch's line count. */
  private async addLines(inbn: string, v: ApVoucher, lines: PoLineEntry[]): Promise<void> {
    for (const [i, l] of lines.entries()) {
      const input = { INBN: inbn, RDTP: this.poLineType!, PUNO: l.number, PNLI: l.line, PNLS: l.release, IVQA: l.quantity, NLAM: money(l.cents) };
      try {
        await this.m3.write('APS450MI', 'AddLine', input, {
          what: `adding line ${i + 1} of invoice ${v.invoiceNumber}`,
          verifyNotApplied: async () => (await this.lineCount(inbn)) === i,
        });
      } catch (err) {
        if (!(err instanceof ConnectorError && err.code === 'write_uncertain' && (await this.lineCount(inbn)) === i + 1)) throw err;
      }
    }
  }

  /** ApproveInvoice refuses an approved batch, so a lost answer is settled by the approval date on it. */
  private async approve(inbn: string, v: ApVoucher): Promise<void> {
    try {
      await this.m3.write('APS450MI', 'ApproveInvoice', { INBN: inbn }, {
        what: `approving invoice ${v.invoiceNumber} of ${v.vendorNumber}`,
        verifyNotApplied: async () => !approved(await this.head(inbn)),
      });
    } catch (err) {
      if (!(err instanceof ConnectorError && err.code === 'write_uncertain' && approved(await this.head(inbn)))) throw err;
    }
  }

  /** ValidByBatchNo updates the batch to the ledger; the voucher number on the batch says it did. */
  private async validate(inbn: string, v: ApVoucher): Promise<string> {
    try {
      await this.m3.write('APS455MI', 'ValidByBatchNo', { INBN: inbn }, {
        what: `validating invoice ${v.invoiceNumber} of ${v.vendorNumber}`,
        verifyNotApplied: async () => voucherOf(await this.head(inbn)) === null,
      });
    } catch (err) {
      if (!(err instanceof ConnectorError && err.code === 'write_uncertain' && voucherOf(await this.head(inbn)))) throw err;
    }
    const voucher = voucherOf(await this.head(inbn));
    if (voucher) return voucher;
    throw new ConnectorError(
      'not_posted',
      `CloudSuite M3 validated invoice batch ${inbn} (invoice ${v.invoiceNumber} of ${v.vendorNumber}) but gave it no voucher number yet; Ferry looks again on the next run. If it stays so, check the batch in APS450.`,
      { system: 'CloudSuite', retryable: true },
    );
  }

  /** The batches of a supplier invoice number; the payee is the supplier itself, as M3 has it by default. */
  private async batches(k: ApVoucherKey): Promise<string[]> {
    const records = await this.m3.read('APS450MI', 'LstInvBySupInv', { SPYN: k.vendorNumber, SUNO: k.vendorNumber, SINO: k.invoiceNumber }, {
      maxrecs: 0,
      what: `looking for invoice ${k.invoiceNumber} of ${k.vendorNumber}`,
    });
    return batchRef.read(records).map((b) => b.INBN);
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
    const [record] = batchHead.read(await this.m3.read('APS450MI', 'GetHead', { INBN: inbn }, { what: `reading invoice batch ${inbn}` }));
    return record ? { ...record, INBN: inbn } : null;
  }

  private async lineCount(inbn: string): Promise<number> {
    return batchLine.read(await this.m3.listAll('APS450MI', 'LstLines', { INBN: inbn }, 'TRNO', { what: `reading the lines of invoice batch ${inbn}` })).length;
  }

  private only(fresh: string[], v: ApVoucher, cause?: unknown): string {
    if (fresh.length === 1) return fresh[0]!;
    if (cause) throw cause;
    throw new ConnectorError('bad_response', `CloudSuite M3 opened a batch for invoice ${v.invoiceNumber} of ${v.vendorNumber} but did not say which.`, { system: 'CloudSuite', retryable: false });
  }
}

const describe = (d: ApDistribution): string => `${money(cents(d.amount))} on account ${d.account}${d.costCenter ? ` / ${d.costCenter}` : ''}${d.description ? `, "${d.description}"` : ''}`;

function toRecord(h: BatchHead): ApVoucherRecord {
  const voucher = voucherOf(h);
  return { voucherNumber: voucher ?? '', vendorNumber: h.SUNO, invoiceNumber: h.SINO ?? '', reference: null, invoiceDate: h.IVDT, amount: h.CUAM, posted: voucher !== null };
}
