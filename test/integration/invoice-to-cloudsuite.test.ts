import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/engine';
import type { Sandbox } from '../../electron/engine/sandbox';
import type { Row } from '../../electron/engine/sandbox/ido-filter';
import type { JaggaerInvoice } from '../../electron/engine/sandbox/jaggaer/state';
import { getCursor } from '../../electron/engine/store/cursors';
import { getFailure, listFailures } from '../../electron/engine/store/failures';
import { setMapping } from '../../electron/engine/store/mappings';
import type { tempDir } from '../helpers/temp';
import { periodNameOn, periodOpenOn, periodRowOn } from '../helpers/periods';
import { closeWorld, openWorld } from '../helpers/world';

// invoice-to-cloudsuite on CloudSuite Industrial: the real engine, real encrypted SQLite, real HTTP against
// the sandbox. The sandbox's JAGGAER holds invoices against the tenant's real POs; those AP approved and
// released for payment become vouchers, the ones that do not match their PO or cannot be mapped wait in the
// failures queue, and invoices still in approval are left alone.

const FLOW = 'invoice-to-cloudsuite';
let tmp: ReturnType<typeof tempDir>;
let sandbox: Sandbox;
let engine: Engine;

beforeEach(async () => {
  ({ tmp, sandbox, engine } = await openWorld());
});

afterEach(() => closeWorld({ tmp, sandbox, engine }));

const round2 = (n: number) => Math.round(n * 100) / 100;
const invoices = () => sandbox.runtime().jaggaer.invoices;
const ready = (i: JaggaerInvoice) => i.workflowStatus === 'Completed' && i.paymentStatus === 'Payable';
const key = (i: JaggaerInvoice) => `JAG-INV-${i.invoiceId}`;
const reference = (i: JaggaerInvoice) => `FERRY:JAG-INV-${i.invoiceId}`;
const total = (i: JaggaerInvoice) =>
  round2(i.lines.reduce((s, l) => s + round2(l.quantity * l.unitPrice) + l.taxCharge1, 0) + i.shippingCharge + i.handlingCharge - i.discountAmount);
/** Posted vouchers (SLAptrxps: A/P posting moves them there) that Ferry entered; none may stay unposted. */
const vouchers = () => sandbox.runtime().ido.rows('SLAptrxps').filter((v) => v.Ref?.startsWith('FERRY:JAG-INV-'));
const unposted = () => sandbox.runtime().ido.rows('SLAptrxs').filter((v) => v.Ref?.startsWith('FERRY:JAG-INV-'));
const voucherOf = (i: JaggaerInvoice) => vouchers().filter((v) => v.Ref === reference(i));
/** A posted voucher's distributions: its ledger lines, all but the one on its A/P account. */
const distributions = (v: Row) =>
  sandbox
    .runtime()
    .ido.rows('SLLedgers')
    .filter((d) => d.VendNum === v.VendNum && d.Voucher === v.Voucher && d.Acct !== v.ApAcct)
    .sort((a, b) => Number(a.TransNum) - Number(b.TransNum));
const vendorCurrency = (vendNum: string | null | undefined) => sandbox.runtime().ido.find('SLVendors', (r) => r.VendNum === vendNum)?.CurrCode;
/** As AP would in JAGGAER: approve the invoice and release it for payment (its lastUpdate moves). */
const approve = (i: JaggaerInvoice) => {
  i.workflowStatus = 'Completed';
  i.paymentStatus = 'Payable';
  touch(i);
};
const touch = (i: JaggaerInvoice) => {
  i.lastUpdate = new Date(sandbox.clock.now('jaggaer')).toISOString();
};
const failures = () => listFailures(engine.profile.db, { flow: FLOW });
const failureOf = (i: JaggaerInvoice) => failures().find((f) => f.sourceKey === key(i));

/**
 * The generated world's cases: approved invoices with an ERP supplier post when the world's own fiscal
 * periods are open on their date; one without an ERP supplier and one dated in a closed period wait; pending
 * ones are left alone.
 */
