import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PurchaseOrder } from '../../shared/domain';
import type { CloudSuiteAdapter } from '../../electron/engine/connectors/cloudsuite/adapter';
import { IndustrialAdapter } from '../../electron/engine/connectors/cloudsuite/industrial';
import { parseIonapi, type IonapiConnection } from '../../electron/engine/connectors/cloudsuite/ionapi';
import { M3Adapter } from '../../electron/engine/connectors/cloudsuite/m3';
import { connectCloudSuite, saveCloudSuiteConnection } from '../../electron/engine/connectors/connect';
import { HttpPool } from '../../electron/engine/http/pool';
import { startSandbox, type Sandbox } from '../../electron/engine/sandbox';
import { connectionConfig } from '../../electron/engine/store/connections';
import { openProfile, type Profile } from '../../electron/engine/store/profile';
import { SANDBOX_M3_SETTINGS } from '../helpers/m3-setup';
import { TEST_ORIGIN } from '../helpers/origin';
import { tempDir } from '../helpers/temp';

// The product is a property of the stored connection, and the two products are two views of one tenant's
// data in the sandbox: read through either adapter, the same world must come out the same.

let tmp: ReturnType<typeof tempDir>;
let sandbox: Sandbox;
let ionapi: IonapiConnection;
const profiles: Profile[] = [];

async function profile(name: string): Promise<Profile> {
  const p = await openProfile(path.join(tmp.dir, name));
  profiles.push(p);
  return p;
}

beforeAll(async () => {
  tmp = tempDir();
  sandbox = await startSandbox({ dir: path.join(tmp.dir, 'sandbox'), tenants: ['FERRY_TST'], poCount: 25, seed: 31, origin: TEST_ORIGIN });
  ionapi = parseIonapi(fs.readFileSync(sandbox.files.ionapi, 'utf8'));
});
afterAll(async () => {
  for (const p of profiles) p.close();
  await sandbox.close();
  tmp.remove();
});

describe('choosing the product per connection', () => {
  it('builds the Industrial adapter by default and the M3 adapter when the connection says m3, keeping the choice on re-import', async () => {
    const ind = await profile('ind');
    saveCloudSuiteConnection(ind, ionapi, sandbox.mongooseConfig);
    const a = connectCloudSuite(ind, new HttpPool());
    expect(a.adapter).toBeInstanceOf(IndustrialAdapter);
    expect(a.ido).not.toBeNull();
    expect(a.m3).toBeNull();

    const m3 = await profile('m3');
    saveCloudSuiteConnection(m3, ionapi, null, { product: 'm3', m3: { company: 100, division: 'AAA' } });
    const b = connectCloudSuite(m3, new HttpPool());
    expect(b.adapter).toBeInstanceOf(M3Adapter);
    expect(b.adapter.product).toBe('m3');
    expect(b.ido).toBeNull();
    expect((await b.adapter.listCostCenters()).length).toBeGreaterThan(0);

    // Importing a fresh .ionapi file (what the Connections screen does) changes the file, not the product.
    saveCloudSuiteConnection(m3, ionapi, null);
    expect(connectionConfig(m3.db, 'cloudsuite')!.config).toMatchObject({ product: 'm3', m3: { company: 100, division: 'AAA' }, mongooseConfig: null });
    expect(connectCloudSuite(m3, new HttpPool()).adapter).toBeInstanceOf(M3Adapter);
  });

  it('sends the configured company with every M3 call; a company M3 does not know is refused in a typed way', async () => {
    const other = await profile('m3-other-company');
    saveCloudSuiteConnection(other, ionapi, null, { product: 'm3', m3: { company: 200 } });
    await expect(connectCloudSuite(other, new HttpPool()).adapter.listVendors()).rejects.toMatchObject({ code: 'm3_error', field: 'CONO', retryable: false });
  });
});

describe('both products read the same world the same way', () => {
  let industrial: CloudSuiteAdapter;
  let m3: CloudSuiteAdapter;
  beforeAll(async () => {
    const a = await profile('same-ind');
    saveCloudSuiteConnection(a, ionapi, sandbox.mongooseConfig, { rateLimitPerMinute: 10_000 });
    industrial = connectCloudSuite(a, new HttpPool()).adapter;
    const b = await profile('same-m3');
    saveCloudSuiteConnection(b, ionapi, null, { product: 'm3', m3: SANDBOX_M3_SETTINGS, rateLimitPerMinute: 10_000 });
    m3 = connectCloudSuite(b, new HttpPool()).adapter;
  });

  async function all(adapter: CloudSuiteAdapter): Promise<PurchaseOrder[]> {
    const out: PurchaseOrder[] = [];
    for await (const page of adapter.purchaseOrdersChangedSince(new Date(0), 7)) out.push(...page.orders);
    return out;
  }
  // Line status is each product's own code (Industrial O/C, M3 20/85), and a line's account is Industrial's
  // own but an M3 administrator's rule (M3 publishes none for a PO line); everything else is in finance words.
  const neutral = (o: PurchaseOrder) => ({ ...o, lines: o.lines.map((l) => ({ ...l, status: undefined, glAccount: undefined, unitCodes: undefined })) });

  it('purchase orders, in the same order with the same lines', async () => {
    // With the fields the Jira flows ask for: the project (Industrial's Uf_ProjNum, M3's PROJ) and the Jira key.
    const [a, b] = [await industrial.withJiraFields(await all(industrial)), await m3.withJiraFields(await all(m3))];
    expect(a.length).toBe(25);
    expect(b.map(neutral)).toEqual(a.map(neutral));
    expect(a.filter((o) => o.project).length).toBeGreaterThan(0);
    expect(b.flatMap((o) => o.lines).every((l) => l.glAccount === '610100' && l.unitCodes[0] === 'CC100')).toBe(true);
    const po = a.find((o) => o.status === 'ordered')!.number;
    expect(neutral((await m3.getPurchaseOrder(po))!)).toEqual(neutral((await industrial.getPurchaseOrder(po))!));
  });

  it('vendors, accounts, cost centers and projects', async () => {
    // M3 publishes no field for a supplier's contact name or e-mail (CRS620MI), nor a change stamp (GetBasicData).
    const vendor = (v: Awaited<ReturnType<CloudSuiteAdapter['listVendors']>>[number]) => ({ ...v, status: undefined, modifiedAt: undefined, contact: { ...v.contact, name: undefined, email: undefined } });
    expect((await m3.listVendors()).map(vendor)).toEqual((await industrial.listVendors()).map(vendor));
    const account = (a: Awaited<ReturnType<CloudSuiteAdapter['listGlAccounts']>>[number]) => ({ ...a, type: undefined });
    expect((await m3.listGlAccounts()).map(account)).toEqual((await industrial.listGlAccounts()).map(account));
    expect(await m3.listCostCenters()).toEqual(await industrial.listCostCenters());
    const project = (p: Awaited<ReturnType<CloudSuiteAdapter['listProjects']>>[number]) => [p.number, p.description, p.active];
    expect((await m3.listProjects()).map(project)).toEqual((await industrial.listProjects()).map(project));
  });
});
