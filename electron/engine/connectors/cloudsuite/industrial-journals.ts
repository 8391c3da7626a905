import crypto from 'node:crypto';
import { z } from 'zod';
import type { GlJournal, GlJournalRecord } from '../../../../shared/domain';
import { ConnectorError } from '../../http/errors';
import { readRecords } from './edge';
import { cents, checkJournal, money, referenceConflict } from './finance-checks';
import { amount, date, idoDay, key, text } from './ido-fields';
import { IdoMethodError, idoString, type IdoClient } from './ido-client';

// GL journals in CloudSuite Industrial, the way the product enters and posts them (the methods and their
// sources are in contracts/cloudsuite-industrial.json): SLJournals.GetJournalDefVarsSp hands out the control
// numbers for the journal and date; ImportJournalEntriesSp enters each line with them and Ferry's reference
// (PRef); GlPostSp3 posts the journal Ferry enters into — a journal of Ferry's own, which the admin sets up —
// up to the journal's date. Posted lines are in SLLedgers under the same reference. Lines go in one at a time
// and in order, so after an interruption the lines already entered are the first ones; the next call checks
// them, adds the rest and posts. A refusal (a closed period, an unbalanced journal) comes back as
// ReturnValue 16 with CloudSuite's reason, and the journal waits in the failures queue with it.

const ENTERED = ['Id', 'Seq', 'TransDate', 'Acct', 'AcctUnit1', 'DomAmount', 'Ref'] as const;
const POSTED = ['TransNum', 'TransDate', 'Acct', 'AcctUnit1', 'DomAmount', 'Ref', 'FromId'] as const;
const entered = z.looseObject({ Id: text, Seq: amount, TransDate: date, Acct: key, AcctUnit1: text, DomAmount: amount, Ref: text });
const posted = z.looseObject({ TransNum: amount, TransDate: date, Acct: key, AcctUnit1: text, DomAmount: amount, Ref: text, FromId: text });

interface Line {
  acct: string;
  costCenter: string | null;
  amount: number;
  date: string | null;
}

export class IndustrialJournals {
  constructor(
    private readonly ido: IdoClient,
    /** The journal (Id) Ferry enters its journals into and posts: one of Ferry's own. */
    private readonly journalId: string,
  ) {}

  async find(reference: string): Promise<GlJournalRecord | null> {
    const ledger = await this.posted(reference);
    if (ledger.length > 0) return toRecord(reference, ledger, true);
    const lines = await this.entered(reference);
    return lines.length === 0 ? null : toRecord(reference, lines, false);
  }

  async post(j: GlJournal): Promise<GlJournalRecord> {
    checkJournal(j);
    const ledger = await this.posted(j.reference);
    if (ledger.length > 0) {
      same(j, ledger);
      return toRecord(j.reference, ledger, true);
    }
    const lines = await this.entered(j.reference);
    same(j, lines);
    if (lines.length === 0) {
      // GlPostSp3 posts the whole journal: a line CloudSuite cannot post (a closed period) would hold up every
      // later posting in it. So the date is checked first, the way the product checks dates (DateChkSp).
      await this.ido.invoke('SLPeriods', 'DateChkSp', { PDate: idoDay(j.date), FieldLabel: 'Transaction Date', FunctionLabel: '@%update' }, { what: `checking the date of journal ${j.reference}`, idempotent: true });
    }
    if (lines.length < j.lines.length) await this.enter(j, lines.length);

    const isPosted = async () => (await this.posted(j.reference)).length > 0;
    try {
      await this.ido.invoke(
        'SLJournals',
        'GlPostSp3',
        { DateOpt: 0, DelOpt: 0, TReadonly: 0, TPostDate: idoDay(j.date), CurId: this.journalId, PSessionID: crypto.randomUUID(), PostThroughDate: idoDay(j.date) },
        { what: `posting journal ${j.reference}`, verifyNotApplied: async () => !(await isPosted()) },
      );
    } catch (err) {
      if (!(err instanceof ConnectorError && err.code === 'write_uncertain' && (await isPosted()))) throw err;
    }
    return toRecord(j.reference, await this.posted(j.reference), true);
  }

