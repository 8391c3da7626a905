import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../electron/engine/sandbox/context';
import type { Row } from '../../electron/engine/sandbox/ido-filter';
import type { IdoTables } from '../../electron/engine/sandbox/ido-tables';
import { m3Get, startM3Gateway, type M3Result } from '../helpers/m3-gateway';

// M3's finance programs over real HTTP, on the shared books: a supplier invoice (APS450MI, APS455MI) becomes
// a posted voucher (SLAptrxps + SLLedgers) that the ledger (GLS200MI) and APS200MI GetInvoice read back; a GL
// batch (GLS840MI) carries its lines as PARM in the sandbox tenant's layout and posts to SLLedgers; and what
// M3 would refuse is refused.

let ido: IdoTables;
let g: { base: string; token: string };
let close: () => Promise<void>;
let today: string;
let closedDay: string;

beforeAll(async () => {
  let clock: Clock;
  const started = await startM3Gateway();
  ({ ido, clock, close } = started);
  g = started;
  // The world's own today, and mid-month four months back (the seed closes the books two months behind).
  const now = clock.date();
  today = ymd(now);
  closedDay = ymd(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 4, 15)));
});
afterAll(() => close());

const ymd = (d: Date) => d.toISOString().slice(0, 10).replace(/-/g, '');
const amount = (s: string | null | undefined) => Math.round(Number(s) * 100) / 100;

async function call(path: string, params: Record<string, string>): Promise<M3Result> {
  const { status, body } = await m3Get(g, path, params);
  expect(status, JSON.stringify(body)).toBe(200);
  expect(body.nrOfSuccessfullTransactions + body.nrOfFailedTransactions).toBe(1);
  return body.results[0]!;
}

async function ok(path: string, params: Record<string, string>): Promise<Record<string, string>[]> {
  const r = await call(path, params);
  expect(r.errorMessage, r.errorMessage).toBeUndefined();
  return r.records;
}

async function refused(path: string, params: Record<string, string>): Promise<M3Result> {
  const r = await call(path, params);
  expect(r.errorMessage).toBeTruthy();
  return r;
}

const posted = (inbn: string) => ido.find('SLAptrxps', (v) => v.Ref === `APS450MI INBN ${inbn}`);
const ledgerOf = (v: Row) => ido.rows('SLLedgers').filter((l) => l.VendNum === v.VendNum && l.Voucher === v.Voucher);
const linesOf = (po: Row) => ido.rows('SLPoItems').filter((l) => l.PoNum === po.PoNum).sort((a, b) => Number(a.PoLine) - Number(b.PoLine));
const priced = (l: Row) => Math.round(Number(l.QtyOrdered) * Number(l.ItemCost) * 100) / 100;
/** An open PO of an active supplier whose lines' accounts M3 takes, not used by another test yet. */
const usedPos = new Set<string>();
function openPo(minLines = 1): Row {
  const po = ido
    .rows('SLPos')
    .find((p) => p.Stat === 'O' && !usedPos.has(p.PoNum!) && ido.find('SLVendors', (v) => v.VendNum === p.VendNum)?.Stat === 'A' && !p.Uf_ProjNum && linesOf(p).length >= minLines)!;
  usedPos.add(po.PoNum!);
  return po;
}

