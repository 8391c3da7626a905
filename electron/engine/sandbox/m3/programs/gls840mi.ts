import { z } from 'zod';
import { idoDate, idoDecimal } from '../../ido-schema';
import { alreadyExists, blocked, cents, date, decimal, doesNotExist, integer, opt, parse, req } from '../fields';
import { aitOf, aitToIdo, checkAccountingString, checkPeriodOpen } from '../ledger';
import { idoDay } from '../mapping';
import type { GlBatch } from '../state';
import { M3Error, type Program, type TxContext } from '../types';

// GLS840MI, the generic GL interface: AddBatchHead opens a batch under a key (KEY1), AddBatchLine adds lines,
// CtrlBatch checks the whole batch and, when it passes, writes it to SLJournals (JournalId 'GL', Ref = KEY1,
// Posted '0'); UpdBatch then marks those rows posted ('1'), as M3's option 9 follows option 6.
//
// Real AddBatchLine carries each line as one fixed-position PARM string whose layout Infor does not publish;
// the sandbox takes the same content as named fields instead (ACDT, AIT1..AIT7, CUAM signed: debit +,
// credit −, VTXT) and refuses a PARM-only line with a message saying so.

const JOURNAL = 'GL';

const key = { CONO: req(3), KEY1: req(25) };
const addBatchHead = z.object({ ...key, INTN: req(10), DESC: req(40) });
const addBatchLine = z.object({
  ...key, LINE: integer(7), ACDT: date(), AIT1: req(8), AIT2: opt(8), AIT3: opt(8), AIT4: opt(8), AIT5: opt(8), AIT6: opt(8), AIT7: opt(8),
  CUAM: decimal(), VTXT: opt(40),
});
const byKey = z.object(key);

function batchOf(ctx: TxContext, key1: string): GlBatch {
  const batch = ctx.state.glBatches.get(key1);
  if (!batch) throw doesNotExist('KEY1', key1, 'GL batch');
  return batch;
}

function openBatch(ctx: TxContext, key1: string): GlBatch {
  const batch = batchOf(ctx, key1);
  if (batch.status !== 'open') throw blocked('KEY1', `GL batch ${key1} is already controlled`);
  return batch;
}

export const GLS840MI: Program = {
  AddBatchHead: (input, ctx) => {
    const f = parse(addBatchHead, input);
    // A key already used by journal rows counts too: the batches themselves do not survive a restart.
    if (ctx.state.glBatches.has(f.KEY1) || ctx.ido.find('SLJournals', (j) => j.Ref === f.KEY1)) throw alreadyExists('KEY1', f.KEY1);
    ctx.state.glBatches.set(f.KEY1, { KEY1: f.KEY1, INTN: f.INTN, DESC: f.DESC, lines: new Map(), status: 'open', journalRows: [] });
    return [];
  },

  AddBatchLine: (input, ctx) => {
    if (input.PARM && !input.AIT1) {
      throw new M3Error('PARM records are not simulated: send ACDT, AIT1..AIT7, CUAM and VTXT as fields', 'PARM', 'WPA0204');
    }
    const f = parse(addBatchLine, input);
    const batch = openBatch(ctx, f.KEY1);
    if (batch.lines.has(f.LINE)) throw alreadyExists('LINE', String(f.LINE));
    batch.lines.set(f.LINE, { LINE: f.LINE, ACDT: f.ACDT, ait: aitOf(f), cents: cents(f.CUAM), VTXT: f.VTXT ?? '' });
    return [];
  },

  /** Refuses a batch without lines, a line in a closed period or on a bad accounting string, or a batch that does not balance. */
  CtrlBatch: (input, ctx) => {
    const { KEY1 } = parse(byKey, input);
    const batch = openBatch(ctx, KEY1);
    const lines = [...batch.lines.values()].sort((a, b) => a.LINE - b.LINE);
    if (lines.length === 0) throw blocked('KEY1', `GL batch ${KEY1} has no lines`);
    for (const line of lines) {
      try {
        checkPeriodOpen(ctx.ido, line.ACDT, 'ACDT');
        checkAccountingString(ctx.ido, line.ait);
      } catch (err) {
        if (err instanceof M3Error) throw new M3Error(`Line ${line.LINE}: ${err.message}`, err.field, err.code, err.type);
        throw err;
      }
    }
    const debit = lines.filter((l) => l.cents > 0).reduce((s, l) => s + l.cents, 0);
    const credit = lines.filter((l) => l.cents < 0).reduce((s, l) => s - l.cents, 0);
    if (debit !== credit) throw blocked('CUAM', `GL batch ${KEY1} does not balance: debit ${debit / 100}, credit ${credit / 100}`);

    let seq = ctx.ido.rows('SLJournals').reduce((max, j) => (j.JournalId === JOURNAL ? Math.max(max, Number(j.Seq) || 0) : max), 0);
    const now = idoDate(ctx.clock.date('m3'));
    for (const line of lines) {
      const row = ctx.ido.insert('SLJournals', {
        JournalId: JOURNAL, Seq: String(++seq), TransDate: idoDay(line.ACDT), ...aitToIdo(line.ait), DomAmount: idoDecimal(line.cents / 100),
        Ref: KEY1, Description: line.VTXT || batch.DESC, Posted: '0', CreateDate: now,
      });
      batch.journalRows.push(row.RowPointer!);
    }
    batch.status = 'controlled';
    return [{ KEY1, NOLN: String(lines.length) }];
  },

  UpdBatch: (input, ctx) => {
    const { KEY1 } = parse(byKey, input);
    const batch = batchOf(ctx, KEY1);
    if (batch.status !== 'controlled') throw blocked('KEY1', `GL batch ${KEY1} must be controlled (CtrlBatch) before it is updated`);
    for (const rp of batch.journalRows) if (ctx.ido.get('SLJournals', rp)) ctx.ido.update('SLJournals', rp, { Posted: '1' });
    batch.status = 'updated';
    return [];
  },
};
