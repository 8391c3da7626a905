import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdoClient } from '../../electron/engine/connectors/cloudsuite/ido-client';
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
const save = (idoName: string, c: ReturnType<typeof change>, refresh = true) =>
  api.post<UpdateBody>(`/update/${idoName}${refresh ? '?refresh=true' : ''}`, { IDOName: idoName, RefreshAfterSave: refresh, Changes: [c] });
const insert = (idoName: string, values: Record<string, string | number | null>) => save(idoName, change(1, `PBT=[${idoName}]`, values));
const call = (idoName: string, method: string, params: unknown) => api.post<InvokeBody>(`/invoke/${idoName}?method=${method}`, params);
const value = (body: UpdateBody, name: string) => body.RefreshItems![0]!.Properties.find((p) => p.Name === name)?.Value;
const rowPointer = (itemId: string) => /\.ID=\[([^\]]+)\]/.exec(itemId)![1]!;

async function itemIdOf(idoName: string, filter: string): Promise<string> {
  const page = await ido.loadPage(idoName, { properties: ['RowPointer'], filter });
  return String(page.items[0]!._ItemId);
}

const vendor = () => tables().rows('SLVendors').find((v) => v.Stat === 'A')!;
const today = () => idoDate(sandbox.clock.date()).slice(0, 8);
const closedDay = () => tables().rows('SLPeriods').find((p) => p.Stat === 'C')!.StartDate!.slice(0, 8);

