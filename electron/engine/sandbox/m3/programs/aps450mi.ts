import { z } from 'zod';
import type { IdoTables } from '../../ido-tables';
import { idoDate, idoDecimal } from '../../ido-schema';
import { alreadyExists, blocked, cents, date, doesNotExist, integer, invalid, mustBeEntered, opt, optDate, optDecimal, optInteger, parse, req } from '../fields';
import { AP_ACCOUNT, aitOf, aitToIdo, checkAccountingString, checkPeriodOpen } from '../ledger';
import { idoDay, m3Date, m3Number } from '../mapping';
import { INBN_REF, type Ait, type InvoiceBatch, type InvoiceLine } from '../state';
import { M3_DIVISION, type M3Record, type Program, type TxContext } from '../types';

// APS450MI, supplier invoice batch: AddHead opens a batch (INBN), AddLine adds lines, ApproveInvoice checks
// the batch and turns it into a voucher the Industrial view sees (SLAptrxs + one SLAptrxds per line).
// GetHead reads a batch back; LstInvBySupInv lists the batches of a supplier invoice number (how a client
// finds an invoice again after a lost answer). Line types (RDTP): 1 = PO line (account from the PO line),
// 8 = accounting line with its own accounting string AIT1..AIT7 (a sandbox reading: real AddLine takes no AIT
// fields and derives the accounting from M3's rules).
//
// Invoice status (SUPA) is the sandbox's reading, not Infor's code list: 10 = entered (batch open),
// 90 = approved (a voucher exists). Approved batches outlive a restart through their voucher (SLAptrxs.Ref).

const ait = { AIT1: opt(8), AIT2: opt(8), AIT3: opt(8), AIT4: opt(8), AIT5: opt(8), AIT6: opt(8), AIT7: opt(8) };

const addHead = z.object({
  SUNO: req(10), IVDT: date(), SINO: req(24), CUCD: opt(3), TEPY: opt(4), CUAM: optDecimal(), ACDT: optDate(), DUDT: optDate(), PUNO: opt(10),
});
const addLine = z.object({
  INBN: req(10), RDTP: integer(1), NLAM: optDecimal(), PUNO: opt(10), PNLI: optInteger(5), PNLS: optInteger(3), IVQA: optDecimal(), ...ait,
});
const byInbn = z.object({ INBN: req(10) });
const bySupplierInvoice = z.object({ SPYN: req(10), SUNO: req(10), SINO: req(24) });

function activeSupplier(ido: IdoTables, suno: string) {
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

function openBatch(ctx: TxContext, inbn: string): InvoiceBatch {
  const batch = ctx.state.invoiceBatches.get(inbn);
  if (!batch) throw doesNotExist('INBN', inbn);
  if (batch.VONO) throw blocked('INBN', `Invoice batch ${inbn} is already approved (voucher ${batch.VONO})`);
  return batch;
}

/** RDTP 1: the PO line decides quantity, price, account and project. */
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
  const lineAit: Ait = [line.NonInvAcct ?? '', line.NonInvAcctUnit1 ?? '', po.Uf_ProjNum ?? '', '', '', '', ''];
  checkAccountingString(ctx.ido, lineAit);
  return {
    RDTP: 1, cents: cents(f.NLAM ?? qty * Number(line.ItemCost)), ait: lineAit, PUNO: puno, PNLI: String(f.PNLI), PNLS: String(pnls),
    IVQA: String(qty), description: line.Description ?? '',
  };
}

/** RDTP 8: an amount on an accounting string. */
function accountingLine(ctx: TxContext, f: z.output<typeof addLine>): Omit<InvoiceLine, 'TRNO'> {
  if (f.NLAM === undefined) throw mustBeEntered('NLAM');
  const lineAit = aitOf(f);
  checkAccountingString(ctx.ido, lineAit);
  const chart = ctx.ido.find('SLCharts', (r) => r.Acct === lineAit[0]);
  return { RDTP: 8, cents: cents(f.NLAM), ait: lineAit, PUNO: '', PNLI: '', PNLS: '', IVQA: '', description: chart?.Description ?? '' };
}

