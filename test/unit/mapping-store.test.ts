import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mappingKindNames } from '../../shared/api';
import { FerryError } from '../../shared/errors';
import { DEFAULT_GL_SEGMENTS, glSegments, MappingError, mappingKinds, setGlSegments, setRequiredMappings } from '../../electron/engine/mapping/kinds';
import type { Db } from '../../electron/engine/store/db';
import {
  deleteMapping,
  getMapping,
  lastMappingChange,
  listMappings,
  resolveCostAllocation,
  resolveCostCenter,
  resolveSite,
  resolveSupplier,
  resolveTerms,
  setMapping,
  setMappings,
  termsFromJaggaer,
  undoLastMappingChange,
} from '../../electron/engine/store/mappings';
import { getReference, lookup, referenceAge, replaceReference } from '../../electron/engine/store/reference';
import { account, fixture, mappingDb, vendor, type MappingDb } from '../helpers/mapping-db';

let env: MappingDb;
let db: Db;
beforeEach(async () => {
  env = await mappingDb();
  db = env.profile.db;
});
afterEach(() => env.close());

const errorOf = (fn: () => unknown): FerryError => {
  try {
    fn();
  } catch (err) {
    return err as FerryError;
  }
  throw new Error('expected an error');
};

describe('reference cache', () => {
  it('replaces a kind whole, reads it by key, and knows when it was read', () => {
    expect(referenceAge(db, 'vendor')).toBeNull();
    expect(getReference(db, 'vendor')).toEqual([]);
    const at = new Date('2026-03-01T10:00:00.000Z');
    expect(replaceReference(db, 'vendor', fixture.vendors, at)).toBe(3);
    expect(getReference(db, 'vendor').map((v) => v.number)).toEqual(['V001000', 'V001010', 'V001020']);
    expect(lookup(db, 'vendor', 'V001020')).toEqual(fixture.vendors[2]);
    expect(lookup(db, 'vendor', 'V999999')).toBeNull();
    expect(referenceAge(db, 'vendor', new Date('2026-03-01T10:05:00.000Z'))).toEqual({ refreshedAt: at.toISOString(), ageMs: 300_000, count: 3 });

    // A vendor that left CloudSuite leaves the cache with the next refresh.
    expect(replaceReference(db, 'vendor', [vendor('V001000'), vendor('V002000')])).toBe(2);
    expect(getReference(db, 'vendor').map((v) => v.number)).toEqual(['V001000', 'V002000']);
    // Other kinds are untouched.
    replaceReference(db, 'gl-account', fixture.accounts);
    replaceReference(db, 'vendor', []);
    expect(getReference(db, 'gl-account')).toHaveLength(4);
    expect(referenceAge(db, 'vendor')).toMatchObject({ count: 0 });
  });

  it('keeps the previous list whole when a replacement fails half-way', () => {
    const at = new Date('2026-03-01T10:00:00.000Z');
    replaceReference(db, 'gl-account', fixture.accounts, at);
    // The third item cannot be stored (JSON has no BigInt): the two before it must not stay either.
    const broken = [account('100000'), account('200000'), { ...account('300000'), description: 10n as unknown as string }];
    expect(() => replaceReference(db, 'gl-account', broken, new Date('2026-03-02T10:00:00.000Z'))).toThrow();
    expect(getReference(db, 'gl-account')).toEqual(fixture.accounts);
    expect(referenceAge(db, 'gl-account')?.refreshedAt).toBe(at.toISOString());
  });
});

describe('mapping kinds', () => {
  it('are the same list in the API contract and the engine', () => {
    expect([...mappingKindNames]).toEqual([...mappingKinds]);
  });
});