describe('APS450MI and APS455MI', () => {
  it('enter, approve and validate an invoice against PO lines: a posted voucher on the PO lines’ accounts', async () => {
    const po = openPo();
    const lines = linesOf(po);
    const total = Math.round(lines.reduce((s, l) => s + priced(l), 0) * 100) / 100;
    const [head] = await ok('APS450MI/AddHead', { SUNO: po.VendNum!, IVDT: today, SINO: 'INV-M3-0001', CUAM: String(total), PUNO: po.PoNum! });
    const INBN = head!.INBN!;
    expect(Object.keys(head!)).toEqual(['INBN']);
    for (const l of lines) expect((await ok('APS450MI/AddLine', { INBN, RDTP: '1', PNLI: l.PoLine! }))[0]!.TRNO).toMatch(/^\d+$/);
    expect((await ok('APS450MI/LstLines', { INBN })).map((l) => [l.PNLI, amount(l.NLAM)])).toEqual(lines.map((l) => [l.PoLine, priced(l)]));
    expect((await ok('APS450MI/LstLines', { INBN, TRNO: '2' })).map((l) => l.TRNO)).toEqual(lines.slice(1).map((_, i) => String(i + 2)));

    expect((await ok('APS450MI/GetHead', { INBN }))[0]).toMatchObject({ SUNO: po.VendNum, SINO: 'INV-M3-0001', VONO: '', AAPD: '', SUPA: '10' });
    expect(await ok('APS450MI/ApproveInvoice', { INBN })).toEqual([]);
    expect((await ok('APS450MI/GetHead', { INBN }))[0]!.AAPD).toBe(today);
    expect(await refused('APS450MI/ApproveInvoice', { INBN })).toMatchObject({ errorField: 'INBN' });
    expect(posted(INBN)).toBeUndefined();

    expect(await ok('APS455MI/ValidByBatchNo', { INBN })).toEqual([]);
    const voucher = posted(INBN)!;
    expect(voucher).toMatchObject({ VendNum: po.VendNum, InvNum: 'INV-M3-0001', PoNum: po.PoNum, ApAcct: '201000' });
    expect(amount(voucher.InvAmt)).toBe(total);
    expect(ledgerOf(voucher).map((l) => [l.Acct, l.AcctUnit1, amount(l.DomAmount)])).toEqual([
      ...lines.map((l) => [l.NonInvAcct, l.NonInvAcctUnit1, priced(l)]),
      ['201000', null, -total],
    ]);
    expect((await ok('APS450MI/GetHead', { INBN }))[0]).toMatchObject({ VONO: voucher.Voucher, SUPA: '90', VSER: 'AP' });
    expect(await refused('APS455MI/ValidByBatchNo', { INBN })).toMatchObject({ errorField: 'INBN' });
    expect(await refused('APS450MI/AddLine', { INBN, RDTP: '1', PNLI: lines[0]!.PoLine! })).toMatchObject({ errorField: 'INBN' });
    // The same supplier invoice number again is a duplicate.
    expect(await refused('APS450MI/AddHead', { SUNO: po.VendNum!, IVDT: today, SINO: 'INV-M3-0001' })).toMatchObject({ errorField: 'SINO' });
  });

  it('validates nothing that does not add up, and posts once it does', async () => {
    const po = openPo(2);
    const [first] = linesOf(po);
    const [{ INBN }] = (await ok('APS450MI/AddHead', { SUNO: po.VendNum!, IVDT: today, SINO: 'INV-M3-0002', CUAM: String(priced(first!) + 10) })) as [{ INBN: string }];
    await ok('APS450MI/AddLine', { INBN, RDTP: '1', PUNO: po.PoNum!, PNLI: first!.PoLine! });
    const r = await refused('APS455MI/ValidByBatchNo', { INBN });
    expect(r).toMatchObject({ errorField: 'CUAM' });
    expect(r.errorMessage).toContain('not balanced');
    expect(posted(INBN)).toBeUndefined();
    expect(ido.rows('SLAptrxs').some((v) => v.InvNum === 'INV-M3-0002')).toBe(false);
    const second = linesOf(po)[1]!;
    await ok('APS450MI/AddLine', { INBN, RDTP: '1', PUNO: po.PoNum!, PNLI: second.PoLine!, IVQA: '1', NLAM: '10' });
    await ok('APS455MI/ValidByBatchNo', { INBN });
    expect(amount(posted(INBN)!.InvAmt)).toBe(Math.round((priced(first!) + 10) * 100) / 100);
  });

  it('refuses an invoice dated into a closed period on validation, and writes nothing', async () => {
    const po = openPo();
    const [first] = linesOf(po);
    const [{ INBN }] = (await ok('APS450MI/AddHead', { SUNO: po.VendNum!, IVDT: closedDay, SINO: 'INV-M3-OLD', CUAM: String(priced(first!)) })) as [{ INBN: string }];
    await ok('APS450MI/AddLine', { INBN, RDTP: '1', PUNO: po.PoNum!, PNLI: first!.PoLine! });
    const r = await refused('APS455MI/ValidByBatchNo', { INBN });
    expect(r).toMatchObject({ errorField: 'ACDT' });
    expect(r.errorMessage).toContain('closed');
    expect(ido.rows('SLAptrxs').some((v) => v.InvNum === 'INV-M3-OLD')).toBe(false);
    expect(ido.rows('SLAptrxps').some((v) => v.InvNum === 'INV-M3-OLD')).toBe(false);
  });

  it('refuses unknown or blocked suppliers, another line type, another supplier’s PO, more than ordered', async () => {
    expect(await refused('APS450MI/AddHead', { SUNO: 'V404404', IVDT: today, SINO: 'X1' })).toMatchObject({ errorField: 'SUNO', errorMessage: 'Supplier number V404404 does not exist' });
    expect(await refused('APS450MI/AddHead', { SUNO: 'V001000', IVDT: '20260231', SINO: 'X1' })).toMatchObject({ errorField: 'IVDT' });
    const blockedVendor = ido.rows('SLVendors').find((v) => v.Stat === 'A')!;
    ido.update('SLVendors', blockedVendor.RowPointer!, { Stat: 'I' });
    expect(await refused('APS450MI/AddHead', { SUNO: blockedVendor.VendNum!, IVDT: today, SINO: 'X1' })).toMatchObject({ errorField: 'SUNO' });
    ido.update('SLVendors', blockedVendor.RowPointer!, { Stat: 'A' });

    const po = openPo();
    const [line] = linesOf(po);
    const [{ INBN }] = (await ok('APS450MI/AddHead', { SUNO: po.VendNum!, IVDT: today, SINO: 'INV-M3-0003' })) as [{ INBN: string }];
    expect(await refused('APS450MI/AddLine', { INBN, RDTP: '8', NLAM: '5' })).toMatchObject({ errorField: 'RDTP' });
    expect(await refused('APS450MI/AddLine', { INBN, RDTP: '1' })).toMatchObject({ errorField: 'PUNO' });
    const otherPo = ido.find('SLPos', (p) => p.VendNum !== po.VendNum)!;
    expect(await refused('APS450MI/AddLine', { INBN, RDTP: '1', PUNO: otherPo.PoNum!, PNLI: '1' })).toMatchObject({ errorField: 'PUNO' });
    expect(await refused('APS450MI/AddLine', { INBN, RDTP: '1', PUNO: po.PoNum!, PNLI: line!.PoLine!, IVQA: String(Number(line!.QtyOrdered) + 1) })).toMatchObject({ errorField: 'IVQA' });
    expect(await refused('APS450MI/AddLine', { INBN: '42', RDTP: '1', PUNO: po.PoNum!, PNLI: '1' })).toMatchObject({ errorField: 'INBN' });
    expect(await refused('APS455MI/ValidByBatchNo', { INBN })).toMatchObject({ errorField: 'INBN' }); // no lines
  });
});

