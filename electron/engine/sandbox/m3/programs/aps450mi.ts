import { z } from 'zod';
import type { Row } from '../../ido-filter';
import type { IdoTables } from '../../ido-tables';
import { idoDate } from '../../ido-schema';
import { alreadyExists, blocked, cents, date, doesNotExist, integer, invalid, mustBeEntered, opt, optDate, optDecimal, optInteger, parse, req } from '../fields';
import { checkAccountingString } from '../ledger';
import { m3Date, m3Number } from '../mapping';
import { INBN_REF, type Ait, type InvoiceBatch, type InvoiceLine } from '../state';
import { M3_DIVISION, type M3Record, type Program, type TxContext } from '../types';

// APS450MI, supplier invoice batches: AddHead opens a batch (INBN), AddLine adds a line, ApproveInvoice approves
// it, and APS455MI ValidByBatchNo (aps455mi.ts) validates it and posts the voucher the Industrial view sees.
// GetHead and LstLines read a batch back; LstInvBySupInv lists the batches of a supplier invoice number (how a
// client finds an invoice again after a lost answer).
//
// AddLine takes no account: M3 books an invoice line from its own rules. The sandbox company books lines
// matched to a PO line, line type (RDTP) 1, on that PO line's account, cost center and project; it has no
// other line type, so any other RDTP is refused. The line type codes and the status values below (SUPA 10
// entered, 90 posted) are the sandbox's reading: Infor publishes the fields, not their codes. Posted batches
// outlive a restart through their voucher (SLAptrxps.Ref).

/** The sandbox company's line type for an invoice line matched to a PO line. */
export const PO_LINE_TYPE = 1;

const addHead = z.object({
  SUNO: req(10), IVDT: date(), SINO: req(24), SPYN: opt(10), CUCD: opt(3), TEPY: opt(4), CUAM: optDecimal(), ACDT: optDate(), DUDT: optDate(), PUNO: opt(10),
});
const addLine = z.object({ INBN: req(10), RDTP: integer(2), NLAM: optDecimal(), PUNO: opt(10), PNLI: optInteger(5), PNLS: optInteger(3), IVQA: optDecimal() });
const byInbn = z.object({ INBN: req(10) });
const lstLines = z.object({ INBN: req(10), TRNO: optInteger(7) });
const approve = z.object({ INBN: req(10), AAPD: optDate() });
const bySupplierInvoice = z.object({ SPYN: req(10), SUNO: req(10), SINO: req(24) });

export function activeSupplier(ido: IdoTables, suno: string): Row {
  const vendor = ido.find('SLVendors', (v) => v.VendNum === suno);
  if (!vendor) throw doesNotExist('SUNO', suno);
  if (vendor.Stat !== 'A') throw blocked('SUNO', `Supplier ${suno} is blocked (status 90)`);
  return vendor;
}

/** Days of a payment terms code: N30 → 30, 2N10 → 10 (the net days); 30 when the code says nothing. */
function termsDays(tepy: string): number {
  const m = /N(\d+)$/i.exec(tepy);
  return m ? Number(m[1]) : 30;
}

function addDays(day: string, days: number): string {
  const d = new Date(Date.UTC(Number(day.slice(0, 4)), Number(day.slice(4, 6)) - 1, Number(day.slice(6, 8)) + days));
  return m3Date(idoDate(d));
}

/** A batch lines can still be added to: known, and not posted yet. */
export function openBatch(ctx: TxContext, inbn: string): InvoiceBatch {
  const batch = ctx.state.invoiceBatches.get(inbn);
  if (!batch) {
    if (posted(ctx, inbn)) throw blocked('INBN', `Invoice batch ${inbn} is already posted`);
    throw doesNotExist('INBN', inbn);
  }
  if (batch.VONO) throw blocked('INBN', `Invoice batch ${inbn} is already posted (voucher ${batch.VONO})`);
  return batch;
}