describe('supplier mappings', () => {
  it('default to the vendor number; a mapping overrides it; delete and undo bring each state back', () => {
    expect(resolveSupplier(db, 'V001000')).toEqual({ supplierNumber: 'V001000' });
    const m = setMapping(db, 'supplier', ' V001000 ', { supplierNumber: ' S-77 ', bravoId: 'B123' }, '  moved to the EU entity ');
    expect(m).toMatchObject({ kind: 'supplier', key: 'V001000', value: { supplierNumber: 'S-77', bravoId: 'B123' }, note: 'moved to the EU entity' });
    expect(getMapping(db, 'supplier', 'V001000')?.value).toEqual({ supplierNumber: 'S-77', bravoId: 'B123' });
    expect(resolveSupplier(db, 'V001000')).toEqual({ supplierNumber: 'S-77', bravoId: 'B123' });

    setMapping(db, 'supplier', 'V001000', { supplierNumber: 'S-78' });
    expect(resolveSupplier(db, 'V001000')).toEqual({ supplierNumber: 'S-78' });
    expect(lastMappingChange(db, 'supplier')).toMatchObject({ action: 'set', count: 1 });
    expect(undoLastMappingChange(db, 'supplier')).toMatchObject({ kind: 'supplier', action: 'set', count: 1 });
    expect(getMapping(db, 'supplier', 'V001000')).toMatchObject({ value: { supplierNumber: 'S-77', bravoId: 'B123' }, note: 'moved to the EU entity', updatedAt: m.updatedAt });
    // Only the last change is kept.
    expect(undoLastMappingChange(db, 'supplier')).toBeNull();

    expect(deleteMapping(db, 'supplier', 'V001000')).toBe(true);
    expect(deleteMapping(db, 'supplier', 'V001000')).toBe(false);
    expect(resolveSupplier(db, 'V001000')).toEqual({ supplierNumber: 'V001000' });
    expect(undoLastMappingChange(db, 'supplier')).toMatchObject({ action: 'delete' });
    expect(resolveSupplier(db, 'V001000')).toEqual({ supplierNumber: 'S-77', bravoId: 'B123' });
  });

  it('undoes a first mapping by removing it, and keeps undo per kind', () => {
    setMapping(db, 'supplier', 'V001010', { supplierNumber: 'S-1' });
    setMapping(db, 'site', 'MAIN', { shipTo: 'HQ' });
    expect(undoLastMappingChange(db, 'supplier')).toMatchObject({ action: 'set' });
    expect(getMapping(db, 'supplier', 'V001010')).toBeNull();
    expect(getMapping(db, 'site', 'MAIN')).not.toBeNull();
    expect(lastMappingChange(db, 'site')).toMatchObject({ action: 'set' });
  });

  it('refuses what is not a supplier mapping, naming the field', () => {
    expect(errorOf(() => setMapping(db, 'supplier', 'V001000', { supplierNumber: '' })).message).toBe(
      'The supplier mapping for "V001000" is not valid: The JAGGAER supplier number is empty.',
    );
    expect(errorOf(() => setMapping(db, 'supplier', 'V001000', { supplier: 'S-1' })).message).toBe(
      'The supplier mapping for "V001000" is not valid: supplierNumber is missing or not text.',
    );
    expect(errorOf(() => setMapping(db, 'supplier', 'V001000', { supplierNumber: 'S-1', colour: 'red' })).message).toBe(
      'The supplier mapping for "V001000" is not valid: "colour" is not a field of this mapping.',
    );
    expect(errorOf(() => setMapping(db, 'supplier', 'V 1000', { supplierNumber: 'S-1' })).message).toBe(
      'The supplier mapping for "V 1000" is not valid: The vendor number may not contain spaces, "|" or "*".',
    );
    expect(errorOf(() => setMapping(db, 'supplier', 'V001000', { supplierNumber: 'S-1' }, 'x'.repeat(501))).message).toBe(
      'A mapping note may be at most 500 characters long.',
    );
    expect(listMappings(db, 'supplier')).toEqual([]);
    expect(lastMappingChange(db, 'supplier')).toBeNull();
  });

  it('is a MappingError for a missing vendor number, and for an unmapped vendor when the profile requires mappings', () => {
    const blank = resolveSupplier(db, ' ');
    expect(blank).toBeInstanceOf(MappingError);
    expect((blank as MappingError).field).toBe('vendorNumber');
    setRequiredMappings(db, ['supplier']);
    const refused = resolveSupplier(db, 'V001000') as MappingError;
    expect(refused).toBeInstanceOf(MappingError);
    expect(refused.field).toBe('vendorNumber');
    expect(refused.message).toBe('Vendor V001000 has no JAGGAER supplier mapping; add it in Mappings → Suppliers.');
    setMapping(db, 'supplier', 'V001000', { supplierNumber: 'S-1' });
    expect(resolveSupplier(db, 'V001000')).toEqual({ supplierNumber: 'S-1' });
  });
});

