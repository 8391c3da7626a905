import { z } from 'zod';
import { doesNotExist, integer, parse } from '../fields';
import { glVouchers } from '../gl-view';
import { m3Date, m3Number } from '../mapping';
import { M3_COMPANY, M3_DIVISION, type Program } from '../types';

// APS200MI GetInvoice: the supplier invoice behind a journal entry (YEA4, JRNO, JSNO). In the sandbox's ledger
// (gl-view.ts) that is the payable line of an A/P voucher, the line on the invoice's A/P account; any other
// line, a cost line or a journal's, has no supplier invoice and is refused.

const byEntry = z.object({ YEA4: integer(4), JRNO: integer(7), JSNO: integer(7) });

export const APS200MI: Program = {
  GetInvoice: (input, { ido }) => {
    const f = parse(byEntry, input);
    for (const v of glVouchers(ido)) {
      if (Number(v.number) !== f.JRNO || !v.invoice) continue;
      const line = v.lines.find((l) => Number(l.JSNO) === f.JSNO && Number(l.YEA4) === f.YEA4);
      if (!line || line.AIT1 !== v.invoice.ApAcct) continue;
      const inv = v.invoice;
      return [
        {
          CONO: M3_COMPANY, DIVI: M3_DIVISION, YEA4: line.YEA4!, JRNO: line.JRNO!, JSNO: line.JSNO!, SUNO: inv.VendNum ?? '', SPYN: inv.VendNum ?? '',
          SINO: inv.InvNum ?? '', VSER: v.series, VONO: v.number, IVDT: m3Date(inv.InvDate), DUDT: m3Date(inv.DueDate), ACDT: m3Date(inv.DistDate ?? inv.InvDate),
          CUCD: line.CUCD!, CUAM: m3Number(inv.InvAmt),
        },
      ];
    }
    throw doesNotExist('JSNO', `${f.YEA4}/${f.JRNO}/${f.JSNO}`, 'Supplier invoice for journal entry');
  },
};
