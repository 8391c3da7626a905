import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdoTables } from '../../electron/engine/sandbox/ido-tables';
import { startM3Gateway } from '../helpers/m3-gateway';

// The M3 simulator over real HTTP, behind the real ION gateway, on the same generated world the IDO
// simulator serves: reads (PPS200MI, CRS620MI, CRS630MI), supplier writes, the bulk form and the gateway.

interface Result {
  transaction: string;
  records: Record<string, string>[];
  errorMessage?: string;
  errorType?: string;
  errorField?: string;
  errorCode?: string;
}
interface Envelope {
  results: Result[];
  wasTerminated: boolean;
  nrOfSuccessfullTransactions: number;
  nrOfFailedTransactions: number;
}

let ido: IdoTables;
let base: string;
let token: string;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ ido, base, token, close } = await startM3Gateway());
});
afterAll(() => close());

async function get(path: string, params: Record<string, string> = {}): Promise<{ status: number; body: Envelope }> {
  const qs = new URLSearchParams(params).toString();
  const res = await fetch(`${base}/${path}${qs ? `?${qs}` : ''}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as Envelope };
}

async function post(body: unknown): Promise<{ status: number; body: Envelope }> {
  const res = await fetch(base, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Envelope };
}

/** One successful transaction's records. */
async function records(path: string, params: Record<string, string> = {}): Promise<Record<string, string>[]> {
  const { status, body } = await get(path, params);
  expect(status).toBe(200);
  expect(body.results[0]!.errorMessage).toBeUndefined();
  expect(body).toMatchObject({ wasTerminated: false, nrOfSuccessfullTransactions: 1, nrOfFailedTransactions: 0 });
  return body.results[0]!.records;
}

/** One refused transaction: HTTP 200, nrOfFailedTransactions 1, the error fields. */
async function refusal(path: string, params: Record<string, string>): Promise<Result> {
  const { status, body } = await get(path, params);
  expect(status).toBe(200);
  expect(body).toMatchObject({ wasTerminated: false, nrOfSuccessfullTransactions: 0, nrOfFailedTransactions: 1 });
  const r = body.results[0]!;
  expect(r.records).toEqual([]);
  expect(r.errorMessage).toBeTruthy();
  return r;
}

describe('gateway', () => {
  it('answers 401 with www-authenticate without a valid bearer token', async () => {
    const none = await fetch(`${base}/PPS200MI/GetHead?PUNO=PO00010001`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('error="invalid_request"');
    const wrong = await fetch(`${base}/PPS200MI/GetHead?PUNO=PO00010001`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('answers an unknown program or transaction with HTTP 400', async () => {
    const program = await fetch(`${base}/XXX999MI/GetHead`, { headers: { authorization: `Bearer ${token}` } });
    expect(program.status).toBe(400);
    expect(((await program.json()) as { message: string }).message).toContain('XXX999MI');
    const tx = await fetch(`${base}/PPS200MI/Nope`, { headers: { authorization: `Bearer ${token}` } });
    expect(tx.status).toBe(400);
  });
});

describe('PPS200MI', () => {
  it('GetHead returns the SLPos row under M3 names, dates as yyyyMMdd', async () => {
    const po = ido.find('SLPos', (p) => p.Stat === 'O')!;
    const [head] = await records('PPS200MI/GetHead', { CONO: '100', PUNO: po.PoNum! });
    expect(head).toMatchObject({
      CONO: '100', PUNO: po.PoNum, SUNO: po.VendNum, PUDT: po.OrderDate!.slice(0, 8), PUSL: '20', FACI: po.Whse, WHLO: po.Whse,
      BUYE: po.Buyer, CUCD: po.CurrCode, TEPY: po.TermsCode, LMDT: po.RecordDate!.slice(0, 8),
    });
    expect(head!.PUDT).toMatch(/^\d{8}$/);
    expect(Number(head!.LMTS)).toBeGreaterThan(0);
  });

  it('maps P and C heads to 05 and 85', async () => {
    const planned = ido.find('SLPos', (p) => p.Stat === 'P')!;
    const closed = ido.find('SLPos', (p) => p.Stat === 'C')!;
    expect((await records('PPS200MI/GetHead', { PUNO: planned.PoNum! }))[0]!.PUSL).toBe('05');
    expect((await records('PPS200MI/GetHead', { PUNO: closed.PoNum! }))[0]!.PUSL).toBe('85');
  });

  it('LstLine returns the SLPoItems rows of the PO, in line order, with the same numbers', async () => {
    const po = ido.rows('SLPos').find((p) => ido.rows('SLPoItems').filter((l) => l.PoNum === p.PoNum).length >= 2)!;
    const rows = ido.rows('SLPoItems').filter((l) => l.PoNum === po.PoNum);
    const lines = await records('PPS200MI/LstLine', { PUNO: po.PoNum! });
    expect(lines.map((l) => l.PNLI)).toEqual(rows.map((r) => r.PoLine).sort((a, b) => Number(a) - Number(b)));
    for (const line of lines) {
      const row = rows.find((r) => r.PoLine === line.PNLI)!;
      expect(line).toMatchObject({ PUNO: po.PoNum, PNLS: '0', ITNO: row.Item, PITD: row.Description, PUUN: row.UM, DWDT: row.DueDate!.slice(0, 8), AIT1: row.NonInvAcct });
      expect(Number(line.ORQA)).toBe(Number(row.QtyOrdered));
      expect(Number(line.PUPR)).toBe(Number(row.ItemCost));
      expect(line.PUPR).not.toMatch(/0{3,}$/); // 42.5, not 42.50000000
    }
    const [one] = await records('PPS200MI/GetLine', { PUNO: po.PoNum!, PNLI: lines[1]!.PNLI! });
    expect(one).toEqual(lines[1]);
  });

  it('refuses an unknown PO, and a missing PUNO as a missing mandatory field', async () => {
    expect(await refusal('PPS200MI/GetHead', { PUNO: 'PO99999999' })).toMatchObject({ errorType: 'ServerReturnedNOK', errorField: 'PUNO', errorMessage: 'Purchase order number PO99999999 does not exist' });
    expect(await refusal('PPS200MI/GetHead', {})).toMatchObject({ errorType: 'MandatoryInputFieldNotFound', errorField: 'PUNO' });
    expect(await refusal('PPS200MI/GetHead', { PUNO: 'PO000100011234' })).toMatchObject({ errorType: 'InputFieldTooLong', errorField: 'PUNO' });
    expect(await refusal('PPS200MI/GetHead', { CONO: '200', PUNO: 'PO00010001' })).toMatchObject({ errorField: 'CONO', errorCode: 'XAU0008' });
  });

  it('SearchHead takes SQRY wildcards, supplier and date ranges; maxrecs limits (matrix or query), 0 = all', async () => {
    const all = ido.rows('SLPos').map((p) => p.PoNum!).sort();
    expect((await records('PPS200MI/SearchHead', { SQRY: 'PUNO:PO0001000*' })).map((r) => r.PUNO)).toEqual(all.filter((p) => p.startsWith('PO0001000')));
    expect(await records('PPS200MI/SearchHead;maxrecs=0', { SQRY: 'PUNO:PO*' })).toHaveLength(all.length);
    expect(await records('PPS200MI/SearchHead;maxrecs=5', { SQRY: 'PUNO:PO*' })).toHaveLength(5);
    expect(await records('PPS200MI/SearchHead', { SQRY: 'PUNO:PO*', maxrecs: '3' })).toHaveLength(3);

    const po = ido.rows('SLPos')[10]!;
    const day = po.OrderDate!.slice(0, 8);
    const expected = ido.rows('SLPos').filter((p) => p.VendNum === po.VendNum && p.OrderDate!.slice(0, 8) >= day).map((p) => p.PoNum).sort();
    const found = await records('PPS200MI/SearchHead', { SQRY: `SUNO:${po.VendNum!} AND PUDT:[${day} TO *]` });
    expect(found.map((r) => r.PUNO)).toEqual(expected);
    expect(found.every((r) => r.SUNO === po.VendNum && r.PUDT! >= day)).toBe(true);

    const cols = await records('PPS200MI/SearchHead;maxrecs=2;returncols=PUNO,SUNO', { SQRY: 'PUSL:20' });
    expect(cols.map((r) => Object.keys(r))).toEqual([['PUNO', 'SUNO'], ['PUNO', 'SUNO']]);

    expect(await refusal('PPS200MI/SearchHead', { SQRY: 'NOPE:1' })).toMatchObject({ errorField: 'SQRY' });
    expect(await refusal('PPS200MI/SearchHead', { SQRY: 'PUDT:[1 TO' })).toMatchObject({ errorField: 'SQRY' });
  });

  it('defaults to 100 records: a world larger than that is cut at 100 unless maxrecs says otherwise', async () => {
    const before = ido.rows('SLPos').length;
    const template = ido.rows('SLPos')[0]!;
    for (let i = 0; i < 100; i++) ido.insert('SLPos', { ...template, RowPointer: null, PoNum: `PX${String(i).padStart(8, '0')}` });
    expect(await records('PPS200MI/SearchHead', { SQRY: 'P*' })).toHaveLength(100);
    expect(await records('PPS200MI/SearchHead;maxrecs=0', { SQRY: 'P*' })).toHaveLength(before + 100);
    for (const p of ido.rows('SLPos').filter((r) => r.PoNum!.startsWith('PX'))) ido.delete('SLPos', p.RowPointer!);
  });
});

describe('CRS620MI', () => {
  it('GetBasicData and LstByNumber read SLVendors + SLVendaddrs; blocked suppliers are status 90', async () => {
    const vendor = ido.rows('SLVendors')[2]!;
    const addr = ido.find('SLVendaddrs', (a) => a.VendNum === vendor.VendNum)!;
    const [s] = await records('CRS620MI/GetBasicData', { SUNO: vendor.VendNum! });
    expect(s).toMatchObject({ SUNO: vendor.VendNum, SUNM: vendor.Name, CUCD: vendor.CurrCode, TEPY: vendor.TermsCode, STAT: '20', PHNO: vendor.Phone, EMAL: vendor.ExternalEmailAddr, ADR1: addr.Addr_1, TOWN: addr.City, CSCD: addr.Country });

    const list = await records('CRS620MI/LstByNumber', { SUNO: vendor.VendNum! });
    expect(list.map((r) => r.SUNO)).toEqual(ido.rows('SLVendors').map((v) => v.VendNum).filter((v) => v! >= vendor.VendNum!).sort());
    expect(await records('CRS620MI/LstByNumber;maxrecs=2')).toHaveLength(2);
  });

  it('AddSupplier writes the rows the Industrial view reads; UpdSupplier changes them and can block', async () => {
    await records('CRS620MI/AddSupplier', { CONO: '100', SUNO: 'V900001', SUNM: 'Acme Testing GmbH', CSCD: 'DE', CUCD: 'EUR', TEPY: 'N30', PHNO: '+49 89 1234', EMAL: 'ap@acme.example', ADR1: 'Hauptstr. 1', TOWN: 'Munich', PONO: '80331' });
    const vendor = ido.find('SLVendors', (v) => v.VendNum === 'V900001')!;
    expect(vendor).toMatchObject({ Name: 'Acme Testing GmbH', CurrCode: 'EUR', TermsCode: 'N30', Stat: 'A', Phone: '+49 89 1234', ExternalEmailAddr: 'ap@acme.example' });
    expect(ido.find('SLVendaddrs', (a) => a.VendNum === 'V900001')).toMatchObject({ Addr_1: 'Hauptstr. 1', City: 'Munich', Zip: '80331', Country: 'DE' });

    const before = vendor.RecordDate!;
    await new Promise((r) => setTimeout(r, 5));
    await records('CRS620MI/UpdSupplier', { SUNO: 'V900001', SUNM: 'Acme Testing AG', STAT: '90', TOWN: 'Berlin' });
    expect(ido.find('SLVendors', (v) => v.VendNum === 'V900001')).toMatchObject({ Name: 'Acme Testing AG', Stat: 'I', CurrCode: 'EUR' });
    expect(ido.find('SLVendors', (v) => v.VendNum === 'V900001')!.RecordDate! > before).toBe(true);
    expect(ido.find('SLVendaddrs', (a) => a.VendNum === 'V900001')).toMatchObject({ Name: 'Acme Testing AG', City: 'Berlin', Zip: '80331' });
    expect((await records('CRS620MI/GetBasicData', { SUNO: 'V900001' }))[0]).toMatchObject({ SUNM: 'Acme Testing AG', STAT: '90', TOWN: 'Berlin' });
  });

  it('refuses a duplicate SUNO, a missing or blank SUNM, an unknown SUNO on update, bad values', async () => {
    const existing = ido.rows('SLVendors')[0]!.VendNum!;
    const ok = { SUNO: 'V900002', SUNM: 'Name', CSCD: 'US', CUCD: 'USD', TEPY: 'N30' };
    expect(await refusal('CRS620MI/AddSupplier', { ...ok, SUNO: existing })).toMatchObject({ errorField: 'SUNO', errorMessage: `Supplier number ${existing} already exists`, errorType: 'ServerReturnedNOK' });
    const { SUNM: _omit, ...noName } = ok;
    expect(await refusal('CRS620MI/AddSupplier', noName)).toMatchObject({ errorField: 'SUNM', errorType: 'MandatoryInputFieldNotFound' });
    expect(await refusal('CRS620MI/AddSupplier', { ...ok, SUNM: '  ' })).toMatchObject({ errorField: 'SUNM', errorMessage: 'Supplier name must be entered' });
    expect(await refusal('CRS620MI/AddSupplier', { ...ok, CUCD: 'euro' })).toMatchObject({ errorField: 'CUCD' });
    expect(await refusal('CRS620MI/UpdSupplier', { SUNO: 'V404404', SUNM: 'x' })).toMatchObject({ errorField: 'SUNO', errorMessage: 'Supplier number V404404 does not exist' });
    expect(await refusal('CRS620MI/UpdSupplier', { SUNO: existing, STAT: '50' })).toMatchObject({ errorField: 'STAT' });
    expect(ido.find('SLVendors', (v) => v.VendNum === 'V900002')).toBeUndefined();
  });
});

describe('CRS630MI', () => {
  it('lists accounts (dimension 1) and cost centers (dimension 2) from SLCharts and SLUnitcd1s', async () => {
    const centers = await records('CRS630MI/LstAccountID', { AITP: '2' });
    expect(centers.map((c) => c.AITM)).toEqual(ido.rows('SLUnitcd1s').map((c) => c.UnitCd1).sort());
    expect(centers[0]).toMatchObject({ AITP: '2', TX40: ido.find('SLUnitcd1s', (c) => c.UnitCd1 === centers[0]!.AITM)!.Description, LCCD: '0' });

    const accounts = await records('CRS630MI/LstAccountID;maxrecs=0', { AITP: '1' });
    expect(accounts).toHaveLength(ido.rows('SLCharts').length);
    expect(accounts.find((a) => a.AITM === '690900')).toMatchObject({ LCCD: '1' });
    expect(accounts.find((a) => a.AITM === '610100')).toMatchObject({ AT02: '1', ACR2: '1' });
    expect((await records('CRS630MI/GetAccountID', { AITP: '1', AITM: '201000' }))[0]).toMatchObject({ TX40: 'Accounts payable', AT01: '1', ACR2: '2' });
    expect(await records('CRS630MI/LstAccountID', { AITP: '5' })).toEqual([]);
    expect(await refusal('CRS630MI/GetAccountID', { AITP: '2', AITM: 'CC999' })).toMatchObject({ errorField: 'AITM' });
    expect(await refusal('CRS630MI/LstAccountID', { AITP: '9' })).toMatchObject({ errorField: 'AITP' });
  });
});

describe('bulk POST', () => {
  it('runs every transaction in order; failures do not stop the others', async () => {
    const po = ido.rows('SLPos')[0]!;
    const { status, body } = await post({
      program: 'CRS620MI',
      cono: 100,
      transactions: [
        { transaction: 'GetBasicData', record: { SUNO: po.VendNum } },
        { transaction: 'GetBasicData', record: { SUNO: 'V404404' } },
        { transaction: 'AddSupplier', record: { SUNO: 'V900003', SUNM: 'Bulk Supplier', CSCD: 'US', CUCD: 'USD', TEPY: 'N30' } },
        { transaction: 'NoSuchTransaction', record: {} },
        { transaction: 'LstByNumber', record: { SUNO: 'V9' }, selectedColumns: ['SUNO', 'SUNM'] },
      ],
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ wasTerminated: false, nrOfSuccessfullTransactions: 3, nrOfFailedTransactions: 2 });
    expect(body.results.map((r) => r.transaction)).toEqual(['GetBasicData', 'GetBasicData', 'AddSupplier', 'NoSuchTransaction', 'LstByNumber']);
    expect(body.results[0]!.records[0]).toMatchObject({ SUNO: po.VendNum });
    expect(body.results[1]).toMatchObject({ errorField: 'SUNO', records: [] });
    expect(body.results[2]!.errorMessage).toBeUndefined();
    expect(body.results[3]).toMatchObject({ errorType: 'TransactionNotFound' });
    expect(body.results[4]!.records).toContainEqual({ SUNO: 'V900003', SUNM: 'Bulk Supplier' });
    expect(ido.find('SLVendors', (v) => v.VendNum === 'V900003')).toBeDefined();
  });

  it('applies cono to every transaction and answers a malformed body with 400', async () => {
    const { body } = await post({ program: 'PPS200MI', cono: 300, transactions: [{ transaction: 'GetHead', record: { PUNO: 'PO00010001' } }] });
    expect(body.results[0]).toMatchObject({ errorField: 'CONO', errorMessage: 'Not authorized for company 300' });
    expect((await post({ program: 'PPS200MI', transactions: 'nope' })).status).toBe(400);
  });
});
