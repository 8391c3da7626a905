import { z } from 'zod';
import { date, integer, opt, parse, req } from '../fields';
import { glVouchers } from '../gl-view';
import type { Program } from '../types';

// GLS200MI, the general ledger's transactions (gl-view.ts): LstVouchersByDt lists every line of the vouchers
// dated within FRDT..TODT (the accounting date), LstVoucherLines the lines of one voucher.

const byDates = z.object({ FRDT: date(), TODT: date() });
const byVoucher = z.object({ DIVI: req(3), YEA4: integer(4), VONO: integer(8), VSER: opt(3), JRNO: z.string().optional() });

export const GLS200MI: Program = {
  LstVouchersByDt: (input, { ido }) => {
    const f = parse(byDates, input);
    return glVouchers(ido, f.FRDT, f.TODT).flatMap((v) => v.lines);
  },

  LstVoucherLines: (input, { ido }) => {
    const f = parse(byVoucher, input);
    return glVouchers(ido)
      .filter((v) => Number(v.number) === f.VONO && (!f.VSER || v.series === f.VSER) && (!f.JRNO || Number(f.JRNO) === Number(v.number)))
      .flatMap((v) => v.lines)
      .filter((l) => Number(l.YEA4) === f.YEA4);
  },
};