describe('GLS200MI and APS200MI', () => {
  it('list a posted invoice’s voucher by accounting date, and give its supplier invoice from the payable line only', async () => {
    const po = openPo();
    const [first] = linesOf(po);
    const [{ INBN }] = (await ok('APS450MI/AddHead', { SUNO: po.VendNum!, IVDT: today, SINO: 'INV-M3-GL', CUAM: String(priced(first!)) })) as [{ INBN: string }];
    await ok('APS450MI/AddLine', { INBN, RDTP: '1', PUNO: po.PoNum!, PNLI: first!.PoLine! });
    await ok('APS455MI/ValidByBatchNo', { INBN });
    const voucher = posted(INBN)!;

    const lines = (await ok('GLS200MI/LstVouchersByDt;maxrecs=0', { FRDT: today, TODT: today })).filter((l) => l.VONO === String(Number(voucher.Voucher)));
    expect(lines.map((l) => [l.VSER, l.AIT1, amount(l.ACAM)])).toEqual([['AP', first!.NonInvAcct, priced(first!)], ['AP', '201000', -priced(first!)]]);
    expect(lines.every((l) => l.ACDT === today && l.RGDT === today && /^\d{6}$/.test(l.RGTM!))).toBe(true);
    const again = await ok('GLS200MI/LstVoucherLines', { DIVI: 'AAA', YEA4: lines[0]!.YEA4!, VONO: lines[0]!.VONO!, VSER: 'AP' });
    expect(again).toEqual(lines.map((l) => expect.objectContaining({ JSNO: l.JSNO, AIT1: l.AIT1 })));

    const payable = lines.find((l) => l.AIT1 === '201000')!;
    expect((await ok('APS200MI/GetInvoice', { YEA4: payable.YEA4!, JRNO: payable.JRNO!, JSNO: payable.JSNO! }))[0]).toMatchObject({
      SUNO: po.VendNum, SINO: 'INV-M3-GL', VONO: String(Number(voucher.Voucher)), VSER: 'AP', IVDT: today, CUAM: String(priced(first!)),
    });
    const cost = lines.find((l) => l.AIT1 !== '201000')!;
    expect(await refused('APS200MI/GetInvoice', { YEA4: cost.YEA4!, JRNO: cost.JRNO!, JSNO: cost.JSNO! })).toMatchObject({ errorField: 'JSNO' });
  });
});

