import { z } from 'zod';
import type { NewVendor, Vendor, VendorAddress, VendorChanges, VendorContact } from '../../../../shared/domain';
import type { IdoName, IdoProperty } from '../../contracts/cloudsuite';
import { ConnectorError } from '../../http/errors';
import { readRecords } from './edge';
import { date, key, text } from './ido-fields';
import { idoString, type IdoClient, type IdoItem, type IdoProperties, type IdoValue } from './ido-client';
import { insertOnce, updateOnce } from './ido-writes';

// Vendors in CloudSuite Industrial: SLVendors holds the name, terms, currency, status and contact, and shows
// the vendor's address row as Vad… properties (read-only there); the address is written on its own row,
// SLVendaddrs. A vendor is both rows; each is written with its own request. (Property sources:
// contracts/cloudsuite-industrial.json; SLVendaddrs' names are inferred there and checked by the connection test.)

const VENDOR = ['VendNum', 'Name', 'CurrCode', 'TermsCode', 'Stat', 'Contact', 'Phone', 'ExternalEmailAddr', 'VadAddr_1', 'VadAddr_2', 'VadCity', 'VadState', 'VadZip', 'VadCountry', 'RecordDate'] as const;
const ADDRESS = ['VendNum', 'Name', 'Addr_1', 'Addr_2', 'City', 'State', 'Zip', 'Country', 'RecordDate'] as const;

const vendorRow = z.looseObject({
  VendNum: key, Name: text, CurrCode: text, TermsCode: text, Stat: text, Contact: text, Phone: text, ExternalEmailAddr: text,
  VadAddr_1: text, VadAddr_2: text, VadCity: text, VadState: text, VadZip: text, VadCountry: text, RecordDate: date,
});
const addressRow = z.looseObject({ VendNum: key, RecordDate: date });
type VendorRow = z.output<typeof vendorRow>;

export class IndustrialVendors {
  constructor(private readonly ido: IdoClient) {}

  async list(): Promise<Vendor[]> {
    return readRecords(vendorRow, await this.ido.loadAll('SLVendors', { properties: VENDOR, orderBy: 'VendNum', recordCap: 0 }), 'SLVendors').map(toVendor);
  }

  /** Creates both rows, or the one an interrupted call did not get to; a different vendor under the number is refused. */
  async create(v: NewVendor): Promise<Vendor> {
    let vendor = await this.vendor(v.number);
    if (vendor?.Name && vendor.Name !== v.name) {
      throw new ConnectorError('vendor_exists', `CloudSuite already has vendor ${v.number} (${vendor.Name}); Ferry did not create "${v.name}" under that number.`, {
        system: 'CloudSuite',
        retryable: false,
        detail: { number: v.number },
      });
    }
    if (!vendor) {
      const props: IdoProperties<'SLVendors'> = {
        VendNum: v.number, Name: v.name, CurrCode: v.currency, TermsCode: v.paymentTerms, Stat: v.active === false ? 'I' : 'A',
        Contact: v.contact?.name ?? null, Phone: v.contact?.phone ?? null, ExternalEmailAddr: v.contact?.email ?? null,
      };
      await insertOnce(this.ido, 'SLVendors', props, () => this.row('SLVendors', VENDOR, v.number), `adding vendor ${v.number}`);
    }
    if (!(await this.row('SLVendaddrs', ADDRESS, v.number))) {
      const a = v.address ?? {};
      const props: IdoProperties<'SLVendaddrs'> = {
        VendNum: v.number, Name: v.name, Addr_1: a.line1 ?? null, Addr_2: a.line2 ?? null, City: a.city ?? null, State: a.state ?? null, Zip: a.postalCode ?? null, Country: a.country ?? null,
      };
      await insertOnce(this.ido, 'SLVendaddrs', props, () => this.row('SLVendaddrs', ADDRESS, v.number), `adding the address of vendor ${v.number}`);
    }
    vendor = await this.vendor(v.number);
    if (!vendor) throw new ConnectorError('bad_response', `CloudSuite reported vendor ${v.number} as saved but Ferry cannot read it back.`, { system: 'CloudSuite', retryable: true });
    return toVendor(vendor);
  }

