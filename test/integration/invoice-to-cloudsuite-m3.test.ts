import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/engine';
import type { Sandbox } from '../../electron/engine/sandbox';
import type { Row } from '../../electron/engine/sandbox/ido-filter';
import type { JaggaerInvoice } from '../../electron/engine/sandbox/jaggaer/state';
import { listFailures } from '../../electron/engine/store/failures';
import type { tempDir } from '../helpers/temp';
import { periodOpenOn } from '../helpers/periods';
import { closeWorld, openWorld } from '../helpers/world';

// invoice-to-cloudsuite on CloudSuite M3 (APS450MI, APS455MI), over the same sandbox world as Industrial.
// APS450MI AddLine takes no account: M3 books an invoice line through the PO line it pays. So an invoice
// whose lines all pay PO lines is entered line by line against them and posted (the shared books:
// SLAptrxps + SLLedgers, on the PO lines' accounts); one with a line that pays no PO line waits in the
// failures queue with a sentence AP can act on, and nothing of it is sent. M3 keeps no reference of Ferry's
// on a supplier invoice, so a voucher is found again by vendor and supplier invoice number.

const FLOW = 'invoice-to-cloudsuite';
let tmp: ReturnType<typeof tempDir>;
let sandbox: Sandbox;
let engine: Engine;

beforeEach(async () => {
  ({ tmp, sandbox, engine } = await openWorld({ product: 'm3' }));
});

afterEach(() => closeWorld({ tmp, sandbox, engine }));

const round2 = (n: number) => Math.round(n * 100) / 100;
const ido = () => sandbox.runtime().ido;
const ready = (i: JaggaerInvoice) => i.workflowStatus === 'Completed' && i.paymentStatus === 'Payable';
const approved = () => sandbox.runtime().jaggaer.invoices.filter((i) => ready(i) && i.supplier.supplierNumber);
/** Every line pays a line of a PO CloudSuite has: the only invoices M3 can book. */
const onPoLines = (i: JaggaerInvoice) => i.lines.every((l) => l.poNumber && ido().find('SLPos', (p) => p.PoNum === l.poNumber));
const notOnPo = (i: JaggaerInvoice) => i.lines.every((l) => !l.poNumber);
/** Dated in a period the world's books have closed: M3 refuses its accounting date (Ferry cannot list M3's periods). */
const closedPeriod = (i: JaggaerInvoice) => !periodOpenOn(sandbox, i.invoiceDate);
const postable = () => approved().filter((i) => onPoLines(i) && !closedPeriod(i));
const total = (i: JaggaerInvoice) =>
  round2(i.lines.reduce((s, l) => s + round2(l.quantity * l.unitPrice) + l.taxCharge1, 0) + i.shippingCharge + i.handlingCharge - i.discountAmount);
const voucherOf = (i: JaggaerInvoice) => ido().rows('SLAptrxps').filter((v) => v.VendNum === i.supplier.supplierNumber && v.InvNum === i.supplierInvoiceNumber);
const entered = (i: JaggaerInvoice) => ido().rows('SLAptrxs').filter((v) => v.VendNum === i.supplier.supplierNumber && v.InvNum === i.supplierInvoiceNumber);
const ledgerLines = (v: Row) =>
  ido()
    .rows('SLLedgers')
    .filter((d) => d.VendNum === v.VendNum && d.Voucher === v.Voucher && d.Acct !== v.ApAcct)
    .sort((a, b) => Number(a.TransNum) - Number(b.TransNum));
const failureOf = (i: JaggaerInvoice) => listFailures(engine.profile.db, { flow: FLOW }).find((f) => f.sourceKey === `JAG-INV-${i.invoiceId}`);

describe('invoice-to-cloudsuite against CloudSuite M3', () => {
  it('posts each approved PO invoice once, line by line on its PO lines; an invoice with a line on no PO waits with the reason', async () => {
    const before = ido().rows('SLAptrxps').length;
    const run = await engine.runFlow(FLOW);
    expect(postable().length).toBeGreaterThanOrEqual(3);
    expect(run.counts.created).toBe(postable().length);
    expect(ido().rows('SLAptrxps')).toHaveLength(before + postable().length);
    for (const inv of postable()) {
      const [v, ...more] = voucherOf(inv);
      expect(more).toHaveLength(0);
      expect(v).toMatchObject({ PoNum: inv.lines[0]!.poNumber });
      expect(Number(v!.InvAmt)).toBeCloseTo(total(inv), 2);
      // M3 booked each line on its PO line's account and cost center, not on the JAGGAER coding.
      const poLines = inv.lines.map((l) => ido().find('SLPoItems', (p) => p.PoNum === l.poNumber && p.PoLine === l.poLineNumber)!);
      const lines = ledgerLines(v!);
      expect(lines.map((d) => [d.Acct, d.AcctUnit1])).toEqual(poLines.map((p) => [p.NonInvAcct, p.NonInvAcctUnit1]));
      expect(round2(lines.reduce((s, d) => s + Number(d.DomAmount), 0))).toBeCloseTo(total(inv), 2);
    }
    // An invoice of lines on no PO: AddLine takes no account, so nothing is sent and AP reads why.
    const free = approved().filter((i) => notOnPo(i) && !closedPeriod(i));
    expect(free.length).toBeGreaterThanOrEqual(1);
    for (const inv of free) {
      expect([...voucherOf(inv), ...entered(inv)]).toHaveLength(0);
      expect(failureOf(inv)).toMatchObject({ code: 'not_supported', state: 'open' });
      expect(failureOf(inv)!.reason).toMatch(/not matched to a purchase order line .*CloudSuite M3 books an invoice line only through the PO line it pays/);
    }
    // The invoice dated in a closed period on purpose: nothing posted; it waits with M3's reason when it is on a
    // PO (M3 refuses its accounting date on validation), with the PO-line reason when it is not.
    const late = approved().filter(closedPeriod);
    expect(late).toHaveLength(1);
    for (const inv of late) {
      expect(voucherOf(inv)).toHaveLength(0);
      if (onPoLines(inv)) {
        expect(failureOf(inv)).toMatchObject({ code: 'm3_error', state: 'open' });
        expect(failureOf(inv)!.reason).toMatch(/APS455MI\/ValidByBatchNo \(field ACDT\): Accounting period \d{4}\/\d{2} is closed/);
      } else expect(failureOf(inv)).toMatchObject({ code: 'not_supported', state: 'open' });
    }
    const credit = postable().filter((i) => i.invoiceType === 'Credit memo');
    expect(credit.length).toBeGreaterThanOrEqual(1);
    for (const inv of credit) expect(Number(voucherOf(inv)[0]!.InvAmt)).toBeLessThan(0);
    // The M3 voucher number is the link target.
    const link = engine.profile.db.prepare('SELECT target_id FROM links WHERE source_id = ?').get(`JAG-INV-${postable()[0]!.invoiceId}`) as { target_id: string };
    expect(link.target_id).toBe(voucherOf(postable()[0]!)[0]!.Voucher);

    const again = await engine.runFlow(FLOW);
    expect(again.counts).toMatchObject({ created: 0, updated: 0 });
    expect(ido().rows('SLAptrxps')).toHaveLength(before + postable().length);
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
    for (const inv of postable()) expect(voucherOf(inv)).toHaveLength(1);
    for (const inv of postable()) expect(entered(inv)).toHaveLength(0);
  });
});