function headRecord(b: InvoiceBatch): M3Record {
  return {
    DIVI: M3_DIVISION, INBN: b.INBN, SUNO: b.SUNO, SINO: b.SINO, IVDT: b.IVDT, ACDT: b.ACDT, DUDT: b.DUDT, CUCD: b.CUCD, TEPY: b.TEPY,
    CUAM: String(b.cents / 100), PUNO: b.PUNO, NOLN: String(b.lines.length), VONO: b.VONO ?? '', SUPA: b.VONO ? '90' : '10',
  };
}

/** An approved batch no longer in memory (the sandbox restarted), read back from the voucher it became. */
function approvedHead(ctx: TxContext, inbn: string): M3Record | null {
  const v = ctx.ido.find('SLAptrxs', (r) => r.Ref === `APS450MI INBN ${inbn}`);
  if (!v) return null;
  const lines = ctx.ido.rows('SLAptrxds').filter((d) => d.VendNum === v.VendNum && d.Voucher === v.Voucher).length;
  return {
    DIVI: M3_DIVISION, INBN: inbn, SUNO: v.VendNum ?? '', SINO: v.InvNum ?? '', IVDT: m3Date(v.InvDate), ACDT: m3Date(v.InvDate), DUDT: m3Date(v.DueDate),
    CUCD: v.CurrCode ?? '', TEPY: '', CUAM: m3Number(v.InvAmt), PUNO: v.PoNum ?? '', NOLN: String(lines), VONO: v.Voucher ?? '', SUPA: '90',
  };
}

