import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { m3Contract, miTransactionContract } from '../../electron/engine/contracts/cloudsuite';
import type { IdoTables } from '../../electron/engine/sandbox/ido-tables';
import { PROGRAMS } from '../../electron/engine/sandbox/m3';
import { m3Get, startM3Gateway, type M3Result } from '../helpers/m3-gateway';

// The M3 simulator over real HTTP, behind the real ION gateway, on the same generated world the IDO
// simulator serves, held to contracts/cloudsuite-m3.json: exactly the published programs, transactions,
// inputs and outputs; maxrecs as a matrix parameter; the reads and supplier writes over the shared rows.

let ido: IdoTables;
let g: { base: string; token: string };
let close: () => Promise<void>;

beforeAll(async () => {
  const started = await startM3Gateway();
  ({ ido, close } = started);
  g = started;
});
afterAll(() => close());

const contractTransactions = () =>
  Object.entries(m3Contract.programs).flatMap(([program, p]) => Object.keys(p.transactions).map((transaction) => [program, transaction] as const));
const outputsOf = (program: string, transaction: string) => Object.keys(miTransactionContract(program, transaction)!.outputs);

/** One successful transaction's records. */
async function records(path: string, params: Record<string, string> = {}): Promise<Record<string, string>[]> {
  const { status, body } = await m3Get(g, path, params);
  expect(status, JSON.stringify(body)).toBe(200);
  expect(body.results[0]!.errorMessage, JSON.stringify(body)).toBeUndefined();
  expect(body).toMatchObject({ wasTerminated: false, nrOfSuccessfullTransactions: 1, nrOfFailedTransactions: 0 });
  return body.results[0]!.records;
}

/** What the program refused: HTTP 200, nrOfFailedTransactions 1, the error fields in results[0]. */
async function refusal(path: string, params: Record<string, string>): Promise<M3Result> {
  const { status, body } = await m3Get(g, path, params);
  expect(status).toBe(200);
  expect(body).toMatchObject({ wasTerminated: false, nrOfSuccessfullTransactions: 0, nrOfFailedTransactions: 1 });
  const r = body.results[0]!;
  expect(r.records).toEqual([]);
  expect(r.errorMessage).toBeTruthy();
  return r;
}

/** A request refused as a whole: HTTP 400, the error at the top level, wasTerminated. */
async function stopped(path: string, params: Record<string, string> = {}) {
  const { status, body } = await m3Get(g, path, params);
  expect(status).toBe(400);
  expect(body).toMatchObject({ results: [], wasTerminated: true, nrOfFailedTransactions: 1 });
  expect(body.errorMessage).toBeTruthy();
  return body;
}

