import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApVoucher, GlJournal } from '../../shared/domain';
import { IdoError } from '../../electron/engine/connectors/cloudsuite/ido-client';
import { M3Error } from '../../electron/engine/connectors/cloudsuite/m3-client';
import { ConnectorError } from '../../electron/engine/http/errors';
import { sandboxDay, startCloudSuite, type CloudSuiteHarness, type Product } from '../helpers/cloudsuite';

// What keeps money right when the network is not: a voucher whose insert (or approval, or posting) CloudSuite
// applied but whose answer was cut off half-way (the sandbox truncates the body after the handler ran) is
// never entered twice; and refusals that arrive in an HTTP 200 body are typed, not retried.

const voucher = (h: CloudSuiteHarness, tag: string): ApVoucher => ({
  reference: `FERRY:JAG-INV-${tag}`,
  vendorNumber: h.sandbox.runtime().ido.rows('SLVendors').find((v) => v.Stat === 'A')!.VendNum!,
  invoiceNumber: `JAG-${tag}`,
  invoiceDate: sandboxDay(h.sandbox),
  dueDate: null,
  amount: 310.25,
  currency: null,
  purchaseOrder: null,
  distributions: [
    { account: '630200', costCenter: 'CC200', project: null, amount: 300, description: 'Bearings' },
    { account: '640100', costCenter: 'CC600', project: null, amount: 10.25, description: 'Freight' },
  ],
});

const cases: { product: Product; system: 'ido' | 'm3'; path: string; step: string; tag: string }[] = [
  { product: 'industrial', system: 'ido', path: '/update/SLAptrxs', step: 'the SLAptrxs insert', tag: 'I1' },
  { product: 'industrial', system: 'ido', path: '/invoke/SLAptrxs', step: 'PostVoucher', tag: 'I2' },
  { product: 'm3', system: 'm3', path: '/APS450MI/AddHead', step: 'AddHead', tag: 'M1' },
  { product: 'm3', system: 'm3', path: '/APS450MI/ApproveInvoice', step: 'ApproveInvoice', tag: 'M2' },
];

describe.each(['industrial', 'm3'] as const)('CloudSuite %s: lost answers and refusals', (product) => {
  let h: CloudSuiteHarness;
  beforeAll(async () => {
    h = await startCloudSuite(product, { poCount: 12, seed: 23 });
  });
  afterAll(() => h.close());
  const rows = (ido: string) => h.sandbox.runtime().ido.rows(ido);

  it.each(cases.filter((c) => c.product === product))('never enters a voucher twice when the connection drops after $step was applied', async ({ system, path, tag }) => {
    const v = voucher(h, tag);
    const mine = () => rows('SLAptrxs').filter((r) => r.VendNum === v.vendorNumber && r.InvNum === v.invoiceNumber);
    const truncatedBefore = h.sandbox.faults.injected.truncate ?? 0;

    h.sandbox.faults.set({ rules: [{ system, path, truncateRate: 1 }] });
    let outcome: unknown;
    try {
      outcome = await h.adapter.createApVoucher(v);
    } catch (err) {
      outcome = err;
    } finally {
      h.sandbox.faults.clear();
    }
    expect(h.sandbox.faults.injected.truncate ?? 0).toBeGreaterThan(truncatedBefore);

    // Exactly one voucher; the adapter either settled the lost answer by looking, or said it is unsure.
    expect(mine()).toHaveLength(1);
    if (product === 'industrial') expect(mine()[0]!.Ref).toBe(v.reference);
    if (outcome instanceof Error) expect(outcome).toMatchObject({ code: 'write_uncertain', retryable: true });
    else expect(outcome).toMatchObject({ voucherNumber: mine()[0]!.Voucher, posted: true });

    // The next run (a new connection) finds it instead of entering it again, and completes it if need be.
    const count = rows('SLAptrxs').length;
    const again = await h.reconnect().adapter.createApVoucher(v);
    expect(again).toMatchObject({ voucherNumber: mine()[0]!.Voucher, posted: true });
    expect(rows('SLAptrxs')).toHaveLength(count);
    expect(mine()[0]!.Stat).toBe('P');
    expect(rows('SLAptrxds').filter((d) => d.VendNum === v.vendorNumber && d.Voucher === mine()[0]!.Voucher).map((d) => Number(d.Amount))).toEqual([300, 10.25]);
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
  const journalRows = (reference: string) => rows('SLJournals').filter((r) => r.Ref === reference);

  it.runIf(product === 'industrial')('posts a journal once when the answer to a line insert is lost: the line count settles it', async () => {
    const j = journal('FERRY:WL-LOST-1');
    h.sandbox.faults.set({ rules: [{ system: 'ido', path: '/update/SLJournals', truncateRate: 1 }] });
    let outcome: unknown;
    try {
      outcome = await h.adapter.postGlJournal(j);
    } catch (err) {
      outcome = err;
    } finally {
      h.sandbox.faults.clear();
    }
    if (outcome instanceof Error) expect(outcome).toMatchObject({ code: 'write_uncertain' });
    const rec = await h.reconnect().adapter.postGlJournal(j);
    expect(rec.posted).toBe(true);
    expect(journalRows(j.reference).map((r) => [Number(r.DomAmount), r.Posted])).toEqual([[480, '1'], [-480, '1']]);
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
    const err = await ido.loadPage('SLPos', { properties: ['PoNum', 'NoSuchProperty'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IdoError);
    expect(err).toMatchObject({ code: 'ido_error', retryable: false, ido: 'SLPos' });
    expect((err as Error).message).toMatch(/NoSuchProperty/);
    expect(h.sandbox.stats.count({ system: 'ido' })).toBe(before + 1);

    const refused = await ido.update('SLAptrxs', { action: 'insert', properties: { VendNum: 'NOPE', InvNum: 'X-1', InvDate: '20260101 00:00:00.000', InvAmt: '1' } }).catch((e: unknown) => e);
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

    const results = await m3.bulk('CRS620MI', [{ transaction: 'GetBasicData', record: { SUNO: 'NOPE' } }, { transaction: 'GetBasicData', record: { SUNO: rows('SLVendors')[0]!.VendNum } }], { what: 'test', idempotent: true });
    expect(results[0]!.error).toMatchObject({ field: 'SUNO', retryable: false });
    expect(results[1]!.records[0]!.SUNO).toBe(rows('SLVendors')[0]!.VendNum);

    await expect(h.adapter.createVendor({ number: 'V9100', name: 'Bad Currency Co', currency: 'usd', paymentTerms: 'N30', address: { country: 'US' } })).rejects.toMatchObject({
      program: 'CRS620MI',
      transaction: 'AddSupplier',
      field: 'CUCD',
      retryable: false,
    });
    expect(rows('SLVendors').some((v) => v.VendNum === 'V9100')).toBe(false);
  });
});
