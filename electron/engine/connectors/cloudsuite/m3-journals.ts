import type { GlJournal, GlJournalRecord } from '../../../../shared/domain';
import { cents, checkJournal, money, notSupported } from './finance-checks';
import { chunks, m3Day, type M3Client } from './m3-client';

// GL journals in CloudSuite M3 through the generic GL interface GLS840MI: AddBatchHead under Ferry's reference
// (KEY1), AddBatchLine per line (in bulk requests), CtrlBatch (M3 checks periods, accounts and balance and
// writes the batch), UpdBatch (posts it). GLS840MI has no transaction that reads a batch back, so a lost
// answer cannot be settled by looking: the write is not repeated (the HTTP layer reports it as uncertain),
// and M3's own rule that a key is used once (AddBatchHead refuses a KEY1 it has seen) is what keeps a
// journal from being posted twice. The sandbox takes lines as named fields; real M3 wants the tenant's PARM
// layout, which Infor does not publish.

export class M3Journals {
  constructor(
    private readonly m3: M3Client,
    private readonly o: { division: string | undefined; glInterface: string },
  ) {}

  async post(j: GlJournal): Promise<GlJournalRecord> {
    checkJournal(j);
    const keyed = { DIVI: this.o.division, KEY1: j.reference };
    await this.m3.write('GLS840MI', 'AddBatchHead', { ...keyed, INTN: this.o.glInterface, DESC: j.description.slice(0, 40) }, { what: `opening GL batch ${j.reference}` });
    const numbered = j.lines.map((l, i) => ({ ...l, LINE: i + 1 }));
    for (const part of chunks(numbered)) {
      const records = part.map((l) => ({
        transaction: 'AddBatchLine',
        record: { ...keyed, LINE: l.LINE, ACDT: m3Day(j.date), AIT1: l.account, AIT2: l.costCenter, AIT3: l.project, CUAM: money(cents(l.amount)), VTXT: (l.description ?? j.description).slice(0, 40) },
      }));
      const results = await this.m3.bulk('GLS840MI', records, { what: `adding the lines of GL batch ${j.reference}` });
      const refused = results.find((r) => r.error);
      if (refused?.error) throw refused.error;
    }
    await this.m3.write('GLS840MI', 'CtrlBatch', keyed, { what: `checking GL batch ${j.reference}` });
    await this.m3.write('GLS840MI', 'UpdBatch', keyed, { what: `posting GL batch ${j.reference}` });
    const date = new Date(`${j.date}T00:00:00Z`).toISOString();
    return { reference: j.reference, lines: j.lines.map((l) => ({ ...l, date })), posted: true };
  }

  find(_reference: string): Promise<GlJournalRecord | null> {
    return Promise.reject(
      notSupported(
        'CloudSuite M3 cannot read a GL batch back through its API (GLS840MI only adds, checks and posts batches). M3 refuses a second batch with the same reference, which is what keeps a journal from posting twice.',
      ),
    );
  }
}
