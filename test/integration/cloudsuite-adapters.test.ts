import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApVoucher, GlJournal, NewVendor } from '../../shared/domain';
import type { PurchaseOrderPage } from '../../electron/engine/connectors/cloudsuite/adapter';
import { IdoError, IdoMethodError } from '../../electron/engine/connectors/cloudsuite/ido-client';
import { IndustrialAdapter } from '../../electron/engine/connectors/cloudsuite/industrial';
import { M3Error } from '../../electron/engine/connectors/cloudsuite/m3-client';
import { ConnectorError } from '../../electron/engine/http/errors';
import { COST_CENTERS, GL_CHART } from '../../electron/engine/sandbox/seed';
import { sandboxDay, startCloudSuite, type CloudSuiteHarness } from '../helpers/cloudsuite';

// One scenario, run against both CloudSuite products through the same adapter interface: the adapter is
// wired as a run wires it (stored connection → connectCloudSuite) and talks real HTTP to the sandbox, whose
// rows (sandbox.runtime().ido, shared by both products' views) are what the assertions check.

describe.each(['industrial', 'm3'] as const)('CloudSuite %s adapter', (product) => {
  let h: CloudSuiteHarness;
  beforeAll(async () => {
    h = await startCloudSuite(product);
  });
  afterAll(() => h.close());

  const rows = (ido: string) => h.sandbox.runtime().ido.rows(ido);
  const tables = () => h.sandbox.runtime().ido;
  const requests = () => h.sandbox.stats.count({ system: product === 'industrial' ? 'ido' : 'm3' });
  const today = () => sandboxDay(h.sandbox);
  const activeVendor = () => rows('SLVendors').find((v) => v.Stat === 'A')!.VendNum!;

  async function read(since: Date, pageSize: number): Promise<PurchaseOrderPage[]> {
    const pages: PurchaseOrderPage[] = [];
    for await (const page of h.adapter.purchaseOrdersChangedSince(since, pageSize)) pages.push(page);
    return pages;
  }

  describe('purchase orders', () => {
    it('lists every PO with its lines by pages, oldest change first, in fewer requests than POs', async () => {
      const before = requests();
      const pages = await read(new Date(0), 10);
      const used = requests() - before;
      const orders = pages.flatMap((p) => p.orders);

      expect(orders.map((o) => o.number).sort()).toEqual(rows('SLPos').map((p) => p.PoNum).sort());
      expect(pages.length).toBeGreaterThanOrEqual(3);
      for (const p of pages) expect(p.orders.length).toBeLessThanOrEqual(10);
      const cursors = pages.map((p) => p.maxModifiedAt!);
      expect([...cursors].sort()).toEqual(cursors);
      for (const o of orders) {
        const lines = rows('SLPoItems').filter((l) => l.PoNum === o.number).sort((a, b) => Number(a.PoLine) - Number(b.PoLine));
        // M3 publishes no accounting for a PO line: its coding is the administrator's rule (helpers/m3-setup.ts, * → 610100/CC100).
        expect(o.lines.map((l) => [l.line, l.quantity, l.unitCost, l.glAccount, l.unitCodes[0]])).toEqual(
          lines.map((l) => [Number(l.PoLine), Number(l.QtyOrdered), Number(l.ItemCost), ...(product === 'm3' ? ['610100', 'CC100'] : [l.NonInvAcct, l.NonInvAcctUnit1])]),
        );
      }
      expect(used).toBeGreaterThan(0);
      // Industrial reads by page; M3's LstLine takes one PO, so one list of heads and one line list per PO.
      if (product === 'm3') expect(used).toBe(orders.length + 1);
      else expect(used / orders.length).toBeLessThan(0.5);
    });

    it('picks up a PO whose only change is on a line, and one whose only change is on the header', async () => {
      const pages = await read(new Date(0), 10);
      const cursor = new Date(Date.parse(pages.at(-1)!.maxModifiedAt!) + 1);
      const [lineOnly, headerOnly] = rows('SLPos').filter((p) => p.Stat === 'O');
      const line = rows('SLPoItems').find((l) => l.PoNum === lineOnly!.PoNum)!;
      const headerStamp = lineOnly!.RecordDate;
      tables().update('SLPoItems', line.RowPointer!, { QtyOrdered: '77.00000000' });
      await new Promise((r) => setTimeout(r, 5));
      tables().update('SLPos', headerOnly!.RowPointer!, { Buyer: 'ferrytest' });
      expect(lineOnly!.RecordDate).toBe(headerStamp);

      const after = await read(cursor, 10);
      if (product === 'm3') {
        // M3 stamps the head only: the header change comes on a page that moves the cursor; a line has no stamp,
        // so every PO whose lines can still change comes again on pages that do not (the flow's content hash
        // tells which changed), the line change among them.
        expect(after.filter((p) => p.maxModifiedAt !== null).flatMap((p) => p.orders.map((o) => o.number))).toEqual([headerOnly!.PoNum]);
        expect(after.find((p) => p.maxModifiedAt !== null)!.orders[0]!.buyer).toBe('ferrytest');
        const unstamped = after.filter((p) => p.maxModifiedAt === null).flatMap((p) => p.orders);
        expect(unstamped.map((o) => o.number).sort()).toEqual(rows('SLPos').filter((p) => p.Stat !== 'C' && p.PoNum !== headerOnly!.PoNum).map((p) => p.PoNum).sort());
        expect(unstamped.find((o) => o.number === lineOnly!.PoNum)!.lines.find((l) => l.line === Number(line.PoLine))!.quantity).toBe(77);
        return;
      }
      const changed = after.flatMap((p) => p.orders);
      expect(changed.map((o) => o.number)).toEqual([lineOnly!.PoNum, headerOnly!.PoNum]);
      expect(changed[0]!.lines.find((l) => l.line === Number(line.PoLine))!.quantity).toBe(77);
      expect(changed[0]!.modifiedAt > cursor.toISOString()).toBe(true);
      expect(changed[1]!.buyer).toBe('ferrytest');
    });

    it('gets one PO with its lines, and null for a PO CloudSuite does not have', async () => {
      const po = rows('SLPos').find((p) => p.Stat === 'C')!;
      const order = await h.adapter.getPurchaseOrder(po.PoNum!);
      expect(order).toMatchObject({ number: po.PoNum, vendorNumber: po.VendNum, status: 'complete', warehouse: po.Whse, buyer: po.Buyer });
      expect(order!.lines).toHaveLength(rows('SLPoItems').filter((l) => l.PoNum === po.PoNum).length);
      expect(await h.adapter.getPurchaseOrder('PO99999999')).toBeNull();
    });

    it.runIf(product === 'industrial')('writes the Jira key to the PO header user field, and writes nothing when it is already there', async () => {
      const po = rows('SLPos').find((p) => p.Stat === 'O' && !p.Uf_JiraKey)!;
      await h.adapter.setPurchaseOrderField(po.PoNum!, 'jiraKey', 'FIN-12');
      expect(tables().find('SLPos', (p) => p.PoNum === po.PoNum)!.Uf_JiraKey).toBe('FIN-12');
      const updates = h.sandbox.stats.count({ system: 'ido', route: '/update/' });
      await h.adapter.setPurchaseOrderField(po.PoNum!, 'jiraKey', 'FIN-12');
      expect(h.sandbox.stats.count({ system: 'ido', route: '/update/' })).toBe(updates);
      await expect(h.adapter.setPurchaseOrderField('PO99999999', 'jiraKey', 'FIN-13')).rejects.toMatchObject({ code: 'not_found', retryable: false });
    });

    it.runIf(product === 'm3')('says plainly that M3 has no place for the Jira key, without sending anything', async () => {
      expect(h.adapter.supports.purchaseOrderFields).toBe(false);
      const before = requests();
      const err = await h.adapter.setPurchaseOrderField(rows('SLPos')[0]!.PoNum!, 'jiraKey', 'FIN-12').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConnectorError);
      expect(err).toMatchObject({ code: 'not_supported', retryable: false });
      expect((err as Error).message).toMatch(/PPS200MI/);
      expect(requests()).toBe(before);
    });
  });

  describe('vendors', () => {
    const number = product === 'industrial' ? 'V9001' : 'V9002';
    const vendor: NewVendor = {
      number,
      name: 'Ferry Test Supplies',
      currency: 'USD',
      paymentTerms: 'N30',
      address: { line1: '1 Test Way', city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US' },
      contact: { name: 'Pat Doe', phone: '+1 555 0100', email: 'ap@ferrytest.example' },
    };

    it('creates a vendor with address, contact and terms; a repeat creates nothing; another name under the number is refused', async () => {
      const created = await h.adapter.createVendor(vendor);
      expect(created).toMatchObject({
        number, name: vendor.name, currency: 'USD', paymentTerms: 'N30', active: true,
        address: { line1: '1 Test Way', line2: null, city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US' },
        // M3 publishes no field for a supplier's contact name or e-mail (CRS620MI): only the phone is kept.
        contact: product === 'm3' ? { name: null, phone: '+1 555 0100', email: null } : { name: 'Pat Doe', phone: '+1 555 0100', email: 'ap@ferrytest.example' },
      });
      expect(tables().find('SLVendors', (v) => v.VendNum === number)).toMatchObject({ Name: vendor.name, CurrCode: 'USD', TermsCode: 'N30', Stat: 'A', Phone: '+1 555 0100' });
      expect(tables().find('SLVendaddrs', (v) => v.VendNum === number)).toMatchObject({ Addr_1: '1 Test Way', City: 'Springfield', Zip: '62701', Country: 'US' });

      expect(await h.adapter.createVendor(vendor)).toEqual(created);
      expect(rows('SLVendors').filter((v) => v.VendNum === number)).toHaveLength(1);
      await expect(h.adapter.createVendor({ ...vendor, name: 'Someone Else Ltd' })).rejects.toMatchObject({ code: 'vendor_exists', retryable: false });
    });

    it('updates only the fields given, and lists the vendor as it now is', async () => {
      const updated = await h.adapter.updateVendor(number, { name: 'Ferry Test Supplies Inc', paymentTerms: 'N45', address: { city: 'Chicago' }, contact: { phone: '+1 555 0199' } });
      expect(updated).toMatchObject({
        name: 'Ferry Test Supplies Inc', paymentTerms: 'N45', currency: 'USD', address: { city: 'Chicago', line1: '1 Test Way' }, contact: { phone: '+1 555 0199', name: product === 'm3' ? null : 'Pat Doe' },
      });
      expect(tables().find('SLVendaddrs', (v) => v.VendNum === number)).toMatchObject({ Name: 'Ferry Test Supplies Inc', City: 'Chicago', Addr_1: '1 Test Way' });
      expect(tables().find('SLVendors', (v) => v.VendNum === number)).toMatchObject({ TermsCode: 'N45', Phone: '+1 555 0199' });

      const listed = await h.adapter.listVendors();
      expect(listed.map((v) => v.number)).toEqual(rows('SLVendors').map((v) => v.VendNum).sort());
      expect(listed.find((v) => v.number === number)).toEqual(updated);
      const inactive = rows('SLVendors').find((v) => v.Stat !== 'A');
      if (inactive) expect(listed.find((v) => v.number === inactive.VendNum)!.active).toBe(false);
    });
  });

  describe('reference data', () => {
    it('lists GL accounts with type, active flag and whether a cost center is required', async () => {
      const accounts = await h.adapter.listGlAccounts();
      expect(accounts.map((a) => a.number)).toEqual(GL_CHART.map(([acct]) => acct).sort());
      expect(accounts.find((a) => a.number === '690900')).toMatchObject({ active: false, costCenterRequired: true });
      expect(accounts.find((a) => a.number === '201000')).toMatchObject({ active: true, costCenterRequired: false, type: product === 'industrial' ? 'liability' : 'balance-sheet' });
      expect(accounts.find((a) => a.number === '610100')).toMatchObject({ description: 'Office supplies', costCenterRequired: true, type: product === 'industrial' ? 'expense' : 'profit-and-loss' });
    });

    it('lists cost centers and projects', async () => {
      expect((await h.adapter.listCostCenters()).map((c) => [c.code, c.description, c.active])).toEqual(COST_CENTERS.map(([code, d]) => [code, d, true]));
      const projects = await h.adapter.listProjects();
      expect(projects.map((p) => [p.number, p.active])).toEqual(rows('SLProjs').map((p) => [p.ProjNum, p.Stat === 'A']));
    });
  });

  describe('AP vouchers', () => {
    // M3 books an invoice line only through the PO line it pays (APS450MI takes no account), so there the two
    // distributions pay the first two lines of an open PO, and land on those lines' accounts.
    const m3Po = () =>
      rows('SLPos').find((p) => p.Stat === 'O' && !p.Uf_ProjNum && tables().find('SLVendors', (v) => v.VendNum === p.VendNum)?.Stat === 'A' && poLines(p.PoNum!).length >= 2)!;
    const poLines = (po: string) => rows('SLPoItems').filter((l) => l.PoNum === po).sort((a, b) => Number(a.PoLine) - Number(b.PoLine));
    const paying = (po: string, i: number) => (product === 'm3' ? { purchaseOrderLine: { number: po, line: Number(poLines(po)[i]!.PoLine), release: 0, quantity: 1 } } : {});
    const expectedDistributions = () =>
      product === 'm3' ? poLines(m3Po().PoNum!).slice(0, 2).map((l, i) => [l.NonInvAcct, l.NonInvAcctUnit1, i === 0 ? 100 : 50]) : [['610100', 'CC100', 100], ['640100', 'CC600', 50]];
    const voucher = (n: number, over: Partial<ApVoucher> = {}): ApVoucher => {
      const po = product === 'm3' ? m3Po() : null;
      return {
        reference: `FERRY:JAG-INV-${product}-${n}`,
        vendorNumber: po?.VendNum ?? activeVendor(),
        invoiceNumber: `JAG-${product}-${n}`,
        invoiceDate: today(),
        dueDate: null,
        amount: 150,
        currency: null,
        purchaseOrder: po?.PoNum ?? null,
        distributions: [
          { account: '610100', costCenter: 'CC100', project: null, amount: 100, description: 'Paper', ...paying(po?.PoNum ?? '', 0) },
          { account: '640100', costCenter: 'CC600', project: null, amount: 50, description: 'Freight', ...paying(po?.PoNum ?? '', 1) },
        ],
        ...over,
      };
    };

    it('enters a voucher with its distributions and posts it; it is then found by its reference, and a repeat enters nothing', async () => {
      const v = voucher(1);
      expect(await h.adapter.findVoucherByReference(v)).toBeNull();
      const rec = await h.adapter.createApVoucher(v);
      expect(rec).toMatchObject({ vendorNumber: v.vendorNumber, invoiceNumber: v.invoiceNumber, amount: 150, posted: true });
      expect(await h.adapter.findVoucherByReference(v)).toMatchObject({ voucherNumber: rec.voucherNumber, amount: 150, posted: true });

      // Posted: the voucher is among the posted ones (SLAptrxps), its distributions are ledger lines.
      expect(tables().find('SLAptrxs', (r) => r.VendNum === v.vendorNumber && r.Voucher === rec.voucherNumber)).toBeUndefined();
      const row = tables().find('SLAptrxps', (r) => r.VendNum === v.vendorNumber && r.Voucher === rec.voucherNumber)!;
      expect(row).toMatchObject({ InvNum: v.invoiceNumber });
      if (product === 'industrial') expect(row.Ref).toBe(v.reference);
      const dists = rows('SLLedgers').filter((d) => d.VendNum === v.vendorNumber && d.Voucher === rec.voucherNumber && d.Acct !== row.ApAcct);
      expect(dists.map((d) => [d.Acct, d.AcctUnit1, Number(d.DomAmount)])).toEqual(expectedDistributions());

      const count = rows('SLAptrxps').length;
      expect((await h.adapter.createApVoucher(v)).voucherNumber).toBe(rec.voucherNumber);
      expect(rows('SLAptrxps')).toHaveLength(count);
      expect(rows('SLAptrxs').some((r) => r.VendNum === v.vendorNumber && r.InvNum === v.invoiceNumber)).toBe(false);
    });

    it('refuses a voucher dated in a closed period with a typed error that says so, and no voucher exists', async () => {
      const v = voucher(2, { invoiceDate: sandboxDay(h.sandbox, 4, 15) });
      const err = await h.adapter.createApVoucher(v).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(product === 'industrial' ? IdoError : M3Error);
      expect(err).toMatchObject({ retryable: false });
      expect((err as Error).message).toMatch(/closed/);
      expect(rows('SLAptrxs').some((r) => r.VendNum === v.vendorNumber && r.InvNum === v.invoiceNumber)).toBe(false);
    });

    it('refuses distributions that do not add up to the amount before sending anything', async () => {
      const before = requests();
      await expect(h.adapter.createApVoucher(voucher(3, { amount: 151 }))).rejects.toMatchObject({ code: 'voucher_unbalanced', retryable: false });
      expect(requests()).toBe(before);
    });

    it.runIf(product === 'm3')('refuses a line not matched to a PO line before sending anything, in words AP can act on', async () => {
      const before = requests();
      const v = voucher(4);
      const err = await h.adapter.createApVoucher({ ...v, distributions: [v.distributions[0]!, { ...v.distributions[1]!, purchaseOrderLine: undefined }] }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'not_supported', retryable: false });
      expect((err as Error).message).toMatch(/a line not matched to a purchase order line \(distribution 2: 50\.00 on account 640100 \/ CC600, "Freight"\)/);
      expect((err as Error).message).toMatch(/match the line to a PO line in JAGGAER, or enter the invoice in M3 \(APS450\) by hand/);
      expect(requests()).toBe(before);
    });
  });

  describe('GL journals', () => {
    const journal = (n: number, amounts = [1200.5, -1200.5]): GlJournal => ({
      reference: `FERRY:WL-${product}-${n}`,
      date: today(),
      description: 'Labour, week 12',
      lines: [
        { account: '650500', costCenter: 'CC500', project: null, amount: amounts[0]!, description: 'Hours x rate' },
        { account: '215000', costCenter: null, project: null, amount: amounts[1]!, description: null },
      ],
    });

    it('posts a balanced journal: every line lands under its reference, posted', async () => {
      const j = journal(1);
      const rec = await h.adapter.postGlJournal(j);
      expect(rec).toMatchObject({ reference: j.reference, posted: true });
      // Posted: the lines are in the ledger (SLLedgers) under the reference, none left entered.
      const lines = rows('SLLedgers').filter((r) => r.Ref === j.reference);
      expect(lines.map((r) => [r.Acct, r.AcctUnit1, Number(r.DomAmount)])).toEqual([['650500', 'CC500', 1200.5], ['215000', null, -1200.5]]);
      expect(lines.every((r) => r.TransDate!.startsWith(today().replace(/-/g, '')))).toBe(true);
      expect(rows('SLJournals').filter((r) => r.Ref === j.reference)).toEqual([]);
    });

    it('refuses an unbalanced journal before sending anything', async () => {
      const before = requests();
      const err = await h.adapter.postGlJournal(journal(2, [100, -90])).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConnectorError);
      expect(err).toMatchObject({ code: 'journal_unbalanced', retryable: false });
      expect((err as Error).message).toMatch(/debits 100\.00, credits 90\.00/);
      expect(requests()).toBe(before);
      expect(rows('SLJournals').some((r) => r.Ref === journal(2).reference)).toBe(false);
    });

    it.runIf(product === 'industrial')('finds a journal by its reference, and posting it again adds nothing', async () => {
      const j = journal(1);
      expect(await h.adapter.findJournalByReference(j.reference)).toMatchObject({ posted: true, lines: [{ account: '650500', amount: 1200.5 }, { account: '215000', amount: -1200.5 }] });
      expect(await h.adapter.findJournalByReference('FERRY:WL-none')).toBeNull();
      expect(await h.adapter.postGlJournal(j)).toMatchObject({ posted: true });
      expect(rows('SLLedgers').filter((r) => r.Ref === j.reference)).toHaveLength(2);
      expect(rows('SLJournals').filter((r) => r.Ref === j.reference)).toEqual([]);
    });

    it.runIf(product === 'industrial')('says which journal to check when CloudSuite has no journal of that name, and enters nothing', async () => {
      const other = new IndustrialAdapter(h.link.ido!, { journalId: 'NOPE' });
      const j = journal(5);
      const err = await other.postGlJournal(j).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'journal_not_numbered', retryable: false });
      expect((err as Error).message).toMatch(/Check that journal NOPE exists in CloudSuite \(or name Ferry's journal with "ferry connect cloudsuite --journal"\)/);
      expect([...rows('SLJournals'), ...rows('SLLedgers')].filter((r) => r.Ref === j.reference)).toEqual([]);
    });

    it.runIf(product === 'industrial')('names the line CloudSuite would not take (ImportJournalEntriesSp gives no reason), not retried', async () => {
      // An account closed in CloudSuite since Ferry last read the chart: the flow's validation would not know.
      const j: GlJournal = { ...journal(6), lines: [{ ...journal(6).lines[0]!, account: '690900' }, journal(6).lines[1]!] };
      const err = await h.adapter.postGlJournal(j).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'journal_line_refused', retryable: false });
      expect((err as Error).message).toBe(
        `CloudSuite did not take line 1 of journal ${j.reference} (1200.50 to account 690900, cost center CC500) and gives no reason. Check that journal FERRY exists in CloudSuite, that account 690900 is in use and takes cost center CC500, and that ${j.date} is in an open period; then retry.`,
      );
      expect(rows('SLLedgers').filter((r) => r.Ref === j.reference)).toEqual([]);
    });

    it.runIf(product === 'm3')('cannot read a journal back (typed, nothing sent); M3 itself refuses the same reference twice', async () => {
      expect(h.adapter.supports.journalLookup).toBe(false);
      const before = requests();
      await expect(h.adapter.findJournalByReference(journal(1).reference)).rejects.toMatchObject({ code: 'not_supported', retryable: false });
      expect(requests()).toBe(before);
      const err = await h.adapter.postGlJournal(journal(1)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(M3Error);
      expect(err).toMatchObject({ program: 'GLS840MI', transaction: 'AddBatchHead', field: 'KEY1', retryable: false });
      expect(rows('SLLedgers').filter((r) => r.Ref === journal(1).reference)).toHaveLength(2);
    });

    it('refuses a journal dated in a closed period with a typed error, and posts nothing', async () => {
      const j = { ...journal(3), date: sandboxDay(h.sandbox, 4, 15) };
      const err = await h.adapter.postGlJournal(j).catch((e: unknown) => e);
      // Industrial: SLPeriods.DateChkSp says no (ReturnValue 16) before a line is entered, so no line of a
      // closed period sits in Ferry's journal and holds up the next posting.
      expect(err).toBeInstanceOf(product === 'industrial' ? IdoMethodError : M3Error);
      expect(err).toMatchObject({ retryable: false });
      expect((err as Error).message).toMatch(/closed/);
      expect(rows('SLLedgers').some((r) => r.Ref === j.reference)).toBe(false);
      if (product === 'industrial') expect(rows('SLJournals').some((r) => r.Ref === j.reference)).toBe(false);
    });
  });
});
