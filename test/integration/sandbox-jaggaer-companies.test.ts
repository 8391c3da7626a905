import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJaggaer, type JaggaerHarness } from '../helpers/jaggaer-sandbox';

// Company profiles (suppliers): paging, filters, CREATE/UPDATE/CREATEUPDATE and the HTTP-200 errors.

const PATH = '/j1p/api/public/ja/v1/companyprofiles';
interface Info {
  bravoId: string;
  companyName: string;
  extCode?: string;
  lastModTime: string;
  paymentTerms?: string;
}
interface ListBody {
  returnCode: number;
  returnMessage: string;
  totRecords: number;
  returnedRecords: number;
  returnCompanyData: { returnCompanyInfo: Info }[];
}

let h: JaggaerHarness;
beforeAll(async () => {
  // 250 vendors: well over two pages of 100.
  h = await startJaggaer({ vendors: 250 });
});
afterAll(async () => {
  await h.close();
});

const list = async (query: string): Promise<ListBody> => {
  const res = await h.get(`${PATH}?${query}`);
  expect(res.status).toBe(200);
  return res.body as unknown as ListBody;
};
const post = async (operationCode: string, companyInfo: Record<string, unknown>) => {
  const res = await h.post(PATH, { company: { operationCode, companyInfo } });
  expect(res.status).toBe(200);
  return res.body as { returnCode: number; returnMessage: string; bravoId?: string };
};

