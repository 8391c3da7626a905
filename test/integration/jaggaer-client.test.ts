import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { connectJaggaer, saveJaggaerConnection } from '../../electron/engine/connectors/connect';
import { JaggaerClient } from '../../electron/engine/connectors/jaggaer/client';
import { JaggaerError } from '../../electron/engine/connectors/jaggaer/errors';
import { collect } from '../../electron/engine/connectors/jaggaer/paging';
import { HttpPool } from '../../electron/engine/http/pool';
import { startSandbox, type Sandbox } from '../../electron/engine/sandbox';
import { openProfile } from '../../electron/engine/store/profile';
import { JAGGAER_RETURN_CODES, jaggaerCredentials, type JaggaerState } from '../../electron/engine/sandbox/jaggaer/index';
import { TEST_ORIGIN } from '../helpers/origin';
import { tempDir } from '../helpers/temp';

// The JAGGAER client over real HTTP against the sandbox's JAGGAER on 127.0.0.1: suppliers, invoices and the
// token. Page sizes are turned down so that a small world still spans several pages.

const TENANT = 'FERRY_TST';
let tmp: ReturnType<typeof tempDir>;
let sandbox: Sandbox;
let state: JaggaerState;
let client: JaggaerClient;

const minute = 60_000;
const later = (ms = minute) => sandbox.clock.advance(ms);
const jaggaerNow = () => sandbox.clock.date('jaggaer');
const tokenRequests = () => sandbox.stats.count({ system: 'jaggaer', route: 'openid-connect/token' });

beforeAll(async () => {
  tmp = tempDir();
  sandbox = await startSandbox({ dir: tmp.dir, tenants: [TENANT], seed: 11, poCount: 40, origin: TEST_ORIGIN });
  state = sandbox.runtime(TENANT).jaggaer;
  state.config.pageSize = { companyProfiles: 4, invoices: 5 };
  const creds = jaggaerCredentials(state);
  const http = new HttpPool().create({ system: 'JAGGAER', secrets: [creds.clientSecret, creds.sharedSecret] });
  client = new JaggaerClient(http, { baseUrl: sandbox.tenants[TENANT]!.endpoints.jaggaer, ...creds });
});
afterAll(async () => {
  await sandbox.close();
  tmp.remove();
});

