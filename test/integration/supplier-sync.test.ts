import fs from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseIonapi } from '../../electron/engine/connectors/cloudsuite/ionapi';
import { connectJaggaer, saveCloudSuiteConnection } from '../../electron/engine/connectors/connect';
import { connectToSandbox } from '../../electron/engine/demo';
import { Engine } from '../../electron/engine/engine';
import { JaggaerCompanies } from '../../electron/engine/connectors/jaggaer/companies';
import { CURSOR_CLOUDSUITE, CURSOR_JAGGAER } from '../../electron/engine/flows/supplier-sync';
import { HttpPool } from '../../electron/engine/http/pool';
import { createLogger } from '../../electron/engine/log';
import { setSupplierSyncSettings } from '../../electron/engine/mapping/supplier';
import { sandboxDir } from '../../electron/engine/paths';
import { startSandbox, type Sandbox } from '../../electron/engine/sandbox';
import type { Row } from '../../electron/engine/sandbox/ido-filter';
import type { JaggaerSupplier } from '../../electron/engine/sandbox/jaggaer/index';
import { getCursor } from '../../electron/engine/store/cursors';
import { setMapping } from '../../electron/engine/store/mappings';
import { addM3Template, SANDBOX_M3_SETTINGS } from '../helpers/m3-setup';
import { TEST_ORIGIN } from '../helpers/origin';
import { tempDir } from '../helpers/temp';

// The real engine, real encrypted SQLite in a temp folder, real HTTP against the sandbox on 127.0.0.1: the
// sandbox's JAGGAER starts out of step with CloudSuite (suppliers missing on either side, renamed, other
// terms, JAGGAER-only ones without an ERP number).

let tmp: ReturnType<typeof tempDir>;
let sandbox: Sandbox;
let engine: Engine;

async function setUp(product: 'industrial' | 'm3' = 'industrial'): Promise<void> {
  tmp = tempDir();
  sandbox = await startSandbox({ dir: sandboxDir(tmp.dir), poCount: 4, seed: 11, tenants: ['FERRY_TST'], origin: TEST_ORIGIN });
  engine = await Engine.open({ dataDir: tmp.dir, log: createLogger(tmp.dir, 'warn'), clock: () => sandbox.clock.now() });
  connectToSandbox(engine, sandbox);
  if (product === 'm3') {
    // The setup the sandbox tenant's M3 administrator made and told Ferry about (helpers/m3-setup.ts).
    addM3Template(sandbox.runtime().ido);
    saveCloudSuiteConnection(engine.profile, parseIonapi(fs.readFileSync(sandbox.files.ionapi, 'utf8')), null, { product: 'm3', m3: SANDBOX_M3_SETTINGS, rateLimitPerMinute: 10_000 });
  }
}

afterEach(async () => {
  vi.restoreAllMocks();
  engine?.close();
  await sandbox?.close();
  tmp?.remove();
});

// ── Both sides in the common view, read straight from the sandbox's own state ───────────────────────────────

const t = (v: string | null | undefined): string | null => (v ?? '').replace(/\s+/g, ' ').trim() || null;
const terms = (text: string | null): string | null => {
  const net = /^Net (\d+)$/.exec(text ?? '');
  return net ? `N${net[1]}` : t(text);
};

const ido = () => sandbox.runtime().ido;
const vendorRows = () => ido().rows('SLVendors');
const suppliers = (): JaggaerSupplier[] => sandbox.runtime().jaggaer.suppliers;
const supplierOf = (vendNum: string) => suppliers().find((s) => s.extCode === vendNum);

function csView(vendNum: string) {
  const v = ido().find('SLVendors', (r) => r.VendNum === vendNum)!;
  const a = ido().find('SLVendaddrs', (r) => r.VendNum === vendNum);
  return {
    name: t(a?.Name ?? v.Name), contact: t(v.Contact ?? a?.Contact), email: t(v.ExternalEmailAddr ?? a?.ExternalEmailAddr), phone: t(v.Phone ?? a?.Phone),
    address: t(a?.Addr_1), city: t(a?.City), state: t(a?.State), zip: t(a?.Zip), country: t(a?.Country), terms: t(v.TermsCode),
  };
}

