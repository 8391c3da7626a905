import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApVoucher, GlJournal } from '../../shared/domain';
import { parseIonapi } from '../../electron/engine/connectors/cloudsuite/ionapi';
import { connectCloudSuite, saveCloudSuiteConnection } from '../../electron/engine/connectors/connect';
import { HttpPool } from '../../electron/engine/http/pool';
import { openProfile, type Profile } from '../../electron/engine/store/profile';
import { sandboxDay, startCloudSuite, type CloudSuiteHarness } from '../helpers/cloudsuite';

// What Infor does not publish and the M3 administrator tells Ferry (connectors/cloudsuite/m3-settings.ts):
// until a setting is given, the flow that needs it refuses with a sentence naming it, before anything is
// sent. And lists longer than a page (m3api-rest stops at maxrecs, 100 by default) are read whole.

let h: CloudSuiteHarness;
let bare: Profile;

beforeAll(async () => {
  h = await startCloudSuite('m3', { poCount: 12, seed: 29 });
  // The same tenant, connected with no M3 setting but the company.
  bare = await openProfile(path.join(path.dirname(h.sandbox.files.ionapi), 'bare'));
  saveCloudSuiteConnection(bare, parseIonapi(fs.readFileSync(h.sandbox.files.ionapi, 'utf8')), null, { product: 'm3', rateLimitPerMinute: 10_000 });
});
afterAll(async () => {
  bare.close();
  await h.close();
});

const requests = () => h.sandbox.stats.count({ system: 'm3' });
const plain = () => connectCloudSuite(bare, new HttpPool()).adapter;

describe('an M3 connection not set up yet', () => {
  it('posts no GL journal until the PARM layout is set, and sends nothing', async () => {
    const j: GlJournal = {
      reference: 'FERRY:WL-NOPARM', date: sandboxDay(h.sandbox), description: 'Labour',
      lines: [{ account: '650500', costCenter: 'CC500', project: null, amount: 10, description: null }, { account: '215000', costCenter: null, project: null, amount: -10, description: null }],
    };
    const before = requests();
    const err = await plain().postGlJournal(j).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'not_set_up', retryable: false });
    expect((err as Error).message).toMatch(/Ferry posts no GL journal to CloudSuite M3 until it knows the PARM layout of GLS840MI interface FERRY.*--m3-gl-parm TEMPLATE.*docs\/m3-gl-parm\.md/);
    expect(requests()).toBe(before);
  });

  it('creates no supplier until the template supplier is chosen', async () => {
    const before = requests();
    const err = await plain().createVendor({ number: 'V9300', name: 'No Template Ltd', currency: 'USD', paymentTerms: 'N30' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'not_set_up', retryable: false });
    expect((err as Error).message).toMatch(/copying a template supplier, and none is chosen.*--m3-supplier-template SUPPLIER/);
    expect(requests()).toBe(before);
    expect(h.sandbox.runtime().ido.find('SLVendors', (v) => v.VendNum === 'V9300')).toBeUndefined();
  });

  it('enters no invoice until the line type for PO lines is known, and reads no vouchers back until the payables account is', async () => {
    const ido = h.sandbox.runtime().ido;
    const po = ido.rows('SLPos').find((p) => p.Stat === 'O' && ido.find('SLVendors', (v) => v.VendNum === p.VendNum)?.Stat === 'A')!;
    const line = ido.rows('SLPoItems').find((l) => l.PoNum === po.PoNum)!;
    const v: ApVoucher = {
      reference: 'FERRY:JAG-INV-NOTYPE', vendorNumber: po.VendNum!, invoiceNumber: 'NOTYPE-1', invoiceDate: sandboxDay(h.sandbox), dueDate: null, amount: 5, currency: null, purchaseOrder: po.PoNum!,
      distributions: [{ account: '610100', costCenter: 'CC100', project: null, amount: 5, description: null, purchaseOrderLine: { number: po.PoNum!, line: Number(line.PoLine), release: 0, quantity: 1 } }],
    };
    const before = requests();
    const err = await plain().createApVoucher(v).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'not_set_up' });
    expect((err as Error).message).toMatch(/APS450MI line type .*--m3-po-line-type N/);
    expect(requests()).toBe(before);
    expect(plain().supports.voucherReads).toBe(false);
    expect(h.adapter.supports.voucherReads).toBe(true);
  });

  it('reads PO lines without an account where no rule applies, and leaves addresses, contact names and e-mails alone', async () => {
    const [page] = await (async () => {
      const out = [];
      for await (const p of plain().purchaseOrdersChangedSince(new Date(0), 100)) out.push(p);
      return out;
    })();
    expect(page!.orders.flatMap((o) => o.lines).every((l) => l.glAccount === null && l.unitCodes[0] === null)).toBe(true);
    expect(plain().supports.vendorFieldsNotHeld).toEqual(['contactName', 'email', 'address1', 'address2', 'city', 'state', 'zip']);
    expect(h.adapter.supports.vendorFieldsNotHeld).toEqual(['contactName', 'email']);
    const vendor = (await plain().listVendors()).find((x) => x.number === 'V001000')!;
    expect(vendor.address).toMatchObject({ line1: null, city: null, country: expect.stringMatching(/^[A-Z]{2}$/) });
    await expect(plain().updateVendor('V001000', { address: { city: 'Elsewhere' } })).rejects.toMatchObject({ code: 'not_set_up' });
  });
});

describe('lists longer than a page', () => {
  it('reads every supplier of a list longer than maxrecs, a page at a time from the last supplier on', async () => {
    const ido = h.sandbox.runtime().ido;
    const template = ido.rows('SLVendors').find((v) => v.VendNum === 'V001000')!;
    const address = ido.find('SLVendaddrs', (a) => a.VendNum === 'V001000')!;
    for (let i = 0; i < 150; i++) {
      const VendNum = `X${String(i).padStart(5, '0')}`;
      ido.insert('SLVendors', { ...template, RowPointer: null, VendNum, Name: `Bulk Supplier ${i}` });
      ido.insert('SLVendaddrs', { ...address, RowPointer: null, VendNum, Name: `Bulk Supplier ${i}` });
    }
    const total = ido.rows('SLVendors').length;
    expect(total).toBeGreaterThan(150);
    const lists = () => h.sandbox.stats.count({ system: 'm3', route: ':program/:transaction' });
    const before = lists();
    const vendors = await h.adapter.listVendors();
    expect(vendors.map((v) => v.number)).toEqual(ido.rows('SLVendors').map((v) => v.VendNum).sort());
    expect(vendors.find((v) => v.number === 'X00149')).toMatchObject({ name: 'Bulk Supplier 149', address: { line1: address.Addr_1, city: address.City } });
    // Pages of 100 from the last supplier on (the last of a page comes again and is dropped), then one
    // GetBasicData and one LstAddresses per supplier for the currency, terms and address LstByNumber lacks.
    expect(lists() - before).toBe(Math.ceil((total - 1) / 99) + 2 * total);
  });
});
