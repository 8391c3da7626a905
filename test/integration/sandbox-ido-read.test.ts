import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../electron/engine/sandbox';
import { idoKeys, idoSchemas } from '../../electron/engine/sandbox/ido-schema';
import { industrialContract } from '../../electron/engine/contracts/cloudsuite';
import { ferryIdoClient, idoApi, type IdoApi } from '../helpers/sandbox';
import { TEST_ORIGIN } from '../helpers/origin';
import { tempDir } from '../helpers/temp';

// The sandbox's Mongoose IDO reads over real HTTP through the ION gateway: load paging in both directions,
// joined properties, GET /info metadata, and Ferry's own IdoClient against all of it.

let tmp: ReturnType<typeof tempDir>;
let sandbox: Sandbox;
let api: IdoApi;

interface LoadBody {
  Success: boolean;
  Message: string | null;
  Items: Record<string, string | null>[] | null;
  Bookmark: string | null;
  MoreRowsExist: boolean;
}
interface InfoBody {
  Success: boolean;
  Message: string | null;
  Keys: string[] | null;
  Properties: { Name: string; DataType: string; Length: number; ReadOnly: boolean; Required: boolean }[] | null;
}
beforeAll(async () => {
  tmp = tempDir();
  sandbox = await startSandbox({ dir: tmp.dir, tenants: ['FERRY_TST'], poCount: 23, seed: 11, origin: TEST_ORIGIN });
  api = await idoApi(sandbox);
});
afterAll(async () => {
  await sandbox.close();
  tmp.remove();
});

const poNums = () => sandbox.runtime().ido.rows('SLPos').map((p) => p.PoNum!).sort();

describe('load paging', () => {
  it('LAST then PREVIOUS walks backwards to the start, each row once, pages in load order', async () => {
    const pages: string[][] = [];
    let res = await api.get<LoadBody>('/load/SLPos', { properties: 'PoNum', recordCap: '5', loadType: 'LAST' });
    for (;;) {
      expect(res.body.Success).toBe(true);
      pages.unshift(res.body.Items!.map((i) => i.PoNum!));
      if (!res.body.MoreRowsExist) break;
      res = await api.get<LoadBody>('/load/SLPos', { properties: 'PoNum', recordCap: '5', loadType: 'PREVIOUS', bookmark: res.body.Bookmark! });
    }
    expect(pages.map((p) => p.length)).toEqual([3, 5, 5, 5, 5]);
    expect(pages.flat()).toEqual(poNums());
  });

  it('NEXT from a PREVIOUS page continues after it; orderBy DESC and filters apply in both directions', async () => {
    const all = poNums();
    const last = await api.get<LoadBody>('/load/SLPos', { properties: 'PoNum', recordCap: '4', loadType: 'LAST' });
    const prev = await api.get<LoadBody>('/load/SLPos', { properties: 'PoNum', recordCap: '4', loadType: 'PREVIOUS', bookmark: last.body.Bookmark! });
    expect(prev.body.Items!.map((i) => i.PoNum)).toEqual(all.slice(-8, -4));
    const next = await api.get<LoadBody>('/load/SLPos', { properties: 'PoNum', recordCap: '4', loadType: 'NEXT', bookmark: prev.body.Bookmark! });
    expect(next.body.Items!.map((i) => i.PoNum)).toEqual(all.slice(-4));
    expect(next.body.MoreRowsExist).toBe(false);

    const filter = `PoNum >= N'${all[10]}'`;
    const desc = await api.get<LoadBody>('/load/SLPos', { properties: 'PoNum', filter, orderBy: 'PoNum DESC', recordCap: '3', loadType: 'LAST' });
    expect(desc.body.Items!.map((i) => i.PoNum)).toEqual(all.slice(10, 13).reverse());
    expect(desc.body.MoreRowsExist).toBe(true);
  });

  it('LAST with recordCap 0 returns everything; bad bookmarks and load types are Success:false on HTTP 200', async () => {
    const everything = await api.get<LoadBody>('/load/SLPos', { properties: 'PoNum', recordCap: '0', loadType: 'LAST' });
    expect(everything.body.Items!.map((i) => i.PoNum)).toEqual(poNums());
    expect(everything.body.MoreRowsExist).toBe(false);

    const noMark = await api.get<LoadBody>('/load/SLPos', { properties: 'PoNum', loadType: 'PREVIOUS' });
    expect(noMark).toMatchObject({ status: 200, body: { Success: false, Message: expect.stringMatching(/bookmark/) } });
    const byDate = await api.get<LoadBody>('/load/SLPos', { properties: 'PoNum', orderBy: 'OrderDate,PoNum', recordCap: '2' });
    const otherOrder = await api.get<LoadBody>('/load/SLPos', { properties: 'PoNum', loadType: 'PREVIOUS', bookmark: byDate.body.Bookmark! });
    expect(otherOrder.body).toMatchObject({ Success: false, Message: expect.stringMatching(/bookmark/) });
    const sideways = await api.get<LoadBody>('/load/SLPos', { properties: 'PoNum', loadType: 'SIDEWAYS' });
    expect(sideways.body).toMatchObject({ Success: false, Message: expect.stringMatching(/SIDEWAYS/) });
  });
});

