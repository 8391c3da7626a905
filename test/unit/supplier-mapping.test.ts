import { describe, expect, it } from 'vitest';
import type { JaggaerCompany } from '../../electron/engine/connectors/jaggaer/companies';
import type { Db } from '../../electron/engine/store/db';
import {
  applyCompanyInput,
  assignedVendorNumber,
  companyInput,
  DEFAULT_FIELD_POLICY,
  mergeSupplier,
  vendorChanges,
  viewOfCompany,
  viewOfVendor,
  type SupplierView,
} from '../../electron/engine/mapping/supplier';

// The common view and the three-way comparison, without any system: what a two-way sync decides per field.

const view = (over: Partial<SupplierView> = {}): SupplierView => ({
  name: 'Northwind Office Supply', contactName: 'Ana Meyer', email: 'ap@northwind.example', phone: '+1 555 1000', address1: '100 Main St',
  address2: null, city: 'Chicago', state: 'IL', zip: '60601', country: 'US', paymentTerms: 'N30', ...over,
});
// Only payment terms need the mapping tables; these tests leave them out.
const noDb = undefined as unknown as Db;

const company = (over: Partial<JaggaerCompany> = {}): JaggaerCompany => ({
  bravoId: '21001', companyName: 'Northwind Office Supply', extCode: 'V001000', extUniqueCode: null, type: 'SELLER', bizEmail: 'ap@northwind.example',
  bizPhone: '+1 555 1000', webSite: null, address: '100 Main St', zip: '60601', city: 'Chicago', province: 'IL', isoCountry: 'US', paymentTerms: null,
  userName: 'Ana', userSurName: 'Meyer', userEmail: null, userPhone: null, lastModTime: null, ...over,
});

describe('mergeSupplier', () => {
  const snap = { cloudsuite: view(), jaggaer: view() };

  it('carries a field changed on one side only to the other', () => {
    const m = mergeSupplier(view({ name: 'Northwind Ltd' }), view({ phone: '+1 555 2000' }), snap, DEFAULT_FIELD_POLICY);
    expect(m).toEqual({ toCloudSuite: { phone: '+1 555 2000' }, toJaggaer: { name: 'Northwind Ltd' }, conflicts: [] });
  });

  it('settles a field changed on both sides by the policy and reports it', () => {
    const m = mergeSupplier(view({ phone: '+1 555 1111', name: 'A' }), view({ phone: '+1 555 2222', name: 'B' }), snap, DEFAULT_FIELD_POLICY);
    expect(m.toCloudSuite).toEqual({ phone: '+1 555 2222' });
    expect(m.toJaggaer).toEqual({ name: 'A' });
    expect(m.conflicts.map((c) => [c.field, c.winner])).toEqual([['name', 'cloudsuite'], ['phone', 'jaggaer']]);
    expect(m.conflicts[0]!.was).toEqual({ cloudsuite: 'Northwind Office Supply', jaggaer: 'Northwind Office Supply' });
  });

  it('is quiet when both made the same change, or neither changed since they were in step', () => {
    expect(mergeSupplier(view({ city: 'Aurora' }), view({ city: 'Aurora' }), snap, DEFAULT_FIELD_POLICY).conflicts).toEqual([]);
    const asWritten = { cloudsuite: view({ name: 'NORTHWIND' }), jaggaer: view() };
    expect(mergeSupplier(view({ name: 'NORTHWIND' }), view(), asWritten, DEFAULT_FIELD_POLICY)).toEqual({ toCloudSuite: {}, toJaggaer: {}, conflicts: [] });
  });

  it('treats every difference at the first sync (no snapshot) as a conflict settled by the policy', () => {
    const m = mergeSupplier(view({ state: null }), view({ state: 'WI', email: 'x@y.example' }), null, DEFAULT_FIELD_POLICY);
    expect(m.toJaggaer).toEqual({ state: null });
    expect(m.toCloudSuite).toEqual({ email: 'x@y.example' });
    expect(m.conflicts.every((c) => c.was === null)).toBe(true);
  });
});

describe('the two sides in the common view', () => {
  it('joins address lines for JAGGAER and splits them back; splits the contact into first names and surname', () => {
    const v = view({ address2: 'Suite 4', contactName: 'Ana Maria Meyer' });
    const input = { companyName: v.name!, ...companyInput(noDb, v, ['address1', 'contactName']) };
    expect(input).toMatchObject({ address: '100 Main St\nSuite 4', userName: 'Ana Maria', userSurName: 'Meyer' });
    const saved = applyCompanyInput(company(), input);
    expect(viewOfCompany(noDb, saved)).toEqual({ ...v, paymentTerms: null });
  });

  it('compares text as people read it: spaces collapsed, blanks empty, the country in capitals', () => {
    const vendor = {
      number: 'V1', name: ' Northwind  Office Supply ', currency: 'USD', paymentTerms: 'N30', status: 'A', active: true, modifiedAt: null,
      address: { line1: '100 Main St', line2: '', city: 'Chicago', state: 'IL', postalCode: '60601', country: 'us' },
      contact: { name: 'Ana Meyer', phone: '+1 555 1000', email: 'ap@northwind.example' },
    };
    expect(viewOfVendor(vendor)).toEqual(view());
  });

  it('refuses to clear a vendor name or payment terms, and sends only the fields asked for', () => {
    expect(() => vendorChanges('V1', view({ paymentTerms: null }), ['paymentTerms'])).toThrow(/payment terms of vendor V1 was cleared/);
    expect(vendorChanges('V1', view({ phone: null }), ['phone', 'city'])).toEqual({ contact: { phone: null }, address: { city: 'Chicago' } });
  });

  it('numbers a JAGGAER-only supplier from its id, or not at all when it cannot fit', () => {
    expect(assignedVendorNumber({ numberPrefix: 'J', numberLength: 7 }, '21045')).toBe('J021045');
    expect(assignedVendorNumber({ numberPrefix: 'J', numberLength: 7 }, '1234567')).toBeNull();
    expect(assignedVendorNumber({ numberPrefix: 'JG', numberLength: 10 }, '1234567')).toBe('JG01234567');
  });
});
