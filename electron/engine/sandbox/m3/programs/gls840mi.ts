import { z } from 'zod';
import { addLedgerLines } from '../../books';
import { idoDate, idoDecimal } from '../../ido-schema';
import { alreadyExists, blocked, cents, doesNotExist, integer, isM3Date, parse, req } from '../fields';
import { parseParm, SANDBOX_GL_INTERFACE } from '../gl-parm';
import { aitToIdo, checkAccountingString, checkPeriodOpen } from '../ledger';
import { idoDay } from '../mapping';
import type { GlBatch } from '../state';
import { M3_COMPANY, M3Error, type Program, type TxContext } from '../types';

// GLS840MI, the generic GL interface: AddBatchHead opens a batch under a key (KEY1) for an interface (INTN),
// AddBatchLine adds a line as one PARM string in the interface's layout (gl-parm.ts: the sandbox tenant's
// own, as every tenant has its own), CtrlBatch checks the whole batch and, when it passes, writes it to
// SLJournals (Id 'GL', Ref = KEY1); UpdBatch then posts those entries to the ledger (SLLedgers), as M3's
// option 9 follows option 6. The sandbox tenant has one interface, FERRY, set up for Ferry.

const JOURNAL = 'GL';

const key = { CONO: req(3), KEY1: req(25) };
const addBatchHead = z.object({ ...key, INTN: req(10), DESC: req(40) });
const addBatchLine = z.object({ ...key, LINE: integer(7), PARM: req(1000) });
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
    if (f.INTN !== SANDBOX_GL_INTERFACE) throw doesNotExist('INTN', f.INTN, 'Interface');
    // A key already used by journal rows counts too: the batches themselves do not survive a restart.
    const used = ctx.ido.find('SLJournals', (j) => j.Ref === f.KEY1) ?? ctx.ido.find('SLLedgers', (l) => l.FromId === JOURNAL && l.Ref === f.KEY1);
    if (ctx.state.glBatches.has(f.KEY1) || used) throw alreadyExists('KEY1', f.KEY1);
    ctx.state.glBatches.set(f.KEY1, { KEY1: f.KEY1, INTN: f.INTN, DESC: f.DESC, lines: new Map(), status: 'open', journalRows: [] });
    return [{ CONO: M3_COMPANY }];
  },

  AddBatchLine: (input, ctx) => {
    const f = parse(addBatchLine, input);
    const line = parseParm(f.PARM);
    if (!isM3Date(line.ACDT)) throw new M3Error(`Parameter value (PARM): accounting date ${line.ACDT} does not exist`, 'PARM', 'WPA0204');
    const batch = openBatch(ctx, f.KEY1);
    if (batch.lines.has(f.LINE)) throw alreadyExists('LINE', String(f.LINE));
    batch.lines.set(f.LINE, { LINE: f.LINE, ACDT: line.ACDT, ait: line.ait, cents: cents(Number(line.cuam)), VTXT: line.VTXT });
    return [{ CONO: M3_COMPANY }];
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

    let seq = ctx.ido.rows('SLJournals').reduce((max, j) => (j.Id === JOURNAL ? Math.max(max, Number(j.Seq) || 0) : max), 0);
    const now = idoDate(ctx.clock.date('m3'));
    for (const line of lines) {
      const row = ctx.ido.insert('SLJournals', {
        Id: JOURNAL, Seq: String(++seq), TransDate: idoDay(line.ACDT), ...aitToIdo(line.ait), DomAmount: idoDecimal(line.cents / 100),
        Ref: KEY1, CreateDate: now,
      });
      batch.journalRows.push(row.RowPointer!);
    }
    batch.status = 'controlled';
    return [{ CONO: M3_COMPANY }];
  },

  UpdBatch: (input, ctx) => {
    const { KEY1 } = parse(byKey, input);
    const batch = batchOf(ctx, KEY1);
    if (batch.status !== 'controlled') throw blocked('KEY1', `GL batch ${KEY1} must be controlled (CtrlBatch) before it is updated`);
    // Updated: the batch's entries move to the ledger.
    const rows = batch.journalRows.map((rp) => ctx.ido.get('SLJournals', rp)).filter((r): r is NonNullable<typeof r> => !!r);
    addLedgerLines(
      ctx.ido,
      rows.map((r) => ({ acct: r.Acct!, units: [r.AcctUnit1, r.AcctUnit2, r.AcctUnit3, r.AcctUnit4], cents: Math.round(Number(r.DomAmount) * 100), ref: r.Ref ?? null, transDate: r.TransDate!, fromId: JOURNAL })),
    );
    for (const r of rows) ctx.ido.delete('SLJournals', r.RowPointer!);
    batch.status = 'updated';
    return [{ CONO: M3_COMPANY }];
  },
};