describe('GLS840MI', () => {
  /** The sandbox tenant's PARM layout (sandbox/m3/gl-parm.ts): date 8, dimensions 1–7 of 10, amount 17 right-aligned, text 40. */
  const parm = (acdt: string, ait1: string, ait2: string, cuam: string, text = '') =>
    `${acdt}${ait1.padEnd(10)}${ait2.padEnd(10)}${''.padEnd(50)}${cuam.padStart(17)}${text}`;
  const line = (KEY1: string, LINE: number, ait1: string, ait2: string, cuam: string, acdt = today) => ({ CONO: '100', KEY1, LINE: String(LINE), PARM: parm(acdt, ait1, ait2, cuam, `line ${LINE}`) });
  const ledger = (key: string) => ido.rows('SLLedgers').filter((l) => l.Ref === key && l.FromId === 'GL');

  it('posts a balanced batch: CtrlBatch writes it to SLJournals, UpdBatch moves it to the ledger', async () => {
    expect(await ok('GLS840MI/AddBatchHead', { CONO: '100', KEY1: 'FERRY-GL-0001', INTN: 'FERRY', DESC: 'Labour accrual' })).toEqual([{ CONO: '100' }]);
    await ok('GLS840MI/AddBatchLine', line('FERRY-GL-0001', 1, '650500', 'CC500', '1200.50'));
    await ok('GLS840MI/AddBatchLine', line('FERRY-GL-0001', 2, '215000', '', '-1200.50'));
    expect(ido.rows('SLJournals').filter((j) => j.Ref === 'FERRY-GL-0001')).toEqual([]);
    await ok('GLS840MI/CtrlBatch', { CONO: '100', KEY1: 'FERRY-GL-0001' });
    const rows = ido.rows('SLJournals').filter((j) => j.Ref === 'FERRY-GL-0001');
    expect(rows.map((r) => [r.Id, r.Acct, r.AcctUnit1, amount(r.DomAmount), r.TransDate])).toEqual([
      ['GL', '650500', 'CC500', 1200.5, `${today} 00:00:00.000`],
      ['GL', '215000', null, -1200.5, `${today} 00:00:00.000`],
    ]);
    await ok('GLS840MI/UpdBatch', { CONO: '100', KEY1: 'FERRY-GL-0001' });
    expect(ido.rows('SLJournals').filter((j) => j.Ref === 'FERRY-GL-0001')).toEqual([]);
    expect(ledger('FERRY-GL-0001').map((r) => [r.Acct, amount(r.DomAmount)])).toEqual([['650500', 1200.5], ['215000', -1200.5]]);
    // The key stays used once the batch is posted, so a journal cannot post twice.
    expect(await refused('GLS840MI/AddBatchHead', { CONO: '100', KEY1: 'FERRY-GL-0001', INTN: 'FERRY', DESC: 'again' })).toMatchObject({ errorField: 'KEY1' });
  });

  it('refuses an unbalanced batch, leaves it open, and controls it once it balances', async () => {
    await ok('GLS840MI/AddBatchHead', { CONO: '100', KEY1: 'FERRY-GL-0002', INTN: 'FERRY', DESC: 'Unbalanced' });
    await ok('GLS840MI/AddBatchLine', line('FERRY-GL-0002', 1, '610100', 'CC100', '100'));
    await ok('GLS840MI/AddBatchLine', line('FERRY-GL-0002', 2, '215000', '', '-90'));
    const r = await refused('GLS840MI/CtrlBatch', { CONO: '100', KEY1: 'FERRY-GL-0002' });
    expect(r).toMatchObject({ errorField: 'CUAM' });
    expect(r.errorMessage).toContain('does not balance');
    expect(await refused('GLS840MI/UpdBatch', { CONO: '100', KEY1: 'FERRY-GL-0002' })).toMatchObject({ errorField: 'KEY1' });
    await ok('GLS840MI/AddBatchLine', line('FERRY-GL-0002', 3, '215000', '', '-10'));
    await ok('GLS840MI/CtrlBatch', { CONO: '100', KEY1: 'FERRY-GL-0002' });
    expect(ido.rows('SLJournals').filter((j) => j.Ref === 'FERRY-GL-0002')).toHaveLength(3);
  });

  it('refuses a closed period, an inactive or unknown account, a missing cost center, and writes nothing', async () => {
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

  it('requires CONO, knows only its own interface, and refuses unknown batches, duplicate lines and a PARM out of layout', async () => {
    const noCompany = await fetch(`${g.base}/GLS840MI/AddBatchHead;cono=100?KEY1=FERRY-GL-0009&INTN=FERRY&DESC=x`, { headers: { authorization: `Bearer ${g.token}` } });
    expect(((await noCompany.json()) as { results: M3Result[] }).results[0]).toMatchObject({ errorField: 'CONO', errorType: 'MandatoryInputFieldNotFound' });
    expect(await refused('GLS840MI/AddBatchHead', { CONO: '100', KEY1: 'FERRY-GL-0009', INTN: 'OTHER', DESC: 'x' })).toMatchObject({ errorField: 'INTN' });
    expect(await refused('GLS840MI/CtrlBatch', { CONO: '100', KEY1: 'NOPE' })).toMatchObject({ errorField: 'KEY1' });
    await ok('GLS840MI/AddBatchHead', { CONO: '100', KEY1: 'FERRY-GL-0009', INTN: 'FERRY', DESC: 'x' });
    await ok('GLS840MI/AddBatchLine', line('FERRY-GL-0009', 1, '610100', 'CC100', '5'));
    expect(await refused('GLS840MI/AddBatchLine', line('FERRY-GL-0009', 1, '610100', 'CC100', '5'))).toMatchObject({ errorField: 'LINE' });
    expect(await refused('GLS840MI/AddBatchLine', { CONO: '100', KEY1: 'FERRY-GL-0009', LINE: '2', PARM: 'I 610100 CC100 5' })).toMatchObject({ errorField: 'PARM' });
    expect(await refused('GLS840MI/AddBatchLine', line('FERRY-GL-0009', 3, '610100', 'CC100', 'ten'))).toMatchObject({ errorField: 'PARM' });
    expect(await refused('GLS840MI/AddBatchLine', line('FERRY-GL-0009', 4, '610100', 'CC100', '5', '20260231'))).toMatchObject({ errorField: 'PARM' });
  });
});
