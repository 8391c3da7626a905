import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../electron/engine/sandbox/context';
import type { IdoTables } from '../../electron/engine/sandbox/ido-tables';
import { startM3Gateway } from '../helpers/m3-gateway';

// M3's finance programs over real HTTP: a supplier invoice (APS450MI) becomes a voucher the Industrial view
// sees, a GL batch (GLS840MI) becomes journal rows, and what M3 would refuse is refused.

interface Result {
  transaction: string;
  records: Record<string, string>[];
  errorMessage?: string;
  errorType?: string;
  errorField?: string;
}
interface Envelope {
  results: Result[];
  nrOfSuccessfullTransactions: number;
  nrOfFailedTransactions: number;
}

let ido: IdoTables;
let base: string;
let token: string;
let close: () => Promise<void>;

beforeAll(async () => {
  let clock: Clock;
  ({ ido, clock, base, token, close } = await startM3Gateway());
  // The world's own today, and mid-month four months back (the seed closes the books two months behind).
  const now = clock.date();
  today = ymd(now);
  closedDay = ymd(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 4, 15)));
});
afterAll(() => close());

async function call(path: string, params: Record<string, string>): Promise<Result> {
  const res = await fetch(`${base}/${path}?${new URLSearchParams(params).toString()}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  const body = (await res.json()) as Envelope;
  expect(body.nrOfSuccessfullTransactions + body.nrOfFailedTransactions).toBe(1);
  expect(body.nrOfFailedTransactions).toBe(body.results[0]!.errorMessage === undefined ? 0 : 1);
  return body.results[0]!;
}

async function ok(path: string, params: Record<string, string>): Promise<Record<string, string>[]> {
  const r = await call(path, params);
  expect(r.errorMessage).toBeUndefined();
  return r.records;
}

async function refused(path: string, params: Record<string, string>): Promise<Result> {
  const r = await call(path, params);
  expect(r.errorMessage).toBeTruthy();
  return r;
}

const ymd = (d: Date) => d.toISOString().slice(0, 10).replace(/-/g, '');
let today: string;
let closedDay: string;
const amount = (s: string | null | undefined) => Math.round(Number(s) * 100) / 100;

describe('APS450MI', () => {
  it('turns a PO invoice plus a freight line into a voucher: SLAptrxs + SLAptrxds', async () => {
    const po = ido.find('SLPos', (p) => p.Stat === 'O' && !p.Uf_ProjNum)!;
    const lines = ido.rows('SLPoItems').filter((l) => l.PoNum === po.PoNum);
    const poTotal = lines.reduce((s, l) => s + Math.round(Number(l.QtyOrdered) * Number(l.ItemCost) * 100), 0) / 100;
    const total = Math.round((poTotal + 25) * 100) / 100;

    const [head] = await ok('APS450MI/AddHead', { CONO: '100', SUNO: po.VendNum!, IVDT: today, SINO: 'INV-M3-0001', CUAM: String(total), PUNO: po.PoNum! });
    const INBN = head!.INBN!;
    expect(INBN).toMatch(/^\d+$/);
    for (const l of lines) {
      const [line] = await ok('APS450MI/AddLine', { INBN, RDTP: '1', PNLI: l.PoLine! });
      expect(line!.TRNO).toMatch(/^\d+$/);
    }
    await ok('APS450MI/AddLine', { INBN, RDTP: '8', NLAM: '25.00', AIT1: '640100', AIT2: 'CC600' });

    const [approved] = await ok('APS450MI/ApproveInvoice', { INBN });
    const VONO = approved!.VONO!;
    const voucher = ido.find('SLAptrxs', (v) => v.Ref === `APS450MI INBN ${INBN}`)!;
    expect(voucher).toMatchObject({ VendNum: po.VendNum, Voucher: VONO, InvNum: 'INV-M3-0001', PoNum: po.PoNum, ApAcct: '201000', Type: 'V', CurrCode: po.CurrCode });
    expect(voucher.InvDate).toBe(`${today} 00:00:00.000`);
    expect(amount(voucher.InvAmt)).toBe(total);
    expect(voucher.InvAmt).toMatch(/^\d+\.\d{8}$/);

    const dists = ido.rows('SLAptrxds').filter((d) => d.Voucher === VONO && d.VendNum === po.VendNum);
    expect(dists).toHaveLength(lines.length + 1);
    expect(dists.reduce((s, d) => s + Math.round(Number(d.Amount) * 100), 0) / 100).toBe(total);
    expect(dists.at(-1)).toMatchObject({ DistSeq: String(lines.length + 1), Acct: '640100', AcctUnit1: 'CC600' });
    expect(dists[0]).toMatchObject({ Acct: lines[0]!.NonInvAcct, AcctUnit1: lines[0]!.NonInvAcctUnit1 });

    expect((await ok('APS450MI/GetHead', { INBN }))[0]).toMatchObject({ VONO, SUNO: po.VendNum, NOLN: String(lines.length + 1) });
    expect(await refused('APS450MI/ApproveInvoice', { INBN })).toMatchObject({ errorField: 'INBN' });
    // The same supplier invoice number again is a duplicate.
    expect(await refused('APS450MI/AddHead', { SUNO: po.VendNum!, IVDT: today, SINO: 'INV-M3-0001' })).toMatchObject({ errorField: 'SINO' });
  });

  it('refuses to approve when the lines do not add up to the invoice amount, and allows it once they do', async () => {
    const vendor = ido.rows('SLVendors')[1]!.VendNum!;
    const [{ INBN }] = (await ok('APS450MI/AddHead', { SUNO: vendor, IVDT: today, SINO: 'INV-M3-0002', CUAM: '100.00' })) as [{ INBN: string }];
    await ok('APS450MI/AddLine', { INBN, RDTP: '8', NLAM: '60', AIT1: '610100', AIT2: 'CC100' });
    const r = await refused('APS450MI/ApproveInvoice', { INBN });
    expect(r).toMatchObject({ errorField: 'CUAM' });
    expect(r.errorMessage).toContain('not balanced');
    expect(ido.find('SLAptrxs', (v) => v.Ref === `APS450MI INBN ${INBN}`)).toBeUndefined();
    await ok('APS450MI/AddLine', { INBN, RDTP: '8', NLAM: '40', AIT1: '650300', AIT2: 'CC300', AIT3: 'PRJ00001' });
    await ok('APS450MI/ApproveInvoice', { INBN });
    const voucher = ido.find('SLAptrxs', (v) => v.Ref === `APS450MI INBN ${INBN}`)!;
    expect(ido.rows('SLAptrxds').filter((d) => d.Voucher === voucher.Voucher).map((d) => d.ProjNum)).toEqual([null, 'PRJ00001']);
  });

  it('refuses an invoice dated into a closed period on approval', async () => {
    const vendor = ido.rows('SLVendors')[2]!.VendNum!;
    const [{ INBN }] = (await ok('APS450MI/AddHead', { SUNO: vendor, IVDT: closedDay, SINO: 'INV-M3-OLD', CUAM: '10' })) as [{ INBN: string }];
    await ok('APS450MI/AddLine', { INBN, RDTP: '8', NLAM: '10', AIT1: '610100', AIT2: 'CC100' });
    const r = await refused('APS450MI/ApproveInvoice', { INBN });
    expect(r).toMatchObject({ errorField: 'ACDT' });
    expect(r.errorMessage).toContain('closed');
    expect(ido.find('SLAptrxs', (v) => v.InvNum === 'INV-M3-OLD')).toBeUndefined();
  });

  it('refuses unknown or blocked suppliers and bad lines', async () => {
    expect(await refused('APS450MI/AddHead', { SUNO: 'V404404', IVDT: today, SINO: 'X1' })).toMatchObject({ errorField: 'SUNO', errorMessage: 'Supplier number V404404 does not exist' });
    expect(await refused('APS450MI/AddHead', { SUNO: 'V001000', IVDT: '20260231', SINO: 'X1' })).toMatchObject({ errorField: 'IVDT' });
    const blockedVendor = ido.rows('SLVendors')[3]!;
    ido.update('SLVendors', blockedVendor.RowPointer!, { Stat: 'I' });
    expect(await refused('APS450MI/AddHead', { SUNO: blockedVendor.VendNum!, IVDT: today, SINO: 'X1' })).toMatchObject({ errorField: 'SUNO' });
    ido.update('SLVendors', blockedVendor.RowPointer!, { Stat: 'A' });

    const vendor = ido.rows('SLVendors')[4]!.VendNum!;
    const [{ INBN }] = (await ok('APS450MI/AddHead', { SUNO: vendor, IVDT: today, SINO: 'INV-M3-0003' })) as [{ INBN: string }];
    expect(await refused('APS450MI/AddLine', { INBN, RDTP: '8', NLAM: '5', AIT1: '690900', AIT2: 'CC100' })).toMatchObject({ errorField: 'AIT1', errorMessage: 'Account 690900 is blocked' });
    expect(await refused('APS450MI/AddLine', { INBN, RDTP: '8', NLAM: '5', AIT1: '610100' })).toMatchObject({ errorField: 'AIT2' });
    expect(await refused('APS450MI/AddLine', { INBN, RDTP: '8', NLAM: '5', AIT1: '610100', AIT2: 'CC100', AIT5: 'X' })).toMatchObject({ errorField: 'AIT5' });
    expect(await refused('APS450MI/AddLine', { INBN, RDTP: '3', NLAM: '5' })).toMatchObject({ errorField: 'RDTP' });
    const otherPo = ido.find('SLPos', (p) => p.VendNum !== vendor)!;
    expect(await refused('APS450MI/AddLine', { INBN, RDTP: '1', PUNO: otherPo.PoNum!, PNLI: '1' })).toMatchObject({ errorField: 'PUNO' });
    expect(await refused('APS450MI/AddLine', { INBN: '42', RDTP: '8', NLAM: '5', AIT1: '640100', AIT2: 'CC100' })).toMatchObject({ errorField: 'INBN' });
    expect(await refused('APS450MI/ApproveInvoice', { INBN })).toMatchObject({ errorField: 'INBN' }); // no lines
  });
});

describe('GLS840MI', () => {
  const line = (KEY1: string, LINE: number, AIT1: string, AIT2: string, CUAM: string, ACDT = today) => ({ CONO: '100', KEY1, LINE: String(LINE), ACDT, AIT1, AIT2, CUAM, VTXT: `line ${LINE}` });

  it('posts a balanced batch to SLJournals on CtrlBatch and marks it posted on UpdBatch', async () => {
    await ok('GLS840MI/AddBatchHead', { CONO: '100', KEY1: 'FERRY-GL-0001', INTN: 'FERRY', DESC: 'Labour accrual' });
    await ok('GLS840MI/AddBatchLine', line('FERRY-GL-0001', 1, '650500', 'CC500', '1200.50'));
    await ok('GLS840MI/AddBatchLine', { ...line('FERRY-GL-0001', 2, '215000', '', '-1200.50'), VTXT: '' });
    expect(ido.rows('SLJournals').filter((j) => j.Ref === 'FERRY-GL-0001')).toEqual([]);

    expect(await ok('GLS840MI/CtrlBatch', { CONO: '100', KEY1: 'FERRY-GL-0001' })).toEqual([{ KEY1: 'FERRY-GL-0001', NOLN: '2' }]);
    const rows = ido.rows('SLJournals').filter((j) => j.Ref === 'FERRY-GL-0001');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ JournalId: 'GL', Acct: '650500', AcctUnit1: 'CC500', Description: 'line 1', Posted: '0', TransDate: `${today} 00:00:00.000` });
    expect(rows[1]).toMatchObject({ Acct: '215000', AcctUnit1: null, Description: 'Labour accrual' });
    expect(rows.map((r) => amount(r.DomAmount))).toEqual([1200.5, -1200.5]);
    expect(Number(rows[1]!.Seq)).toBe(Number(rows[0]!.Seq) + 1);

    await ok('GLS840MI/UpdBatch', { CONO: '100', KEY1: 'FERRY-GL-0001' });
    expect(ido.rows('SLJournals').filter((j) => j.Ref === 'FERRY-GL-0001').map((r) => r.Posted)).toEqual(['1', '1']);
    expect(await refused('GLS840MI/AddBatchHead', { CONO: '100', KEY1: 'FERRY-GL-0001', INTN: 'FERRY', DESC: 'again' })).toMatchObject({ errorField: 'KEY1' });
  });

  it('refuses an unbalanced batch, leaves it open, and controls it once it balances', async () => {
    await ok('GLS840MI/AddBatchHead', { CONO: '100', KEY1: 'FERRY-GL-0002', INTN: 'FERRY', DESC: 'Unbalanced' });
    await ok('GLS840MI/AddBatchLine', line('FERRY-GL-0002', 1, '610100', 'CC100', '100'));
    await ok('GLS840MI/AddBatchLine', line('FERRY-GL-0002', 2, '215000', '', '-90'));
    const r = await refused('GLS840MI/CtrlBatch', { CONO: '100', KEY1: 'FERRY-GL-0002' });
    expect(r).toMatchObject({ errorField: 'CUAM' });
    expect(r.errorMessage).toContain('does not balance');
    expect(ido.rows('SLJournals').filter((j) => j.Ref === 'FERRY-GL-0002')).toEqual([]);
    expect(await refused('GLS840MI/UpdBatch', { CONO: '100', KEY1: 'FERRY-GL-0002' })).toMatchObject({ errorField: 'KEY1' });
    await ok('GLS840MI/AddBatchLine', line('FERRY-GL-0002', 3, '215000', '', '-10'));
    await ok('GLS840MI/CtrlBatch', { CONO: '100', KEY1: 'FERRY-GL-0002' });
    expect(ido.rows('SLJournals').filter((j) => j.Ref === 'FERRY-GL-0002')).toHaveLength(3);
  });

  it('refuses a closed period, an inactive or unknown account, and writes nothing', async () => {
    const cases: [string, ReturnType<typeof line>[], string, string][] = [
      ['FERRY-GL-CLOSED', [line('FERRY-GL-CLOSED', 1, '610100', 'CC100', '50', closedDay), line('FERRY-GL-CLOSED', 2, '215000', '', '-50', closedDay)], 'ACDT', 'closed'],
      ['FERRY-GL-INACTIVE', [line('FERRY-GL-INACTIVE', 1, '690900', 'CC100', '50'), line('FERRY-GL-INACTIVE', 2, '215000', '', '-50')], 'AIT1', 'Account 690900 is blocked'],
      ['FERRY-GL-UNKNOWN', [line('FERRY-GL-UNKNOWN', 1, '999999', 'CC100', '50'), line('FERRY-GL-UNKNOWN', 2, '215000', '', '-50')], 'AIT1', 'Account 999999 does not exist'],
      ['FERRY-GL-NOCC', [line('FERRY-GL-NOCC', 1, '610100', '', '50'), line('FERRY-GL-NOCC', 2, '215000', '', '-50')], 'AIT2', 'must be entered'],
    ];
    for (const [KEY1, lines, field, message] of cases) {
      await ok('GLS840MI/AddBatchHead', { CONO: '100', KEY1, INTN: 'FERRY', DESC: KEY1 });
      for (const l of lines) await ok('GLS840MI/AddBatchLine', l);
      const r = await refused('GLS840MI/CtrlBatch', { CONO: '100', KEY1 });
      expect(r.errorField).toBe(field);
      expect(r.errorMessage).toContain(message);
      expect(r.errorMessage).toMatch(/^Line 1: /);
      expect(ido.rows('SLJournals').filter((j) => j.Ref === KEY1)).toEqual([]);
    }
  });

  it('requires CONO, refuses unknown batches, duplicate lines and PARM-only lines', async () => {
    expect(await refused('GLS840MI/AddBatchHead', { KEY1: 'FERRY-GL-0009', INTN: 'FERRY', DESC: 'x' })).toMatchObject({ errorField: 'CONO', errorType: 'MandatoryInputFieldNotFound' });
    expect(await refused('GLS840MI/CtrlBatch', { CONO: '100', KEY1: 'NOPE' })).toMatchObject({ errorField: 'KEY1' });
    await ok('GLS840MI/AddBatchHead', { CONO: '100', KEY1: 'FERRY-GL-0009', INTN: 'FERRY', DESC: 'x' });
    await ok('GLS840MI/AddBatchLine', line('FERRY-GL-0009', 1, '610100', 'CC100', '5'));
    expect(await refused('GLS840MI/AddBatchLine', line('FERRY-GL-0009', 1, '610100', 'CC100', '5'))).toMatchObject({ errorField: 'LINE' });
    expect(await refused('GLS840MI/AddBatchLine', { CONO: '100', KEY1: 'FERRY-GL-0009', LINE: '2', PARM: 'I 610100 CC100 5' })).toMatchObject({ errorField: 'PARM' });
    expect(await refused('GLS840MI/AddBatchLine', { ...line('FERRY-GL-0009', 3, '610100', 'CC100', 'ten') })).toMatchObject({ errorField: 'CUAM' });
  });
});