/** RDTP 1: the PO line decides quantity, price and the accounting. */
function poLine(ctx: TxContext, batch: InvoiceBatch, f: z.output<typeof addLine>): Omit<InvoiceLine, 'TRNO'> {
  const puno = f.PUNO ?? batch.PUNO;
  if (!puno) throw mustBeEntered('PUNO');
  if (f.PNLI === undefined) throw mustBeEntered('PNLI');
  const po = ctx.ido.find('SLPos', (p) => p.PoNum === puno);
  if (!po) throw doesNotExist('PUNO', puno);
  if (po.VendNum !== batch.SUNO) throw invalid('PUNO', puno, `belongs to supplier ${po.VendNum ?? ''}, not ${batch.SUNO}`);
  const pnls = f.PNLS ?? 0;
  const line = ctx.ido.find('SLPoItems', (l) => l.PoNum === puno && Number(l.PoLine) === f.PNLI && Number(l.PoRelease) === pnls);
  if (!line) throw doesNotExist('PNLI', `${puno}/${f.PNLI}/${pnls}`, 'Purchase order line');
  const qty = f.IVQA ?? Number(line.QtyOrdered);
  if (Math.abs(qty) > Number(line.QtyOrdered) + 1e-9) throw invalid('IVQA', String(qty), `is more than ordered on ${puno}/${f.PNLI} (${m3Number(line.QtyOrdered)})`);
  const lineAit: Ait = [line.NonInvAcct ?? '', line.NonInvAcctUnit1 ?? '', po.Uf_ProjNum ?? '', '', '', '', ''];
  checkAccountingString(ctx.ido, lineAit);
  return {
    RDTP: PO_LINE_TYPE, cents: cents(f.NLAM ?? qty * Number(line.ItemCost)), ait: lineAit, PUNO: puno, PNLI: String(f.PNLI), PNLS: String(pnls),
    IVQA: String(qty), description: line.Description ?? '',
  };
}

function headRecord(b: InvoiceBatch, posted: Row | undefined): M3Record {
  return {
    DIVI: M3_DIVISION, SUNO: b.SUNO, SPYN: b.SUNO, SINO: b.SINO, IVDT: b.IVDT, ACDT: b.ACDT, DUDT: b.DUDT, CUCD: b.CUCD, TEPY: b.TEPY,
    CUAM: String(b.cents / 100), TLNA: String(b.lines.reduce((s, l) => s + l.cents, 0) / 100), PUNO: b.PUNO, AAPD: b.AAPD, SUPA: b.VONO ? '90' : '10',
    VONO: b.VONO ?? '', VSER: b.VONO ? 'AP' : '', YEA4: posted ? String(posted.DistDate ?? posted.InvDate ?? '').slice(0, 4) : '',
  };
}

/** The posted voucher a batch became (SLAptrxps.Ref), also after a restart. */
function posted(ctx: TxContext, inbn: string): Row | undefined {
  return ctx.ido.find('SLAptrxps', (r) => r.Ref === `APS450MI INBN ${inbn}`);
}

/** Lines of a posted voucher, as the ledger holds them (its distributions, not the payable). */
function postedLines(ctx: TxContext, v: Row): Row[] {
  return ctx.ido.rows('SLLedgers').filter((d) => d.VendNum === v.VendNum && d.Voucher === v.Voucher && d.Acct !== v.ApAcct).sort((a, b) => Number(a.TransNum) - Number(b.TransNum));
}

/** A posted batch no longer in memory (the sandbox restarted), read back from the voucher it became. */
function postedHead(ctx: TxContext, v: Row): M3Record {
  const lines = postedLines(ctx, v);
  const vendor = ctx.ido.find('SLVendors', (r) => r.VendNum === v.VendNum);
  return {
    DIVI: M3_DIVISION, SUNO: v.VendNum ?? '', SPYN: v.VendNum ?? '', SINO: v.InvNum ?? '', IVDT: m3Date(v.InvDate), ACDT: m3Date(v.DistDate ?? v.InvDate),
    DUDT: m3Date(v.DueDate), CUCD: vendor?.CurrCode ?? '', CUAM: m3Number(v.InvAmt), TLNA: String(lines.reduce((s, d) => s + cents(Number(d.DomAmount)), 0) / 100),
    PUNO: v.PoNum ?? '', AAPD: m3Date(v.RecordDate), SUPA: '90', VONO: v.Voucher ?? '', VSER: 'AP', YEA4: (v.DistDate ?? v.InvDate ?? '').slice(0, 4),
  };
}

/** An invoice of the supplier is already in the ledger's A/P, entered or posted. */
export const entered = (ctx: TxContext, suno: string, sino: string): boolean =>
  !!(ctx.ido.find('SLAptrxs', (v) => v.VendNum === suno && v.InvNum === sino) ?? ctx.ido.find('SLAptrxps', (v) => v.VendNum === suno && v.InvNum === sino));

