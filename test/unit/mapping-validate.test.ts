import { describe, expect, it } from 'vitest';
import type { ApVoucher, GlJournal, PurchaseOrder } from '../../shared/domain';
import { FerryError } from '../../shared/errors';
import { setRequiredMappings } from '../../electron/engine/mapping/kinds';
import {
  assertValid,
  isKnownCurrency,
  loadValidationContext,
  validateCoding,
  validateCurrency,
  validateJournal,
  validatePeriod,
  validatePurchaseOrder,
  validateSupplier,
  validateVoucher,
  validationContext,
  ValidationError,
} from '../../electron/engine/mapping/validate';
import { setMapping } from '../../electron/engine/store/mappings';
import { fixture, fixtureBook, mappingDb } from '../helpers/mapping-db';

// CloudSuite's answers on the dates these tests post on (the fixture: closed through February 2026).
const book = await fixtureBook('2026-03-14', '2026-03-31', '2026-02-14', '2026-02-10', '2027-05-01', '2026-03-09');
const ctx = validationContext({ ...fixture, periods: book });
const noPeriods = validationContext({ ...fixture, periods: null });

const messages = (errors: ValidationError[]) => errors.map((e) => e.message);

const voucher = (over: Partial<ApVoucher> = {}): ApVoucher => ({
  reference: 'FERRY:JAG-INV-77',
  vendorNumber: 'V001000',
  invoiceNumber: 'INV-77',
  invoiceDate: '2026-03-14',
  dueDate: null,
  amount: 100.1,
  currency: 'USD',
  purchaseOrder: null,
  distributions: [
    { account: '610100', costCenter: 'CC100', project: null, amount: 60.05, description: null },
    { account: '650300', costCenter: 'CC200', project: 'PRJ00001', amount: 40.05, description: null },
  ],
  ...over,
});

const journal = (over: Partial<GlJournal> = {}): GlJournal => ({
  reference: 'FERRY:WL-9',
  date: '2026-03-14',
  description: 'Labour',
  lines: [
    { account: '650300', costCenter: 'CC100', project: null, amount: 125.5, description: null },
    { account: '140000', costCenter: null, project: null, amount: -125.5, description: null },
  ],
  ...over,
});