  /** Enters lines `from`… with the control numbers CloudSuite hands out for this journal and date. */
  private async enter(j: GlJournal, from: number): Promise<void> {
    const control = await this.ido
      .invoke('SLJournals', 'GetJournalDefVarsSp', { PDate: idoDay(j.date), PId: this.journalId, GetNewNumber: 1 }, { what: `numbering journal ${j.reference}` })
      .catch((err: unknown) => {
        // GetJournalDefVarsSp has no Infobar either: say what it depends on.
        if (!(err instanceof IdoMethodError) || err.infobar) throw err;
        throw new ConnectorError(
          'journal_not_numbered',
          `CloudSuite gave no control number for journal ${j.reference} in journal ${this.journalId} on ${j.date ?? 'its date'}, and no reason. Check that journal ${this.journalId} exists in CloudSuite (or name Ferry's journal with "ferry connect cloudsuite --journal"), then retry.`,
          { system: 'CloudSuite', retryable: false, detail: { method: err.method, returnValue: err.returnValue } },
        );
      });
    for (let i = from; i < j.lines.length; i++) {
      const l = j.lines[i]!;
      const count = async () => (await this.entered(j.reference)).length;
      const inputs = {
        PTransactionDate: idoDay(j.date), PAcct: l.account, PDomAmount: money(cents(l.amount)), PRef: j.reference, JournalID: this.journalId,
        PControlSite: control.DefSite ?? null, PControlYear: control.DefFiscalYear ?? null, PControlPeriod: control.DefPeriod ?? null, PControlNumber: control.DefNumber ?? null,
        PAcctUnit1: l.costCenter,
      };
      try {
        await this.ido.invoke('SLJournals', 'ImportJournalEntriesSp', inputs, { what: `adding line ${i + 1} of journal ${j.reference}`, verifyNotApplied: async () => (await count()) === i });
      } catch (err) {
        if (err instanceof ConnectorError && err.code === 'write_uncertain' && (await count()) === i + 1) continue;
        // ImportJournalEntriesSp has no Infobar (contract): its severity is all CloudSuite says, so Ferry
        // names what the line depends on.
        if (err instanceof IdoMethodError && !err.infobar) throw lineRefused(j, i, this.journalId, err);
        throw err;
      }
    }
  }

  private async entered(reference: string): Promise<Line[]> {
    const rows = await this.ido.loadAll('SLJournals', { properties: ENTERED, filter: `Ref = ${idoString(reference)}`, orderBy: 'Id, Seq', recordCap: 0 });
    return readRecords(entered, rows, 'SLJournals')
      .filter((r) => r.Id === this.journalId)
      .map((r) => ({ acct: r.Acct, costCenter: r.AcctUnit1, amount: r.DomAmount, date: r.TransDate }));
  }

  private async posted(reference: string): Promise<Line[]> {
    const rows = await this.ido.loadAll('SLLedgers', { properties: POSTED, filter: `Ref = ${idoString(reference)}`, orderBy: 'TransNum', recordCap: 0 });
    return readRecords(posted, rows, 'SLLedgers')
      .filter((r) => r.FromId === this.journalId)
      .map((r) => ({ acct: r.Acct, costCenter: r.AcctUnit1, amount: r.DomAmount, date: r.TransDate }));
  }
}

function lineRefused(j: GlJournal, i: number, journalId: string, err: IdoMethodError): ConnectorError {
  const l = j.lines[i]!;
  return new ConnectorError(
    'journal_line_refused',
    `CloudSuite did not take line ${i + 1} of journal ${j.reference} (${money(cents(l.amount))} to account ${l.account}${l.costCenter ? `, cost center ${l.costCenter}` : ''}) and gives no reason. ` +
      `Check that journal ${journalId} exists in CloudSuite, that account ${l.account} is in use${l.costCenter ? ` and takes cost center ${l.costCenter}` : ''}, and that ${j.date ?? 'the date'} is in an open period; then retry.`,
    { system: 'CloudSuite', retryable: false, detail: { method: err.method, returnValue: err.returnValue, line: i + 1 } },
  );
}

/** The lines CloudSuite holds under the reference must be the journal's first ones; anything else is another journal. */
function same(j: GlJournal, lines: Line[]): void {
  if (lines.length > j.lines.length) throw referenceConflict('journal', j.reference, `with ${lines.length} lines, not ${j.lines.length}`);
  lines.forEach((l, i) => {
    const want = j.lines[i]!;
    if (l.acct !== want.account || cents(l.amount) !== cents(want.amount)) {
      throw referenceConflict('journal', j.reference, `its line ${i + 1} books ${money(cents(l.amount))} to ${l.acct}, not ${money(cents(want.amount))} to ${want.account}`);
    }
  });
}

function toRecord(reference: string, lines: Line[], isPosted: boolean): GlJournalRecord {
  return {
    reference,
    lines: lines.map((l) => ({ account: l.acct, costCenter: l.costCenter, project: null, amount: l.amount, description: null, date: l.date })),
    posted: isPosted,
  };
}