export const APS450MI: Program = {
  AddHead: (input, ctx) => {
    const f = parse(addHead, input);
    const vendor = activeSupplier(ctx.ido, f.SUNO);
    if (ctx.ido.find('SLAptrxs', (v) => v.VendNum === f.SUNO && v.InvNum === f.SINO)) throw alreadyExists('SINO', f.SINO);
    if (f.PUNO) {
      const po = ctx.ido.find('SLPos', (p) => p.PoNum === f.PUNO);
      if (!po) throw doesNotExist('PUNO', f.PUNO);
      if (po.VendNum !== f.SUNO) throw invalid('PUNO', f.PUNO, `belongs to supplier ${po.VendNum ?? ''}, not ${f.SUNO}`);
    }
    const tepy = f.TEPY ?? vendor.TermsCode ?? '';
    const batch: InvoiceBatch = {
      INBN: ctx.state.nextInbn(), SUNO: f.SUNO, SINO: f.SINO, IVDT: f.IVDT, ACDT: f.ACDT ?? f.IVDT, DUDT: f.DUDT ?? addDays(f.IVDT, termsDays(tepy)),
      CUCD: f.CUCD ?? vendor.CurrCode ?? '', TEPY: tepy, cents: cents(f.CUAM ?? 0), PUNO: f.PUNO ?? '', lines: [], VONO: null,
    };
    ctx.state.invoiceBatches.set(batch.INBN, batch);
    return [{ DIVI: M3_DIVISION, INBN: batch.INBN }];
  },

  AddLine: (input, ctx) => {
    const f = parse(addLine, input);
    const batch = openBatch(ctx, f.INBN);
    let line: Omit<InvoiceLine, 'TRNO'>;
    if (f.RDTP === 1) line = poLine(ctx, batch, f);
    else if (f.RDTP === 8) line = accountingLine(ctx, f);
    else throw invalid('RDTP', String(f.RDTP), 'is invalid (the sandbox takes 1 = PO line, 8 = accounting line)');
    const TRNO = batch.lines.length + 1;
    batch.lines.push({ ...line, TRNO });
    return [{ DIVI: M3_DIVISION, INBN: batch.INBN, TRNO: String(TRNO) }];
  },

  /**
   * Checks the supplier is still active, the accounting date's period is open and the lines add up to the
   * invoice total; then writes the voucher. Returns INBN and VONO (real M3 returns no fields here).
   */
  ApproveInvoice: (input, ctx) => {
    const { INBN } = parse(byInbn, input);
    const batch = openBatch(ctx, INBN);
    const vendor = activeSupplier(ctx.ido, batch.SUNO);
    if (batch.lines.length === 0) throw blocked('INBN', `Invoice batch ${INBN} has no lines`);
    checkPeriodOpen(ctx.ido, batch.ACDT, 'ACDT');
    const lineCents = batch.lines.reduce((s, l) => s + l.cents, 0);
    if (lineCents !== batch.cents) {
      throw blocked('CUAM', `Invoice ${batch.SINO} is not balanced: invoice amount ${batch.cents / 100}, lines ${lineCents / 100}`);
    }
    if (ctx.ido.find('SLAptrxs', (v) => v.VendNum === batch.SUNO && v.InvNum === batch.SINO)) throw alreadyExists('SINO', batch.SINO);

    const voucher = String(ctx.ido.rows('SLAptrxs').reduce((max, v) => Math.max(max, Number(v.Voucher) || 0), 0) + 1);
    const now = idoDate(ctx.clock.date('m3'));
    ctx.ido.insert('SLAptrxs', {
      VendNum: batch.SUNO, Voucher: voucher, Type: 'V', InvNum: batch.SINO, InvDate: idoDay(batch.IVDT), InvAmt: idoDecimal(batch.cents / 100),
      PoNum: batch.PUNO || batch.lines.find((l) => l.PUNO)?.PUNO || null, ApAcct: AP_ACCOUNT, ApAcctUnit1: null, ApAcctUnit2: null,
      ApAcctUnit3: null, ApAcctUnit4: null, DueDate: idoDay(batch.DUDT), CurrCode: batch.CUCD || vendor.CurrCode || null,
      Ref: `APS450MI INBN ${INBN}`, Stat: 'P', CreateDate: now,
    });
    batch.lines.forEach((l, i) =>
      ctx.ido.insert('SLAptrxds', {
        VendNum: batch.SUNO, Voucher: voucher, DistSeq: String(i + 1), ...aitToIdo(l.ait), Amount: idoDecimal(l.cents / 100),
        Description: l.description || null, CreateDate: now,
      }),
    );
    batch.VONO = voucher;
    return [{ DIVI: M3_DIVISION, INBN, VONO: voucher }];
  },

  GetHead: (input, ctx) => {
    const { INBN } = parse(byInbn, input);
    const batch = ctx.state.invoiceBatches.get(INBN);
    const record = batch ? headRecord(batch) : approvedHead(ctx, INBN);
    if (!record) throw doesNotExist('INBN', INBN);
    return [record];
  },

  /**
   * Batches of one supplier invoice number, open and approved, by INBN. The sandbox has no payees apart from
   * the supplier itself (M3's default), so SPYN must be the supplier. Out: INBN, IBTP, SUPA (real M3's
   * fields); vouchers entered through the Industrial view have no batch and are not listed.
   */
  LstInvBySupInv: (input, ctx) => {
    const f = parse(bySupplierInvoice, input);
    if (f.SPYN !== f.SUNO) return [];
    const inbns = new Map<string, string>();
    for (const b of ctx.state.invoiceBatches.values()) if (b.SUNO === f.SUNO && b.SINO === f.SINO) inbns.set(b.INBN, b.VONO ? '90' : '10');
    for (const v of ctx.ido.rows('SLAptrxs')) {
      const m = v.VendNum === f.SUNO && v.InvNum === f.SINO ? INBN_REF.exec(v.Ref ?? '') : null;
      if (m) inbns.set(m[1]!, '90');
    }
    return [...inbns]
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([INBN, SUPA]) => ({ DIVI: M3_DIVISION, INBN, IBTP: '', SUPA }));
  },
};
