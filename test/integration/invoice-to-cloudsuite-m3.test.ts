import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/engine';
import type { Sandbox } from '../../electron/engine/sandbox';
import type { Row } from '../../electron/engine/sandbox/ido-filter';
import type { JaggaerInvoice } from '../../electron/engine/sandbox/jaggaer/state';
import { listFailures } from '../../electron/engine/store/failures';
import type { tempDir } from '../helpers/temp';
import { periodOpenOn } from '../helpers/periods';
import { closeWorld, openWorld } from '../helpers/world';

// invoice-to-cloudsuite on CloudSuite M3 (APS450MI), over the same sandbox world as Industrial. M3 keeps no
// reference of Ferry's on a supplier invoice, so a voucher is found again by vendor and supplier invoice
// number; the vouchers M3 approves show in the shared ledger rows (SLAptrxs / SLAptrxds).

const FLOW = 'invoice-to-cloudsuite';
let tmp: ReturnType<typeof tempDir>;
let sandbox: Sandbox;
let engine: Engine;

beforeEach(async () => {
  ({ tmp, sandbox, engine } = await openWorld({ product: 'm3' }));
});

afterEach(() => closeWorld({ tmp, sandbox, engine }));

const round2 = (n: number) => Math.round(n * 100) / 100;
const ready = (i: JaggaerInvoice) => i.workflowStatus === 'Completed' && i.paymentStatus === 'Payable';
const approved = () => sandbox.runtime().jaggaer.invoices.filter((i) => ready(i) && i.supplier.supplierNumber);
/** M3 refuses a cost center on an account whose control rule takes none (the chart's "no unit code 1" accounts). */
const noCostCenter = (account: string) => sandbox.runtime().ido.find('SLCharts', (a) => a.Acct === account)?.UnitCd1Access === 'N';
const refusedByM3 = (i: JaggaerInvoice) => i.lines.some((l) => l.gl.costCenter && noCostCenter(l.gl.account!));
/** Dated in a period the world's books have closed: M3 refuses its accounting date (Ferry cannot list M3's periods). */
const closedPeriod = (i: JaggaerInvoice) => !periodOpenOn(sandbox, i.invoiceDate);
const postable = () => approved().filter((i) => !refusedByM3(i) && !closedPeriod(i));
const total = (i: JaggaerInvoice) =>
  round2(i.lines.reduce((s, l) => s + round2(l.quantity * l.unitPrice) + l.taxCharge1, 0) + i.shippingCharge + i.handlingCharge - i.discountAmount);
const voucherOf = (i: JaggaerInvoice) =>
  sandbox.runtime().ido.rows('SLAptrxs').filter((v) => v.VendNum === i.supplier.supplierNumber && v.InvNum === i.supplierInvoiceNumber);
const ferryVouchers = () => postable().flatMap(voucherOf);
const distributions = (v: Row) =>
  sandbox
    .runtime()
    .ido.rows('SLAptrxds')
    .filter((d) => d.VendNum === v.VendNum && d.Voucher === v.Voucher)
    .sort((a, b) => Number(a.DistSeq) - Number(b.DistSeq));

