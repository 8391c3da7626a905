import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApVoucher, GlJournal } from '../../shared/domain';
import { IdoError } from '../../electron/engine/connectors/cloudsuite/ido-client';
import { M3Error } from '../../electron/engine/connectors/cloudsuite/m3-client';
import { ConnectorError } from '../../electron/engine/http/errors';
import { sandboxDay, startCloudSuite, type CloudSuiteHarness, type Product } from '../helpers/cloudsuite';

// What keeps money right when the network is not: a voucher whose insert (or approval, or posting) CloudSuite
// applied but whose answer was cut off half-way (the sandbox truncates the body after the handler ran) is
// never entered twice; and refusals that arrive in an HTTP 200 body are typed, not retried.

/** M3 books an invoice line only through the PO line it pays: there the two lines pay the first two lines of an open PO. */
function m3Po(h: CloudSuiteHarness) {
  const ido = h.sandbox.runtime().ido;
  const lines = (po: string) => ido.rows('SLPoItems').filter((l) => l.PoNum === po).sort((a, b) => Number(a.PoLine) - Number(b.PoLine));
  const po = ido.rows('SLPos').find((p) => p.Stat === 'O' && !p.Uf_ProjNum && ido.find('SLVendors', (v) => v.VendNum === p.VendNum)?.Stat === 'A' && lines(p.PoNum!).length >= 2)!;
  return { po: po.PoNum!, vendor: po.VendNum!, lines: lines(po.PoNum!).slice(0, 2).map((l) => Number(l.PoLine)) };
}

const voucher = (h: CloudSuiteHarness, tag: string): ApVoucher => {
  const m3 = h.product === 'm3' ? m3Po(h) : null;
  const paying = (i: number) => (m3 ? { purchaseOrderLine: { number: m3.po, line: m3.lines[i]!, release: 0, quantity: 1 } } : {});
  return {
    reference: `FERRY:JAG-INV-${tag}`,
    vendorNumber: m3?.vendor ?? h.sandbox.runtime().ido.rows('SLVendors').find((v) => v.Stat === 'A')!.VendNum!,
    invoiceNumber: `JAG-${tag}`,
    invoiceDate: sandboxDay(h.sandbox),
    dueDate: null,
    amount: 310.25,
    currency: null,
    purchaseOrder: m3?.po ?? null,
    distributions: [
      { account: '630200', costCenter: 'CC200', project: null, amount: 300, description: 'Bearings', ...paying(0) },
      { account: '640100', costCenter: 'CC600', project: null, amount: 10.25, description: 'Freight', ...paying(1) },
    ],
  };
};

const cases: { product: Product; system: 'ido' | 'm3'; path: string; step: string; tag: string }[] = [
  { product: 'industrial', system: 'ido', path: '/update/SLAptrxs', step: 'the SLAptrxs insert', tag: 'I1' },
  { product: 'industrial', system: 'ido', path: '/invoke/SLAptrxs?method=AptrxpSp', step: 'AptrxpSp (posting)', tag: 'I2' },
  { product: 'industrial', system: 'ido', path: '/update/SLAptrxds', step: 'a distribution insert', tag: 'I3' },
  { product: 'm3', system: 'm3', path: '/APS450MI/AddHead', step: 'AddHead', tag: 'M1' },
  { product: 'm3', system: 'm3', path: '/APS450MI/AddLine', step: 'AddLine', tag: 'M2' },
  { product: 'm3', system: 'm3', path: '/APS450MI/ApproveInvoice', step: 'ApproveInvoice', tag: 'M3' },
  { product: 'm3', system: 'm3', path: '/APS455MI/ValidByBatchNo', step: 'ValidByBatchNo (posting)', tag: 'M4' },
];

