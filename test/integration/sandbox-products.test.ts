import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../electron/engine/sandbox';
import { control, idoLoad, passwordToken } from '../helpers/sandbox';
import { TEST_ORIGIN } from '../helpers/origin';
import { tempDir } from '../helpers/temp';

// Industrial and M3 behind the same gateway over the same data world: one scenario, either product.

let tmp: ReturnType<typeof tempDir>;
let sandbox: Sandbox;
let token: string;

beforeAll(async () => {
  tmp = tempDir();
  sandbox = await startSandbox({ dir: tmp.dir, tenants: ['FERRY_TST'], origin: TEST_ORIGIN });
  token = await passwordToken(sandbox);
});
afterAll(async () => {
  await sandbox.close();
  tmp.remove();
});

describe('one world, two products', () => {
  it('serves the same purchase order through IDO SLPos and M3 PPS200MI, and a change made through one shows in the other', async () => {
    const ido = (await (await idoLoad(sandbox, token, `SLPos?properties=PoNum,VendNum,OrderDate&filter=${encodeURIComponent("Stat = N'O'")}&recordCap=1`)).json()) as {
      Items: { PoNum: string; VendNum: string; OrderDate: string }[];
    };
    const po = ido.Items[0]!;
    const m3 = (await (
      await fetch(`${sandbox.endpoints.gateway}/FERRY_TST/M3/m3api-rest/v2/execute/PPS200MI/GetHead?CONO=100&PUNO=${po.PoNum}`, { headers: { Authorization: `Bearer ${token}` } })
    ).json()) as { results: { records: { PUNO: string; SUNO: string; PUDT: string }[] }[]; nrOfFailedTransactions: number };
    expect(m3.nrOfFailedTransactions).toBe(0);
    expect(m3.results[0]!.records[0]).toMatchObject({ PUNO: po.PoNum, SUNO: po.VendNum, PUDT: po.OrderDate.slice(0, 8) });

    const exec = (path: string) => fetch(`${sandbox.endpoints.gateway}/FERRY_TST/M3/m3api-rest/v2/execute/${path}`, { headers: { Authorization: `Bearer ${token}` } });
    const copy = (await (await exec(`CRS620MI/CopyTemplate;maxrecs=100?STEM=${po.VendNum}&SUNO=M3NEW01`)).json()) as { nrOfFailedTransactions: number };
    expect(copy.nrOfFailedTransactions).toBe(0);
    const named = (await (await exec('CRS620MI/UpdSupplier;maxrecs=100?SUNO=M3NEW01&SUNM=Added%20through%20M3')).json()) as { nrOfFailedTransactions: number };
    expect(named.nrOfFailedTransactions).toBe(0);
    const seen = (await (await idoLoad(sandbox, token, `SLVendors?properties=VendNum,Name&filter=${encodeURIComponent("VendNum = N'M3NEW01'")}`)).json()) as { Items: { Name: string }[] };
    expect(seen.Items).toEqual([expect.objectContaining({ Name: 'Added through M3' })]);
    expect(sandbox.stats.count({ system: 'm3' })).toBe(3);
  });
});

describe('Jira and JAGGAER per tenant, through the control endpoint', () => {
  it('writes Jira credentials that work, adds worklogs on demand, rate-limits on request and never shows secrets', async () => {
    const jira = JSON.parse(fs.readFileSync(sandbox.tenants.FERRY_TST!.files.jira, 'utf8')) as { baseUrl: string; email: string; apiToken: string };
    const auth = { Authorization: `Basic ${Buffer.from(`${jira.email}:${jira.apiToken}`).toString('base64')}` };
    expect((await fetch(`${jira.baseUrl}/rest/api/3/project/search`, { headers: auth })).status).toBe(200);

    const before = (await control<unknown[]>(sandbox, 'GET', '/control/tenants/FERRY_TST/jira/worklogs')).body.length;
    const added = await control<{ jira: { worklogs: number }; jaggaer: { invoices: number[] } }>(sandbox, 'POST', '/control/tenants/FERRY_TST/activity', { worklogs: 5, invoices: 2 });
    expect(added.body.jira.worklogs).toBe(5);
    expect(added.body.jaggaer.invoices).toHaveLength(2);
    expect((await control<unknown[]>(sandbox, 'GET', '/control/tenants/FERRY_TST/jira/worklogs')).body.length).toBe(before + 5);
    expect((await control(sandbox, 'GET', '/control/tenants/FERRY_TST/jira/credentials')).status).toBe(404);
    expect((await control(sandbox, 'GET', '/control/tenants/FERRY_TST/jaggaer/auth')).status).toBe(404);
    expect(Object.keys((await control<Record<string, unknown>>(sandbox, 'GET', '/control/tenants/FERRY_TST/jaggaer/purchaseOrders')).body)).toEqual([]);

    await control(sandbox, 'PUT', '/control/tenants/FERRY_TST/jira/rate-limit', { perMinute: 1, reason: 'jira-burst-based' });
    await fetch(`${jira.baseUrl}/rest/api/3/project/search`, { headers: auth });
    const limited = await fetch(`${jira.baseUrl}/rest/api/3/project/search`, { headers: auth });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(limited.headers.get('ratelimit-reason')).toBe('jira-burst-based');
    await control(sandbox, 'PUT', '/control/tenants/FERRY_TST/jira/rate-limit', null);
    expect((await fetch(`${jira.baseUrl}/rest/api/3/project/search`, { headers: auth })).status).toBe(200);
  });
});
