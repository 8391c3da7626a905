import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApVoucherPage, EnteredVoucher } from '../../electron/engine/connectors/cloudsuite/adapter';
import { parseIdoDate } from '../../electron/engine/connectors/cloudsuite/ido-client';
import { sandboxDay, startCloudSuite, type CloudSuiteHarness, type Product } from '../helpers/cloudsuite';

// Reading vouchers back from CloudSuite (what invoice-to-jaggaer polls), over real HTTP against the sandbox:
// every voucher exactly once across pages, with its distributions, in change order — on both products, which
// must agree, since M3 (APS200MI) and Industrial (SLAptrxs/SLAptrxds) are two views of the same rows.

const PRODUCTS: Product[] = ['industrial', 'm3'];

async function all(pages: AsyncGenerator<ApVoucherPage>): Promise<{ vouchers: EnteredVoucher[]; cursors: (string | null)[] }> {
  const vouchers: EnteredVoucher[] = [];
  const cursors: (string | null)[] = [];
  for await (const page of pages) {
    vouchers.push(...page.vouchers);
    cursors.push(page.maxModifiedAt);
  }
  return { vouchers, cursors };
}

/** What both products say alike (M3 keeps no reference nor distribution text; times differ between two sandboxes). */
const comparable = (v: EnteredVoucher) => ({ ...v, reference: undefined, status: undefined, modifiedAt: undefined });
const keyOf = (v: Pick<EnteredVoucher, 'vendorNumber' | 'voucherNumber'>) => `${v.vendorNumber}|${v.voucherNumber}`;

describe.each(PRODUCTS)('vouchers changed since, on %s', (product) => {
  let h: CloudSuiteHarness;
  beforeAll(async () => {
    h = await startCloudSuite(product);
    // Three more vouchers entered now, so the list holds two change times: the seeded history and today.
    for (const n of [1, 2, 3]) {
      await h.adapter.createApVoucher({
        reference: `AP-${product}-${n}`, vendorNumber: 'V001000', invoiceNumber: `AP-${product}-${n}`, invoiceDate: sandboxDay(h.sandbox), dueDate: null,
        amount: 100 * n, currency: 'USD', purchaseOrder: null,
        distributions: [{ account: '610100', costCenter: 'CC100', project: null, amount: 100 * n, description: `Line of ${n}` }],
      });
    }
  });
  afterAll(() => h.close());

  it('pages through every voucher once, oldest change first, with its distributions', async () => {
    const rows = h.sandbox.runtime().ido.rows('SLAptrxs');
    expect(rows.length).toBeGreaterThan(4);
    // Pages of two: the seeded vouchers share one change time, so pages end in the middle of it.
    const { vouchers, cursors } = await all(h.adapter.apVouchersChangedSince(new Date(0), 2));
    expect(vouchers.map(keyOf).sort()).toEqual(rows.map((r) => `${r.VendNum}|${Number(r.Voucher)}`).sort());
    expect(vouchers.map((v) => v.modifiedAt)).toEqual([...vouchers.map((v) => v.modifiedAt)].sort());
    expect(cursors.every((c, i) => c !== null && (i === 0 || c >= cursors[i - 1]!))).toBe(true);
    for (const v of vouchers) {
      const row = rows.find((r) => r.VendNum === v.vendorNumber && Number(r.Voucher) === Number(v.voucherNumber))!;
      expect(v.modifiedAt).toBe(parseIdoDate(row.RecordDate!));
      const dists = h.sandbox.runtime().ido.rows('SLAptrxds').filter((d) => d.VendNum === v.vendorNumber && Number(d.Voucher) === Number(v.voucherNumber));
      expect(v.distributions.map((d) => [d.account, d.costCenter, d.amount])).toEqual(dists.map((d) => [d.Acct, d.AcctUnit1, Number(d.Amount)]));
      expect(v.posted).toBe(true);
    }
    const keyed = vouchers.find((v) => v.invoiceNumber === `AP-${product}-2`)!;
    expect(keyed).toMatchObject({ vendorNumber: 'V001000', amount: 200, currency: 'USD', posted: true, distributions: [{ account: '610100', costCenter: 'CC100', amount: 200 }] });
    // Industrial keeps the reference and the distribution's text; M3 keeps neither (APS450MI takes no text on
    // an accounting line, so the account's name stands there).
    expect([keyed.reference, keyed.distributions[0]!.description]).toEqual(product === 'm3' ? [null, 'Office supplies'] : ['AP-industrial-2', 'Line of 2']);

    // From a page's cursor on: the vouchers changed at or after it, and no others.
    const from = cursors[Math.floor(cursors.length / 2)]!;
    const later = await all(h.adapter.apVouchersChangedSince(new Date(from), 100));
    expect(later.vouchers.map(keyOf)).toEqual(vouchers.filter((v) => v.modifiedAt >= from).map(keyOf));
  });

  it('reads one voucher by vendor and number, and says null for one it does not have', async () => {
    const [first] = (await all(h.adapter.apVouchersChangedSince(new Date(0), 100))).vouchers;
    expect(await h.adapter.getApVoucher(first!.vendorNumber, first!.voucherNumber)).toEqual(first);
    expect(await h.adapter.getApVoucher(first!.vendorNumber, '987654')).toBeNull();
    expect(await h.adapter.getApVoucher('V999999', first!.voucherNumber)).toBeNull();
  });
});

describe('both products', () => {
  it('read the same vouchers from the same rows', async () => {
    const [industrial, m3] = await Promise.all(PRODUCTS.map((p) => startCloudSuite(p)));
    try {
      const [a, b] = await Promise.all([industrial!, m3!].map(async (h) => (await all(h.adapter.apVouchersChangedSince(new Date(0), 100))).vouchers));
      const sorted = (vs: EnteredVoucher[]) => vs.map(comparable).sort((x, y) => keyOf(x).localeCompare(keyOf(y)));
      expect(sorted(b!)).toEqual(sorted(a!));
    } finally {
      await Promise.all([industrial!.close(), m3!.close()]);
    }
  });
});
