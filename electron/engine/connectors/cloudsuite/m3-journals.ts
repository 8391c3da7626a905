import type { GlJournal, GlJournalRecord } from '../../../../shared/domain';
import { ConnectorError } from '../../http/errors';
import { checkJournal, notSupported } from './finance-checks';
import type { M3Client } from './m3-client';
import { buildParm, parseParmTemplate } from './m3-gl-parm';

// GL journals in CloudSuite M3 through the generic GL interface GLS840MI: AddBatchHead under Ferry's reference
// (KEY1) for the interface set up for Ferry (INTN), AddBatchLine per line carrying the line as PARM in the
// tenant's own layout (m3-gl-parm.ts; Ferry posts nothing until the layout is set), CtrlBatch (M3 checks
// periods, accounts and balance and writes the batch), UpdBatch (posts it). Every PARM is built before the
// first request, so a line that does not fit the layout leaves nothing behind. GLS840MI has no transaction
// that reads a batch back, so a lost answer cannot be settled by looking: the write is not repeated (the
// HTTP layer reports it as uncertain), and M3's own rule that a key is used once (AddBatchHead refuses a KEY1
// it has seen) is what keeps a journal from being posted twice.

export class M3Journals {
  constructor(
    private readonly m3: M3Client,
    private readonly o: { glInterface: string; glParm: string | undefined },
  ) {}

  async post(j: GlJournal): Promise<GlJournalRecord> {
    checkJournal(j);
    if (!this.o.glParm) {
      throw new ConnectorError(
        'not_set_up',
        `Ferry posts no GL journal to CloudSuite M3 until it knows the PARM layout of GLS840MI interface ${this.o.glInterface}, which each tenant defines: ask your M3 administrator for it and set it with "ferry connect cloudsuite --m3-gl-parm TEMPLATE" (see docs/m3-gl-parm.md). Journal ${j.reference} was not sent.`,
        { system: 'CloudSuite', retryable: false },
      );
    }
    const parts = parseParmTemplate(this.o.glParm);
    const parms = j.lines.map((_, i) => buildParm(parts, j, i));
    const KEY1 = j.reference;
    await this.m3.write('GLS840MI', 'AddBatchHead', { KEY1, INTN: this.o.glInterface, DESC: j.description.slice(0, 40) }, { what: `opening GL batch ${j.reference}` });
    for (const [i, PARM] of parms.entries()) {
      await this.m3.write('GLS840MI', 'AddBatchLine', { KEY1, LINE: i + 1, PARM }, { what: `adding line ${i + 1} of GL batch ${j.reference}` });
    }
    await this.m3.write('GLS840MI', 'CtrlBatch', { KEY1 }, { what: `checking GL batch ${j.reference}` });
    await this.m3.write('GLS840MI', 'UpdBatch', { KEY1 }, { what: `posting GL batch ${j.reference}` });
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