function jgView(s: JaggaerSupplier) {
  return {
    name: t(s.companyName), contact: t(`${s.userName ?? ''} ${s.userSurName ?? ''}`), email: t(s.bizEmail), phone: t(s.bizPhone), address: t(s.address),
    city: t(s.city), state: t(s.province), zip: t(s.zip), country: t(s.isoCountry), terms: terms(s.paymentTerms),
  };
}

/** Changes a vendor the way a CloudSuite user would: both rows of the vendor, RecordDate moves. */
function changeVendor(vendNum: string, props: Row, addressProps: Row = props): void {
  ido().update('SLVendors', ido().find('SLVendors', (r) => r.VendNum === vendNum)!.RowPointer!, props);
  ido().update('SLVendaddrs', ido().find('SLVendaddrs', (r) => r.VendNum === vendNum)!.RowPointer!, addressProps);
}

const jaggaerClient = () => connectJaggaer(engine.profile, new HttpPool()).client;

/** Writes as the sandbox sees them: JAGGAER profile saves, and every CloudSuite row insert or change (IDO or M3). */
function countWrites() {
  const tables = ido();
  const inserts = vi.spyOn(tables, 'insert');
  const updates = vi.spyOn(tables, 'update');
  const posts = () => sandbox.stats.count({ system: 'jaggaer', method: 'POST', route: 'companyprofiles' });
  let base = { jaggaer: posts(), cloudsuite: 0 };
  inserts.mockClear();
  updates.mockClear();
  return {
    since: () => ({ jaggaer: posts() - base.jaggaer, cloudsuite: inserts.mock.calls.length + updates.mock.calls.length - base.cloudsuite }),
    reset: () => {
      base = { jaggaer: posts(), cloudsuite: inserts.mock.calls.length + updates.mock.calls.length };
    },
  };
}

const auditOf = async (key: string) => (await engine.handlers.listAudit({ limit: 2000, flow: 'supplier-sync' })).events.filter((e) => e.sourceKey === key || e.targetKey === key);

/** `held`: the fields CloudSuite keeps; M3 publishes none for a contact name or e-mail, which stay JAGGAER's. */
function expectInStep(held: (view: ReturnType<typeof csView>) => Partial<ReturnType<typeof csView>> = (v) => v): void {
  const vendNums = vendorRows().map((v) => v.VendNum!);
  // Every JAGGAER supplier has a CloudSuite vendor, and every active vendor a JAGGAER supplier, with one view.
  for (const s of suppliers()) {
    expect(s.extCode, s.companyName).not.toBeNull();
    expect(vendNums).toContain(s.extCode);
    expect(held(jgView(s)), s.extCode!).toEqual(held(csView(s.extCode!)));
  }
  for (const v of vendorRows()) if (v.Stat === 'A') expect(supplierOf(v.VendNum!), v.VendNum!).toBeDefined();
  expect(new Set(suppliers().map((s) => s.extCode)).size).toBe(suppliers().length);
}

