import { z } from 'zod';
import type { Row } from '../../ido-filter';
import { doesNotExist, parse, req } from '../fields';
import { m3Date, m3Number, m3Timestamp } from '../mapping';
import { INBN_REF } from '../state';
import { M3_DIVISION, type M3Record, type Program } from '../types';

// APS200MI, supplier invoices as the ledger holds them, whoever entered them (APS450MI, the Industrial view,
// AP by hand in APS100). Real M3 has an APS200MI ("Supplier invoice", the read side of the SupplierInvoice
// BOD), but its transactions are not public; these three are the sandbox's reading, listed in the README's
// "knowingly different":
//   LstChanged  in: LMTS (change stamp, ms since 1970, inclusive)  out: invoice heads by LMTS, SUNO, VONO
//   GetHead     in: SUNO, VONO                                      out: that invoice head
//   LstLines    in: SUNO, VONO                                      out: its accounting lines, in order
// Head fields: SUNO, SINO, VONO, IVDT, DUDT, CUCD, CUAM, PUNO, SUPA (90 approved/posted, 10 entered, the
// APS450MI reading), INBN (the batch it came from, when it came through APS450MI), LMDT, LMTS. M3 keeps no
// free reference on an invoice, so none is returned. Line fields: TRNO, NLAM, AIT1..AIT3, VTXT.

const changedSince = z.object({ LMTS: req(15).regex(/^\d+$/) });
const byVoucher = z.object({ SUNO: req(10), VONO: req(8) });

const text = (v: string | null | undefined): string => (v ?? '').trimEnd();

function headRecord(v: Row): M3Record {
  return {
    DIVI: M3_DIVISION, SUNO: text(v.VendNum), SINO: text(v.InvNum), VONO: text(v.Voucher), IVDT: m3Date(v.InvDate), DUDT: m3Date(v.DueDate),
    CUCD: text(v.CurrCode), CUAM: m3Number(v.InvAmt), PUNO: text(v.PoNum), SUPA: v.Stat === 'P' ? '90' : '10',
    INBN: INBN_REF.exec(v.Ref ?? '')?.[1] ?? '', LMDT: m3Date(v.RecordDate), LMTS: m3Timestamp(v.RecordDate),
  };
}

export const APS200MI: Program = {
  LstChanged: (input, ctx) => {
    const from = Number(parse(changedSince, input).LMTS);
    return ctx.ido
      .rows('SLAptrxs')
      .map(headRecord)
      .filter((r) => Number(r.LMTS) >= from)
      .sort((a, b) => Number(a.LMTS) - Number(b.LMTS) || a.SUNO!.localeCompare(b.SUNO!) || Number(a.VONO) - Number(b.VONO));
  },

  GetHead: (input, ctx) => {
    const f = parse(byVoucher, input);
    const v = ctx.ido.find('SLAptrxs', (r) => r.VendNum === f.SUNO && Number(r.Voucher) === Number(f.VONO));
    if (!v) throw doesNotExist('VONO', `${f.VONO} of supplier ${f.SUNO}`, 'Voucher');
    return [headRecord(v)];
  },

  LstLines: (input, ctx) => {
    const f = parse(byVoucher, input);
    const v = ctx.ido.find('SLAptrxs', (r) => r.VendNum === f.SUNO && Number(r.Voucher) === Number(f.VONO));
    if (!v) throw doesNotExist('VONO', `${f.VONO} of supplier ${f.SUNO}`, 'Voucher');
    return ctx.ido
      .rows('SLAptrxds')
      .filter((d) => d.VendNum === v.VendNum && d.Voucher === v.Voucher)
      .sort((a, b) => Number(a.DistSeq) - Number(b.DistSeq))
      .map((d) => ({
        DIVI: M3_DIVISION, SUNO: text(v.VendNum), VONO: text(v.Voucher), TRNO: text(d.DistSeq), NLAM: m3Number(d.Amount),
        AIT1: text(d.Acct), AIT2: text(d.AcctUnit1), AIT3: text(d.ProjNum), VTXT: text(d.Description),
      }));
  },
};
