import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdoClient } from '../../electron/engine/connectors/cloudsuite/ido-client';
import { industrialContract, type IdoName } from '../../electron/engine/contracts/cloudsuite';
import { startSandbox, type Sandbox } from '../../electron/engine/sandbox';
import { toTime, type Row } from '../../electron/engine/sandbox/ido-filter';
import { idoDate } from '../../electron/engine/sandbox/ido-schema';
import { ferryIdoClient, idoApi, type IdoApi } from '../helpers/sandbox';
import { TEST_ORIGIN } from '../helpers/origin';
import { tempDir } from '../helpers/temp';

// The sandbox's Mongoose IDO writes over real HTTP through the ION gateway: UpdateCollection round trips,
// optimistic locking, CloudSuite's business rules, and the posting methods that check whole batches.

let tmp: ReturnType<typeof tempDir>;
let sandbox: Sandbox;
let api: IdoApi;
let ido: IdoClient;

interface UpdateBody {
  Success: boolean;
  Message: string | null;
  RefreshItems: { Action: number; ItemId: string; Properties: { Name: string; Value: string | null; IsNull: boolean }[] }[] | null;
}
interface InvokeBody {
  Success: boolean;
  Message: string | null;
  ReturnValue: string | null;
  Parameters: (string | null)[] | null;
}
beforeAll(async () => {
  tmp = tempDir();
  sandbox = await startSandbox({ dir: tmp.dir, tenants: ['FERRY_TST'], poCount: 23, seed: 5, origin: TEST_ORIGIN });
  api = await idoApi(sandbox);
  ido = ferryIdoClient(sandbox);
});
afterAll(async () => {
  await sandbox.close();
  tmp.remove();
});

const tables = () => sandbox.runtime().ido;
const props = (values: Record<string, string | number | null>) =>
  Object.entries(values).map(([Name, Value]) => ({ Name, Value, Modified: true, IsNull: Value === null }));
const change = (Action: number, ItemId: string, values: Record<string, string | number | null>, UpdateLocking = 1) => ({ Action, ItemId, UpdateLocking, Properties: props(values) });
const save = (idoName: IdoName, c: ReturnType<typeof change>, refresh = true) =>
  api.post<UpdateBody>(`/update/${idoName}${refresh ? '?refresh=true' : ''}`, { IDOName: idoName, RefreshAfterSave: refresh, Changes: [c] });
const insert = (idoName: IdoName, values: Record<string, string | number | null>) => save(idoName, change(1, `PBT=[${idoName}]`, values));
const call = (idoName: string, method: string, params: unknown) => api.post<InvokeBody>(`/invoke/${idoName}?method=${method}`, params);
const value = (body: UpdateBody, name: string) => body.RefreshItems![0]!.Properties.find((p) => p.Name === name)?.Value;
const rowPointer = (itemId: string) => /\.ID=\[([^\]]+)\]/.exec(itemId)![1]!;

async function itemIdOf(idoName: IdoName, filter: string): Promise<string> {
  const page = await ido.loadPage(idoName, { properties: [industrialContract.idos[idoName].keys[0] as never], filter });
  return String(page.items[0]!._ItemId);
}

const vendor = () => tables().rows('SLVendors').find((v) => v.Stat === 'A')!;
const today = () => idoDate(sandbox.clock.date()).slice(0, 8);
const closedDay = () => tables().rows('SLPeriods').find((p) => p.Stat === 'C')!.StartDate!.slice(0, 8);