describe('supplier-sync against the sandbox (CloudSuite Industrial)', () => {
  it('brings both sides to the same suppliers on the first run, and a second run writes nothing', async () => {
    await setUp();
    const jaggaerOnly = suppliers().filter((s) => !s.extCode).map((s) => s.bravoId);
    const missing = vendorRows().filter((v) => v.Stat === 'A' && !supplierOf(v.VendNum!)).map((v) => v.VendNum!);
    const renamed = suppliers().filter((s) => s.extCode && s.companyName !== csView(s.extCode).name).map((s) => ({ vendNum: s.extCode!, name: s.companyName }));
    expect(jaggaerOnly.length).toBeGreaterThanOrEqual(2);
    expect(missing.length).toBeGreaterThanOrEqual(1);
    expect(renamed.length).toBeGreaterThanOrEqual(1);
    const writes = countWrites();

    const first = await engine.runFlow('supplier-sync');
    expect(first.outcome).toBe('ok');
    expect(first.counts.failed).toBe(0);
    expect(first.counts.created).toBe(jaggaerOnly.length + missing.length);
    expectInStep();
    // JAGGAER-only suppliers became vendors J + bravoId, and carry that number in JAGGAER now.
    for (const id of jaggaerOnly) {
      const s = suppliers().find((x) => x.bravoId === id)!;
      expect(s.extCode).toBe(`J${id.padStart(6, '0')}`);
    }
    // A renamed supplier is a conflict at the first sync; the name follows CloudSuite, and the trail says so.
    for (const r of renamed) {
      const conflict = (await auditOf(r.vendNum)).find((e) => e.action === 'conflict' && e.reason?.startsWith('The name'));
      expect(conflict?.reason).toContain(`CloudSuite "${csView(r.vendNum).name}", JAGGAER "${r.name}"`);
      expect(conflict?.reason).toContain('CloudSuite wins');
      expect(supplierOf(r.vendNum)!.companyName).toBe(csView(r.vendNum).name);
    }
    expect(getCursor(engine.profile.db, CURSOR_CLOUDSUITE)).not.toBeNull();
    expect(getCursor(engine.profile.db, CURSOR_JAGGAER)).not.toBeNull();

    writes.reset();
    const idoUpdates = () => sandbox.stats.count({ system: 'ido', method: 'POST', route: '/update/' });
    const idoUpdatesBefore = idoUpdates();
    expect(idoUpdatesBefore).toBeGreaterThan(0);
    const second = await engine.runFlow('supplier-sync');
    expect(second.counts).toMatchObject({ created: 0, updated: 0, failed: 0 });
    expect(writes.since()).toEqual({ jaggaer: 0, cloudsuite: 0 });
    expect(idoUpdates()).toBe(idoUpdatesBefore);
    const third = await engine.runFlow('supplier-sync');
    expect(third.counts).toMatchObject({ created: 0, updated: 0, failed: 0 });
    expect(writes.since()).toEqual({ jaggaer: 0, cloudsuite: 0 });
  });

  it('carries a change on one side to the other exactly once, without echo', async () => {
    await setUp();
    await engine.runFlow('supplier-sync');
    // The next run reads the first run's saves back (they are newer than its cursors) and finds them in step.
    expect((await engine.runFlow('supplier-sync')).counts).toMatchObject({ created: 0, updated: 0, failed: 0 });
    sandbox.clock.advance(60 * 60_000);
    // b: a supplier JAGGAER has not saved since long before the first sync, so no JAGGAER read returns it.
    const [b, a] = [...suppliers()].sort((x, y) => x.lastModTime.localeCompare(y.lastModTime));
    const lookups = vi.spyOn(JaggaerCompanies.prototype, 'page');
    const writes = countWrites();

    // A JAGGAER contact changes through the API; a CloudSuite vendor is renamed by a CloudSuite user.
    await jaggaerClient().companies.update(a!.bravoId, { companyName: a!.companyName, bizEmail: 'orders@changed.example', userName: 'Zoe', userSurName: 'Quist' });
    changeVendor(b!.extCode!, { Name: 'Renamed In CloudSuite Ltd' });
    writes.reset();
    const run = await engine.runFlow('supplier-sync');
    expect(run.counts).toMatchObject({ created: 0, updated: 2, failed: 0 });
    expect(csView(a!.extCode!)).toMatchObject({ email: 'orders@changed.example', contact: 'Zoe Quist' });
    expect(supplierOf(b!.extCode!)!.companyName).toBe('Renamed In CloudSuite Ltd');
    // The renamed vendor's supplier was not among JAGGAER's changes: it was looked up by its link.
    expect(lookups.mock.calls.map((c) => c[0])).toContain(`BRAVOID==${b!.bravoId}`);
    // One profile save in JAGGAER (the rename); the contact went to CloudSuite's vendor and address rows.
    expect(writes.since().jaggaer).toBe(1);
    expect(writes.since().cloudsuite).toBeGreaterThanOrEqual(1);
    expectInStep();

    // Reading those saves back changes nothing.
    writes.reset();
    for (let i = 0; i < 2; i++) {
      expect((await engine.runFlow('supplier-sync')).counts).toMatchObject({ created: 0, updated: 0, failed: 0 });
      sandbox.clock.advance(60 * 60_000);
    }
    expect(writes.since()).toEqual({ jaggaer: 0, cloudsuite: 0 });
    const trail = await auditOf(a!.extCode!);
    expect(trail.filter((e) => e.action === 'update' && e.outcome === 'ok' && e.reason?.includes('contact e-mail'))).toHaveLength(1);
  });

  it('creates a supplier that is new on either side after the first sync on the other, once', async () => {
    await setUp();
    await engine.runFlow('supplier-sync');
    sandbox.clock.advance(60 * 60_000);
    const bravoId = await jaggaerClient().companies.createOrUpdate({
      companyName: 'Acme Portal Supplies', bizEmail: 'sales@acme.example', address: '1 Portal Way', city: 'Austin', province: 'TX', zip: '73301', isoCountry: 'US', paymentTerms: 'Net 45',
    });
    const vendor = { VendNum: 'V009990', Name: 'Brand New Vendor Co', CurrCode: 'USD', TermsCode: 'N60', Stat: 'A', Contact: 'Kim Lee', Phone: '+1 555 9999', ExternalEmailAddr: 'ap@brandnew.example' };
    ido().insert('SLVendors', vendor);
    ido().insert('SLVendaddrs', { VendNum: 'V009990', Name: 'Brand New Vendor Co', Addr_1: '9 Harbor Rd', City: 'Seattle', State: 'WA', Zip: '98101', Country: 'US', Contact: 'Kim Lee', Phone: '+1 555 9999', ExternalEmailAddr: 'ap@brandnew.example' });

    const run = await engine.runFlow('supplier-sync');
    expect(run.counts).toMatchObject({ created: 2, failed: 0 });
    const number = `J${bravoId.padStart(6, '0')}`;
    expect(csView(number)).toMatchObject({ name: 'Acme Portal Supplies', terms: 'N45', city: 'Austin', country: 'US' });
    expect(ido().find('SLVendors', (r) => r.VendNum === number)).toMatchObject({ CurrCode: 'USD', Stat: 'A' });
    expect(supplierOf('V009990')).toMatchObject({ companyName: 'Brand New Vendor Co', paymentTerms: 'Net 60', userName: 'Kim', userSurName: 'Lee' });
    expectInStep();

    const writes = countWrites();
    const again = await engine.runFlow('supplier-sync');
    expect(again.counts).toMatchObject({ created: 0, updated: 0, failed: 0 });
    expect(writes.since()).toEqual({ jaggaer: 0, cloudsuite: 0 });
  });

  it('settles a field changed on both sides by the field policy and shows the conflict', async () => {
    await setUp();
    await engine.runFlow('supplier-sync');
    const s = suppliers().find((x) => x.extCode?.startsWith('V'))!;
    const vendNum = s.extCode!;
    const client = jaggaerClient();

    // Phone (a contact field: JAGGAER wins) and name (CloudSuite wins) changed in both systems.
    changeVendor(vendNum, { Phone: '+1 555 1111', Name: 'Name From CloudSuite' });
    await client.companies.update(s.bravoId, { companyName: 'Name From JAGGAER', bizPhone: '+1 555 2222' });
    const run = await engine.runFlow('supplier-sync');
    expect(run.counts).toMatchObject({ updated: 1, failed: 0 });
    expect(csView(vendNum)).toMatchObject({ phone: '+1 555 2222', name: 'Name From CloudSuite' });
    expect(jgView(supplierOf(vendNum)!)).toMatchObject({ phone: '+1 555 2222', name: 'Name From CloudSuite' });
    const conflicts = (await auditOf(vendNum)).filter((e) => e.action === 'conflict' && e.runId === run.runId);
    expect(conflicts.map((e) => e.reason)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^The name changed in both systems .*CloudSuite "Name From CloudSuite", JAGGAER "Name From JAGGAER"\. CloudSuite wins/),
        expect.stringMatching(/^The contact phone changed in both systems .*CloudSuite "\+1 555 1111", JAGGAER "\+1 555 2222"\. JAGGAER wins/),
      ]),
    );
    expect(conflicts).toHaveLength(2);

    // The policy is a setting: with CloudSuite owning the phone, the next conflict goes the other way.
    setSupplierSyncSettings(engine.profile.db, { fieldPolicy: { phone: 'cloudsuite' } });
    changeVendor(vendNum, { Phone: '+1 555 3333' });
    await client.companies.update(s.bravoId, { companyName: 'Name From CloudSuite', bizPhone: '+1 555 4444' });
    await engine.runFlow('supplier-sync');
    expect(csView(vendNum).phone).toBe('+1 555 3333');
    expect(supplierOf(vendNum)!.bizPhone).toBe('+1 555 3333');

    const writes = countWrites();
    await engine.runFlow('supplier-sync');
    expect(writes.since()).toEqual({ jaggaer: 0, cloudsuite: 0 });
  });

  it('dry run writes nothing and shows what it would send', async () => {
    await setUp();
    const before = JSON.stringify(suppliers());
    const writes = countWrites();
    const dry = await engine.runFlow('supplier-sync', { dryRun: true });
    expect(dry.outcome).toBe('ok');
    expect(dry.counts.created).toBeGreaterThan(0);
    expect(writes.since()).toEqual({ jaggaer: 0, cloudsuite: 0 });
    expect(JSON.stringify(suppliers())).toBe(before);
    expect(getCursor(engine.profile.db, CURSOR_JAGGAER)).toBeNull();
    expect(engine.profile.db.prepare(`SELECT count(*) AS n FROM links WHERE flow = 'supplier-sync'`).get()).toEqual({ n: 0 });
    const previews = engine.profile.db
      .prepare(`SELECT action, capture FROM audit_events WHERE flow = 'supplier-sync' AND action LIKE 'preview-%' AND capture IS NOT NULL`)
      .all() as { action: string; capture: string }[];
    const creates = previews.filter((p) => p.action === 'preview-create').map((p) => JSON.parse(p.capture) as { payload: Record<string, unknown> });
    expect(creates.some((c) => typeof c.payload.extCode === 'string' && c.payload.companyName)).toBe(true);
    expect(creates.some((c) => typeof c.payload.number === 'string' && String(c.payload.number).startsWith('J'))).toBe(true);
    expect(previews.some((p) => p.action === 'preview-conflict')).toBe(true);

    const real = await engine.runFlow('supplier-sync');
    expect(real.counts.created).toBe(dry.counts.created);
    expectInStep();
  });

  it('records a JAGGAER refusal with its reason and replays the supplier by key once it is fixed', async () => {
    await setUp();
    await engine.runFlow('supplier-sync');
    const vendNum = suppliers().find((x) => x.extCode?.startsWith('V'))!.extCode!;
    changeVendor(vendNum, {}, { Country: 'Germany' });
    const run = await engine.runFlow('supplier-sync');
    expect(run).toMatchObject({ outcome: 'partial', counts: { failed: 1 } });
    const [failure] = (await engine.handlers.listFailures({ flow: 'supplier-sync', includeClosed: false, limit: 10 })).failures;
    expect(failure).toMatchObject({ sourceKey: vendNum, code: 'jaggaer_error', state: 'open' });
    expect(failure!.reason).toMatch(/JAGGAER refused .*isoCountry 'GERMANY' is not an ISO 3166 alpha-2 code/);

    changeVendor(vendNum, {}, { Country: 'DE' });
    const replayed = await engine.handlers.replayFailures({ ids: [failure!.id], all: false });
    expect(replayed.runs[0]!.counts).toMatchObject({ updated: 1, failed: 0 });
    expect(supplierOf(vendNum)!.isoCountry).toBe('DE');
    expect((await engine.handlers.listFailures({ flow: 'supplier-sync', includeClosed: false, limit: 10 })).failures).toHaveLength(0);
  });

  it('uses the supplier and payment-terms mappings when they are present, and JAGGAER-only suppliers can wait for a person', async () => {
    await setUp();
    const vendNum = vendorRows().find((v) => v.Stat === 'A' && !supplierOf(v.VendNum!))!.VendNum!;
    const termsCode = csView(vendNum).terms!;
    setMapping(engine.profile.db, 'supplier', vendNum, { supplierNumber: 'SUP-0042' });
    setMapping(engine.profile.db, 'payment-terms', termsCode, `${termsCode} as agreed`);
    setSupplierSyncSettings(engine.profile.db, { newVendorNumbers: 'wait' });
    const run = await engine.runFlow('supplier-sync');
    expect(run.outcome).toBe('partial');
    const created = suppliers().find((s) => s.extCode === 'SUP-0042')!;
    expect(created.companyName).toBe(csView(vendNum).name);
    expect(created.paymentTerms).toBe(`${termsCode} as agreed`);
    const waiting = (await engine.handlers.listFailures({ flow: 'supplier-sync', includeClosed: false, limit: 10 })).failures;
    expect(waiting.length).toBe(suppliers().filter((s) => !s.extCode).length);
    for (const f of waiting) {
      expect(f.sourceKey).toMatch(/^bravo:\d+$/);
      expect(f.reason).toContain('has no ERP supplier number');
    }
    const writes = countWrites();
    await engine.runFlow('supplier-sync');
    expect(writes.since()).toEqual({ jaggaer: 0, cloudsuite: 0 });
  });
});

