import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../electron/engine/sandbox';
import { ionapiOf, passwordToken } from '../helpers/sandbox';
import { TEST_ORIGIN } from '../helpers/origin';
import { tempDir } from '../helpers/temp';

// APS450MI's lookups in the sandbox: LstInvBySupInv finds the batches of a supplier invoice number (open and
// posted), and GetHead still reads a posted batch after a restart, from the voucher it became.

interface Envelope {
  results: { records: Record<string, string>[]; errorMessage?: string; errorField?: string }[];
}

let tmp: ReturnType<typeof tempDir>;
let sandbox: Sandbox;

async function call(s: Sandbox, transaction: string, params: Record<string, string>, program = 'APS450MI'): Promise<Envelope['results'][number]> {
  const f = ionapiOf(s);
  const res = await fetch(`${f.iu}/${f.ti}/M3/m3api-rest/v2/execute/${program}/${transaction}?${new URLSearchParams(params).toString()}`, {
    headers: { authorization: `Bearer ${await passwordToken(s)}` },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as Envelope).results[0]!;
}

beforeAll(async () => {
  tmp = tempDir();
  sandbox = await startSandbox({ dir: tmp.dir, tenants: ['FERRY_TST'], poCount: 6, seed: 41, origin: TEST_ORIGIN });
});
afterAll(async () => {
  await sandbox.close();
  tmp.remove();
});

describe('APS450MI lookups', () => {
  it('lists open and posted batches of a supplier invoice number, and reads a posted one after a restart', async () => {
    const ido = sandbox.runtime().ido;
    const po = ido.rows('SLPos').find((p) => p.Stat === 'O' && !p.Uf_ProjNum && ido.find('SLVendors', (v) => v.VendNum === p.VendNum)?.Stat === 'A')!;
    const line = ido.rows('SLPoItems').find((l) => l.PoNum === po.PoNum)!;
    const amount = String(Math.round(Number(line.QtyOrdered) * Number(line.ItemCost) * 100) / 100);
    const suno = po.VendNum!;
    const ivdt = sandbox.clock.date().toISOString().slice(0, 10).replace(/-/g, '');
    const lookup = (s: Sandbox) => call(s, 'LstInvBySupInv', { SPYN: suno, SUNO: suno, SINO: 'LOOKUP-1' });
    expect((await lookup(sandbox)).records).toEqual([]);

    const { INBN } = (await call(sandbox, 'AddHead', { SUNO: suno, IVDT: ivdt, SINO: 'LOOKUP-1', CUAM: amount })).records[0]!;
    expect((await lookup(sandbox)).records).toEqual([{ INBN, IBTP: '', SUPA: '10' }]);
    await call(sandbox, 'AddLine', { INBN: INBN!, RDTP: '1', PUNO: po.PoNum!, PNLI: line.PoLine! });
    await call(sandbox, 'ApproveInvoice', { INBN: INBN! });
    await call(sandbox, 'ValidByBatchNo', { INBN: INBN! }, 'APS455MI');
    const { VONO } = (await call(sandbox, 'GetHead', { INBN: INBN! })).records[0]!;
    expect(VONO).toMatch(/^\d+$/);
    expect((await lookup(sandbox)).records).toEqual([{ INBN, IBTP: '', SUPA: '90' }]);
    expect((await call(sandbox, 'LstInvBySupInv', { SPYN: 'SOMEONE', SUNO: suno, SINO: 'LOOKUP-1' })).records).toEqual([]);
    expect(await call(sandbox, 'LstInvBySupInv', { SUNO: suno, SINO: 'LOOKUP-1' })).toMatchObject({ errorField: 'SPYN' });

    await sandbox.close();
    sandbox = await startSandbox({ dir: tmp.dir });
    expect(fs.existsSync(sandbox.files.state)).toBe(true);
    expect((await lookup(sandbox)).records).toEqual([{ INBN, IBTP: '', SUPA: '90' }]);
    expect((await call(sandbox, 'GetHead', { INBN: INBN! })).records[0]).toMatchObject({ SUNO: suno, SINO: 'LOOKUP-1', CUAM: amount, VONO, SUPA: '90', IVDT: ivdt });
    expect((await call(sandbox, 'LstLines', { INBN: INBN! })).records).toHaveLength(1);
  });
});
