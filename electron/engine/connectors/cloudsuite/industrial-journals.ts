import { z } from 'zod';
import type { GlJournal, GlJournalRecord } from '../../../../shared/domain';
import { ConnectorError } from '../../http/errors';
import { readRecords } from './edge';
import { cents, checkJournal, money, referenceConflict } from './finance-checks';
import { amount, date, idoDay, key, text } from './ido-fields';
import { idoString, type IdoClient } from './ido-client';

// GL journals in CloudSuite Industrial: one SLJournals row per line, all carrying Ferry's reference in Ref,
// then SLJournals.PostJournalBatch(Ref), which posts them only if they balance. Lines go in one at a time and
// in order, so after an interruption the lines already there are the first ones of the journal; the next
// call checks them, adds the rest and posts.

const LINE_PROPERTIES = ['JournalId', 'Seq', 'TransDate', 'Acct', 'AcctUnit1', 'ProjNum', 'DomAmount', 'Ref', 'Description', 'Posted'] as const;
const line = z.looseObject({
  JournalId: text, Seq: amount, TransDate: date, Acct: key, AcctUnit1: text, ProjNum: text, DomAmount: amount, Ref: text, Description: text, Posted: text,
});
type Line = z.output<typeof line>;

export class IndustrialJournals {
  constructor(
    private readonly ido: IdoClient,
    /** The journal Ferry's lines go to (SLJournals.JournalId). */
    private readonly journalId: string,
  ) {}

  async find(reference: string): Promise<GlJournalRecord | null> {
    const lines = await this.lines(reference);
    return lines.length === 0 ? null : toRecord(reference, lines);
  }

  async post(j: GlJournal): Promise<GlJournalRecord> {
    checkJournal(j);
    let lines = await this.lines(j.reference);
    if (lines.length > j.lines.length) throw referenceConflict('journal', j.reference, `with ${lines.length} lines, not ${j.lines.length}`);
    lines.forEach((l, i) => {
      const want = j.lines[i]!;
      if (l.Acct !== want.account || cents(l.DomAmount) !== cents(want.amount)) {
        throw referenceConflict('journal', j.reference, `its line ${i + 1} books ${money(cents(l.DomAmount))} to ${l.Acct}, not ${money(cents(want.amount))} to ${want.account}`);
      }
    });
    if (lines.length > 0 && lines.every((l) => l.Posted === '1')) return toRecord(j.reference, lines);

    for (let i = lines.length; i < j.lines.length; i++) {
      const l = j.lines[i]!;
      const before = i;
      const props = {
        JournalId: this.journalId, TransDate: idoDay(j.date), Acct: l.account, AcctUnit1: l.costCenter, ProjNum: l.project, DomAmount: money(cents(l.amount)),
        Ref: j.reference, Description: l.description ?? j.description,
      };
      // CloudSuite numbers the line (Seq), so the proof is the count of lines under the reference.
      const count = async () => (await this.lines(j.reference)).length;
      try {
        await this.ido.update('SLJournals', { action: 'insert', properties: props }, { what: `adding line ${i + 1} of journal ${j.reference}`, verifyNotApplied: async () => (await count()) === before });
      } catch (err) {
        if (!(err instanceof ConnectorError && err.code === 'write_uncertain' && (await count()) === before + 1)) throw err;
      }
    }

    const posted = async () => {
      const now = await this.lines(j.reference);
      return now.length > 0 && now.every((l) => l.Posted === '1');
    };
    try {
      await this.ido.invoke('SLJournals', 'PostJournalBatch', [j.reference, null], { what: `posting journal ${j.reference}`, verifyNotApplied: async () => !(await posted()) });
    } catch (err) {
      if (!(err instanceof ConnectorError && err.code === 'write_uncertain' && (await posted()))) throw err;
    }
    lines = await this.lines(j.reference);
    return toRecord(j.reference, lines);
  }

  private async lines(reference: string): Promise<Line[]> {
    const rows = await this.ido.loadAll('SLJournals', { properties: LINE_PROPERTIES, filter: `Ref = ${idoString(reference)}`, orderBy: 'JournalId, Seq', recordCap: 0, readOnly: true });
    return readRecords(line, rows, 'SLJournals');
  }
}

function toRecord(reference: string, lines: Line[]): GlJournalRecord {
  return {
    reference,
    lines: lines.map((l) => ({ account: l.Acct, costCenter: l.AcctUnit1, project: l.ProjNum, amount: l.DomAmount, description: l.Description, date: l.TransDate })),
    posted: lines.every((l) => l.Posted === '1'),
  };
}