describe('supplier-sync against CloudSuite M3', () => {
  const m3Held = ({ contact: _c, email: _e, ...rest }: ReturnType<typeof csView>) => rest;

  it('syncs both ways, writes nothing the second time, leaves the contact to JAGGAER, and records what M3 cannot do', async () => {
    await setUp('m3');
    const first = await engine.runFlow('supplier-sync');
    expect(first).toMatchObject({ outcome: 'ok', counts: { failed: 0 } });
    expect(first.counts.created).toBeGreaterThanOrEqual(3);
    expectInStep(m3Held);
    // Suppliers new in JAGGAER became M3 suppliers as copies of the template (CRS620MI CopyTemplate), with their own values.
    // (JAGGAER-only suppliers get vendor numbers J + their JAGGAER id.)
    const fromJaggaer = vendorRows().filter((v) => v.VendNum!.startsWith('J'));
    expect(fromJaggaer.length).toBeGreaterThanOrEqual(1);
    for (const v of fromJaggaer) {
      expect(v).toMatchObject({ Stat: 'A', VendType: 'SUP', CurrCode: 'USD' });
      expect(v.Name).toBe(suppliers().find((s) => s.extCode === v.VendNum)!.companyName);
    }
    const writes = countWrites();
    const second = await engine.runFlow('supplier-sync');
    expect(second.counts).toMatchObject({ created: 0, updated: 0, failed: 0 });
    expect(writes.since()).toEqual({ jaggaer: 0, cloudsuite: 0 });

    // A JAGGAER contact change stays in JAGGAER: M3 publishes no field for it, and nothing is cleared there either.
    const [a, b] = suppliers().filter((s) => s.extCode?.startsWith('V'));
    const client = jaggaerClient();
    await client.companies.update(a!.bravoId, { companyName: a!.companyName, userName: 'Mo', userSurName: 'Reyes' });
    writes.reset();
    expect((await engine.runFlow('supplier-sync')).counts).toMatchObject({ updated: 0, failed: 0 });
    expect(writes.since()).toEqual({ jaggaer: 0, cloudsuite: 0 });
    expect(jgView(supplierOf(a!.extCode!)!).contact).toBe('Mo Reyes');

    // A JAGGAER phone change reaches M3 (CRS620MI UpdSupplier) once.
    await client.companies.update(a!.bravoId, { companyName: a!.companyName, bizPhone: '+1 555 7788' });
    writes.reset();
    expect((await engine.runFlow('supplier-sync')).counts).toMatchObject({ updated: 1, failed: 0 });
    expect(csView(a!.extCode!).phone).toBe('+1 555 7788');
    expect(writes.since().jaggaer).toBe(0);
    writes.reset();
    await engine.runFlow('supplier-sync');
    expect(writes.since()).toEqual({ jaggaer: 0, cloudsuite: 0 });

    // Clearing the phone in JAGGAER would have to clear it in M3, which UpdSupplier cannot: a failure, nothing half-done.
    await client.companies.update(b!.bravoId, { companyName: b!.companyName, bizPhone: null });
    writes.reset();
    const run = await engine.runFlow('supplier-sync');
    expect(run.counts).toMatchObject({ failed: 1 });
    expect(writes.since()).toEqual({ jaggaer: 0, cloudsuite: 0 });
    const [failure] = (await engine.handlers.listFailures({ flow: 'supplier-sync', includeClosed: false, limit: 10 })).failures;
    expect(failure).toMatchObject({ sourceKey: b!.extCode, code: 'not_supported' });
    expect(failure!.reason).toContain('cannot clear PHNO');
    expect(csView(b!.extCode!).phone).not.toBeNull();
  });
});
