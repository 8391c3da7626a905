import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApVoucherPage, EnteredVoucher } from '../../electron/engine/connectors/cloudsuite/adapter';
import { parseIdoDate } from '../../electron/engine/connectors/cloudsuite/ido-client';
import { sandboxDay, startCloudSuite, type CloudSuiteHarness, type Product } from '../helpers/cloudsuite';

// Reading vouchers back from CloudSuite (what invoice-to-jaggaer polls), over real HTTP against the sandbox:
// every voucher exactly once across pages, with its distributions, in change order — on both products, which
// must agree, since M3 and Industrial (SLAptrxps and their SLLedgers lines) are two views of the same rows.

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

/**
 * What both products say alike: M3 keeps no reference, and reads a voucher from the ledger and APS200MI
 * GetInvoice, which name no purchase order; times differ between two sandboxes.
 */
const comparable = (v: EnteredVoucher) => ({ ...v, reference: undefined, status: undefined, modifiedAt: undefined, purchaseOrder: undefined });

/** M3 books an invoice line only through the PO line it pays: the M3 vouchers here pay a line of an open PO. */
function openPoLine(h: CloudSuiteHarness) {
  const ido = h.sandbox.runtime().ido;
  const po = ido.rows('SLPos').find((p) => p.Stat === 'O' && !p.Uf_ProjNum && ido.find('SLVendors', (v) => v.VendNum === p.VendNum)?.Stat === 'A')!;
  const line = ido.rows('SLPoItems').find((l) => l.PoNum === po.PoNum)!;
  const vendor = ido.find('SLVendors', (v) => v.VendNum === po.VendNum)!;
  return { po: po.PoNum!, line: Number(line.PoLine), vendor: po.VendNum!, currency: vendor.CurrCode!, account: line.NonInvAcct!, costCenter: line.NonInvAcctUnit1 ?? null };
}
const keyOf = (v: Pick<EnteredVoucher, 'vendorNumber' | 'voucherNumber'>) => `${v.vendorNumber}|${v.voucherNumber}`;

describe.each(PRODUCTS)('vouchers changed since, on %s', (product) => {
  let h: CloudSuiteHarness;
  beforeAll(async () => {
    h = await startCloudSuite(product);
    // Three more vouchers entered now, so the list holds two change times: the seeded history and today.
    const paid = product === 'm3' ? openPoLine(h) : null;
    expected = { vendor: paid?.vendor ?? 'V001000', currency: paid?.currency ?? 'USD', account: paid?.account ?? '610100', costCenter: paid?.costCenter ?? 'CC100' };
    for (const n of [1, 2, 3]) {
      await h.adapter.createApVoucher({
        reference: `AP-${product}-${n}`, vendorNumber: expected.vendor, invoiceNumber: `AP-${product}-${n}`, invoiceDate: sandboxDay(h.sandbox), dueDate: null,
        amount: 100 * n, currency: expected.currency, purchaseOrder: paid?.po ?? null,
        distributions: [
          { account: '610100', costCenter: 'CC100', project: null, amount: 100 * n, description: `Line of ${n}`, ...(paid ? { purchaseOrderLine: { number: paid.po, line: paid.line, release: 0, quantity: 1 } } : {}) },
        ],
      });
    }
  });
  let expected: { vendor: string; currency: string; account: string; costCenter: string | null };
  afterAll(() => h.close());

  it('pages through every voucher once, oldest change first, with its distributions', async () => {
    // Posted vouchers (SLAptrxps) are the ones read back; their distributions are their ledger lines.
    const rows = h.sandbox.runtime().ido.rows('SLAptrxps');
    expect(rows.length).toBeGreaterThan(4);
    // Pages of two: the seeded vouchers share one change time, so pages end in the middle of it.
    const { vouchers, cursors } = await all(h.adapter.apVouchersChangedSince(new Date(0), 2));
    expect(vouchers.map(keyOf).sort()).toEqual(rows.map((r) => `${r.VendNum}|${Number(r.Voucher)}`).sort());
    expect(vouchers.map((v) => v.modifiedAt)).toEqual([...vouchers.map((v) => v.modifiedAt)].sort());
    expect(cursors.every((c, i) => c !== null && (i === 0 || c >= cursors[i - 1]!))).toBe(true);
    for (const v of vouchers) {
      const row = rows.find((r) => r.VendNum === v.vendorNumber && Number(r.Voucher) === Number(v.voucherNumber))!;
      // M3 reads the registration time (RGDT, RGTM) of the voucher's ledger lines: to the second.
      expect(v.modifiedAt).toBe(product === 'm3' ? `${parseIdoDate(row.RecordDate!)!.slice(0, 19)}.000Z` : parseIdoDate(row.RecordDate!));
      const dists = h.sandbox
        .runtime()
        .ido.rows('SLLedgers')
        .filter((d) => d.VendNum === v.vendorNumber && Number(d.Voucher) === Number(v.voucherNumber) && d.Acct !== row.ApAcct);
      expect(v.distributions.map((d) => [d.account, d.costCenter, d.amount])).toEqual(dists.map((d) => [d.Acct, d.AcctUnit1, Number(d.DomAmount)]));
      expect(v.posted).toBe(true);
    }
    const keyed = vouchers.find((v) => v.invoiceNumber === `AP-${product}-2`)!;
    // On M3 the line is booked on the PO line's account (APS450MI takes none).
    expect(keyed).toMatchObject({ vendorNumber: expected.vendor, amount: 200, currency: expected.currency, posted: true, distributions: [{ account: expected.account, costCenter: expected.costCenter, amount: 200 }] });
    // Industrial keeps the reference (a ledger line has no text of its own); M3 keeps neither.
    expect([keyed.reference, keyed.distributions[0]!.description]).toEqual(product === 'm3' ? [null, null] : ['AP-industrial-2', null]);

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
