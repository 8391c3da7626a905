import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import type { GlJournal } from '../../shared/domain';
import { changedKeyPages, type Change } from '../../electron/engine/connectors/cloudsuite/change-pages';
import { readRecords } from '../../electron/engine/connectors/cloudsuite/edge';
import { checkJournal, checkVoucher } from '../../electron/engine/connectors/cloudsuite/finance-checks';
import { key, requiredDate, text } from '../../electron/engine/connectors/cloudsuite/ido-fields';
import { ConnectorError } from '../../electron/engine/http/errors';

// The pure parts of the CloudSuite adapters: validation at the edge, the checks made before sending, and the
// merge of change feeds into pages.

describe('readRecords', () => {
  const po = z.looseObject({ PoNum: key, RecordDate: requiredDate, Buyer: text });

  it('keeps unknown extra fields out of the way and normalises blanks', () => {
    const [row] = readRecords(po, [{ PoNum: 'PO1', RecordDate: '20260201 10:00:00.000', Buyer: '  ', Uf_New: 'x' }], 'SLPos');
    expect(row).toMatchObject({ PoNum: 'PO1', RecordDate: '2026-02-01T10:00:00.000Z', Buyer: null, Uf_New: 'x' });
  });

  it('names a missing required field, and which record, in a typed non-retryable error', () => {
    const err = (() => {
      try {
        readRecords(po, [{ PoNum: 'PO1', RecordDate: '20260201' }, { RecordDate: '20260201' }], 'SLPos');
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err).toMatchObject({ code: 'bad_response', retryable: false, detail: { field: 'PoNum', record: 1 } });
    expect((err as Error).message).toBe('CloudSuite answered SLPos with a record Ferry cannot use: "PoNum" is missing (record 2).');
  });

  it('says a present field is not valid rather than missing', () => {
    expect(() => readRecords(po, [{ PoNum: 'PO1', RecordDate: 'yesterday' }], 'SLPos')).toThrow(/"RecordDate" is not valid/);
  });
});

describe('checks before sending', () => {
  const journal = (amounts: number[]): GlJournal => ({
    reference: 'FERRY:WL-1',
    date: '2026-02-03',
    description: 'Labour',
    lines: amounts.map((amount) => ({ account: '650500', costCenter: 'CC500', project: null, amount, description: null })),
  });

  it('passes a journal that balances to the cent, whatever the floating-point sum says', () => {
    expect(() => checkJournal(journal([0.1, 0.2, -0.3]))).not.toThrow();
  });

  it('refuses an unbalanced or empty journal, or a bad date, with typed errors', () => {
    expect(() => checkJournal(journal([100, -90]))).toThrow(expect.objectContaining({ code: 'journal_unbalanced', retryable: false }));
    expect(() => checkJournal(journal([]))).toThrow(expect.objectContaining({ code: 'journal_unbalanced' }));
    expect(() => checkJournal({ ...journal([1, -1]), date: '2026-02-30' })).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });

  it('refuses a voucher whose distributions miss its amount', () => {
    const v = {
      reference: 'R', vendorNumber: 'V1', invoiceNumber: 'I1', invoiceDate: '2026-02-03', dueDate: null, amount: 10, currency: null, purchaseOrder: null,
      distributions: [{ account: '610100', costCenter: 'CC100', project: null, amount: 9.99, description: null }],
    };
    expect(() => checkVoucher(v)).toThrow(/distributions total 9\.99, the invoice amount is 10\.00/);
  });
});

describe('changedKeyPages', () => {
  async function* feed(changes: [string, string][], source: string): AsyncGenerator<Change> {
    for (const [key, at] of changes) yield { key, at, source };
  }
  async function pages(feeds: AsyncIterable<Change>[], size: number, seen: (c: Change) => boolean = () => false) {
    const out = [];
    for await (const p of changedKeyPages(feeds, size, seen)) out.push(p);
    return out;
  }

  it('merges feeds by time into pages of distinct records, the cursor being the last change consumed', async () => {
    const heads = feed([['A', 't1'], ['C', 't4'], ['D', 't6']], 'head');
    const lines = feed([['A', 't1'], ['B', 't2'], ['B', 't3'], ['A', 't5']], 'lines');
    expect(await pages([heads, lines], 2)).toEqual([
      { keys: ['A', 'B'], upTo: 't2' },
      { keys: ['B', 'C'], upTo: 't4' },
      { keys: ['A', 'D'], upTo: 't6' },
    ]);
  });

  it('skips a change an earlier page already carried', async () => {
    const delivered = new Set(['B@t3', 'A@t5']);
    const lines = feed([['A', 't1'], ['B', 't2'], ['B', 't3'], ['A', 't5']], 'lines');
    expect(await pages([lines], 2, (c) => delivered.has(`${c.key}@${c.at}`))).toEqual([{ keys: ['A', 'B'], upTo: 't2' }]);
  });
});
