import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApVoucher } from '../../shared/domain';
import { parseIonapi } from '../../electron/engine/connectors/cloudsuite/ionapi';
import { connectCloudSuite, saveCloudSuiteConnection } from '../../electron/engine/connectors/connect';
import { connectToSandbox } from '../../electron/engine/demo';
import { Engine } from '../../electron/engine/engine';
import { HttpPool } from '../../electron/engine/http/pool';
import { createLogger } from '../../electron/engine/log';
import { sandboxDir } from '../../electron/engine/paths';
import { startSandbox, type Sandbox } from '../../electron/engine/sandbox';
import { getCursor } from '../../electron/engine/store/cursors';
import { listFailures } from '../../electron/engine/store/failures';
import { countLinks, getLink, saveLink } from '../../electron/engine/store/links';
import { setGlSegments } from '../../electron/engine/mapping/kinds';
import { setMapping } from '../../electron/engine/store/mappings';
import { addM3Template, SANDBOX_M3_SETTINGS } from '../helpers/m3-setup';
import { TEST_ORIGIN } from '../helpers/origin';
import { tempDir } from '../helpers/temp';

// The real engine, real encrypted SQLite in a temp folder, real HTTP against the sandbox on 127.0.0.1:
// vouchers entered in CloudSuite (the seeded ones for completed POs, and ones entered here by "AP") arrive
// in JAGGAER as incoming invoices, exactly once each; Ferry's own vouchers are not sent back.

const FLOW = 'invoice-to-jaggaer';
let tmp: ReturnType<typeof tempDir>;
let sandbox: Sandbox;
let engine: Engine;

const rt = () => sandbox.runtime();
/** Incoming invoices Ferry imported (its batch ids), by supplier invoice number. */
const imported = () => rt().jaggaer.invoices.filter((i) => i.batchId?.startsWith('FERRY-CS-'));
const ocrPosts = () => sandbox.stats.count({ system: 'jaggaer', method: 'POST', route: 'invoices/ocr' });
const inJaggaer = (vendor: string | null | undefined) => rt().jaggaer.suppliers.some((s) => s.extCode === vendor);
const today = () => sandbox.clock.date().toISOString().slice(0, 10);
const auditOf = async (key: string) => (await engine.handlers.listAudit({ limit: 1000 })).events.filter((e) => e.flow === FLOW && e.sourceKey === key);

/** The CloudSuite adapter of the profile, as AP keying vouchers in would use CloudSuite (outside Ferry's flows). */
const adapter = () => connectCloudSuite(engine.profile, new HttpPool()).adapter;

function voucher(reference: string, invoiceNumber: string, amounts: number[], vendorNumber = 'V001000'): ApVoucher {
  return {
    reference,
    vendorNumber,
    invoiceNumber,
    invoiceDate: today(),
    dueDate: null,
    amount: amounts.reduce((s, a) => s + a, 0),
    currency: 'USD',
    purchaseOrder: null,
    distributions: amounts.map((amount, i) => ({ account: i === 0 ? '610100' : '650300', costCenter: 'CC300', project: null, amount, description: `Keyed line ${i + 1}` })),
  };
}

async function open(product: 'industrial' | 'm3'): Promise<void> {
  tmp = tempDir();
  sandbox = await startSandbox({ dir: sandboxDir(tmp.dir), poCount: 30, seed: 7, tenants: ['FERRY_TST'], origin: TEST_ORIGIN });
  engine = await Engine.open({ dataDir: tmp.dir, log: createLogger(tmp.dir, 'debug'), clock: () => sandbox.clock.now() });
  connectToSandbox(engine, sandbox);
  if (product === 'm3') {
    // The setup the sandbox tenant's M3 administrator made and told Ferry about (helpers/m3-setup.ts).
    addM3Template(sandbox.runtime().ido);
    saveCloudSuiteConnection(engine.profile, parseIonapi(fs.readFileSync(sandbox.files.ionapi, 'utf8')), null, { product: 'm3', m3: SANDBOX_M3_SETTINGS, rateLimitPerMinute: 10_000 });
  }
}

async function close(): Promise<void> {
  engine.close();
  await sandbox.close();
  tmp.remove();
}