describe('GL account mappings', () => {
  it('resolve account|cost center before account|*, filling the segments a mapping leaves out', () => {
    expect(glSegments(db)).toEqual(DEFAULT_GL_SEGMENTS);
    // No mapping: the account and cost center travel as themselves.
    expect(resolveCostAllocation(db, '610100', 'CC100')).toEqual({ account: '610100', costCenter: 'CC100' });
    expect(resolveCostAllocation(db, '140000', null)).toEqual({ account: '140000' });

    setMapping(db, 'gl-account', '610100|*', { account: 'OFFICE' });
    setMapping(db, 'gl-account', '610100|CC200', { costCenter: 'OPS-EU', account: 'OFFICE-OPS' });
    setMapping(db, 'cost-center', 'CC100', 'SALES');
    expect(resolveCostAllocation(db, '610100', 'CC100')).toEqual({ account: 'OFFICE', costCenter: 'SALES' });
    expect(resolveCostAllocation(db, '610100', 'CC200')).toEqual({ account: 'OFFICE-OPS', costCenter: 'OPS-EU' });
    expect(resolveCostAllocation(db, '610100', null)).toEqual({ account: 'OFFICE' });
    // Segments in chart order, whatever order the mapping was written in.
    expect(Object.keys(getMapping(db, 'gl-account', '610100|CC200')!.value)).toEqual(['account', 'costCenter']);
    expect(undoLastMappingChange(db, 'cost-center')).toMatchObject({ action: 'set' });
    expect(resolveCostAllocation(db, '610100', 'CC100')).toEqual({ account: 'OFFICE', costCenter: 'CC100' });
  });

  it('accepts "610100|" as any cost center and refuses keys and segments that are not the profile\'s', () => {
    expect(setMapping(db, 'gl-account', '610100|', { account: 'X' }).key).toBe('610100|*');
    expect(errorOf(() => setMapping(db, 'gl-account', '610100', { account: 'X' })).message).toBe(
      'The GL account mapping for "610100" is not valid: The key must be an account and a cost center joined by "|", e.g. 610100|CC100 (or 610100|* for any cost center).',
    );
    expect(errorOf(() => setMapping(db, 'gl-account', '610100|CC100', { fund: 'F1' })).message).toBe(
      'The GL account mapping for "610100|CC100" is not valid: "fund" is not one of this profile\'s JAGGAER segments (account, costCenter).',
    );
    expect(errorOf(() => setMapping(db, 'gl-account', '610100|CC100', { account: '' })).message).toBe(
      'The GL account mapping for "610100|CC100" is not valid: The cost allocation gives no segment value; name at least one of account, costCenter.',
    );
  });

  it('follow the segment names configured for the profile (jaggaer.glSegments)', () => {
    setGlSegments(db, ['GLAccount', 'Department', 'Fund']);
    setMapping(db, 'gl-account', '650300|*', { Fund: 'F-10' });
    expect(resolveCostAllocation(db, '650300', 'CC100')).toEqual({ GLAccount: '650300', Department: 'CC100', Fund: 'F-10' });
    expect(errorOf(() => setGlSegments(db, ['Fund', 'fund'])).message).toMatch(/each segment name may appear once/);
  });

  it('are a MappingError naming the field when the profile requires them', () => {
    setRequiredMappings(db, ['gl-account']);
    const missing = resolveCostAllocation(db, '610100', 'CC100') as MappingError;
    expect(missing).toBeInstanceOf(MappingError);
    expect(missing.field).toBe('glAccount');
    expect(missing.message).toBe('GL account 610100 with cost center CC100 has no JAGGAER cost allocation; add a GL account mapping for 610100|CC100 or 610100|*.');
    setMapping(db, 'gl-account', '610100|*', { account: 'OFFICE' });
    expect(resolveCostAllocation(db, '610100', 'CC100')).toEqual({ account: 'OFFICE', costCenter: 'CC100' });
    expect((resolveCostAllocation(db, '', 'CC100') as MappingError).field).toBe('glAccount');
  });
});