export const APS450MI: Program = {
  AddHead: (input, ctx) => {
    const f = parse(addHead, input);
    const vendor = activeSupplier(ctx.ido, f.SUNO);
    // The sandbox has no payees apart from the supplier itself (M3's default).
    if (f.SPYN && f.SPYN !== f.SUNO) throw doesNotExist('SPYN', f.SPYN, 'Payee');
    if (entered(ctx, f.SUNO, f.SINO)) throw alreadyExists('SINO', f.SINO);
    if (f.PUNO) {
      const po = ctx.ido.find('SLPos', (p) => p.PoNum === f.PUNO);
      if (!po) throw doesNotExist('PUNO', f.PUNO);
      if (po.VendNum !== f.SUNO) throw invalid('PUNO', f.PUNO, `belongs to supplier ${po.VendNum ?? ''}, not ${f.SUNO}`);
    }
    const tepy = f.TEPY ?? vendor.TermsCode ?? '';
    const batch: InvoiceBatch = {
      INBN: ctx.state.nextInbn(), SUNO: f.SUNO, SINO: f.SINO, IVDT: f.IVDT, ACDT: f.ACDT ?? f.IVDT, DUDT: f.DUDT ?? addDays(f.IVDT, termsDays(tepy)),
      CUCD: f.CUCD ?? vendor.CurrCode ?? '', TEPY: tepy, cents: cents(f.CUAM ?? 0), PUNO: f.PUNO ?? '', lines: [], AAPD: '', VONO: null,
    };
    ctx.state.invoiceBatches.set(batch.INBN, batch);
    return [{ INBN: batch.INBN }];
  },

  AddLine: (input, ctx) => {
    const f = parse(addLine, input);
    const batch = openBatch(ctx, f.INBN);
    if (f.RDTP !== PO_LINE_TYPE) throw invalid('RDTP', String(f.RDTP), `is not a line type of this company (it books invoice lines matched to a PO line, type ${PO_LINE_TYPE})`);
    const line = poLine(ctx, batch, f);
    const TRNO = batch.lines.length + 1;
    batch.lines.push({ ...line, TRNO });
    return [{ TRNO: String(TRNO) }];
  },

  /** Approves the batch for payment (AAPD, today unless given); a posted or approved batch is refused. */
  ApproveInvoice: (input, ctx) => {
    const f = parse(approve, input);
    const batch = openBatch(ctx, f.INBN);
    if (batch.AAPD) throw blocked('INBN', `Invoice batch ${f.INBN} is already approved (${batch.AAPD})`);
    batch.AAPD = f.AAPD ?? m3Date(idoDate(ctx.clock.date('m3')));
    return [];
  },

  GetHead: (input, ctx) => {
    const { INBN } = parse(byInbn, input);
    const batch = ctx.state.invoiceBatches.get(INBN);
    const voucher = posted(ctx, INBN);
    if (batch) return [headRecord(batch, voucher)];
    if (voucher) return [postedHead(ctx, voucher)];
    throw doesNotExist('INBN', INBN);
  },

  /** The lines of a batch, from TRNO on when given. */
  LstLines: (input, ctx) => {
    const { INBN, TRNO = 0 } = parse(lstLines, input);
    const batch = ctx.state.invoiceBatches.get(INBN);
    if (batch) {
      return batch.lines
        .filter((l) => l.TRNO >= TRNO)
        .map((l) => ({ TRNO: String(l.TRNO), RDTP: String(l.RDTP), NLAM: String(l.cents / 100), PUNO: l.PUNO, PNLI: l.PNLI, PNLS: l.PNLS, IVQA: l.IVQA, CUCD: batch.CUCD }));
    }
    const voucher = posted(ctx, INBN);
    if (!voucher) throw doesNotExist('INBN', INBN);
    return postedLines(ctx, voucher)
      .map((d, i) => ({ TRNO: String(i + 1), RDTP: String(PO_LINE_TYPE), NLAM: m3Number(d.DomAmount), PUNO: voucher.PoNum ?? '' }))
      .filter((l) => Number(l.TRNO) >= TRNO);
  },

  /**
   * Batches of one supplier invoice number, open and posted, by INBN. The sandbox has no payees apart from
   * the supplier itself (M3's default), so SPYN must be the supplier; vouchers entered through the Industrial
   * view have no batch and are not listed.
   */
  LstInvBySupInv: (input, ctx) => {
    const f = parse(bySupplierInvoice, input);
    if (f.SPYN !== f.SUNO) return [];
    const inbns = new Map<string, string>();
    for (const b of ctx.state.invoiceBatches.values()) if (b.SUNO === f.SUNO && b.SINO === f.SINO) inbns.set(b.INBN, b.VONO ? '90' : '10');
    for (const v of ctx.ido.rows('SLAptrxps')) {
      const m = v.VendNum === f.SUNO && v.InvNum === f.SINO ? INBN_REF.exec(v.Ref ?? '') : null;
      if (m) inbns.set(m[1]!, '90');
    }
    return [...inbns].sort(([a], [b]) => Number(a) - Number(b)).map(([INBN, SUPA]) => ({ INBN, SUPA }));
  },
};
