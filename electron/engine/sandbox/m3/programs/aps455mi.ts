import { z } from 'zod';
import { postVoucher } from '../../books';
import { nextVoucher } from '../../ido-rules';
import { idoDate, idoDecimal } from '../../ido-schema';
import { alreadyExists, blocked, parse, req } from '../fields';
import { AP_ACCOUNT, aitToIdo, checkPeriodOpen } from '../ledger';
import { idoDay } from '../mapping';
import type { Program } from '../types';
import { activeSupplier, entered, openBatch } from './aps450mi';

// APS455MI ValidByBatchNo: validates a supplier invoice batch and, when it passes, posts it: the supplier is
// still active, the batch has lines that add up to the invoice amount, its accounting date is in an open
// period and the supplier invoice number is not in the ledger yet. The posted invoice is a voucher in the
// shared books (books.ts postVoucher: SLAptrxps and SLLedgers), whose number GetHead then shows (VONO).

const byInbn = z.object({ INBN: req(10) });

export const APS455MI: Program = {
  ValidByBatchNo: (input, ctx) => {
    const { INBN } = parse(byInbn, input);
    const batch = openBatch(ctx, INBN);
    activeSupplier(ctx.ido, batch.SUNO);
    if (batch.lines.length === 0) throw blocked('INBN', `Invoice batch ${INBN} has no lines`);
    checkPeriodOpen(ctx.ido, batch.ACDT, 'ACDT');
    const lineCents = batch.lines.reduce((s, l) => s + l.cents, 0);
    if (lineCents !== batch.cents) {
      throw blocked('CUAM', `Invoice ${batch.SINO} is not balanced: invoice amount ${batch.cents / 100}, lines ${lineCents / 100}`);
    }
    if (entered(ctx, batch.SUNO, batch.SINO)) throw alreadyExists('SINO', batch.SINO);

    const voucher = nextVoucher(ctx.ido);
    const now = idoDate(ctx.clock.date('m3'));
    const row = ctx.ido.insert('SLAptrxs', {
      VendNum: batch.SUNO, Voucher: voucher, Type: 'V', InvNum: batch.SINO, InvDate: idoDay(batch.IVDT), DistDate: idoDay(batch.ACDT), InvAmt: idoDecimal(batch.cents / 100),
      PoNum: batch.PUNO || batch.lines.find((l) => l.PUNO)?.PUNO || null, ApAcct: AP_ACCOUNT, DueDate: idoDay(batch.DUDT),
      Ref: `APS450MI INBN ${INBN}`, CreateDate: now,
    });
    const dists = batch.lines.map((l, i) =>
      ctx.ido.insert('SLAptrxds', { VendNum: batch.SUNO, Voucher: voucher, DistSeq: String(i + 1), ...aitToIdo(l.ait), Amount: idoDecimal(l.cents / 100), CreateDate: now }),
    );
    const problem = postVoucher(ctx.ido, row);
    if (problem) {
      // One unit of work: a voucher that cannot post is not left entered.
      for (const d of dists) ctx.ido.delete('SLAptrxds', d.RowPointer!);
      ctx.ido.delete('SLAptrxs', row.RowPointer!);
      throw blocked('INBN', problem);
    }
    batch.VONO = voucher;
    return [];
  },
};