function cases() {
  const all = invoices();
  const approved = all.filter((i) => ready(i) && i.supplier.supplierNumber);
  const postable = approved.filter((i) => periodOpenOn(sandbox, i.invoiceDate));
  const closedPeriod = approved.filter((i) => !periodOpenOn(sandbox, i.invoiceDate));
  const noErpNumber = all.filter((i) => ready(i) && !i.supplier.supplierNumber);
  const pending = all.filter((i) => !ready(i));
  const credit = postable.filter((i) => i.invoiceType === 'Credit memo');
  const poMatched = postable.filter((i) => i.matchStatus === 'Matched' && i.invoiceType === 'Invoice');
  const nonPo = postable.filter((i) => i.lines.every((l) => !l.poNumber));
  /** What waits in the failures queue after a run, in source-key order. */
  const waiting = [...noErpNumber, ...closedPeriod].map(key).sort();
  return { postable, closedPeriod, noErpNumber, pending, credit, poMatched, nonPo, waiting };
}
const waitingKeys = () => failures().map((f) => f.sourceKey).sort();

describe('invoice-to-cloudsuite against CloudSuite Industrial', () => {
  it('posts each approved invoice once as a voucher coded line by line, leaves pending ones alone, and a second run posts nothing', async () => {
    const c = cases();
    // The world has every case this test is about.
    expect(c.poMatched.length).toBeGreaterThanOrEqual(2);
    expect(c.credit.length).toBeGreaterThanOrEqual(1);
    expect(c.nonPo.length).toBeGreaterThanOrEqual(1);
    expect(c.noErpNumber.length).toBeGreaterThanOrEqual(1);
    expect(c.closedPeriod.length).toBe(1);
    expect(c.pending.length).toBeGreaterThanOrEqual(1);

    const first = await engine.runFlow(FLOW);
    expect(first.outcome).toBe('partial');
    expect(first.counts).toMatchObject({ created: c.postable.length, failed: c.waiting.length, skipped: c.pending.length });
    expect(waitingKeys()).toEqual(c.waiting);

    expect(vouchers()).toHaveLength(c.postable.length);
    expect(unposted()).toEqual([]);
    for (const inv of c.postable) {
      const [v, ...more] = voucherOf(inv);
      expect(more).toHaveLength(0);
      expect(v).toMatchObject({ VendNum: inv.supplier.supplierNumber, InvNum: inv.supplierInvoiceNumber });
      // A voucher is in its vendor's currency; the generated invoices are in it too.
      expect(vendorCurrency(v!.VendNum)).toBe(inv.currency);
      expect(Number(v!.InvAmt)).toBeCloseTo(total(inv), 2);
      const dists = distributions(v!);
      expect(dists.reduce((s, d) => s + Number(d.DomAmount), 0)).toBeCloseTo(total(inv), 2);
      // One distribution per line, on the line's account and cost center, for the line's amount and tax.
      expect(dists.map((d) => [d.Acct, d.AcctUnit1])).toEqual(inv.lines.map((l) => [l.gl.account, l.gl.costCenter]));
      if (inv.shippingCharge === 0) expect(dists.map((d) => Number(d.DomAmount))).toEqual(inv.lines.map((l) => round2(round2(l.quantity * l.unitPrice) + l.taxCharge1)));
    }
    // A credit memo is a negative voucher.
    for (const inv of c.credit) expect(Number(voucherOf(inv)[0]!.InvAmt)).toBeLessThan(0);

    // The voucher number is the link and the audit trail's target key.
    const audit = await engine.handlers.listAudit({ limit: 500 });
    for (const inv of c.postable) {
      const created = audit.events.find((e) => e.sourceKey === key(inv) && e.action === 'create');
      expect(created).toMatchObject({ outcome: 'ok', targetKey: voucherOf(inv)[0]!.Voucher, targetStatus: 'posted' });
    }
    for (const inv of c.pending) {
      const skipped = audit.events.find((e) => e.sourceKey === key(inv));
      expect(skipped).toMatchObject({ action: 'skip', outcome: 'skipped' });
      expect(skipped!.reason).toMatch(/waits in JAGGAER for approval/);
    }

    // A supplier JAGGAER holds without an ERP number cannot be a vendor until someone maps it.
    const orphan = failureOf(c.noErpNumber[0]!)!;
    expect(orphan).toMatchObject({ code: 'mapping', state: 'open', retryable: false });
    expect(orphan.reason).toContain(`has no ERP supplier number`);
    expect(orphan.reason).toContain(`JAGGAER supplier number ${c.noErpNumber[0]!.supplier.id}`);
    expect(getCursor(engine.profile.db, FLOW)).toBe(invoices().map((i) => i.lastUpdate).sort().at(-1));

    const writes = sandbox.stats.count({ system: 'ido', route: 'update' });
    const second = await engine.runFlow(FLOW);
    expect(second.counts).toMatchObject({ created: 0, updated: 0, failed: 0 });
    expect(vouchers()).toHaveLength(c.postable.length);
    expect(sandbox.stats.count({ system: 'ido', route: 'update' })).toBe(writes);
  });

  it('refuses invoices that do not match their PO or fail validation, each with its reason, and posts none of them', async () => {
    const { ido } = sandbox.runtime();
    const all = invoices();
    // AP overrides JAGGAER's match exceptions and approves them anyway: Ferry's own check still holds.
    const unknownPo = all.find((i) => i.lines.some((l) => l.poNumber && !ido.find('SLPos', (p) => p.PoNum === l.poNumber)))!;
    const priceOff = all.find((i) => i.matchStatus === 'Unmatched' && i.lines.some((l) => l.matchStatus === 'Unmatched' && ido.find('SLPos', (p) => p.PoNum === l.poNumber)))!;
    approve(unknownPo);
    approve(priceOff);
    const [lineGone, closedAccount] = cases().poMatched;
    lineGone!.lines[0]!.poLineNumber = '99';
    closedAccount!.lines[0]!.gl = { ...closedAccount!.lines[0]!.gl, account: '690900' };
    expect(ido.find('SLCharts', (a) => a.Acct === '690900')!.ObsDate).not.toBeNull();

    const run = await engine.runFlow(FLOW);
    expect(run.outcome).toBe('partial');
    for (const inv of [unknownPo, priceOff, lineGone!, closedAccount!]) expect(voucherOf(inv)).toHaveLength(0);

    const unknownPoNumber = unknownPo.lines.find((l) => l.poNumber)!.poNumber;
    expect(failureOf(unknownPo)).toMatchObject({ code: 'validation_failed', state: 'open' });
    expect(failureOf(unknownPo)!.reason).toContain(`purchase order ${unknownPoNumber} is not in CloudSuite (rule: PO match)`);

    const off = priceOff.lines.find((l) => l.matchStatus === 'Unmatched')!;
    const poLine = ido.find('SLPoItems', (l) => l.PoNum === off.poNumber && l.PoLine === off.poLineNumber)!;
    const offReason = failureOf(priceOff)!.reason;
    expect(offReason).toContain(`line ${off.lineNumber}: it bills ${round2(off.quantity * off.unitPrice).toFixed(2)}`);
    expect(offReason).toContain(`PO ${off.poNumber} line ${off.poLineNumber} prices it at ${round2(off.quantity * Number(poLine.ItemCost)).toFixed(2)}`);
    expect(offReason).toContain('more than the tolerance of 0.01 (rule: PO match)');

    expect(failureOf(lineGone!)!.reason).toContain(`line 1: purchase order ${lineGone!.lines[0]!.poNumber} has no line 99`);
    expect(failureOf(closedAccount!)).toMatchObject({ code: 'validation_failed' });
    expect(failureOf(closedAccount!)!.reason).toContain('line 1: GL account 690900 is closed (rule: account open)');
  });

  it('posts an invoice once after its supplier is mapped and the failure replayed', async () => {
    await engine.runFlow(FLOW);
    const orphan = cases().noErpNumber[0]!;
    const failure = failureOf(orphan)!;
    expect(voucherOf(orphan)).toHaveLength(0);

    // A person maps the JAGGAER supplier (by the id the failure names) to the CloudSuite vendor it is.
    const vendor = sandbox.runtime().ido.rows('SLVendors').find((v) => v.Stat === 'A')!.VendNum!;
    setMapping(engine.profile.db, 'supplier', vendor, { supplierNumber: orphan.supplier.id.toString() });
    const replayed = await engine.handlers.replayFailures({ ids: [failure.id], all: false });
    expect(replayed.runs[0]!.counts).toMatchObject({ created: 1, failed: 0 });
    expect(getFailure(engine.profile.db, failure.id)!.state).toBe('replayed');
    expect(failureOf(orphan)).toBeUndefined();
    const [v, ...more] = voucherOf(orphan);
    expect(more).toHaveLength(0);
    expect(v).toMatchObject({ VendNum: vendor });
    expect(Number(v!.InvAmt)).toBeCloseTo(total(orphan), 2);

    // Once posted, nothing sends it again: not a run, not a second replay of everything.
    expect((await engine.runFlow(FLOW, { replay: [failure] })).counts).toMatchObject({ created: 0 });
    expect((await engine.runFlow(FLOW)).counts).toMatchObject({ created: 0 });
    expect(voucherOf(orphan)).toHaveLength(1);
  });

  it('keeps an invoice whose posting CloudSuite refuses (ReturnValue 16) in the failures queue with CloudSuite’s reason, and posts the entered voucher once after the fix', async () => {
    // The controller retires the A/P account in CloudSuite. Ferry never sees it (CloudSuite fills it in from
    // the vendor), so the vouchers are entered and AptrxpSp refuses them, saying why in its Infobar.
    const { ido } = sandbox.runtime();
    const ap = ido.find('SLCharts', (a) => a.Acct === '201000')!;
    ido.update('SLCharts', ap.RowPointer!, { ObsDate: '20260101 00:00:00.000' });
    const c = cases();
    const run = await engine.runFlow(FLOW);
    expect(run.counts).toMatchObject({ created: 0, failed: c.postable.length + c.waiting.length });
    expect(vouchers()).toEqual([]);
    const inv = c.poMatched[0]!;
    const failure = failureOf(inv)!;
    expect(failure.code).toBe('ido_method_failed');
    expect(failure.reason).toMatch(/^CloudSuite refused SLAptrxs\.AptrxpSp: Voucher \d+, A\/P account: Account 201000 is obsolete\./);
    // Entered, not posted, and not linked: Ferry did not mistake the call's success for a posting.
    expect(unposted().filter((v) => v.Ref === reference(inv))).toHaveLength(1);
    expect(engine.profile.db.prepare('SELECT count(*) AS n FROM links').get()).toEqual({ n: 0 });

    // The account is back in use; the replay finds the entered voucher and posts it — one voucher, one posting.
    ido.update('SLCharts', ap.RowPointer!, { ObsDate: null });
    const replayed = await engine.handlers.replayFailures({ ids: [failure.id], all: false });
    expect(replayed.runs[0]!.counts).toMatchObject({ created: 1, failed: 0 });
    expect(voucherOf(inv)).toHaveLength(1);
    expect(unposted().filter((v) => v.Ref === reference(inv))).toEqual([]);
    const ledger = sandbox.runtime().ido.rows('SLLedgers').filter((l) => l.Voucher === voucherOf(inv)[0]!.Voucher && l.VendNum === voucherOf(inv)[0]!.VendNum);
    expect(ledger.reduce((sum, l) => sum + Math.round(Number(l.DomAmount) * 100), 0)).toBe(0);
  });

  it('in a dry run writes nothing to CloudSuite and keeps the would-be vouchers in the audit trail', async () => {
    const { ido } = sandbox.runtime();
    const before = { entered: ido.rows('SLAptrxs').length, posted: ido.rows('SLAptrxps').length, ledger: ido.rows('SLLedgers').length };
    const run = await engine.runFlow(FLOW, { dryRun: true });
    const c = cases();
    expect(run.counts).toMatchObject({ created: c.postable.length, failed: c.waiting.length });
    // Nothing written: no row saved, no voucher posted (the dry run only asked CloudSuite about dates).
    expect(sandbox.stats.count({ system: 'ido', route: 'update' })).toBe(0);
    expect({ entered: ido.rows('SLAptrxs').length, posted: ido.rows('SLAptrxps').length, ledger: ido.rows('SLLedgers').length }).toEqual(before);
    const db = engine.profile.db;
    expect(getCursor(db, FLOW)).toBeNull();
    expect(db.prepare('SELECT count(*) AS n FROM links').get()).toEqual({ n: 0 });
    expect(failures()).toEqual([]);

    const inv = c.poMatched[0]!;
    const row = db.prepare(`SELECT capture FROM audit_events WHERE source_key = ? AND action = 'preview-create'`).get(key(inv)) as { capture: string };
    const { payload } = JSON.parse(row.capture) as { payload: { reference: string; amount: number; vendorNumber: string; distributions: { account: string; costCenter: string }[] } };
    expect(payload).toMatchObject({ reference: reference(inv), vendorNumber: inv.supplier.supplierNumber });
    expect(payload.amount).toBeCloseTo(total(inv), 2);
    expect(payload.distributions.map((d) => [d.account, d.costCenter])).toEqual(inv.lines.map((l) => [l.gl.account, l.gl.costCenter]));

    // The real run afterwards posts them, once.
    expect((await engine.runFlow(FLOW)).counts.created).toBe(c.postable.length);
    expect(vouchers()).toHaveLength(c.postable.length);
  });

  it('ends with one voucher per invoice when CloudSuite saves a voucher but its answer is lost', async () => {
    sandbox.faults.set({ seed: 5, rules: [{ system: 'ido', path: '/update/SLAptrxs', truncateRate: 1 }] });
    await engine.runFlow(FLOW);
    expect(sandbox.faults.injected.truncate).toBeGreaterThan(0);
    sandbox.faults.clear();
    await engine.runFlow(FLOW);
    await engine.handlers.replayFailures({ all: true, flow: FLOW });

    const c = cases();
    expect(vouchers()).toHaveLength(c.postable.length);
    for (const inv of c.postable) expect(voucherOf(inv)).toHaveLength(1);
    expect(unposted()).toEqual([]);
    expect(waitingKeys()).toEqual(c.waiting);
  });

  it('adopts a posted voucher whose link was lost instead of posting it again', async () => {
    await engine.runFlow(FLOW);
    const inv = cases().poMatched[0]!;
    const voucher = voucherOf(inv)[0]!.Voucher;
    // As if Ferry died after CloudSuite posted the voucher but before the link was committed.
    engine.profile.db.prepare('DELETE FROM links WHERE source_id = ?').run(key(inv));
    engine.profile.db.prepare('DELETE FROM cursors').run();
    const run = await engine.runFlow(FLOW);
    expect(run.counts.created).toBe(0);
    expect(voucherOf(inv)).toHaveLength(1);
    const link = engine.profile.db.prepare('SELECT target_id FROM links WHERE source_id = ?').get(key(inv)) as { target_id: string };
    expect(link.target_id).toBe(voucher);
    const audit = await engine.handlers.listAudit({ limit: 500 });
    expect(audit.events.find((e) => e.sourceKey === key(inv) && e.action === 'adopt')).toMatchObject({ targetKey: voucher });
  });

  it('never edits a posted voucher: an invoice changed after posting waits for a person', async () => {
    await engine.runFlow(FLOW);
    const inv = cases().poMatched[0]!;
    const [before] = voucherOf(inv);
    const amounts = distributions(before!).map((d) => d.DomAmount);
    // AP moves the due date in JAGGAER after the voucher was posted.
    inv.dueDate = new Date(Date.parse(inv.dueDate) + 7 * 86_400_000).toISOString();
    touch(inv);
    const run = await engine.runFlow(FLOW);
    expect(run.counts).toMatchObject({ created: 0, updated: 0, failed: 1 });
    expect(failureOf(inv)).toMatchObject({ code: 'changed_after_posting', state: 'open' });
    expect(failureOf(inv)!.reason).toContain('posted records are never edited');
    expect(voucherOf(inv)).toEqual([before]);
    expect(distributions(before!).map((d) => d.DomAmount)).toEqual(amounts);
  });

  it('does not post back an invoice Ferry itself imported into JAGGAER from a CloudSuite voucher (no echo)', async () => {
    // CloudSuite's own vouchers go to JAGGAER as incoming invoices, and AP approves them there.
    expect((await engine.runFlow('invoice-to-jaggaer')).counts.created).toBeGreaterThan(0);
    const links = engine.profile.db.prepare(`SELECT source_id AS voucher, target_id AS id FROM links WHERE flow = 'invoice-to-jaggaer'`).all() as { voucher: string; id: string }[];
    const imported = links.map((l) => invoices().find((i) => String(i.invoiceId) === l.id)!);
    imported.forEach(approve);
    const before = sandbox.runtime().ido.rows('SLAptrxps').length;

    await engine.runFlow(FLOW);
    const others = cases().postable.filter((i) => !imported.includes(i));
    expect(sandbox.runtime().ido.rows('SLAptrxps')).toHaveLength(before + others.length);
    for (const inv of imported) expect(voucherOf(inv)).toHaveLength(0);
    expect(waitingKeys()).toEqual(cases().waiting);
    const audit = await engine.handlers.listAudit({ limit: 500, flow: FLOW });
    for (const [i, inv] of imported.entries()) {
      const event = audit.events.find((e) => e.sourceKey === key(inv))!;
      expect(event).toMatchObject({ action: 'skip', outcome: 'skipped' });
      expect(event.reason).toContain(`came into JAGGAER from CloudSuite voucher ${links[i]!.voucher} (imported by Ferry)`);
    }
  });

  it('leaves an invoice in approval alone until AP approves it, then posts it', async () => {
    const { ido } = sandbox.runtime();
    // A price exception, pending in JAGGAER's workflow.
    const inv = cases().pending.find((i) => i.lines.every((l) => l.poNumber && ido.find('SLPos', (p) => p.PoNum === l.poNumber)))!;
    expect((await engine.runFlow(FLOW)).counts.skipped).toBe(cases().pending.length);
    expect(voucherOf(inv)).toHaveLength(0);
    expect(failureOf(inv)).toBeUndefined();

    // AP settles it with the supplier at the PO price, then approves it.
    for (const l of inv.lines) l.unitPrice = Number(ido.find('SLPoItems', (p) => p.PoNum === l.poNumber && p.PoLine === l.poLineNumber)!.ItemCost);
    approve(inv);
    const run = await engine.runFlow(FLOW);
    expect(run.counts).toMatchObject({ created: 1, failed: 0 });
    expect(voucherOf(inv)).toHaveLength(1);
    expect(Number(voucherOf(inv)[0]!.InvAmt)).toBeCloseTo(total(inv), 2);
  });

  it('holds an invoice dated in a closed period with what to do, and posts it in the open period a person chooses, keeping its invoice date', async () => {
    await engine.runFlow(FLOW);
    const [late] = cases().closedPeriod;
    const invoiceDay = late!.invoiceDate.slice(0, 10);
    const today = new Date(sandbox.clock.now()).toISOString().slice(0, 10);
    // The world's own periods: the invoice's is closed, today's is open.
    const closed = periodNameOn(sandbox, invoiceDay)!;
    const open = periodNameOn(sandbox, today)!;
    expect(periodOpenOn(sandbox, today)).toBe(true);

    const failure = failureOf(late!)!;
    expect(failure).toMatchObject({ code: 'validation_failed', state: 'open', retryable: false });
    expect(failure.reason).toContain(`fiscal period ${closed} is closed for ${invoiceDay} (rule: period open).`);
    expect(failure.reason).toContain(`Post it in the open period ${open} instead ("Post in ${open}" in Needs attention), or reopen period ${closed} in CloudSuite, then retry.`);
    const { groups } = await engine.handlers.listFailureGroups({ limit: 100 });
    const row = groups.flatMap((g) => g.failures).find((f) => f.id === failure.id)!;
    expect(row.periodFix).toMatchObject({ closedPeriod: closed, recordDate: invoiceDay, openPeriod: open, postingDate: today });
    expect(groups.find((g) => g.failures.some((f) => f.id === failure.id))!.rule).toBe('period open');

    const moved = await engine.handlers.postInOpenPeriod({ id: failure.id });
    expect(moved).toMatchObject({ openPeriod: open, postingDate: today, replayed: 1 });
    expect(moved.runs[0]!.counts).toMatchObject({ created: 1, failed: 0 });
    const [v, ...more] = voucherOf(late!);
    expect(more).toHaveLength(0);
    // The invoice keeps its own date; the GL (distribution) date is in the open period.
    expect(v).toMatchObject({ InvDate: expect.stringMatching(new RegExp(`^${invoiceDay.replace(/-/g, '')} `)), DistDate: expect.stringMatching(new RegExp(`^${today.replace(/-/g, '')} `)) });
    // Its ledger lines carry the GL date too.
    expect(distributions(v!).every((d) => d.TransDate!.startsWith(today.replace(/-/g, '')))).toBe(true);
    expect(Number(v!.InvAmt)).toBeCloseTo(total(late!), 2);
    expect(getFailure(engine.profile.db, failure.id)!.state).toBe('replayed');
    const audit = await engine.handlers.listAudit({ limit: 500, search: key(late!) });
    expect(audit.events.find((e) => e.action === 'choose-period')!.reason).toBe(
      `A person chose to post it in the open period ${open}, dated ${today}, because its period ${closed} is closed; it keeps its own date ${invoiceDay}.`,
    );
    expect(audit.events.find((e) => e.action === 'create')).toMatchObject({ outcome: 'ok', targetKey: v!.Voucher, targetStatus: 'posted' });

    // Posted once: a later run, or asking again, sends nothing.
    expect((await engine.runFlow(FLOW)).counts.created).toBe(0);
    await expect(engine.handlers.postInOpenPeriod({ id: failure.id })).rejects.toMatchObject({ code: 'failure_closed' });
    expect(voucherOf(late!)).toHaveLength(1);
  });

  it('posts an invoice of a closed period on its own date once the period is reopened in CloudSuite and it is retried', async () => {
    await engine.runFlow(FLOW);
    const [late] = cases().closedPeriod;
    const failure = failureOf(late!)!;
    const { ido } = sandbox.runtime();
    // The controller reopens the period in CloudSuite: the retry reads the periods afresh.
    ido.update('SLPeriods', periodRowOn(sandbox, late!.invoiceDate)!.RowPointer!, { Stat: 'O' });
    const replayed = await engine.handlers.replayFailures({ ids: [failure.id], all: false });
    expect(replayed.runs[0]!.counts).toMatchObject({ created: 1, failed: 0 });
    const [v] = voucherOf(late!);
    // Posted on its own date: the GL date is the invoice date.
    expect(v!.InvDate!.slice(0, 8)).toBe(late!.invoiceDate.slice(0, 10).replace(/-/g, ''));
    expect(v!.DistDate!.slice(0, 8)).toBe(late!.invoiceDate.slice(0, 10).replace(/-/g, ''));
  });

  it('refuses "post in the open period" for a record that is not held by a closed period, and changes nothing', async () => {
    await engine.runFlow(FLOW);
    const orphan = failureOf(cases().noErpNumber[0]!)!;
    await expect(engine.handlers.postInOpenPeriod({ id: orphan.id })).rejects.toMatchObject({ code: 'not_applicable' });
    await expect(engine.handlers.postInOpenPeriod({ id: 999_999 })).rejects.toMatchObject({ code: 'failure_unknown' });
    expect(getFailure(engine.profile.db, orphan.id)!.state).toBe('open');
    expect(engine.profile.db.prepare('SELECT count(*) AS n FROM posting_dates').get()).toEqual({ n: 0 });
  });
});