describe('update: insert, update, delete round trips', () => {
  it('inserts a PO (joined and system properties discarded), updates Uf_JiraKey, deletes it; loads see each step', async () => {
    const v = vendor();
    const ins = await insert('SLPos', { PoNum: 'PO9000001', VendNum: v.VendNum!, Uf_JiraKey: null, VenCurrCode: 'XXX', RecordDate: '2001-01-01' });
    expect(ins.status).toBe(200);
    expect(ins.body).toMatchObject({ Success: true, Message: null });
    expect(ins.body.RefreshItems![0]!.Action).toBe(1);
    expect(value(ins.body, 'VenCurrCode')).toBe(v.CurrCode);
    expect(value(ins.body, 'Stat')).toBe('P');
    const stored = tables().get('SLPos', rowPointer(ins.body.RefreshItems![0]!.ItemId))!;
    expect(stored.RecordDate).not.toBe('2001-01-01');
    expect(stored.CreateDate).toBeTruthy();

    const firstId = await itemIdOf('SLPos', `PoNum = N'PO9000001'`);
    expect(firstId).toBe(`PBT=[slpos] slpos.DT=[${stored.RecordDate}] slpos.ID=[${stored.RowPointer}]`);
    const upd = await save('SLPos', change(2, firstId, { Uf_JiraKey: 'FIN-12', Uf_ProjNum: 'PRJ00001' }));
    expect(upd.body.Success).toBe(true);
    const newId = upd.body.RefreshItems![0]!.ItemId;
    expect(newId).not.toBe(firstId);
    const dt = (id: string) => toTime(/\.DT=\[([^\]]+)\]/.exec(id)![1]!);
    expect(dt(newId)).toBeGreaterThan(dt(firstId));
    const seen = await ido.loadAll('SLPos', { properties: ['Uf_JiraKey', 'Uf_ProjNum'], filter: `Uf_JiraKey = N'FIN-12'` });
    expect(seen).toEqual([{ Uf_JiraKey: 'FIN-12', Uf_ProjNum: 'PRJ00001', _ItemId: newId }]);

    const del = await save('SLPos', change(4, newId, {}));
    expect(del.body).toMatchObject({ Success: true, RefreshItems: [] });
    expect(await ido.loadAll('SLPos', { properties: ['PoNum'], filter: `PoNum = N'PO9000001'` })).toEqual([]);
    expect((await save('SLPos', change(4, newId, {}))).body).toMatchObject({ Success: false, Message: expect.stringMatching(/deleted by another user/) });
  });

  it('refuses a stale ItemId with UpdateLocking 1 (optimistic locking), and accepts it without locking', async () => {
    const po = tables().rows('SLPos')[2]!;
    const oldId = await itemIdOf('SLPos', `PoNum = N'${po.PoNum}'`);
    expect((await save('SLPos', change(2, oldId, { Uf_JiraKey: 'FIN-1' }))).body.Success).toBe(true);
    const second = await save('SLPos', change(2, oldId, { Uf_JiraKey: 'FIN-2' }));
    expect(second).toMatchObject({ status: 200, body: { Success: false, Message: expect.stringMatching(/changed by another user/) } });
    expect(tables().get('SLPos', po.RowPointer!)!.Uf_JiraKey).toBe('FIN-1');
    expect((await save('SLPos', change(2, oldId, { Uf_JiraKey: 'FIN-3' }, 0), false)).body).toEqual({ Success: true, Message: null, RefreshItems: null });
    expect(tables().get('SLPos', po.RowPointer!)!.Uf_JiraKey).toBe('FIN-3');
    // Deletes are locked the same way.
    expect((await save('SLPos', change(4, oldId, {}))).body.Message).toMatch(/changed by another user/);
  });

  it('updates by key properties when ItemId is empty; only Modified properties are written', async () => {
    const po = tables().rows('SLPos')[4]!;
    const res = await save('SLPos', {
      Action: 2,
      ItemId: '',
      UpdateLocking: 1,
      Properties: [
        { Name: 'PoNum', Value: po.PoNum!, Modified: false, IsNull: false },
        { Name: 'uf_jirakey', Value: 'FIN-44', Modified: true, IsNull: false },
        { Name: 'Buyer', Value: 'nobody', Modified: false, IsNull: false },
      ],
    });
    expect(value(res.body, 'Uf_JiraKey')).toBe('FIN-44');
    expect(tables().get('SLPos', po.RowPointer!)).toMatchObject({ Uf_JiraKey: 'FIN-44', Buyer: po.Buyer });
  });

  it('refuses unknown properties, unconvertible or too long values, duplicate keys, more than one change, and bad bodies', async () => {
    const po = tables().rows('SLPos')[5]!;
    const id = await itemIdOf('SLPos', `PoNum = N'${po.PoNum}'`);
    const before = tables().get('SLPos', po.RowPointer!)!.RecordDate;
    expect((await save('SLPos', change(2, id, { NoSuchThing: 'x' }))).body).toMatchObject({ Success: false, Message: expect.stringMatching(/NoSuchThing/) });
    expect((await save('SLPos', change(2, id, { OrderDate: 'yesterday' }))).body.Message).toMatch(/Conversion failed/);
    expect((await save('SLPos', change(2, id, { Uf_JiraKey: 'X'.repeat(41) }))).body.Message).toMatch(/truncated.*40/);
    expect((await insert('SLPos', { PoNum: po.PoNum!, VendNum: po.VendNum! })).body.Message).toMatch(/PRIMARY KEY/);
    expect((await save('SLPos', { ...change(3, id, {}) })).body.Message).toMatch(/Action 3/);

    const two = await api.post<UpdateBody>('/update/SLPos', { IDOName: 'SLPos', Changes: [change(2, id, { Uf_JiraKey: 'A' }), change(2, id, { Uf_ProjNum: 'B' })] });
    expect(two).toMatchObject({ status: 200, body: { Success: false, Message: expect.stringMatching(/one change per update request; this one has 2/) } });
    expect(tables().get('SLPos', po.RowPointer!)!.RecordDate).toBe(before);

    expect(await api.post<UpdateBody>('/update/SLPos', { Changes: 'all of them' })).toMatchObject({ status: 400, body: { Success: false } });
    expect(await api.post<UpdateBody>('/update/SLPos', '{"Changes": [', true)).toMatchObject({ status: 400, body: { Success: false } });
    expect((await api.post<UpdateBody>('/update/SLNothing', { Changes: [] })).body).toMatchObject({ Success: false, Message: expect.stringMatching(/SLNothing/) });
    expect((await api.post<UpdateBody>('/update/SLPos', { IDOName: 'SLVendors', Changes: [] })).body.Message).toMatch(/does not match/);
  });
});