describe('validation rules', () => {
  it('a good voucher, journal and PO pass every rule', () => {
    expect(validateVoucher(ctx, voucher())).toEqual([]);
    expect(validateJournal(ctx, journal())).toEqual([]);
    const po: PurchaseOrder = {
      number: 'PO000123',
      vendorNumber: 'V001010',
      orderDate: '2026-03-01',
      status: 'ordered',
      type: null,
      warehouse: 'MAIN',
      buyer: null,
      modifiedAt: '2026-03-01T00:00:00Z',
      lines: [{ line: 1, release: 0, item: null, description: 'Paper', quantity: 2, unitCost: 4, unitOfMeasure: 'EA', dueDate: null, status: 'O', glAccount: '610100', unitCodes: ['CC100', null, null, null] }],
    };
    expect(validatePurchaseOrder(ctx, po, 'USD')).toEqual([]);
    expect(messages(validatePurchaseOrder(ctx, { ...po, lines: [{ ...po.lines[0]!, line: 3, glAccount: '690900' }] }))).toEqual([
      'PO PO000123 line 3: GL account 690900 is closed (rule: account open).',
    ]);
  });

  it('supplier exists, is active, and is mapped when the profile requires it', () => {
    expect(messages(validateSupplier(ctx, 'Invoice INV-77', 'V999999'))).toEqual(["Invoice INV-77: vendor V999999 is not in CloudSuite's vendor list (rule: supplier exists)."]);
    expect(messages(validateSupplier(ctx, 'Invoice INV-77', 'V001020'))).toEqual(['Invoice INV-77: vendor V001020 is inactive in CloudSuite (rule: supplier active).']);
    const strict = validationContext({ ...fixture, supplierMappingRequired: true, mappedSuppliers: ['V001010'] });
    expect(validateSupplier(strict, 'Invoice INV-77', 'V001010')).toEqual([]);
    expect(messages(validateSupplier(strict, 'Invoice INV-77', 'V001000'))).toEqual(['Invoice INV-77: vendor V001000 has no JAGGAER supplier mapping (rule: supplier mapped).']);
  });

  it('every line: account exists and is open, cost center valid and present when required, project valid', () => {
    const rec = 'Invoice INV-77';
    const line = (account: string | null, costCenter: string | null, project: string | null = null) => messages(validateCoding(ctx, rec, 2, { account, costCenter, project }));
    expect(line('610100', 'CC100')).toEqual([]);
    expect(line('140000', null)).toEqual([]);
    expect(line('690900', 'CC100')).toEqual(['Invoice INV-77 line 2: GL account 690900 is closed (rule: account open).']);
    expect(line('999999', 'CC100')).toEqual(["Invoice INV-77 line 2: GL account 999999 is not in CloudSuite's chart of accounts (rule: account exists)."]);
    expect(line(null, 'CC100')).toEqual(['Invoice INV-77 line 2: no GL account is given (rule: account exists).']);
    expect(line('610100', null)).toEqual(['Invoice INV-77 line 2: GL account 610100 needs a cost center, and none is given (rule: cost center required).']);
    expect(line('610100', 'CC999')).toEqual(["Invoice INV-77 line 2: cost center CC999 is not in CloudSuite's cost center list (rule: cost center valid)."]);
    expect(line('610100', 'CC950')).toEqual(['Invoice INV-77 line 2: cost center CC950 is inactive (rule: cost center valid).']);
    expect(line('610100', 'CC100', 'PRJ00002')).toEqual(['Invoice INV-77 line 2: project PRJ00002 is closed (rule: project valid).']);
    expect(line('610100', 'CC100', 'PRJ09999')).toEqual(["Invoice INV-77 line 2: project PRJ09999 is not in CloudSuite's project list (rule: project valid)."]);
  });

  it('a failure names record, field and rule, and is a FerryError that flows record as a failure', () => {
    const [err] = validateVoucher(ctx, voucher({ distributions: [voucher().distributions[0]!, { ...voucher().distributions[1]!, account: '690900' }] }));
    expect(err).toBeInstanceOf(ValidationError);
    expect(err).toBeInstanceOf(FerryError);
    expect(err).toMatchObject({ record: 'Invoice INV-77', field: 'distributions[2].account', rule: 'account open', code: 'validation_failed' });
    expect(err!.message).toBe('Invoice INV-77 line 2: GL account 690900 is closed (rule: account open).');
    expect(err!.toInfo()).toEqual({ code: 'validation_failed', message: err!.message, detail: { record: 'Invoice INV-77', field: 'distributions[2].account', rule: 'account open' } });
    expect(() => assertValid([err!])).toThrow(err!.message);
    expect(() => assertValid([])).not.toThrow();
  });

  it('amounts balance: voucher distributions add up to the invoice amount to the cent; journal lines sum to zero', () => {
    expect(validateVoucher(ctx, voucher({ amount: 100.1 }))).toEqual([]);
    expect(messages(validateVoucher(ctx, voucher({ amount: 100.11 })))).toEqual([
      'Invoice INV-77: the distributions total 100.10, but the invoice amount is 100.11 (rule: amounts balance).',
    ]);
    expect(messages(validateVoucher(ctx, voucher({ distributions: [] })))).toEqual([
      'Invoice INV-77: the distributions total 0.00, but the invoice amount is 100.10 (rule: amounts balance).',
    ]);
    // 0.1 + 0.2 is not 0.3 in floating point; to the cent it is.
    expect(validateJournal(ctx, journal({ lines: [journal().lines[0]!, { ...journal().lines[1]!, amount: -125.2 }, { ...journal().lines[1]!, amount: -0.1 }, { ...journal().lines[1]!, amount: -0.2 }] }))).toEqual([]);
    expect(messages(validateJournal(ctx, journal({ lines: [journal().lines[0]!, { ...journal().lines[1]!, amount: -125 }] })))).toEqual([
      'Journal FERRY:WL-9: the lines sum to 0.50, not zero (rule: amounts balance).',
    ]);
    expect(messages(validateJournal(ctx, journal({ lines: [] })))).toEqual(['Journal FERRY:WL-9: the journal has no lines (rule: amounts balance).']);
  });

  it('currency known: an ISO 4217 code', () => {
    expect(isKnownCurrency('EUR')).toBe(true);
    expect(isKnownCurrency('eur')).toBe(false);
    expect(validateCurrency('Invoice INV-77', 'CHF')).toEqual([]);
    expect(validateCurrency('Invoice INV-77', null)).toEqual([]);
    expect(messages(validateVoucher(ctx, voucher({ currency: 'XYZ' })))).toEqual(['Invoice INV-77: currency "XYZ" is not a known ISO 4217 currency code (rule: currency known).']);
  });

  it('period open, when CloudSuite was asked about the date; skipped otherwise', () => {
    expect(validatePeriod(ctx, 'Journal J1', '2026-03-31')).toEqual([]);
    // Without today, the open period cannot be named; with it, it is (periods.test.ts has the cases).
    expect(messages(validatePeriod(ctx, 'Journal J1', '2026-02-14'))).toEqual([
      'Journal J1: fiscal period 2026-02 is closed for 2026-02-14 (rule: period open). Post it in an open period instead (Needs attention), or reopen period 2026-02 in CloudSuite, then retry.',
    ]);
    expect(messages(validatePeriod({ ...ctx, today: '2026-03-09' }, 'Journal J1', '2026-02-14'))).toEqual([
      'Journal J1: fiscal period 2026-02 is closed for 2026-02-14 (rule: period open). Post it in the open period 2026-03 instead ("Post in 2026-03" in Needs attention), or reopen period 2026-02 in CloudSuite, then retry.',
    ]);
    expect(messages(validatePeriod(ctx, 'Journal J1', '2027-05-01'))).toEqual(['Journal J1: no fiscal period covers 2027-05-01 (rule: period open). Ask your CloudSuite administrator to set up that period, then retry.']);
    // A date nobody asked CloudSuite about is not judged here.
    expect(validatePeriod(ctx, 'Journal J1', '2025-01-01')).toEqual([]);
    expect(validatePeriod(noPeriods, 'Journal J1', '2026-02-14')).toEqual([]);
    expect(validateJournal(noPeriods, journal({ date: '2019-01-01' }))).toEqual([]);
    const [err] = validateVoucher(ctx, voucher({ invoiceDate: '2026-02-10' }));
    expect(err).toMatchObject({ field: 'invoiceDate', rule: 'period open' });
  });

  it('reports every problem of a record, first one first', () => {
    const errors = validateVoucher(ctx, voucher({ vendorNumber: 'V001020', currency: 'ABC', amount: 1, distributions: [{ account: '690900', costCenter: null, project: null, amount: 2, description: null }] }));
    expect(errors.map((e) => e.rule)).toEqual(['supplier active', 'account open', 'cost center required', 'amounts balance', 'currency known']);
  });
});