describe('invoice-to-jaggaer on CloudSuite Industrial', () => {
  beforeEach(() => open('industrial'));
  afterEach(close);

  it('imports every posted voucher once with its GL coding, leaves Ferry’s own and unposted ones, and a second run imports nothing', async () => {
    const cs = adapter();
    const keyed = await cs.createApVoucher(voucher('AP-KEYED-1', 'SR-5531', [120.5, 79.5]));
    const ferryMade = await cs.createApVoucher(voucher('FERRY:JAG-INV-424242', 'SR-ECHO-9', [300]));
    // A voucher someone is still entering (SLAptrxs, not posted): not Ferry's to send yet.
    rt().ido.insert('SLAptrxs', { VendNum: 'V001010', Voucher: '19999', Type: 'V', InvNum: 'NF-77', InvDate: `${today().replace(/-/g, '')} 00:00:00.000`, InvAmt: '50.00000000', Ref: null });

    const posted = rt().ido.rows('SLAptrxps').filter((v) => !v.Ref?.startsWith('FERRY:'));
    const sendable = posted.filter((v) => inJaggaer(v.VendNum));
    const unknownSupplier = posted.filter((v) => !inJaggaer(v.VendNum));
    expect(sendable.length).toBeGreaterThanOrEqual(3);
    expect(unknownSupplier.length).toBeGreaterThan(0);

    const idoBefore = sandbox.stats.count({ system: 'ido' });
    const first = await engine.runFlow(FLOW);
    expect(first.outcome).toBe('partial');
    expect(first.counts).toMatchObject({ created: sendable.length, failed: unknownSupplier.length, skipped: 1 });
    // Reads go by page: the posted vouchers (SLAptrxps) and one SLLedgers load of their lines for the whole page.
    expect(sandbox.stats.count({ system: 'ido' }) - idoBefore).toBe(2);

    // Exactly one JAGGAER invoice per sendable voucher, under the vendor's supplier and the supplier's number.
    const got = imported();
    expect(got.map((i) => `${i.supplier.supplierNumber}|${i.supplierInvoiceNumber}`).sort()).toEqual(sendable.map((v) => `${v.VendNum}|${v.InvNum}`).sort());
    const sr = got.find((i) => i.supplierInvoiceNumber === 'SR-5531')!;
    expect(sr.lines.map((l) => [l.description, l.unitPrice, l.gl])).toEqual([
      // A posted voucher's lines are ledger lines, which carry no text of their own: the coding names them.
      ['GL 610100 / CC300', 120.5, { account: '610100', costCenter: 'CC300' }],
      ['GL 650300 / CC300', 79.5, { account: '650300', costCenter: 'CC300' }],
    ]);
    expect(getLink(engine.profile.db, 'cloudsuite', `V001000|${keyed.voucherNumber}`, 'jaggaer')?.targetId).toBe(String(sr.invoiceId));

    // No echo: the voucher Ferry entered from a JAGGAER invoice stays in CloudSuite, with the reason said.
    expect(rt().jaggaer.invoices.some((i) => i.supplierInvoiceNumber === 'SR-ECHO-9')).toBe(false);
    expect((await auditOf(`V001000|${ferryMade.voucherNumber}`)).map((e) => [e.action, e.reason])).toEqual([['skip', expect.stringMatching(/entered by Ferry .*FERRY:JAG-INV-424242.*not sent back/)]]);
    // The entered one is not even read: only posted vouchers are.
    expect(await auditOf('V001010|19999')).toEqual([]);
    expect(rt().jaggaer.invoices.some((i) => i.supplierInvoiceNumber === 'NF-77')).toBe(false);

    // A vendor JAGGAER does not know fails with JAGGAER's reason and waits for a person.
    const failures = listFailures(engine.profile.db, { flow: FLOW });
    expect(failures.map((f) => f.sourceKey).sort()).toEqual(unknownSupplier.map((v) => `${v.VendNum}|${v.Voucher}`).sort());
    for (const f of failures) expect(f).toMatchObject({ state: 'open', code: 'jaggaer_error', reason: expect.stringMatching(/Supplier with supplier number V\d+ not found \(return code 2\)/) });

    const posts = ocrPosts();
    const second = await engine.runFlow(FLOW);
    expect(second.counts).toMatchObject({ created: 0, updated: 0 });
    expect(ocrPosts()).toBe(posts);
    expect(imported()).toHaveLength(sendable.length);
  });

  it('a lost answer on the import still ends with one JAGGAER invoice', async () => {
    // Every seeded voucher goes through (V001040 is known in JAGGAER under another number), so the cut-off
    // answers below are all for the one voucher keyed next.
    setMapping(engine.profile.db, 'supplier', 'V001040', { supplierNumber: 'V001050' });
    expect((await engine.runFlow(FLOW)).counts.failed).toBe(0);
    const before = imported().length;
    await adapter().createApVoucher(voucher('AP-KEYED-2', 'SR-LOST-1', [410]));
    const truncatedBefore = sandbox.faults.injected.truncate ?? 0;
    sandbox.faults.set({ rules: [{ system: 'jaggaer', path: '/invoices/ocr', truncateRate: 1 }] });
    let run;
    try {
      run = await engine.runFlow(FLOW);
    } finally {
      sandbox.faults.clear();
    }
    // The import landed but its answer was cut off: the search by supplier invoice number found it.
    expect(sandbox.faults.injected.truncate ?? 0).toBeGreaterThan(truncatedBefore);
    expect(run.counts).toMatchObject({ created: 1, failed: 0 });
    expect(imported()).toHaveLength(before + 1);
    const lost = imported().filter((i) => i.supplierInvoiceNumber === 'SR-LOST-1');
    expect(lost).toHaveLength(1);
    expect(getLink(engine.profile.db, 'cloudsuite', `V001000|${rt().ido.find('SLAptrxps', (v) => v.InvNum === 'SR-LOST-1')!.Voucher}`, 'jaggaer')?.targetId).toBe(String(lost[0]!.invoiceId));

    const posts = ocrPosts();
    const again = await engine.runFlow(FLOW);
    expect(again.counts.created).toBe(0);
    expect(ocrPosts()).toBe(posts);
    expect(imported()).toHaveLength(before + 1);
  });

  it('adopts an invoice JAGGAER already holds instead of importing it again (link lost after the import)', async () => {
    const first = await engine.runFlow(FLOW);
    const count = imported().length;
    expect(first.counts.created).toBe(count);
    // A crash between JAGGAER taking the invoices and Ferry saving the links, and the cursor with them.
    engine.profile.db.prepare('DELETE FROM links WHERE flow = ?').run(FLOW);
    engine.profile.db.prepare('DELETE FROM cursors WHERE flow = ?').run(FLOW);
    const posts = ocrPosts();
    const again = await engine.runFlow(FLOW);
    expect(again.counts).toMatchObject({ created: 0, updated: count });
    // Only the vouchers JAGGAER refused before (unknown supplier) were sent again, and refused again.
    expect(ocrPosts() - posts).toBe(again.counts.failed);
    expect(imported()).toHaveLength(count);
    expect(countLinks(engine.profile.db, FLOW)).toBe(count);
    const adopts = (await engine.handlers.listAudit({ limit: 1000 })).events.filter((e) => e.flow === FLOW && e.action === 'adopt');
    expect(adopts).toHaveLength(count);
  });

  it('a GL coding JAGGAER does not know fails with JAGGAER’s reason (return code ≠ 0) and waits for a person', async () => {
    setGlSegments(engine.profile.db, ['Account', 'CostCenter']);
    const run = await engine.runFlow(FLOW);
    expect(run.counts.created).toBe(0);
    expect(imported()).toHaveLength(0);
    const failures = listFailures(engine.profile.db, { flow: FLOW });
    expect(failures).toHaveLength(run.counts.failed);
    const known = failures.filter((f) => !f.sourceKey.startsWith('V001040|'));
    expect(known.length).toBeGreaterThan(0);
    for (const f of known) expect(f).toMatchObject({ state: 'open', code: 'jaggaer_error', reason: expect.stringMatching(/Unknown GL segment 'Account'.*\(return code 1\)/) });
  });

  it('dry run sends nothing, saves no link or cursor, and shows the would-be invoices', async () => {
    await adapter().createApVoucher(voucher('AP-KEYED-3', 'SR-DRY-1', [99.99]));
    const before = rt().jaggaer.invoices.length;
    const run = await engine.runFlow(FLOW, { dryRun: true });
    expect(run.counts.created).toBeGreaterThan(0);
    expect(ocrPosts()).toBe(0);
    expect(rt().jaggaer.invoices).toHaveLength(before);
    expect(countLinks(engine.profile.db, FLOW)).toBe(0);
    expect(getCursor(engine.profile.db, FLOW)).toBeNull();
    expect(listFailures(engine.profile.db, { flow: FLOW })).toHaveLength(0);
    const previews = (await engine.handlers.listAudit({ limit: 1000 })).events.filter((e) => e.flow === FLOW && e.action === 'preview-create');
    expect(previews).toHaveLength(run.counts.created);
  });

  it('a voucher whose supplier was fixed in the mappings is replayed by its key; a change after import waits for a person', async () => {
    await engine.runFlow(FLOW);
    const [failure] = listFailures(engine.profile.db, { flow: FLOW });
    expect(failure?.sourceKey).toMatch(/^V001040\|\d+$/);
    // Fix the mapping (V001040 is known in JAGGAER under another supplier number), then retry.
    setMapping(engine.profile.db, 'supplier', 'V001040', { supplierNumber: 'V001050' });
    const replayed = await engine.handlers.replayFailures({ ids: [failure!.id], all: false });
    expect(replayed.replayed).toBe(1);
    expect(replayed.runs[0]?.counts).toMatchObject({ created: 1, failed: 0 });
    const [, voucherNo] = failure!.sourceKey.split('|');
    const inv = rt().ido.find('SLAptrxps', (v) => v.VendNum === 'V001040' && v.Voucher === voucherNo)!;
    expect(imported().filter((i) => i.supplierInvoiceNumber === inv.InvNum).map((i) => i.supplier.supplierNumber)).toEqual(['V001050']);
    expect(getLink(engine.profile.db, 'cloudsuite', failure!.sourceKey, 'jaggaer')).not.toBeNull();

    // A voucher keyed just now is read again while it is inside the overlap; a new GL mapping changes what
    // Ferry would send, but an imported invoice is never edited: it becomes a failure for a person.
    const fresh = await adapter().createApVoucher(voucher('AP-KEYED-4', 'SR-CHG-1', [75]));
    await engine.runFlow(FLOW);
    setMapping(engine.profile.db, 'gl-account', '610100|*', { account: 'EXP-6101' });
    const posts = ocrPosts();
    const run = await engine.runFlow(FLOW);
    expect(ocrPosts()).toBe(posts);
    const changed = listFailures(engine.profile.db, { flow: FLOW }).find((f) => f.sourceKey === `V001000|${fresh.voucherNumber}`);
    expect(changed).toMatchObject({ code: 'changed_after_posting', state: 'open' });
    expect(run.counts.failed).toBeGreaterThan(0);
  });
});