describe('gateway', () => {
  it('answers 401 with www-authenticate without a valid bearer token', async () => {
    const none = await fetch(`${g.base}/PPS200MI/GetHead?PUNO=PO00010001`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('error="invalid_request"');
    const wrong = await fetch(`${g.base}/PPS200MI/GetHead?PUNO=PO00010001`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('has no bulk POST: no public source describes one', async () => {
    const res = await fetch(g.base, { method: 'POST', headers: { authorization: `Bearer ${g.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ program: 'CRS620MI', transactions: [] }) });
    expect(res.status).toBe(404);
  });
});

describe('held to the contract', () => {
  it('serves exactly the transactions the contract publishes, each program and transaction both ways', async () => {
    const served = Object.entries(PROGRAMS).flatMap(([program, p]) => Object.keys(p).map((t) => `${program}/${t}`)).sort();
    expect(served).toEqual(contractTransactions().map(([p, t]) => `${p}/${t}`).sort());
    // Every one of them answers over HTTP as a transaction (records or the program's refusal), never as unknown.
    for (const [program, transaction] of contractTransactions()) {
      const { status, body } = await m3Get(g, `${program}/${transaction}`);
      expect(status, `${program}/${transaction}: ${JSON.stringify(body)}`).toBe(200);
    }
  });

  it('stops an unknown program or transaction with HTTP 400 and the error at the top level, whatever the old code sent', async () => {
    expect(await stopped('XXX999MI/GetHead')).toMatchObject({ errorType: 'TransactionNotFound', errorMessage: 'Program XXX999MI does not exist' });
    for (const [program, transaction] of [['PPS200MI', 'SearchHead'], ['PPS200MI', 'GetLine'], ['APS200MI', 'LstChanged'], ['APS200MI', 'GetHead'], ['APS200MI', 'LstLines'], ['CRS620MI', 'AddSupplier'], ['CRS630MI', 'GetAccountID']]) {
      expect(await stopped(`${program}/${transaction}`)).toMatchObject({ errorType: 'TransactionNotFound', errorMessage: `Transaction ${transaction} does not exist in program ${program}` });
    }
  });

  it('stops an input field the transaction does not have, a maxrecs in the query among them', async () => {
    const po = ido.rows('SLPos')[0]!.PoNum!;
    expect(await stopped('PPS200MI/GetHead', { PUNO: po, PUSL: '20' })).toMatchObject({ errorType: 'UnknownInputField', errorField: 'PUSL' });
    expect(await stopped('PPS200MI/LstLine', { PUNO: po, maxrecs: '5' })).toMatchObject({ errorType: 'UnknownInputField', errorField: 'maxrecs' });
    expect(await stopped('APS450MI/AddLine', { INBN: '1', RDTP: '8', NLAM: '5', AIT1: '610100' })).toMatchObject({ errorType: 'UnknownInputField', errorField: 'AIT1' });
    expect(await stopped('CRS620MI/UpdSupplier', { SUNO: 'V001000', EMAL: 'x@y.z' })).toMatchObject({ errorField: 'EMAL' });
    expect(await stopped(`PPS200MI/GetHead;nosuch=1`, { PUNO: po })).toMatchObject({ errorType: 'InvalidRequest' });
    expect(await stopped(`PPS200MI/LstLine;returncols=PUNO,AIT1`, { PUNO: po })).toMatchObject({ errorField: 'AIT1' });
  });

  it('refuses a missing mandatory input, a number or date that is not one, and another company', async () => {
    expect(await refusal('PPS200MI/GetHead', {})).toMatchObject({ errorType: 'MandatoryInputFieldNotFound', errorField: 'PUNO' });
    expect(await refusal('CRS620MI/LstByNumber', {})).toMatchObject({ errorType: 'MandatoryInputFieldNotFound', errorField: 'SUNO' });
    expect(await refusal('GLS200MI/LstVouchersByDt', { FRDT: '20260101' })).toMatchObject({ errorType: 'MandatoryInputFieldNotFound', errorField: 'TODT' });
    expect(await refusal('CRS630MI/LstAccountID', { AITP: 'one' })).toMatchObject({ errorField: 'AITP' });
    expect(await refusal('GLS200MI/LstVouchersByDt', { FRDT: '20260231', TODT: '20261231' })).toMatchObject({ errorField: 'FRDT' });
    expect(await refusal('PPS200MI/GetHead', { CONO: '200', PUNO: 'PO00010001' })).toMatchObject({ errorField: 'CONO', errorCode: 'XAU0008' });
    expect(await stopped('PPS200MI/GetHead;cono=200', { PUNO: 'PO00010001' })).toMatchObject({ errorField: 'CONO' });
    expect(await records('PPS200MI/GetHead;cono=100;divi=AAA', { PUNO: ido.rows('SLPos')[0]!.PoNum! })).toHaveLength(1);
  });

  it('answers with exactly the contract’s output fields, blank where the world has no value', async () => {
    const po = ido.rows('SLPos')[0]!;
    const vendor = ido.rows('SLVendors')[0]!.VendNum!;
    const cases: [string, string, Record<string, string>][] = [
      ['PPSSPPMI', 'LstSupHead', {}],
      ['PPS200MI', 'GetHead', { PUNO: po.PoNum! }],
      ['PPS200MI', 'LstLine', { PUNO: po.PoNum! }],
      ['CRS620MI', 'LstByNumber', { SUNO: vendor }],
      ['CRS620MI', 'GetBasicData', { SUNO: vendor }],
      ['CRS620MI', 'LstAddresses', { SUNO: vendor }],
      ['CRS630MI', 'LstAccountID', { AITP: '1' }],
      ['MRS001MI', 'LstTransactions', { MINM: 'PPS200MI' }],
    ];
    for (const [program, transaction, input] of cases) {
      const list = await records(`${program}/${transaction}`, input);
      expect(list.length, `${program}/${transaction}`).toBeGreaterThan(0);
      for (const r of list) expect(Object.keys(r), `${program}/${transaction}`).toEqual(outputsOf(program, transaction));
    }
    const [head] = await records('PPS200MI/GetHead', { PUNO: po.PoNum! });
    expect(head).not.toHaveProperty('PUSL');
    expect(head).not.toHaveProperty('LMTS');
    expect(head!.REVN).toBe('');
    const cols = await records('CRS620MI/LstByNumber;maxrecs=2;returncols=SUNO,SUNM', { SUNO: vendor });
    expect(cols.map((r) => Object.keys(r))).toEqual([['SUNO', 'SUNM'], ['SUNO', 'SUNM']]);
    const lean = await records('CRS620MI/GetBasicData;excludempty=true', { SUNO: vendor });
    expect(Object.values(lean[0]!).every((v) => v !== '')).toBe(true);
  });

  it('takes maxrecs only as a matrix parameter: 100 when absent, 0 = all', async () => {
    const template = ido.rows('SLVendors')[0]!;
    for (let i = 0; i < 120; i++) ido.insert('SLVendors', { ...template, RowPointer: null, VendNum: `W${String(i).padStart(6, '0')}` });
    const all = ido.rows('SLVendors').length;
    expect(all).toBeGreaterThan(100);
    expect(await records('CRS620MI/LstByNumber', { SUNO: '!' })).toHaveLength(100);
    expect(await records('CRS620MI/LstByNumber;maxrecs=0', { SUNO: '!' })).toHaveLength(all);
    expect(await records('CRS620MI/LstByNumber;maxrecs=7', { SUNO: '!' })).toHaveLength(7);
    expect(await stopped('CRS620MI/LstByNumber;maxrecs=many', { SUNO: '!' })).toMatchObject({ errorType: 'InvalidRequest' });
    for (const v of ido.rows('SLVendors').filter((r) => r.VendNum!.startsWith('W'))) ido.delete('SLVendors', v.RowPointer!);
  });

  it('lists the transactions of a program as the contract has them (MRS001MI), and refuses an unknown program', async () => {
    const list = await records('MRS001MI/LstTransactions;maxrecs=0', { MINM: 'CRS620MI' });
    expect(list.map((r) => r.TRNM)).toEqual(Object.keys(m3Contract.programs.CRS620MI.transactions));
    expect(await refusal('MRS001MI/LstTransactions', { MINM: 'XXX999MI' })).toMatchObject({ errorField: 'MINM' });
  });
});

describe('purchase orders', () => {
  it('PPSSPPMI LstSupHead lists every head by supplier and PO, with status and change stamp', async () => {
    const heads = await records('PPSSPPMI/LstSupHead;maxrecs=0');
    expect(heads.map((h) => h.PUNO).sort()).toEqual(ido.rows('SLPos').map((p) => p.PoNum).sort());
    expect(heads.map((h) => `${h.SUNO}|${h.PUNO}`)).toEqual([...heads.map((h) => `${h.SUNO}|${h.PUNO}`)].sort());
    const po = ido.find('SLPos', (p) => p.Stat === 'O')!;
    const h = heads.find((x) => x.PUNO === po.PoNum)!;
    expect(h).toMatchObject({ SUNO: po.VendNum, PUDT: po.OrderDate!.slice(0, 8), PUSL: '20', WHLO: po.Whse, BUYE: po.Buyer, ORTY: po.Type });
    expect(Number(h.LMTS)).toBe(Date.parse(`${po.RecordDate!.slice(0, 4)}-${po.RecordDate!.slice(4, 6)}-${po.RecordDate!.slice(6, 8)}T${po.RecordDate!.slice(9)}Z`));
    expect(heads.find((x) => x.PUNO === ido.find('SLPos', (p) => p.Stat === 'P')!.PoNum)!.PUSL).toBe('05');
    expect(heads.find((x) => x.PUNO === ido.find('SLPos', (p) => p.Stat === 'C')!.PoNum)!.PUSL).toBe('85');
    const one = await records('PPSSPPMI/LstSupHead;maxrecs=0', { SUNO: po.VendNum! });
    expect(one.map((x) => x.PUNO).sort()).toEqual(ido.rows('SLPos').filter((p) => p.VendNum === po.VendNum).map((p) => p.PoNum).sort());
    expect((await records('PPSSPPMI/LstSupHead;maxrecs=0', { SLFR: '85', SLTO: '99' })).every((x) => x.PUSL === '85')).toBe(true);
  });

  it('PPS200MI GetHead and LstLine read SLPos and SLPoItems, in line order, with no accounting', async () => {
    const po = ido.rows('SLPos').find((p) => ido.rows('SLPoItems').filter((l) => l.PoNum === p.PoNum).length >= 2)!;
    const rows = ido.rows('SLPoItems').filter((l) => l.PoNum === po.PoNum);
    expect((await records('PPS200MI/GetHead', { PUNO: po.PoNum! }))[0]).toMatchObject({ PUNO: po.PoNum, SUNO: po.VendNum, ORTY: po.Type, TEPY: po.TermsCode });
    const lines = await records('PPS200MI/LstLine', { PUNO: po.PoNum! });
    expect(lines.map((l) => l.PNLI)).toEqual(rows.map((r) => r.PoLine).sort((a, b) => Number(a) - Number(b)));
    for (const line of lines) {
      const row = rows.find((r) => r.PoLine === line.PNLI)!;
      expect(line).toMatchObject({ PUNO: po.PoNum, PNLS: '0', ITNO: row.Item, PITD: row.Description, PUUN: row.UM, DWDT: row.DueDate!.slice(0, 8) });
      expect(Number(line.ORQA)).toBe(Number(row.QtyOrdered));
      expect(line.PUPR).not.toMatch(/0{3,}$/); // 42.5, not 42.50000000
      expect(line).not.toHaveProperty('AIT1');
    }
    expect(await refusal('PPS200MI/GetHead', { PUNO: 'PO99999999' })).toMatchObject({ errorType: 'ServerReturnedNOK', errorField: 'PUNO', errorMessage: 'Purchase order number PO99999999 does not exist' });
  });
});

describe('CRS620MI', () => {
  it('GetBasicData, LstByNumber and LstAddresses read SLVendors + SLVendaddrs; blocked suppliers are status 90', async () => {
    const vendor = ido.rows('SLVendors')[2]!;
    const addr = ido.find('SLVendaddrs', (a) => a.VendNum === vendor.VendNum)!;
    const [s] = await records('CRS620MI/GetBasicData', { SUNO: vendor.VendNum! });
    expect(s).toMatchObject({ SUNO: vendor.VendNum, SUNM: vendor.Name, CUCD: vendor.CurrCode, TEPY: vendor.TermsCode, STAT: vendor.Stat === 'A' ? '20' : '90', PHNO: vendor.Phone, CSCD: addr.Country });
    const list = await records('CRS620MI/LstByNumber;maxrecs=0', { SUNO: vendor.VendNum! });
    expect(list.map((r) => r.SUNO)).toEqual(ido.rows('SLVendors').map((v) => v.VendNum).filter((v) => v! >= vendor.VendNum!).sort());
    expect(await records('CRS620MI/LstAddresses', { SUNO: vendor.VendNum! })).toEqual([
      expect.objectContaining({ ADTE: '1', ADID: 'MAIN', STDT: addr.CreateDate!.slice(0, 8), ADR1: addr.Addr_1, TOWN: addr.City, PONO: addr.Zip, CSCD: addr.Country }),
    ]);
  });

  it('CopyTemplate copies a supplier and its address; UpdSupplier and UpdAddress change them; blanks leave values', async () => {
    const template = ido.rows('SLVendors')[0]!;
    const [copy] = await records('CRS620MI/CopyTemplate', { STEM: template.VendNum!, SUNO: 'V900001' });
    expect(copy).toMatchObject({ SUNO: 'V900001', STAT: template.Stat === 'A' ? '20' : '90' });
    expect(ido.find('SLVendors', (v) => v.VendNum === 'V900001')).toMatchObject({ Name: template.Name, CurrCode: template.CurrCode, TermsCode: template.TermsCode });

    await records('CRS620MI/UpdSupplier', { SUNO: 'V900001', SUNM: 'Acme Testing AG', CUCD: 'EUR', TEPY: 'N45', STAT: '90', PHNO: '+49 89 1234', CSCD: 'DE' });
    expect(ido.find('SLVendors', (v) => v.VendNum === 'V900001')).toMatchObject({ Name: 'Acme Testing AG', CurrCode: 'EUR', TermsCode: 'N45', Stat: 'I', Phone: '+49 89 1234' });
    const [address] = await records('CRS620MI/LstAddresses', { SUNO: 'V900001' });
    await records('CRS620MI/UpdAddress', { SUNO: 'V900001', ADTE: '1', ADID: 'MAIN', STDT: address!.STDT!, ADR1: 'Hauptstr. 1', TOWN: 'Munich' });
    expect(ido.find('SLVendaddrs', (a) => a.VendNum === 'V900001')).toMatchObject({ Addr_1: 'Hauptstr. 1', City: 'Munich', Country: 'DE' });
    expect((await records('CRS620MI/GetBasicData', { SUNO: 'V900001' }))[0]).toMatchObject({ SUNM: 'Acme Testing AG', STAT: '90', CSCD: 'DE' });
  });

  it('refuses a duplicate supplier, an unknown template, an address of a type the company does not use, and a wrong start date', async () => {
    const [a, b] = ido.rows('SLVendors');
    expect(await refusal('CRS620MI/CopyTemplate', { STEM: a!.VendNum!, SUNO: b!.VendNum! })).toMatchObject({ errorField: 'SUNO', errorMessage: `Supplier number ${b!.VendNum} already exists` });
    expect(await refusal('CRS620MI/CopyTemplate', { STEM: 'NOPE', SUNO: 'V900002' })).toMatchObject({ errorField: 'STEM' });
    expect(await refusal('CRS620MI/CopyTemplate', { SUNO: 'V900002' })).toMatchObject({ errorType: 'MandatoryInputFieldNotFound', errorField: 'STEM' });
    expect(await refusal('CRS620MI/UpdSupplier', { SUNO: 'V404404', SUNM: 'x' })).toMatchObject({ errorField: 'SUNO', errorMessage: 'Supplier number V404404 does not exist' });
    expect(await refusal('CRS620MI/UpdSupplier', { SUNO: a!.VendNum!, STAT: '50' })).toMatchObject({ errorField: 'STAT' });
    expect(await refusal('CRS620MI/UpdSupplier', { SUNO: a!.VendNum!, CUCD: 'euro' })).toMatchObject({ errorField: 'CUCD' });
    expect(await refusal('CRS620MI/AddAddress', { SUNO: a!.VendNum!, ADTE: '2', ADID: 'SHIP', CSCD: 'US', PRIA: '1' })).toMatchObject({ errorField: 'ADTE' });
    expect(await refusal('CRS620MI/AddAddress', { SUNO: a!.VendNum!, ADTE: '1', ADID: 'MAIN', CSCD: 'US', PRIA: '1' })).toMatchObject({ errorField: 'ADID' });
    expect(await refusal('CRS620MI/AddAddress', { SUNO: a!.VendNum!, ADTE: '1', ADID: 'MAIN', CSCD: 'US' })).toMatchObject({ errorType: 'MandatoryInputFieldNotFound', errorField: 'PRIA' });
    expect(await refusal('CRS620MI/UpdAddress', { SUNO: a!.VendNum!, ADTE: '1', ADID: 'MAIN', STDT: '19990101', TOWN: 'X' })).toMatchObject({ errorField: 'STDT' });
    expect(ido.find('SLVendors', (v) => v.VendNum === 'V900002')).toBeUndefined();
  });
});

describe('CRS630MI', () => {
  it('lists accounts (dimension 1) and cost centers (dimension 2) from SLCharts and SLUnitcd1s, from AITM on', async () => {
    const centers = await records('CRS630MI/LstAccountID', { AITP: '2' });
    expect(centers.map((c) => c.AITM)).toEqual(ido.rows('SLUnitcd1s').map((c) => c.Unit1).sort());
    const accounts = await records('CRS630MI/LstAccountID;maxrecs=0', { AITP: '1' });
    expect(accounts).toHaveLength(ido.rows('SLCharts').length);
    expect(accounts.find((a) => a.AITM === '690900')).toMatchObject({ LCCD: '1' });
    expect(accounts.find((a) => a.AITM === '610100')).toMatchObject({ AT02: '1', ACR2: '1' });
    expect((await records('CRS630MI/LstAccountID', { AITP: '1', AITM: '610100' }))[0]).toMatchObject({ AITM: '610100' });
    expect(await records('CRS630MI/LstAccountID', { AITP: '5' })).toEqual([]);
    expect(await refusal('CRS630MI/LstAccountID', { AITP: '9' })).toMatchObject({ errorField: 'AITP' });
  });
});