describe('JAGGAER client: company profiles', () => {
  it('reads every supplier changed since a time, page by page, exactly as many as JAGGAER holds', async () => {
    const since = '2000-01-01T00:00:00.000Z';
    const pages: string[][] = [];
    for await (const page of client.companies.changedSince(since)) pages.push(page.map((c) => c.bravoId));
    const expected = state.suppliers.filter((s) => s.lastModTime >= since).map((s) => s.bravoId);
    expect(expected.length).toBeGreaterThan(8);
    expect(pages.length).toBe(Math.ceil(expected.length / 4));
    expect(pages.flat().sort()).toEqual([...expected].sort());
  });

  it('reads only what changed after the time asked for', async () => {
    const before = jaggaerNow();
    later();
    const touched = state.suppliers.filter((s) => s.extCode).slice(0, 6);
    for (const s of touched) await client.companies.update(s.bravoId, { companyName: s.companyName, paymentTerms: 'Net 45' });
    const changed = await collect(client.companies.changedSince(before));
    expect(changed.map((c) => c.bravoId).sort()).toEqual(touched.map((s) => s.bravoId).sort());
    expect(changed.length).toBe(state.suppliers.filter((s) => Date.parse(s.lastModTime) >= before.getTime()).length);
    expect(changed.every((c) => c.paymentTerms === 'Net 45')).toBe(true);
  });

  it('finds a supplier by its ERP number, and nothing for an unknown one', async () => {
    const s = state.suppliers.find((x) => x.extCode)!;
    const found = await client.companies.findByExtCode(s.extCode!);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ bravoId: s.bravoId, companyName: s.companyName, extCode: s.extCode, city: s.city });
    expect(await client.companies.findByExtCode('NO-SUCH-VENDOR')).toEqual([]);
    await expect(client.companies.findByExtCode('V1;TYPE==SELLER')).rejects.toMatchObject({ code: 'invalid_filter_value' });
  });

  it('creates, updates and create-or-updates a supplier, always the same bravoId for the same extCode', async () => {
    const bravoId = await client.companies.create({ companyName: 'Ferry Test Supply', extCode: 'FT-0001', city: 'Portland', isoCountry: 'US', bizEmail: 'ap@ferry-test.example.com' });
    expect(state.suppliers.filter((s) => s.extCode === 'FT-0001').map((s) => s.bravoId)).toEqual([bravoId]);
    expect((await client.companies.findByExtCode('FT-0001'))[0]).toMatchObject({ bravoId, companyName: 'Ferry Test Supply', city: 'Portland', bizEmail: 'ap@ferry-test.example.com' });

    expect(await client.companies.update(bravoId, { companyName: 'Ferry Test Supply Inc', extCode: 'FT-0001', paymentTerms: 'Net 60' })).toBe(bravoId);
    expect(await client.companies.createOrUpdate({ companyName: 'Ferry Test Supply Inc', extCode: 'FT-0001', zip: '97204' })).toBe(bravoId);
    expect((await client.companies.findByExtCode('FT-0001'))[0]).toMatchObject({ bravoId, companyName: 'Ferry Test Supply Inc', paymentTerms: 'Net 60', zip: '97204', city: 'Portland' });

    const other = await client.companies.createOrUpdate({ companyName: 'Ferry Other Supply', extCode: 'FT-0002' });
    expect(other).not.toBe(bravoId);
    expect(state.suppliers.filter((s) => s.extCode === 'FT-0002')).toHaveLength(1);
  });

  it('turns returnCode ≠ 0 on HTTP 200 into a JaggaerError that is not retried', async () => {
    const existing = state.suppliers.find((s) => s.extCode)!;
    const posts = () => sandbox.stats.count({ system: 'jaggaer', method: 'POST', route: 'companyprofiles' });
    const before = posts();
    const dup = await client.companies.create({ companyName: 'Twin', extCode: existing.extCode! }).catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(JaggaerError);
    expect(dup).toMatchObject({ code: 'jaggaer_error', retryable: false, returnCode: JAGGAER_RETURN_CODES.DUPLICATE, system: 'JAGGAER' });
    expect((dup as JaggaerError).returnMessage).toContain(existing.extCode!);
    expect((dup as JaggaerError).message).toContain(`creating supplier ${existing.extCode}`);
    expect(posts()).toBe(before + 1);

    await expect(client.companies.update('99999999', { companyName: 'Nobody' })).rejects.toMatchObject({ returnCode: JAGGAER_RETURN_CODES.NOT_FOUND });
    await expect(client.companies.page('NOSUCHFIELD==1', 1)).rejects.toMatchObject({ returnCode: JAGGAER_RETURN_CODES.INVALID_REQUEST, retryable: false });
  });
});