describe('JAGGAER sandbox: company profiles read', () => {
  it('pages with a 1-based start, advancing by returnedRecords, until everything was read once', async () => {
    const seen: string[] = [];
    let start = 1;
    let pages = 0;
    let total = -1;
    for (;;) {
      const page = await list(`start=${start}`);
      expect(page.returnCode).toBe(0);
      if (total < 0) total = page.totRecords;
      expect(page.totRecords).toBe(total);
      expect(page.returnedRecords).toBe(page.returnCompanyData.length);
      if (page.returnedRecords === 0) break;
      expect(page.returnedRecords).toBeLessThanOrEqual(100);
      seen.push(...page.returnCompanyData.map((c) => c.returnCompanyInfo.bravoId));
      start += page.returnedRecords;
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen.length).toBe(total);
    expect(new Set(seen).size).toBe(total);
    expect(total).toBe(h.state.suppliers.length);
  });

  it('differs from the vendor master the way real data does', async () => {
    const vendors = h.tenant.ido.rows('SLVendors');
    const suppliers = h.state.suppliers;
    const byExt = new Map(suppliers.filter((s) => s.extCode).map((s) => [s.extCode!, s]));
    const missing = vendors.filter((v) => !byExt.has(v.VendNum!));
    const renamed = vendors.filter((v) => byExt.get(v.VendNum!) && byExt.get(v.VendNum!)!.companyName !== v.Name);
    const unlinked = suppliers.filter((s) => !s.extCode);
    expect(missing.length).toBeGreaterThan(0);
    expect(renamed.length).toBeGreaterThan(0);
    expect(unlinked.length).toBeGreaterThan(0);
    expect(byExt.size).toBeGreaterThan(vendors.length * 0.8);
  });

  it('filters by extCode and by type, and reports an unknown field or a bad timestamp with returnCode ≠ 0', async () => {
    const vend = h.state.suppliers.find((s) => s.extCode)!;
    const one = await list(`flt=${encodeURIComponent(`extCode==${vend.extCode}`)}`);
    expect(one.totRecords).toBe(1);
    expect(one.returnCompanyData[0]!.returnCompanyInfo).toMatchObject({ bravoId: vend.bravoId, extCode: vend.extCode, companyName: vend.companyName });
    const sellers = await list(`flt=${encodeURIComponent(`TYPE==SELLER;EXTCODE==${vend.extCode}`)}`);
    expect(sellers.totRecords).toBe(1);
    const none = await list(`flt=${encodeURIComponent('extCode==NO-SUCH')}`);
    expect(none).toMatchObject({ returnCode: 0, totRecords: 0, returnedRecords: 0, returnCompanyData: [] });
    for (const flt of ['colour==red', 'LASTMODTIME>=yesterday', 'extCode']) {
      const bad = await list(`flt=${encodeURIComponent(flt)}`);
      expect(bad.returnCode, flt).not.toBe(0);
      expect(bad.returnMessage, flt).toBeTruthy();
    }
  });

  it('returns only the company changed after a LASTMODTIME, on the sandbox clock', async () => {
    h.ctx.clock.advance(60_000);
    const since = h.ctx.clock.date('jaggaer').toISOString();
    expect((await list(`flt=${encodeURIComponent(`LASTMODTIME>=${since}`)}`)).totRecords).toBe(0);
    h.ctx.clock.advance(1_000);
    const { bravoId, companyName } = h.state.suppliers.find((s) => s.extCode)!;
    const before = h.ctx.clock.now('jaggaer');
    const res = await post('UPDATE', { bravoId, companyName: `${companyName} (renamed)`, paymentTerms: 'Net 10' });
    const after = h.ctx.clock.now('jaggaer');
    expect(res).toMatchObject({ returnCode: 0, bravoId });
    const changed = await list(`flt=${encodeURIComponent(`LASTMODTIME>=${since}`)}`);
    expect(changed.totRecords).toBe(1);
    const info = changed.returnCompanyData[0]!.returnCompanyInfo;
    expect(info).toMatchObject({ bravoId, companyName: `${companyName} (renamed)`, paymentTerms: 'Net 10' });
    expect(Date.parse(info.lastModTime)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(info.lastModTime)).toBeLessThanOrEqual(after);
    // Other accepted timestamp forms: no milliseconds, a space instead of T, epoch milliseconds.
    const t = Date.parse(since);
    for (const form of [since.replace(/\.\d{3}Z$/, 'Z'), since.replace('T', ' ').replace('Z', ''), String(t)]) {
      expect((await list(`flt=${encodeURIComponent(`LASTMODTIME>=${form}`)}`)).totRecords, form).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('JAGGAER sandbox: company profiles write', () => {
  it('CREATE adds a company with a new bravoId, findable by its extCode', async () => {
    const res = await post('CREATE', { companyName: 'Acme Bolts & Nuts', extCode: 'V999001', bizEmail: 'ap@acme.example.com', isoCountry: 'de', city: 'Köln' });
    expect(res.returnCode).toBe(0);
    expect(res.bravoId).toMatch(/^\d+$/);
    const found = await list(`flt=${encodeURIComponent('extCode==V999001')}`);
    expect(found.returnCompanyData[0]!.returnCompanyInfo).toMatchObject({ bravoId: res.bravoId, companyName: 'Acme Bolts & Nuts', isoCountry: 'DE', city: 'Köln' });
  });

  it('CREATEUPDATE updates by extCode when it exists and creates when it does not', async () => {
    const existing = h.state.suppliers.find((s) => s.extCode && s.extCode !== 'V999001')!;
    const upd = await post('CREATEUPDATE', { companyName: 'Renamed by sync', extCode: existing.extCode });
    expect(upd).toMatchObject({ returnCode: 0, bravoId: existing.bravoId });
    expect(h.state.suppliers.find((s) => s.bravoId === existing.bravoId)!.companyName).toBe('Renamed by sync');
    const before = h.state.suppliers.length;
    const created = await post('CREATEUPDATE', { companyName: 'Brand New Supplier', extCode: 'V999002' });
    expect(created.returnCode).toBe(0);
    expect(created.bravoId).not.toBe(existing.bravoId);
    expect(h.state.suppliers.length).toBe(before + 1);
  });

  it('answers every bad request with HTTP 200 and returnCode ≠ 0, changing nothing', async () => {
    const taken = h.state.suppliers.find((s) => s.extCode)!;
    const other = h.state.suppliers.find((s) => s.extCode && s.bravoId !== taken.bravoId)!;
    const snapshot = JSON.stringify(h.state.suppliers);
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['CREATE', { extCode: 'V999100' }, /companyName/],
      ['CREATE', { companyName: '   ', extCode: 'V999100' }, /companyName/],
      ['UPDATE', { bravoId: '999999999', companyName: 'Ghost' }, /999999999/],
      ['UPDATE', { companyName: 'No id' }, /bravoId/],
      ['CREATE', { companyName: 'Dup', extCode: taken.extCode }, /already exists/],
      ['UPDATE', { bravoId: other.bravoId, companyName: other.companyName, extCode: taken.extCode }, /already belongs/],
      ['CREATEUPDATE', { bravoId: '888888888', companyName: 'Ghost' }, /not found/],
      ['DELETE', { bravoId: taken.bravoId, companyName: 'x' }, /operationCode/],
      ['CREATE', { companyName: 'Bad country', isoCountry: 'Germany' }, /isoCountry/],
    ];
    for (const [op, info, message] of cases) {
      const res = await post(op, info);
      expect(res.returnCode, `${op} ${JSON.stringify(info)}`).not.toBe(0);
      expect(res.returnMessage).toMatch(message);
      expect(res.bravoId).toBeUndefined();
    }
    const malformed = await h.post(PATH, { companyInfo: { companyName: 'no envelope' } });
    expect(malformed.status).toBe(200);
    expect(malformed.body.returnCode).not.toBe(0);
    expect(JSON.stringify(h.state.suppliers)).toBe(snapshot);
  });
});