describe('validation context from the cache', () => {
  it('reads the cached lists and the profile\'s supplier mappings; says what to do when a list was never read', async () => {
    const empty = await mappingDb();
    try {
      expect(() => loadValidationContext(empty.profile.db)).toThrow(
        'Ferry has not read the vendors, GL accounts and cost centers from CloudSuite yet, so it cannot check against them: refresh the reference data first ("ferry reference refresh").',
      );
    } finally {
      empty.close();
    }
    const env = await mappingDb({ reference: true });
    try {
      const db = env.profile.db;
      let c = loadValidationContext(db);
      expect(c.periods).toBeNull();
      expect(validateVoucher(c, voucher({ invoiceDate: '2019-01-01' }))).toEqual([]);
      setRequiredMappings(db, ['supplier']);
      setMapping(db, 'supplier', 'V001010', { supplierNumber: 'S-1' });
      c = loadValidationContext(db);
      expect(validateSupplier(c, 'PO P1', 'V001010')).toEqual([]);
      expect(validateSupplier(c, 'PO P1', 'V001000').map((e) => e.rule)).toEqual(['supplier mapped']);
    } finally {
      env.close();
    }
    const withPeriods = await mappingDb({ reference: true });
    try {
      const c = loadValidationContext(withPeriods.profile.db, '2026-03-09', await fixtureBook('2026-02-10', '2026-03-09'));
      expect(validateVoucher(c, voucher({ invoiceDate: '2026-02-10' })).map((e) => e.rule)).toEqual(['period open']);
    } finally {
      withPeriods.close();
    }
  });
});
