import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../electron/engine/sandbox';
import { ionapiOf, passwordToken } from '../helpers/sandbox';
import { TEST_ORIGIN } from '../helpers/origin';
import { tempDir } from '../helpers/temp';

// APS450MI's lookups in the sandbox: LstInvBySupInv finds the batches of a supplier invoice number (open and
// approved), and GetHead still reads an approved batch after a restart, from the voucher it became.

interface Envelope {
  results: { records: Record<string, string>[]; errorMessage?: string; errorField?: string }[];
}

let tmp: ReturnType<typeof tempDir>;
let sandbox: Sandbox;

async function call(s: Sandbox, transaction: string, params: Record<string, string>): Promise<Envelope['results'][number]> {
  const f = ionapiOf(s);
  const res = await fetch(`${f.iu}/${f.ti}/M3/m3api-rest/v2/execute/APS450MI/${transaction}?${new URLSearchParams(params).toString()}`, {
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
  it('lists open and approved batches of a supplier invoice number, and reads an approved one after a restart', async () => {
    const suno = sandbox.runtime().ido.rows('SLVendors').find((v) => v.Stat === 'A')!.VendNum!;
    const ivdt = sandbox.clock.date().toISOString().slice(0, 10).replace(/-/g, '');
    const lookup = (s: Sandbox) => call(s, 'LstInvBySupInv', { SPYN: suno, SUNO: suno, SINO: 'LOOKUP-1' });
    expect((await lookup(sandbox)).records).toEqual([]);

    const { INBN } = (await call(sandbox, 'AddHead', { SUNO: suno, IVDT: ivdt, SINO: 'LOOKUP-1', CUAM: '40' })).records[0]!;
    expect((await lookup(sandbox)).records).toEqual([{ DIVI: 'AAA', INBN, IBTP: '', SUPA: '10' }]);
    await call(sandbox, 'AddLine', { INBN: INBN!, RDTP: '8', NLAM: '40', AIT1: '610100', AIT2: 'CC100' });
    const { VONO } = (await call(sandbox, 'ApproveInvoice', { INBN: INBN! })).records[0]!;
    expect((await lookup(sandbox)).records).toEqual([{ DIVI: 'AAA', INBN, IBTP: '', SUPA: '90' }]);
    expect((await call(sandbox, 'LstInvBySupInv', { SPYN: 'SOMEONE', SUNO: suno, SINO: 'LOOKUP-1' })).records).toEqual([]);
    expect(await call(sandbox, 'LstInvBySupInv', { SUNO: suno, SINO: 'LOOKUP-1' })).toMatchObject({ errorField: 'SPYN' });

    await sandbox.close();
    sandbox = await startSandbox({ dir: tmp.dir });
    expect(fs.existsSync(sandbox.files.state)).toBe(true);
    expect((await lookup(sandbox)).records).toEqual([{ DIVI: 'AAA', INBN, IBTP: '', SUPA: '90' }]);
    expect((await call(sandbox, 'GetHead', { INBN: INBN! })).records[0]).toMatchObject({ INBN, SUNO: suno, SINO: 'LOOKUP-1', CUAM: '40', NOLN: '1', VONO, SUPA: '90', IVDT: ivdt });
  });
});