describe.each(['industrial', 'm3'] as const)('CloudSuite %s: lost answers and refusals', (product) => {
  let h: CloudSuiteHarness;
  beforeAll(async () => {
    h = await startCloudSuite(product, { poCount: 12, seed: 23 });
  });
  afterAll(() => h.close());
  const rows = (ido: string) => h.sandbox.runtime().ido.rows(ido);
  /** Runs a call while the sandbox cuts off the answers of one path, then stops: the call's result, or its error. */
  async function cutOff<T>(system: 'ido' | 'm3', path: string, call: () => Promise<T>): Promise<T | unknown> {
    h.sandbox.faults.set({ rules: [{ system, path, truncateRate: 1 }] });
    try {
      return await call();
    } catch (err) {
      return err;
    } finally {
      h.sandbox.faults.clear();
    }
  }

  it.each(cases.filter((c) => c.product === product))('never enters a voucher twice when the connection drops after $step was applied', async ({ system, path, tag }) => {
    const v = voucher(h, tag);
    // Entered (SLAptrxs) or posted (SLAptrxps): one voucher in all, wherever it is.
    const mine = () => [...rows('SLAptrxs'), ...rows('SLAptrxps')].filter((r) => r.VendNum === v.vendorNumber && r.InvNum === v.invoiceNumber);
    const truncatedBefore = h.sandbox.faults.injected.truncate ?? 0;

    const outcome = await cutOff(system, path, () => h.adapter.createApVoucher(v));
    expect(h.sandbox.faults.injected.truncate ?? 0).toBeGreaterThan(truncatedBefore);

    // Exactly one voucher; the adapter either settled the lost answer by looking, or said it is unsure.
    expect(mine()).toHaveLength(1);
    if (product === 'industrial') expect(mine()[0]!.Ref).toBe(v.reference);
    if (outcome instanceof Error) expect(outcome).toMatchObject({ code: 'write_uncertain', retryable: true });
    else expect(outcome).toMatchObject({ voucherNumber: mine()[0]!.Voucher, posted: true });

    // The next run (a new connection) finds it instead of entering it again, and completes it if need be.
    const count = rows('SLAptrxs').length + rows('SLAptrxps').length;
    const again = await h.reconnect().adapter.createApVoucher(v);
    expect(again).toMatchObject({ voucherNumber: mine()[0]!.Voucher, posted: true });
    expect(rows('SLAptrxs').length + rows('SLAptrxps').length).toBe(count);
    // Posted once: among the posted vouchers, its distributions in the ledger once.
    const [posted, ...more] = rows('SLAptrxps').filter((r) => r.VendNum === v.vendorNumber && r.InvNum === v.invoiceNumber);
    expect(more).toEqual([]);
    const lines = rows('SLLedgers').filter((d) => d.VendNum === v.vendorNumber && d.Voucher === posted!.Voucher && d.Acct !== posted!.ApAcct);
    expect(lines.map((d) => Number(d.DomAmount))).toEqual([300, 10.25]);
    expect(await h.adapter.findVoucherByReference(v)).toMatchObject({ voucherNumber: mine()[0]!.Voucher, posted: true });
  });

  const journal = (reference: string): GlJournal => ({
    reference,
    date: sandboxDay(h.sandbox),
    description: 'Labour',
    lines: [
      { account: '650500', costCenter: 'CC500', project: null, amount: 480, description: null },
      { account: '215000', costCenter: null, project: null, amount: -480, description: null },
    ],
  });
  /** A journal's lines wherever they are: entered (SLJournals) or posted (SLLedgers). */
  const journalRows = (reference: string) => [...rows('SLJournals'), ...rows('SLLedgers')].filter((r) => r.Ref === reference);

  it.runIf(product === 'industrial')('posts a journal once when the answer to a line entry is lost: the line count settles it', async () => {
    const j = journal('FERRY:WL-LOST-1');
    const outcome = await cutOff('ido', '/invoke/SLJournals?method=ImportJournalEntriesSp', () => h.adapter.postGlJournal(j));
    if (outcome instanceof Error) expect(outcome).toMatchObject({ code: 'write_uncertain' });
    const rec = await h.reconnect().adapter.postGlJournal(j);
    expect(rec.posted).toBe(true);
    expect(rows('SLLedgers').filter((r) => r.Ref === j.reference).map((r) => Number(r.DomAmount))).toEqual([480, -480]);
    expect(rows('SLJournals').filter((r) => r.Ref === j.reference)).toEqual([]);
  });

  it.runIf(product === 'industrial')('posts a journal once when the answer to GlPostSp3 is lost: the ledger settles it', async () => {
    const j = journal('FERRY:WL-LOST-3');
    const outcome = await cutOff('ido', '/invoke/SLJournals?method=GlPostSp3', () => h.adapter.postGlJournal(j));
    expect(h.sandbox.faults.injected.truncate).toBeGreaterThan(0);
    // The posting happened; the adapter either saw it in the ledger, or said it was unsure.
    if (outcome instanceof Error) expect(outcome).toMatchObject({ code: 'write_uncertain' });
    else expect(outcome).toMatchObject({ posted: true });
    expect(await h.reconnect().adapter.postGlJournal(j)).toMatchObject({ posted: true });
    expect(rows('SLLedgers').filter((r) => r.Ref === j.reference).map((r) => Number(r.DomAmount))).toEqual([480, -480]);
  });

  it.runIf(product === 'm3')('reports a lost GLS840MI answer as uncertain and never resends it; M3 refuses the reference again, so lines exist once', async () => {
    const j = journal('FERRY:WL-LOST-2');
    h.sandbox.faults.set({ rules: [{ system: 'm3', path: '/GLS840MI/CtrlBatch', truncateRate: 1 }] });
    const err = await h.adapter.postGlJournal(j).catch((e: unknown) => e);
    h.sandbox.faults.clear();
    expect(err).toMatchObject({ code: 'write_uncertain', retryable: true });
    expect(journalRows(j.reference)).toHaveLength(2);
    await expect(h.reconnect().adapter.postGlJournal(j)).rejects.toMatchObject({ program: 'GLS840MI', transaction: 'AddBatchHead', field: 'KEY1', retryable: false });
    expect(journalRows(j.reference)).toHaveLength(2);
  });

  it.runIf(product === 'industrial')('turns Success:false on HTTP 200 into IdoError, not retried', async () => {
    const ido = h.link.ido!;
    const before = h.sandbox.stats.count({ system: 'ido' });
    // A name outside the contract (Ferry's types forbid it; a typo in a customer's field setting would send one).
    const err = await ido.loadPage('SLPos', { properties: ['PoNum', 'NoSuchProperty' as never] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IdoError);
    expect(err).toMatchObject({ code: 'ido_error', retryable: false, ido: 'SLPos' });
    expect((err as Error).message).toMatch(/NoSuchProperty/);
    expect(h.sandbox.stats.count({ system: 'ido' })).toBe(before + 1);

    const refused = await ido.update('SLAptrxs', { action: 'insert', properties: { VendNum: 'NOPE', Voucher: 1, InvNum: 'X-1', InvDate: '20260101 00:00:00.000', InvAmt: '1' } }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(IdoError);
    expect(refused).toMatchObject({ retryable: false });
    expect((refused as Error).message).toMatch(/Vendor NOPE does not exist/);
  });

  it.runIf(product === 'm3')('turns errorMessage / nrOfFailedTransactions on HTTP 200 into M3Error with program, transaction and field, not retried', async () => {
    const m3 = h.link.m3!;
    const before = h.sandbox.stats.count({ system: 'm3' });
    const err = await m3.read('CRS620MI', 'GetBasicData', { SUNO: 'NOPE' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(M3Error);
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err).toMatchObject({ code: 'm3_error', retryable: false, program: 'CRS620MI', transaction: 'GetBasicData', field: 'SUNO' });
    expect(h.sandbox.stats.count({ system: 'm3' })).toBe(before + 1);

    // A request M3 stops as a whole (HTTP 400, the error at the top level) is a refusal too: typed, not retried.
    const stopped = await m3.read('CRS620MI', 'GetBasicData', { SUNO: 'V001000', NOSUCH: 'x' } as never).catch((e: unknown) => e);
    expect(stopped).toBeInstanceOf(M3Error);
    expect(stopped).toMatchObject({ retryable: false, field: 'NOSUCH', m3Type: 'UnknownInputField' });
    expect(h.sandbox.stats.count({ system: 'm3' })).toBe(before + 2);

    // A supplier is a copy of the template first: a refusal after the copy leaves it half-made, under the
    // template's name, and the next attempt completes it rather than calling the number taken.
    await expect(h.adapter.createVendor({ number: 'V9100', name: 'Bad Currency Co', currency: 'usd', paymentTerms: 'N30', address: { country: 'US' } })).rejects.toMatchObject({
      program: 'CRS620MI',
      transaction: 'UpdSupplier',
      field: 'CUCD',
      retryable: false,
    });
    expect(rows('SLVendors').find((v) => v.VendNum === 'V9100')).toMatchObject({ Name: 'Supplier template' });
    expect(await h.reconnect().adapter.createVendor({ number: 'V9100', name: 'Bad Currency Co', currency: 'USD', paymentTerms: 'N30', address: { country: 'US' } })).toMatchObject({
      number: 'V9100', name: 'Bad Currency Co', currency: 'USD', active: true,
    });
    expect(rows('SLVendors').filter((v) => v.VendNum === 'V9100')).toHaveLength(1);
  });
});