describe('JAGGAER client: invoices', () => {
  it('lists every invoice across pages, and then only those changed since a time', async () => {
    const all = await collect(client.invoices.changedSince('2000-01-01'));
    expect(all.map((i) => i.id)).toEqual(state.invoices.map((i) => String(i.invoiceId)).sort());

    const before = jaggaerNow();
    later();
    const added = sandbox.addActivity(TENANT, { invoices: 7 }) as { jaggaer: { invoices: number[] } };
    const pages: number[] = [];
    for await (const page of client.invoices.changedSince(before)) pages.push(page.length);
    expect(pages).toEqual([5, 2]);
    const changed = await collect(client.invoices.changedSince(before));
    expect(changed.map((i) => i.id)).toEqual(added.jaggaer.invoices.map(String));
    for (const inv of changed) expect(Date.parse(inv.modifiedAt)).toBeGreaterThanOrEqual(before.getTime());
  });

  it('gets one invoice with its lines and GL coding, and null for an unknown id', async () => {
    const src = state.invoices.find((i) => i.lines.length > 1 && i.lines.some((l) => Object.keys(l.gl).length > 0))!;
    const inv = (await client.invoices.get(String(src.invoiceId)))!;
    expect(inv).toMatchObject({ id: String(src.invoiceId), number: src.invoiceNumber, supplierInvoiceNumber: src.supplierInvoiceNumber, currency: src.currency });
    expect(inv.supplier).toEqual({ id: String(src.supplier.id), number: src.supplier.supplierNumber, name: src.supplier.name });
    expect(inv.lines.map((l) => [l.line, l.quantity, l.unitPrice, l.amount, l.poNumber])).toEqual(
      src.lines.map((l) => [l.lineNumber, l.quantity, l.unitPrice, Math.round(l.quantity * l.unitPrice * 100) / 100, l.poNumber]),
    );
    expect(inv.lines.map((l) => l.glSplits)).toEqual(src.lines.map((l) => [l.gl]));
    expect(await client.invoices.get('999999999')).toBeNull();
  });

  it('imports an incoming invoice once; the same supplier invoice again is refused', async () => {
    const supplier = state.suppliers.find((s) => s.extCode)!;
    const incoming = {
      batchId: 'ferry-batch-0001',
      supplierNumber: supplier.extCode!,
      supplierInvoiceNumber: 'SUP-INV-0001',
      invoiceDate: '2026-02-02',
      paymentTerms: 'Net 30',
      notes: 'Scanned by Ferry test',
      currency: 'USD',
      lines: [
        { line: 1, description: 'Courier services, monthly', unitOfMeasure: 'EA', quantity: 1, unitPrice: 184.2 },
        { line: 2, description: 'Calibration service', unitOfMeasure: 'EA', quantity: 2, unitPrice: 360 },
      ],
    };
    const before = jaggaerNow();
    later();
    const done = await client.invoices.importIncoming(incoming);
    expect(done.batchId).toBe('ferry-batch-0001');
    expect(done.invoiceId).not.toBeNull();

    const inv = (await client.invoices.get(done.invoiceId!))!;
    expect(inv).toMatchObject({ supplierInvoiceNumber: 'SUP-INV-0001', invoiceDate: '2026-02-02', kind: 'invoice', supplier: { number: supplier.extCode }, poNumber: null });
    expect(inv.lines.map((l) => l.amount)).toEqual([184.2, 720]);
    expect((await collect(client.invoices.changedSince(before))).map((i) => i.id)).toEqual([done.invoiceId]);
    expect(await client.invoices.findBySupplierInvoiceNumber(supplier.extCode!, 'SUP-INV-0001')).toHaveLength(1);

    await expect(client.invoices.importIncoming({ ...incoming, batchId: 'ferry-batch-0002' })).rejects.toMatchObject({ returnCode: JAGGAER_RETURN_CODES.DUPLICATE });
    await expect(client.invoices.importIncoming({ ...incoming, supplierNumber: 'NO-SUCH-VENDOR', supplierInvoiceNumber: 'X-1' })).rejects.toMatchObject({
      returnCode: JAGGAER_RETURN_CODES.NOT_FOUND,
    });
  });
});

describe('JAGGAER client: token', () => {
  it('signs in once, and an expiry mid-run costs exactly one renewal', async () => {
    await client.companies.page(null, 1);
    const tokens = tokenRequests();
    const refused = () => sandbox.stats.count({ system: 'jaggaer', status: 401 });
    const refusedBefore = refused();
    await client.invoices.page(null, 1);
    expect(tokenRequests()).toBe(tokens);

    // Past the token's lifetime on JAGGAER's clock: the cached token is refused once and renewed once.
    later((state.auth.tokenLifetimeSeconds + 1) * 1000);
    const page = await client.companies.page(null, 1);
    expect(page.items.length).toBeGreaterThan(0);
    await client.invoices.page(null, 1);
    expect(tokenRequests()).toBe(tokens + 1);
    expect(refused()).toBe(refusedBefore + 1);
  });
});

describe('JAGGAER client from a stored connection', () => {
  it('uses the published paths unless the connection names the customer’s own', async () => {
    const profile = await openProfile(path.join(tmp.dir, 'ferry'));
    try {
      const { clientId, clientSecret, identity, sharedSecret } = jaggaerCredentials(state);
      const baseUrl = sandbox.tenants[TENANT]!.endpoints.jaggaer;
      // This customer's invoice list lives elsewhere (the sandbox serves none there).
      saveJaggaerConnection(profile, { baseUrl, clientId, poImportPath: '/apps/Router/POXMLImport', paths: { invoices: '/j1p/api/public/ji/v1/invoice-search' } }, { clientSecret, identity, sharedSecret });
      const link = connectJaggaer(profile, new HttpPool());
      expect(link.po).toBe(link.client.po);
      expect(link.tokens).toBe(link.client.tokens);
      expect((await link.client.companies.page(null, 1)).totRecords).toBe(state.suppliers.length);
      await expect(link.client.invoices.page(null, 1)).rejects.toMatchObject({ code: 'not_found', status: 404 });
      expect(sandbox.stats.count({ system: 'jaggaer', route: 'invoice-search', status: 404 })).toBe(1);
    } finally {
      profile.close();
    }
  });
});