describe('invoice-to-cloudsuite against CloudSuite M3', () => {
  it('approves each approved invoice once as an M3 supplier invoice coded line by line; a second run adds nothing', async () => {
    const before = sandbox.runtime().ido.rows('SLAptrxs').length;
    const run = await engine.runFlow(FLOW);
    expect(run.counts.created).toBe(postable().length);
    expect(sandbox.runtime().ido.rows('SLAptrxs')).toHaveLength(before + postable().length);
    for (const inv of postable()) {
      const [v, ...more] = voucherOf(inv);
      expect(more).toHaveLength(0);
      expect(v).toMatchObject({ Stat: 'P', CurrCode: inv.currency, PoNum: inv.lines.find((l) => l.poNumber)?.poNumber ?? null });
      expect(Number(v!.InvAmt)).toBeCloseTo(total(inv), 2);
      const dists = distributions(v!);
      expect(dists.map((d) => [d.Acct, d.AcctUnit1])).toEqual(inv.lines.map((l) => [l.gl.account, l.gl.costCenter]));
      expect(dists.reduce((s, d) => s + Number(d.Amount), 0)).toBeCloseTo(total(inv), 2);
    }
    // An AP clerk coded a cost center on a balance-sheet account: M3 says so, and nothing is approved for it.
    const refused = approved().filter((i) => refusedByM3(i) && !closedPeriod(i));
    expect(refused.length).toBeGreaterThanOrEqual(1);
    for (const inv of refused) {
      expect(voucherOf(inv)).toHaveLength(0);
      const failure = listFailures(engine.profile.db, { flow: FLOW }).find((f) => f.sourceKey === `JAG-INV-${inv.invoiceId}`);
      expect(failure).toMatchObject({ code: 'm3_error', state: 'open' });
      expect(failure!.reason).toMatch(/APS450MI\/AddLine \(field AIT2\): Accounting dimension 2 is not permitted for account/);
    }
    // The invoice dated in a closed period on purpose: M3 refuses it, and it waits with M3's reason.
    const late = approved().filter(closedPeriod);
    expect(late).toHaveLength(1);
    expect(voucherOf(late[0]!)).toHaveLength(0);
    const lateFailure = listFailures(engine.profile.db, { flow: FLOW }).find((f) => f.sourceKey === `JAG-INV-${late[0]!.invoiceId}`);
    expect(lateFailure).toMatchObject({ code: 'm3_error', state: 'open' });
    expect(lateFailure!.reason).toMatch(/\(field ACDT\): Accounting period \d{4}\/\d{2} is closed/);
    const credit = postable().filter((i) => i.invoiceType === 'Credit memo');
    expect(credit.length).toBeGreaterThanOrEqual(1);
    for (const inv of credit) expect(Number(voucherOf(inv)[0]!.InvAmt)).toBeLessThan(0);
    // The M3 voucher number is the link target.
    const link = engine.profile.db.prepare('SELECT target_id FROM links WHERE source_id = ?').get(`JAG-INV-${postable()[0]!.invoiceId}`) as { target_id: string };
    expect(link.target_id).toBe(voucherOf(postable()[0]!)[0]!.Voucher);

    const writes = sandbox.stats.count({ system: 'm3', route: 'APS450MI/AddHead' });
    expect((await engine.runFlow(FLOW)).counts).toMatchObject({ created: 0, failed: 0 });
    expect(sandbox.stats.count({ system: 'm3', route: 'APS450MI/AddHead' })).toBe(writes);
    expect(ferryVouchers()).toHaveLength(postable().length);
  });

  it('finds a posted invoice by vendor and invoice number when the link was lost, and does not enter it again', async () => {
    await engine.runFlow(FLOW);
    engine.profile.db.prepare('DELETE FROM links').run();
    engine.profile.db.prepare('DELETE FROM cursors').run();
    const run = await engine.runFlow(FLOW);
    expect(run.counts.created).toBe(0);
    expect(run.counts.updated).toBe(postable().length);
    for (const inv of postable()) expect(voucherOf(inv)).toHaveLength(1);
  });

  it('ends with one voucher per invoice when the answer to opening the invoice batch is lost', async () => {
    sandbox.faults.set({ seed: 5, rules: [{ system: 'm3', path: '/APS450MI/AddHead', truncateRate: 1 }] });
    await engine.runFlow(FLOW);
    expect(sandbox.faults.injected.truncate).toBeGreaterThan(0);
    sandbox.faults.clear();
    await engine.runFlow(FLOW);
    for (const inv of postable()) expect(voucherOf(inv).map((v) => v.Stat)).toEqual(['P']);
    expect(listFailures(engine.profile.db, { flow: FLOW }).map((f) => f.code).sort()).toEqual(['m3_error', 'm3_error', 'mapping']);
  });
});