describe("Ferry's IdoClient against the sandbox", () => {
  it("loads every page, reads the vendor's currency joined from SLVendors, and filters on it", async () => {
    const ido = ferryIdoClient(sandbox);
    const pos = await ido.loadAll('SLPos', { properties: ['PoNum', 'VendNum', 'VenCurrCode'], orderBy: 'PoNum', recordCap: 6 });
    expect(pos.map((p) => p.PoNum)).toEqual(poNums());
    const currencies = new Map(sandbox.runtime().ido.rows('SLVendors').map((v) => [v.VendNum, v.CurrCode]));
    for (const p of pos) expect(p.VenCurrCode).toBe(currencies.get(String(p.VendNum)));

    const currency = String(pos[0]!.VenCurrCode);
    const filtered = await ido.loadAll('SLPos', { properties: ['PoNum'], filter: `VenCurrCode = N'${currency}'`, recordCap: 0 });
    expect(filtered.length).toBe(pos.filter((p) => p.VenCurrCode === currency).length);
    expect(filtered.length).toBeGreaterThan(0);
  });

  it("serves an _ItemId that carries the row's RecordDate and RowPointer", async () => {
    const row = sandbox.runtime().ido.rows('SLPos')[3]!;
    const page = await ferryIdoClient(sandbox).loadPage('SLPos', { properties: ['PoNum'], filter: `PoNum = N'${row.PoNum}'` });
    expect(page.items[0]!._ItemId).toBe(`PBT=[slpos] slpos.DT=[${row.RecordDate}] slpos.ID=[${row.RowPointer}]`);
  });
});

describe('GET /info/{ido}', () => {
  it('describes every IDO: keys, names, types, lengths, read-only and required flags', async () => {
    for (const [ido, schema] of Object.entries(idoSchemas)) {
      const { status, body } = await api.get<InfoBody>(`/info/${ido}`);
      expect(status).toBe(200);
      expect(body.Success).toBe(true);
      expect(body.Keys).toEqual(idoKeys[ido]);
      const props = new Map(body.Properties!.map((p) => [p.Name, p]));
      expect([...props.keys()].sort()).toEqual(Object.keys(schema).sort());
      for (const [name, type] of Object.entries(schema)) {
        const p = props.get(name);
        expect(p, `${ido}.${name}`).toBeDefined();
        const expected = { string: 'String', decimal: 'Decimal', int: 'Long Integer', date: 'Date' }[type];
        expect(p!.DataType, `${ido}.${name}`).toBe(expected);
        // Read-only exactly where the contract (a public source) says so.
        const contractProp = (industrialContract.idos as Record<string, { properties: Record<string, { readOnly?: boolean }> }>)[ido]!.properties[name];
        expect(p!.ReadOnly, `${ido}.${name}`).toBe(!!contractProp?.readOnly);
      }
      for (const key of idoKeys[ido]!) expect(props.get(key)!.Required).toBe(true);
      // Every generated value fits the length the metadata declares, where a source gives one (Length 0:
      // unknown, not limited) — a write of the same value must succeed.
      for (const row of sandbox.runtime().ido.rows(ido)) {
        for (const [name, type] of Object.entries(schema)) {
          if (type === 'string' && row[name] && props.get(name)!.Length > 0) expect(row[name]!.length, `${ido}.${name}=${row[name]}`).toBeLessThanOrEqual(props.get(name)!.Length);
        }
      }
    }
    const po = await api.get<InfoBody>('/info/SLPos');
    expect(po.body.Properties!.find((p) => p.Name === 'VenCurrCode')).toMatchObject({ DataType: 'String', ReadOnly: true });
    expect(po.body.Properties!.find((p) => p.Name === 'VendName')).toBeUndefined();
    expect(po.body.Properties!.find((p) => p.Name === 'Uf_JiraKey')).toMatchObject({ ReadOnly: false, Required: false, Length: 40 });
    expect((await api.get<InfoBody>('/info/SLAptrxs')).body.Properties!.find((p) => p.Name === 'InvNum')!.Required).toBe(true);
  });

  it('refuses an unknown IDO with Success:false, and a call without X-Infor-MongooseConfig with 400', async () => {
    expect((await api.get<InfoBody>('/info/SLNothing')).body).toMatchObject({ Success: false, Message: expect.stringMatching(/SLNothing/) });
    expect((await api.get<InfoBody>('/info/SLPos', {}, {})).status).toBe(400);
    expect((await api.get<InfoBody>('/info/SLPos', {}, { 'X-Infor-MongooseConfig': 'CSI_NOPE' })).body).toMatchObject({ Success: false });
  });
});