  async update(number: string, changes: VendorChanges): Promise<Vendor> {
    const vendor = await this.row('SLVendors', VENDOR, number);
    if (!vendor) throw new ConnectorError('not_found', `CloudSuite has no vendor ${number}.`, { system: 'CloudSuite', retryable: false });
    const c = changes.contact ?? {};
    const a = changes.address ?? {};
    // The name is shown from both rows in CloudSuite's forms; both are written so they agree.
    const vendorProps = defined<'SLVendors'>({
      Name: changes.name, CurrCode: changes.currency, TermsCode: changes.paymentTerms, Stat: changes.active === undefined ? undefined : changes.active ? 'A' : 'I',
      Contact: c.name, Phone: c.phone, ExternalEmailAddr: c.email,
    });
    const addressProps = defined<'SLVendaddrs'>({ Name: changes.name, Addr_1: a.line1, Addr_2: a.line2, City: a.city, State: a.state, Zip: a.postalCode, Country: a.country });
    if (Object.keys(vendorProps).length > 0) {
      await updateOnce(this.ido, 'SLVendors', vendor, vendorProps, () => this.row('SLVendors', VENDOR, number), `changing vendor ${number}`);
    }
    if (Object.keys(addressProps).length > 0) {
      const address = await this.row('SLVendaddrs', ADDRESS, number);
      if (address) await updateOnce(this.ido, 'SLVendaddrs', address, addressProps, () => this.row('SLVendaddrs', ADDRESS, number), `changing the address of vendor ${number}`);
      else {
        const props: IdoProperties<'SLVendaddrs'> = { VendNum: number, Name: String(vendor.Name ?? ''), ...addressProps };
        await insertOnce(this.ido, 'SLVendaddrs', props, () => this.row('SLVendaddrs', ADDRESS, number), `adding the address of vendor ${number}`);
      }
    }
    const saved = await this.vendor(number);
    if (!saved) throw new ConnectorError('not_found', `CloudSuite has no vendor ${number} any more.`, { system: 'CloudSuite', retryable: false });
    return toVendor(saved);
  }

  private async vendor(number: string): Promise<VendorRow | null> {
    const row = await this.row('SLVendors', VENDOR, number);
    return row ? readRecords(vendorRow, [row], 'SLVendors')[0]! : null;
  }

  /** One row by vendor number, with `_ItemId` (needed to change it). */
  private async row<I extends 'SLVendors' | 'SLVendaddrs'>(ido: I, properties: readonly IdoProperty<I>[], number: string): Promise<IdoItem | null> {
    const item = (await this.ido.loadPage(ido as IdoName, { properties: properties as readonly IdoProperty<IdoName>[], filter: `VendNum = ${idoString(number)}` })).items[0] ?? null;
    if (item && ido === 'SLVendaddrs') readRecords(addressRow, [item], 'SLVendaddrs');
    return item;
  }
}

const defined = <I extends IdoName>(o: Partial<Record<IdoProperty<I>, IdoValue | undefined>>): IdoProperties<I> =>
  Object.fromEntries(Object.entries(o).filter((e) => e[1] !== undefined)) as IdoProperties<I>;

function toVendor(v: VendorRow): Vendor {
  const address: VendorAddress = { line1: v.VadAddr_1, line2: v.VadAddr_2, city: v.VadCity, state: v.VadState, postalCode: v.VadZip, country: v.VadCountry };
  const contact: VendorContact = { name: v.Contact, phone: v.Phone, email: v.ExternalEmailAddr };
  return {
    number: v.VendNum,
    name: v.Name ?? '',
    currency: v.CurrCode,
    paymentTerms: v.TermsCode,
    status: v.Stat,
    active: v.Stat === 'A',
    address,
    contact,
    modifiedAt: v.RecordDate,
  };
}
