import { describe, expect, it } from 'vitest';
import type { EnteredVoucher } from '../../electron/engine/connectors/cloudsuite/adapter';
import { glSplits } from '../../electron/engine/connectors/jaggaer/invoice-map';
import { buildOcrBody } from '../../electron/engine/connectors/jaggaer/invoice-ocr';
import { mapIncomingInvoice, type IncomingInvoiceMappings } from '../../electron/engine/mapping/incoming-invoice';
import { MappingError, type CostAllocation } from '../../electron/engine/mapping/kinds';

// CloudSuite voucher → JAGGAER incoming invoice, without any system: the mapping is pure.

const voucher = (over: Partial<EnteredVoucher> = {}): EnteredVoucher => ({
  voucherNumber: '10023',
  vendorNumber: 'V001000',
  invoiceNumber: ' INV-77 ',
  reference: null,
  invoiceDate: '2026-11-19T00:00:00.000Z',
  amount: 150.3,
  posted: true,
  dueDate: null,
  currency: 'EUR',
  purchaseOrder: 'PO00010009',
  status: 'P',
  modifiedAt: '2026-11-20T10:00:00.000Z',
  distributions: [
    { account: '610100', costCenter: 'CC100', project: null, amount: 100.1, description: 'Paper' },
    { account: '640100', costCenter: null, project: null, amount: 50.2, description: null },
  ],
  ...over,
});

const identity: IncomingInvoiceMappings = {
  supplier: (v) => ({ supplierNumber: v }),
  costAllocation: (account, cc): CostAllocation => (cc ? { account, costCenter: cc } : { account }),
};

describe('mapIncomingInvoice', () => {
  it('sends one line per distribution with its GL coding, under the mapped supplier and the supplier’s invoice number', () => {
    const inv = mapIncomingInvoice(voucher(), { ...identity, supplier: () => ({ supplierNumber: 'SUP-9' }) }, null, 'USD');
    expect(inv).toEqual({
      batchId: 'FERRY-CS-V001000-10023',
      batchDescription: 'CloudSuite voucher 10023 of vendor V001000',
      supplierNumber: 'SUP-9',
      supplierInvoiceNumber: 'INV-77',
      kind: 'invoice',
      invoiceDate: '2026-11-19',
      notes: 'Entered in CloudSuite as AP voucher 10023 against purchase order PO00010009; sent by Ferry.',
      currency: 'EUR',
      lines: [
        { line: 1, description: 'Paper', unitOfMeasure: 'EA', quantity: 1, unitPrice: 100.1, costAllocation: { account: '610100', costCenter: 'CC100' } },
        { line: 2, description: 'GL 640100', unitOfMeasure: 'EA', quantity: 1, unitPrice: 50.2, costAllocation: { account: '640100' } },
      ],
    });
    // Same voucher, same payload: the content hash tells a change from none.
    expect(mapIncomingInvoice(voucher(), identity, null, 'USD')).toEqual(mapIncomingInvoice(voucher(), identity, null, 'USD'));
  });

  it('sends a negative voucher as a credit memo with the amounts turned', () => {
    const inv = mapIncomingInvoice(voucher({ amount: -30, distributions: [{ account: '610100', costCenter: null, project: null, amount: -30, description: 'Return' }] }), identity, null, 'USD');
    expect(inv.kind).toBe('credit-memo');
    expect(inv.lines.map((l) => l.unitPrice)).toEqual([30]);
  });

  it('takes the vendor’s currency, then the default, when the voucher names none', () => {
    expect(mapIncomingInvoice(voucher({ currency: null }), identity, 'CAD', 'USD').currency).toBe('CAD');
    expect(mapIncomingInvoice(voucher({ currency: ' ' }), identity, null, 'USD').currency).toBe('USD');
  });

  it('refuses what JAGGAER could not file or would total differently, naming the field', () => {
    const fieldOf = (v: EnteredVoucher, m = identity) => {
      try {
        mapIncomingInvoice(v, m, null, 'USD');
      } catch (err) {
        if (err instanceof MappingError) return [err.field, err.message];
        throw err;
      }
      return null;
    };
    expect(fieldOf(voucher({ invoiceNumber: '' }))).toEqual(['invoiceNumber', expect.stringContaining('Voucher 10023 of vendor V001000 has no supplier invoice number')]);
    expect(fieldOf(voucher({ invoiceDate: null }))?.[0]).toBe('invoiceDate');
    expect(fieldOf(voucher({ distributions: [] }))?.[0]).toBe('distributions');
    expect(fieldOf(voucher({ amount: 150.31 }))).toEqual(['distributions', expect.stringContaining('add up to 150.30, not the invoice amount 150.31')]);
    expect(fieldOf(voucher(), { ...identity, supplier: () => new MappingError('vendorNumber', 'Vendor V001000 has no JAGGAER supplier mapping.') })).toEqual([
      'vendorNumber',
      'Vendor V001000 has no JAGGAER supplier mapping.',
    ]);
    expect(fieldOf(voucher(), { ...identity, costAllocation: () => new MappingError('glAccount', 'no allocation') })?.[0]).toBe('glAccount');
  });
});

describe('GL coding in the OCR import body', () => {
  it('travels in the shape an invoice line is read back in, and lines without coding carry none', () => {
    const body = buildOcrBody(mapIncomingInvoice(voucher(), identity, null, 'USD'), new Date('2026-11-21T00:00:00Z')) as {
      invoiceOcr: { invoiceOcrLineList: { invoiceOcrLine: { splittableFieldSetGroupList?: Parameters<typeof glSplits>[0] }[] } };
    };
    const lines = body.invoiceOcr.invoiceOcrLineList.invoiceOcrLine;
    expect(lines.map((l) => glSplits(l.splittableFieldSetGroupList))).toEqual([[{ account: '610100', costCenter: 'CC100' }], [{ account: '640100' }]]);
    const uncoded = buildOcrBody({ ...mapIncomingInvoice(voucher(), identity, null, 'USD'), lines: [{ line: 1, description: 'x', unitOfMeasure: 'EA', quantity: 1, unitPrice: 1 }] });
    expect(JSON.stringify(uncoded)).not.toContain('splittableFieldSetGroupList');
  });
});