describe('invoice-to-jaggaer on CloudSuite M3', () => {
  beforeEach(() => open('m3'));
  afterEach(close);

  /** A voucher AP enters in M3: it pays the first lines of an open PO of a supplier JAGGAER knows (APS450MI takes no account). */
  function m3Voucher(reference: string, invoiceNumber: string, amounts: number[]): { voucher: ApVoucher; accounts: { account: string; costCenter: string | null }[] } {
    const ido = rt().ido;
    const lines = (po: string) => ido.rows('SLPoItems').filter((l) => l.PoNum === po).sort((a, b) => Number(a.PoLine) - Number(b.PoLine));
    const po = ido
      .rows('SLPos')
      .find((p) => p.Stat === 'O' && !p.Uf_ProjNum && inJaggaer(p.VendNum) && ido.find('SLVendors', (v) => v.VendNum === p.VendNum)?.Stat === 'A' && lines(p.PoNum!).length >= amounts.length)!;
    const paid = lines(po.PoNum!).slice(0, amounts.length);
    const base = voucher(reference, invoiceNumber, amounts, po.VendNum!);
    return {
      voucher: {
        ...base,
        currency: ido.find('SLVendors', (v) => v.VendNum === po.VendNum)!.CurrCode!,
        purchaseOrder: po.PoNum!,
        distributions: base.distributions.map((d, i) => ({ ...d, purchaseOrderLine: { number: po.PoNum!, line: Number(paid[i]!.PoLine), release: 0, quantity: 1 } })),
      },
      accounts: paid.map((l) => ({ account: l.NonInvAcct!, costCenter: l.NonInvAcctUnit1 ?? null })),
    };
  }

  it('imports the supplier invoices M3’s ledger holds once, not the one Ferry entered from JAGGAER, and a second run imports nothing', async () => {
    const cs = adapter();
    expect(cs.product).toBe('m3');
    const keyed = m3Voucher('AP-KEYED-M3', 'M3-5531', [250, 50]);
    const keyedRec = await cs.createApVoucher(keyed.voucher);
    const echo = await cs.createApVoucher(m3Voucher('FERRY:JAG-INV-515151', 'M3-ECHO-1', [640]).voucher);
    // M3 keeps no reference on the voucher: the link the invoice-to-cloudsuite flow saved says it is Ferry's.
    saveLink(engine.profile.db, {
      flow: 'invoice-to-cloudsuite', sourceSystem: 'jaggaer', sourceId: 'JAG-INV-515151', targetSystem: 'cloudsuite', targetId: echo.voucherNumber,
      targetStatus: 'posted', contentHash: 'x', lastRunId: null,
    });
    const all = rt().ido.rows('SLAptrxps');
    const posted = all.filter((v) => v.Voucher !== echo.voucherNumber);
    const sendable = posted.filter((v) => inJaggaer(v.VendNum));

    const m3Before = sandbox.stats.count({ system: 'm3' });
    const first = await engine.runFlow(FLOW);
    expect(first.counts).toMatchObject({ created: sendable.length, failed: posted.length - sendable.length, skipped: 1 });
    // One list of the ledger (GLS200MI), then the supplier invoice of each voucher on the payables account (APS200MI GetInvoice).
    expect(sandbox.stats.count({ system: 'm3' }) - m3Before).toBe(1 + all.length);
    expect(imported().map((i) => `${i.supplier.supplierNumber}|${i.supplierInvoiceNumber}`).sort()).toEqual(sendable.map((v) => `${v.VendNum}|${v.InvNum}`).sort());
    // Coded as M3 booked it: on the PO lines' accounts.
    expect(imported().find((i) => i.supplierInvoiceNumber === 'M3-5531')!.lines.map((l) => l.gl)).toEqual(keyed.accounts);
    expect(getLink(engine.profile.db, 'cloudsuite', `${keyed.voucher.vendorNumber}|${keyedRec.voucherNumber}`, 'jaggaer')).not.toBeNull();
    expect(rt().jaggaer.invoices.some((i) => i.supplierInvoiceNumber === 'M3-ECHO-1')).toBe(false);
    expect((await auditOf(`${echo.vendorNumber}|${echo.voucherNumber}`))[0]?.reason).toMatch(/entered by Ferry from JAGGAER \(JAG-INV-515151\)/);

    const posts = ocrPosts();
    const second = await engine.runFlow(FLOW);
    expect(second.counts).toMatchObject({ created: 0, updated: 0 });
    expect(ocrPosts()).toBe(posts);
  });

  it('says once that it is not set up while M3’s payables account is unknown, and reads nothing', async () => {
    saveCloudSuiteConnection(engine.profile, parseIonapi(fs.readFileSync(sandbox.files.ionapi, 'utf8')), null, { product: 'm3', m3: { payablesAccounts: null } });
    const before = sandbox.stats.count({ system: 'm3' });
    const run = await engine.runFlow(FLOW);
    expect(run.outcome).toBe('failed');
    expect(run.error).toMatch(/invoice-to-jaggaer is not set up for CloudSuite M3: .*--m3-payables-account/);
    expect(run.counts).toMatchObject({ created: 0, failed: 0 });
    expect(sandbox.stats.count({ system: 'm3' })).toBe(before);
    expect(listFailures(engine.profile.db, { flow: FLOW })).toEqual([]);
  });
});