describe('update: insert, update, delete round trips', () => {
  it('inserts a PO (joined and system properties discarded), updates Uf_JiraKey, deletes it; loads see each step', async () => {
    const v = vendor();
    const ins = await insert('SLPos', { PoNum: 'PO9000001', VendNum: v.VendNum!, Uf_JiraKey: null, VendName: 'Someone Else', RecordDate: '2001-01-01' });
    expect(ins.status).toBe(200);
    expect(ins.body).toMatchObject({ Success: true, Message: null });
    expect(ins.body.RefreshItems![0]!.Action).toBe(1);
    expect(value(ins.body, 'VendName')).toBe(tables().find('SLVendaddrs', (a) => a.VendNum === v.VendNum)!.Name);
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

  it('SLAptrxs: vendor, open period, invoice number required and unique per vendor; Voucher is numbered by the server', async () => {
    const v = vendor().VendNum!;
    const base = { VendNum: v, InvNum: 'INV-T-1', InvDate: today(), InvAmt: 100 };
    expect((await insert('SLAptrxs', { ...base, VendNum: 'V999999' })).body.Message).toBe('Vendor V999999 does not exist.');
    expect((await insert('SLAptrxs', { ...base, InvDate: closedDay() })).body.Message).toMatch(/^Accounting period \d+\/\d+ is closed; invoice INV-T-1 dated/);
    expect((await insert('SLAptrxs', { ...base, InvNum: '  ' })).body.Message).toMatch(/'InvNum'.*requires a value/);
    expect((await insert('SLAptrxs', { ...base, InvNum: null })).body.Message).toMatch(/'InvNum'.*requires a value/);

    const ok = await insert('SLAptrxs', base);
    expect(ok.body.Success).toBe(true);
    const max = Math.max(...tables().rows('SLAptrxs').filter((r) => r.InvNum !== 'INV-T-1').map((r) => Number(r.Voucher)), 9_999);
    expect(value(ok.body, 'Voucher')).toBe(String(max + 1));
    expect(value(ok.body, 'Stat')).toBe('O');
    const dup = await insert('SLAptrxs', { ...base, InvNum: 'inv-t-1' });
    expect(dup.body.Message).toBe(`Invoice inv-t-1 of vendor ${v} was already entered as voucher ${max + 1}.`);
    const other = tables().rows('SLVendors').find((x) => x.Stat === 'A' && x.VendNum !== v)!.VendNum!;
    expect((await insert('SLAptrxs', { ...base, VendNum: other })).body.Success).toBe(true);
  });

  it('SLAptrxds: the voucher must exist, the account must exist, be active, and carry a cost center when required', async () => {
    const v = vendor().VendNum!;
    const voucher = value((await insert('SLAptrxs', { VendNum: v, InvNum: 'INV-T-2', InvDate: today(), InvAmt: 250 })).body, 'Voucher')!;
    const dist = { VendNum: v, Voucher: voucher, Acct: '610100', AcctUnit1: 'CC100', Amount: 200 };
    expect((await insert('SLAptrxds', { ...dist, Voucher: 1 })).body.Message).toMatch(/Voucher 1 of vendor .* does not exist/);
    expect((await insert('SLAptrxds', { ...dist, Acct: '999999' })).body.Message).toBe('Account 999999 is not in the chart of accounts.');
    expect((await insert('SLAptrxds', { ...dist, Acct: '690900' })).body.Message).toBe('Account 690900 is inactive.');
    expect((await insert('SLAptrxds', { ...dist, AcctUnit1: null })).body.Message).toBe('Account 610100 requires unit code 1 (cost center).');
    expect((await insert('SLAptrxds', { ...dist, AcctUnit1: 'CC999' })).body.Message).toMatch(/CC999 is not a valid cost center/);
    const first = await insert('SLAptrxds', dist);
    expect(value(first.body, 'DistSeq')).toBe('1');

    // PostVoucher checks the distributions against the invoice amount, then posts; a posted voucher is frozen.
    const short = await call('SLAptrxs', 'PostVoucher', [v, voucher, null]);
    expect(short.body).toMatchObject({ Success: false, ReturnValue: '16', Message: expect.stringMatching(/out of balance by 50\.00/) });
    expect(short.body.Parameters![2]).toBe(short.body.Message);
    expect(value((await insert('SLAptrxds', { ...dist, Acct: '215000', AcctUnit1: null, Amount: 50 })).body, 'DistSeq')).toBe('2');
    const posted = await call('SLAptrxs', 'PostVoucher', [v, voucher, '']);
    expect(posted.body).toMatchObject({ Success: true, ReturnValue: '0', Parameters: [v, voucher, `Voucher ${voucher} was posted.`] });
    expect(tables().find('SLAptrxs', (r) => r.Voucher === voucher)!.Stat).toBe('P');
    expect((await insert('SLAptrxds', { ...dist, Amount: 1 })).body.Message).toMatch(/is posted; its distributions cannot be changed/);
    expect((await call('SLAptrxs', 'PostVoucher', [v, voucher])).body.Message).toMatch(/already posted/);
  });

  it('SLJournals: account and period rules per line; PostJournalBatch posts balanced batches only', async () => {
    const line = (Ref: string, DomAmount: number, extra: Record<string, string | null> = {}) =>
      insert('SLJournals', { JournalId: 'GJ', TransDate: today(), Acct: '650500', AcctUnit1: 'CC500', DomAmount, Ref, ...extra });
    expect((await line('B0', 1, { Acct: '123' })).body.Message).toBe('Account 123 is not in the chart of accounts.');
    expect((await line('B0', 1, { Acct: '690900' })).body.Message).toBe('Account 690900 is inactive.');
    expect((await line('B0', 1, { AcctUnit1: null })).body.Message).toBe('Account 650500 requires unit code 1 (cost center).');
    expect((await line('B0', 1, { TransDate: closedDay() })).body.Message).toMatch(/is closed; journal line GJ\/\d+ dated/);

    // Balanced: labour cost to a project cost center against the clearing account.
    const a = await line('B1', 1250.5);
    await line('B1', -1250.5, { Acct: '215000', AcctUnit1: null });
    expect(value(a.body, 'Posted')).toBe('0');
    const ok = await call('SLJournals', 'PostJournalBatch', ['B1']);
    expect(ok.body).toMatchObject({ Success: true, Message: null, ReturnValue: '0', Parameters: ['B1', expect.stringMatching(/2 journal lines/)] });
    expect(tables().rows('SLJournals').filter((j) => j.Ref === 'B1').map((j) => j.Posted)).toEqual(['1', '1']);
    const posted = await ido.loadPage('SLJournals', { properties: ['Posted'], filter: `Ref = N'B1'` });
    expect((await save('SLJournals', change(2, String(posted.items[0]!._ItemId), { DomAmount: 1 }))).body.Message).toMatch(/is posted and cannot be changed/);
    expect((await call('SLJournals', 'PostJournalBatch', ['B1'])).body.Message).toMatch(/No unposted journal lines/);

    // Unbalanced: refused, nothing posted.
    await line('B2', 100);
    await line('B2', -95, { Acct: '215000', AcctUnit1: null });
    const off = await call('SLJournals', 'PostJournalBatch', ['B2']);
    expect(off.body).toMatchObject({ Success: false, ReturnValue: '16', Message: "Journal batch 'B2' is out of balance by 5.00 (debits exceed credits)." });
    expect(tables().rows('SLJournals').filter((j) => j.Ref === 'B2').every((j) => j.Posted === '0')).toBe(true);

    // Balanced but the period closed (month-end) after the lines were saved: refused at posting.
    await line('B3', 10);
    await line('B3', -10, { Acct: '215000', AcctUnit1: null });
    const period = tables().find('SLPeriods', (p) => toTime(p.StartDate!) <= sandbox.clock.now() && sandbox.clock.now() <= toTime(p.EndDate!)) as Row;
    tables().update('SLPeriods', period.RowPointer!, { Stat: 'C' });
    try {
      expect((await call('SLJournals', 'PostJournalBatch', ['B3'])).body.Message).toMatch(/^Journal batch 'B3' cannot be posted: Accounting period .* is closed/);
    } finally {
      tables().update('SLPeriods', period.RowPointer!, { Stat: 'O' });
    }
  });

  it('invoke refuses unknown methods and IDOs on HTTP 200, and a body that is not an array with 400', async () => {
    expect((await call('SLJournals', 'Explode', [])).body).toMatchObject({ Success: false, Message: "The method 'Explode' was not found on IDO 'SLJournals'." });
    expect((await call('SLNothing', 'PostJournalBatch', [])).body.Success).toBe(false);
    expect(await call('SLJournals', 'PostJournalBatch', { Ref: 'B1' })).toMatchObject({ status: 400, body: { Success: false } });
    expect((await call('SLJournals', 'PostJournalBatch', [])).body.Message).toMatch(/reference \(Ref\) is required/);
  });
});

describe('persistence', () => {
  it('keeps what the update endpoint wrote across a sandbox restart', async () => {
    const before = tables().find('SLPos', (p) => p.Uf_JiraKey === 'FIN-44')!;
    await sandbox.close();
    sandbox = await startSandbox({ dir: tmp.dir, tenants: ['FERRY_TST'], origin: TEST_ORIGIN });
    expect(tables().get('SLPos', before.RowPointer!)).toEqual(before);
    expect(tables().rows('SLJournals').filter((j) => j.Ref === 'B1').map((j) => j.Posted)).toEqual(['1', '1']);
  });
});