describe('business rules', () => {
  it('SLPos: the vendor must exist, on insert and on update', async () => {
    expect((await insert('SLPos', { PoNum: 'PO9000002', VendNum: 'V999999' })).body).toMatchObject({ Success: false, Message: 'Vendor V999999 does not exist.' });
    const id = await itemIdOf('SLPos', `PoNum = N'${tables().rows('SLPos')[6]!.PoNum}'`);
    expect((await save('SLPos', change(2, id, { VendNum: 'V999999' }))).body.Message).toBe('Vendor V999999 does not exist.');
  });

  it('SLAptrxs: vendor, open period, invoice number required and unique per vendor; AptrxGetVoucherNoSp numbers vouchers', async () => {
    const v = vendor().VendNum!;
    const numbered = await call('SLAptrxs', 'AptrxGetVoucherNoSp', [null, null, null]);
    expect(numbered.body).toMatchObject({ Success: true, ReturnValue: '0' });
    const voucher = numbered.body.Parameters![0]!;
    const max = Math.max(...[...tables().rows('SLAptrxs'), ...tables().rows('SLAptrxps')].map((r) => Number(r.Voucher)), 9_999);
    expect(voucher).toBe(String(max + 1));

    const base = { VendNum: v, Voucher: voucher, InvNum: 'INV-T-1', InvDate: today(), InvAmt: 100 };
    expect((await insert('SLAptrxs', { ...base, VendNum: 'V999999' })).body.Message).toBe('Vendor V999999 does not exist.');
    expect((await insert('SLAptrxs', { ...base, InvDate: closedDay() })).body.Message).toMatch(/^Accounting period \d+\/\d+ is closed; invoice INV-T-1 dated/);
    expect((await insert('SLAptrxs', { ...base, InvNum: '  ' })).body.Message).toMatch(/'InvNum'.*requires a value/);
    expect((await insert('SLAptrxs', { ...base, InvNum: null })).body.Message).toMatch(/'InvNum'.*requires a value/);
    // Stat is not an SLAptrxs property in any public source: the sandbox refuses it as the real IDO would.
    expect((await insert('SLAptrxs', { ...base, Stat: 'O' })).body.Message).toMatch(/Property 'Stat' was not found on IDO 'SLAptrxs'/);

    const ok = await insert('SLAptrxs', base);
    expect(ok.body.Success).toBe(true);
    expect(value(ok.body, 'Voucher')).toBe(voucher);
    expect(value(ok.body, 'VenCurrCode')).toBe(vendor().CurrCode);
    const dup = await insert('SLAptrxs', { ...base, Voucher: String(max + 2), InvNum: 'inv-t-1' });
    expect(dup.body.Message).toBe(`Invoice inv-t-1 of vendor ${v} was already entered as voucher ${voucher}.`);
    // A posted invoice (in SLAptrxps) counts too.
    const posted = tables().rows('SLAptrxps')[0]!;
    expect((await insert('SLAptrxs', { ...base, VendNum: posted.VendNum!, Voucher: String(max + 3), InvNum: posted.InvNum! })).body.Message).toBe(
      `Invoice ${posted.InvNum} of vendor ${posted.VendNum} was already entered as voucher ${posted.Voucher}.`,
    );
  });

  it('SLAptrxds and AptrxpSp: accounts checked per line; posting checks the total, moves the voucher to SLAptrxps and its lines to SLLedgers', async () => {
    const v = vendor().VendNum!;
    const voucher = (await call('SLAptrxs', 'AptrxGetVoucherNoSp', [null, null, null])).body.Parameters![0]!;
    expect((await insert('SLAptrxs', { VendNum: v, Voucher: voucher, InvNum: 'INV-T-2', InvDate: today(), InvAmt: 250, Ref: 'FERRY-T-2' })).body.Success).toBe(true);
    const dist = { VendNum: v, Voucher: voucher, Acct: '610100', AcctUnit1: 'CC100', Amount: 200 };
    expect((await insert('SLAptrxds', { ...dist, Voucher: 1 })).body.Message).toMatch(/Voucher 1 of vendor .* does not exist or is posted/);
    expect((await insert('SLAptrxds', { ...dist, Acct: '999999' })).body.Message).toBe('Account 999999 is not in the chart of accounts.');
    expect((await insert('SLAptrxds', { ...dist, Acct: '690900' })).body.Message).toBe('Account 690900 is obsolete.');
    expect((await insert('SLAptrxds', { ...dist, AcctUnit1: null })).body.Message).toBe('Account 610100 requires unit code 1 (cost center).');
    expect((await insert('SLAptrxds', { ...dist, AcctUnit1: 'CC999' })).body.Message).toMatch(/CC999 is not a valid cost center/);
    const first = await insert('SLAptrxds', dist);
    expect(value(first.body, 'DistSeq')).toBe('1');

    // AptrxpSp(PVendNum, PVoucher, PSessionID, PostExtFin, ExtFinOperationCounter, Infobar): the call
    // succeeds; the method's severity (ReturnValue) says whether it posted, its Infobar why not.
    const post = () => call('SLAptrxs', 'AptrxpSp', [v, voucher, null, null, null, null]);
    const short = await post();
    expect(short.body).toMatchObject({ Success: true, ReturnValue: '16' });
    expect(short.body.Parameters![5]).toMatch(/out of balance by 50\.00/);
    expect(tables().find('SLAptrxs', (r) => r.Voucher === voucher)).toBeDefined();
    expect(value((await insert('SLAptrxds', { ...dist, Acct: '215000', AcctUnit1: null, Amount: 50 })).body, 'DistSeq')).toBe('2');
    const posted = await post();
    expect(posted.body).toMatchObject({ Success: true, ReturnValue: '0' });
    expect(posted.body.Parameters![5]).toBeNull();

    expect(tables().find('SLAptrxs', (r) => r.Voucher === voucher)).toBeUndefined();
    expect(tables().find('SLAptrxps', (r) => r.Voucher === voucher)).toMatchObject({ VendNum: v, InvNum: 'INV-T-2', Ref: 'FERRY-T-2' });
    const lines = tables().rows('SLLedgers').filter((l) => l.Voucher === voucher);
    expect(lines.map((l) => [l.Acct, l.AcctUnit1, Number(l.DomAmount)])).toEqual([
      ['610100', 'CC100', 200],
      ['215000', null, 50],
      ['201000', null, -250],
    ]);
    expect((await insert('SLAptrxds', { ...dist, Amount: 1 })).body.Message).toMatch(/does not exist or is posted/);
    expect((await post()).body.Parameters![5]).toMatch(/is not an entered voucher/);
    // Posted rows are read-only: an insert through SLAptrxps stores nothing.
    expect((await insert('SLAptrxps', { VendNum: v, Voucher: '1', VouchSeq: '1' })).body.Success).toBe(false);
  });

  it('SLJournals: GetJournalDefVarsSp numbers an entry, ImportJournalEntriesSp saves its lines, GlPostSp3 posts balanced journals only', async () => {
    const day = today();
    const defs = await call('SLJournals', 'GetJournalDefVarsSp', [day, 'FERRY', null, null, null, null, null, '1']);
    expect(defs.body).toMatchObject({ Success: true, ReturnValue: '0' });
    const [, , prefix, site, year, period, number] = defs.body.Parameters!;
    expect(prefix).toBeTruthy();
    expect(Number(year)).toBeGreaterThan(2000);
    expect(Number(period)).toBeGreaterThanOrEqual(1);
    expect(Number(number)).toBeGreaterThanOrEqual(1);
    const attributes = Array.from({ length: 15 }, () => null);
    const line = (journal: string, ref: string, amount: number, acct = '650500', unit1: string | null = 'CC500', date = day) =>
      call('SLJournals', 'ImportJournalEntriesSp', [date, acct, amount, ref, journal, site!, year!, period!, number!, unit1, null, null, null, ...attributes]);
    const post = (journal: string) => call('SLJournals', 'GlPostSp3', [null, null, null, null, null, null, null, null, null, null, null, null, journal, null, null, null, null, day]);

    expect((await line('FERRY', 'B0', 1, '123')).body.ReturnValue).toBe('16');
    expect((await line('FERRY', 'B0', 1, '650500', null)).body.ReturnValue).toBe('16');
    expect((await line('NOSUCH', 'B0', 1)).body.ReturnValue).toBe('16');
    expect((await post('NOSUCH')).body.Parameters![16]).toBe('Journal NOSUCH does not exist.');
    expect(tables().rows('SLJournals').filter((j) => j.Ref === 'B0')).toEqual([]);

    // Balanced: labour cost to a project cost center against the clearing account.
    expect((await line('FERRY', 'B1', 1250.5)).body).toMatchObject({ Success: true, ReturnValue: '0' });
    expect((await line('FERRY', 'B1', -1250.5, '215000', null)).body.ReturnValue).toBe('0');
    expect(tables().rows('SLJournals').filter((j) => j.Ref === 'B1').map((j) => [j.Id, j.Seq])).toEqual([['FERRY', '1'], ['FERRY', '2']]);
    const ok = await post('FERRY');
    expect(ok.body).toMatchObject({ Success: true, ReturnValue: '0' });
    expect(ok.body.Parameters![16]).toMatch(/2 journal entries/);
    expect(tables().rows('SLJournals').filter((j) => j.Ref === 'B1')).toEqual([]);
    const ledger = tables().rows('SLLedgers').filter((l) => l.Ref === 'B1');
    expect(ledger.map((l) => [l.FromId, l.Acct, Number(l.DomAmount), l.ControlNumber])).toEqual([
      ['FERRY', '650500', 1250.5, number],
      ['FERRY', '215000', -1250.5, number],
    ]);
    expect((await post('FERRY')).body.Parameters![16]).toMatch(/no entries to post/);

    // Unbalanced: refused, nothing posted. Another journal's entries are not touched.
    await line('FERRY', 'B2', 100);
    await line('FERRY', 'B2', -95, '215000', null);
    await line('GJ Dist', 'B9', 5, '215000', null);
    const off = await post('FERRY');
    expect(off.body).toMatchObject({ Success: true, ReturnValue: '16' });
    expect(off.body.Parameters![16]).toBe("Journal 'FERRY' is out of balance by 5.00 (debits exceed credits).");
    expect(tables().rows('SLJournals').filter((j) => j.Ref === 'B2')).toHaveLength(2);
    await line('FERRY', 'B2', -5, '215000', null);
    expect((await post('FERRY')).body.ReturnValue).toBe('0');
    expect(tables().rows('SLJournals').filter((j) => j.Id === 'GJ Dist')).toHaveLength(1);

    // Balanced but the period closed (month-end) after the lines were saved: refused at posting.
    await line('FERRY', 'B3', 10);
    await line('FERRY', 'B3', -10, '215000', null);
    const open = tables().find('SLPeriods', (p) => toTime(p.StartDate!) <= sandbox.clock.now() && sandbox.clock.now() <= toTime(p.EndDate!)) as Row;
    tables().update('SLPeriods', open.RowPointer!, { Stat: 'C' });
    try {
      expect((await post('FERRY')).body.Parameters![16]).toMatch(/^Journal 'FERRY' cannot be posted: Accounting period .* is closed/);
      expect((await call('SLPeriods', 'DateChkSp', [day, 'Date', 'Post', null, null, null])).body).toMatchObject({ ReturnValue: '16' });
    } finally {
      tables().update('SLPeriods', open.RowPointer!, { Stat: 'O' });
    }
    expect((await call('SLPeriods', 'DateChkSp', [day, 'Date', 'Post', null, null, null])).body).toMatchObject({ ReturnValue: '0' });
    const per = await call('SLPeriods', 'PerGetSp', [day, null, null, null, null, null, null]);
    expect(per.body.Parameters).toMatchObject({ 1: open.Period, 5: open.FiscalYear, 6: 'O' });
  });

  it('invoke refuses unknown methods and IDOs, the wrong parameter count on HTTP 200, and a body that is not an array with 400', async () => {
    expect((await call('SLJournals', 'Explode', [])).body).toMatchObject({ Success: false, Message: "The method 'Explode' was not found on IDO 'SLJournals'." });
    // The methods Ferry once called and no public source has.
    expect((await call('SLJournals', 'PostJournalBatch', ['B1'])).body.Success).toBe(false);
    expect((await call('SLAptrxs', 'PostVoucher', ['V1', '1', null])).body.Success).toBe(false);
    expect((await call('SLNothing', 'GlPostSp3', [])).body.Success).toBe(false);
    expect(await call('SLJournals', 'GlPostSp3', { CurId: 'FERRY' })).toMatchObject({ status: 400, body: { Success: false } });
    expect((await call('SLAptrxs', 'AptrxpSp', ['V1', '1'])).body).toMatchObject({ Success: false, Message: "The method 'AptrxpSp' takes 6 parameters; the request has 2." });
  });
});

describe('persistence', () => {
  it('keeps what the update endpoint wrote across a sandbox restart', async () => {
    const before = tables().find('SLPos', (p) => p.Uf_JiraKey === 'FIN-44')!;
    await sandbox.close();
    sandbox = await startSandbox({ dir: tmp.dir, tenants: ['FERRY_TST'], origin: TEST_ORIGIN });
    expect(tables().get('SLPos', before.RowPointer!)).toEqual(before);
    expect(tables().rows('SLLedgers').filter((l) => l.Ref === 'B1').map((l) => l.FromId)).toEqual(['FERRY', 'FERRY']);
  });
});