describe('cost center, site and payment terms mappings', () => {
  it('cost centers: mapping, default, required', () => {
    expect(resolveCostCenter(db, 'CC100')).toBe('CC100');
    setMapping(db, 'cost-center', 'CC100', ' 100-SALES ');
    expect(resolveCostCenter(db, 'CC100')).toBe('100-SALES');
    setRequiredMappings(db, ['cost-center']);
    expect((resolveCostCenter(db, 'CC200') as MappingError).message).toBe('Cost center CC200 has no JAGGAER mapping; add it in Mappings → Cost centers.');
    expect((resolveCostCenter(db, '') as MappingError).field).toBe('costCenter');
  });

  it('sites: ship-to and business unit', () => {
    expect(resolveSite(db, 'EAST')).toEqual({ shipTo: 'EAST' });
    setMapping(db, 'site', 'EAST', { shipTo: 'DC-EAST', businessUnit: 'BU-US' });
    expect(resolveSite(db, 'EAST')).toEqual({ shipTo: 'DC-EAST', businessUnit: 'BU-US' });
    expect(errorOf(() => setMapping(db, 'site', 'WEST', { businessUnit: 'BU' })).message).toBe('The site mapping for "WEST" is not valid: shipTo is missing or not text.');
    setRequiredMappings(db, ['site']);
    expect((resolveSite(db, 'WEST') as MappingError).field).toBe('site');
  });

  it('payment terms map both ways, one JAGGAER text per code', () => {
    setMapping(db, 'payment-terms', 'N30', 'Net 30');
    setMapping(db, 'payment-terms', '2N10', '2% 10, Net 30');
    expect(resolveTerms(db, 'N30')).toBe('Net 30');
    expect(termsFromJaggaer(db, ' net 30 ')).toBe('N30');
    expect(termsFromJaggaer(db, '2% 10, Net 30')).toBe('2N10');
    // Unmapped: a code travelled as itself and comes back as itself; a text was never a code.
    expect(resolveTerms(db, 'N45')).toBe('N45');
    expect(termsFromJaggaer(db, 'N45')).toBe('N45');
    const text = termsFromJaggaer(db, 'Net 90') as MappingError;
    expect(text).toBeInstanceOf(MappingError);
    expect(text.field).toBe('paymentTerms');
    expect(text.message).toBe('JAGGAER payment terms "Net 90" are not mapped to a CloudSuite terms code; add them in Mappings → Payment terms.');

    expect(errorOf(() => setMapping(db, 'payment-terms', 'N30X', 'NET 30')).message).toBe(
      'JAGGAER payment terms "NET 30" are already mapped from N30; each JAGGAER text can map back to one CloudSuite terms code only.',
    );
    // Re-pointing the code that owns the text is fine.
    setMapping(db, 'payment-terms', 'N30', 'Net 30 days');
    expect(termsFromJaggaer(db, 'Net 30 days')).toBe('N30');
    setRequiredMappings(db, ['payment-terms']);
    expect(resolveTerms(db, 'N45')).toBeInstanceOf(MappingError);
    expect(termsFromJaggaer(db, 'N45')).toBeInstanceOf(MappingError);
  });

  it('a batch is one change: stored together and undone together', () => {
    setMapping(db, 'cost-center', 'CC100', 'OLD');
    const stored = setMappings(db, 'cost-center', [
      { key: 'CC100', value: 'NEW' },
      { key: 'CC200', value: 'OPS', note: 'n' },
    ]);
    expect(stored.map((m) => m.key)).toEqual(['CC100', 'CC200']);
    expect(lastMappingChange(db, 'cost-center')).toMatchObject({ action: 'import', count: 2 });
    expect(() => setMappings(db, 'cost-center', [{ key: 'CC300', value: 'X' }, { key: 'CC400', value: '' }])).toThrow(FerryError);
    expect(getMapping(db, 'cost-center', 'CC300')).toBeNull();
    expect(undoLastMappingChange(db, 'cost-center')).toMatchObject({ action: 'import', count: 2 });
    expect(listMappings(db, 'cost-center').map((m) => [m.key, m.value])).toEqual([['CC100', 'OLD']]);
  });
});
