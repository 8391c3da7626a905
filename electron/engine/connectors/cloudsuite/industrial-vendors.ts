import { z } from 'zod';
import type { NewVendor, Vendor, VendorAddress, VendorChanges, VendorContact } from '../../../../shared/domain';
import { ConnectorError } from '../../http/errors';
import { readRecords } from './edge';
import { date, key, text } from './ido-fields';
import { idoString, type IdoClient, type IdoItem, type IdoValue } from './ido-client';
import { insertOnce, updateOnce } from './ido-writes';

// Vendors in CloudSuite Industrial: SLVendors (terms, currency, status, contact) and SLVendaddrs (the name and
// the address live on the vendor address row). A vendor is both rows; each is written with its own request.

const VENDOR_PROPERTIES = ['VendNum', 'Name', 'CurrCode', 'TermsCode', 'Stat', 'Contact', 'Phone', 'ExternalEmailAddr', 'RecordDate'] as const;
const ADDRESS_PROPERTIES = ['VendNum', 'Name', 'Addr_1', 'Addr_2', 'City', 'State', 'Zip', 'Country', 'Contact', 'Phone', 'ExternalEmailAddr', 'RecordDate'] as const;

const vendorRow = z.looseObject({
  VendNum: key, Name: text, CurrCode: text, TermsCode: text, Stat: text, Contact: text, Phone: text, ExternalEmailAddr: text, RecordDate: date,
});
const addressRow = z.looseObject({
  VendNum: key, Name: text, Addr_1: text, Addr_2: text, City: text, State: text, Zip: text, Country: text, Contact: text, Phone: text,
  ExternalEmailAddr: text, RecordDate: date,
});

export class IndustrialVendors {
  constructor(private readonly ido: IdoClient) {}

  async list(): Promise<Vendor[]> {
    const vendors = readRecords(vendorRow, await this.ido.loadAll('SLVendors', { properties: VENDOR_PROPERTIES, orderBy: 'VendNum', recordCap: 0, readOnly: true }), 'SLVendors');
    const addresses = readRecords(addressRow, await this.ido.loadAll('SLVendaddrs', { properties: ADDRESS_PROPERTIES, recordCap: 0, readOnly: true }), 'SLVendaddrs');
    const byNumber = new Map(addresses.map((a) => [a.VendNum, a]));
    return vendors.map((v) => toVendor(v, byNumber.get(v.VendNum)));
  }

  /** Creates both rows, or the one an interrupted call did not get to; a different vendor under the number is refused. */
  async create(v: NewVendor): Promise<Vendor> {
    let { vendor, address } = await this.rows(v.number);
    if (vendor && (vendor.Name ?? address?.Name) && (vendor.Name ?? address?.Name) !== v.name) {
      throw new ConnectorError('vendor_exists', `CloudSuite already has vendor ${v.number} (${vendor.Name ?? address?.Name}); Ferry did not create "${v.name}" under that number.`, {
        system: 'CloudSuite',
        retryable: false,
        detail: { number: v.number },
      });
    }
    const contact = { Contact: v.contact?.name ?? null, Phone: v.contact?.phone ?? null, ExternalEmailAddr: v.contact?.email ?? null };
    if (!vendor) {
      const props = { VendNum: v.number, Name: v.name, CurrCode: v.currency, TermsCode: v.paymentTerms, Stat: v.active === false ? 'I' : 'A', ...contact };
      vendor = parse(vendorRow, await insertOnce(this.ido, 'SLVendors', props, () => this.row('SLVendors', VENDOR_PROPERTIES, v.number), `adding vendor ${v.number}`), 'SLVendors');
    }
    if (!address) {
      const a = v.address ?? {};
      const props = { VendNum: v.number, Name: v.name, Addr_1: a.line1 ?? null, Addr_2: a.line2 ?? null, City: a.city ?? null, State: a.state ?? null, Zip: a.postalCode ?? null, Country: a.country ?? null, ...contact };
      address = parse(addressRow, await insertOnce(this.ido, 'SLVendaddrs', props, () => this.row('SLVendaddrs', ADDRESS_PROPERTIES, v.number), `adding the address of vendor ${v.number}`), 'SLVendaddrs');
    }
    return toVendor(vendor, address);
  }

  async update(number: string, changes: VendorChanges): Promise<Vendor> {
    const vendor = await this.row('SLVendors', VENDOR_PROPERTIES, number);
    if (!vendor) throw new ConnectorError('not_found', `CloudSuite has no vendor ${number}.`, { system: 'CloudSuite', retryable: false });
    const address = await this.row('SLVendaddrs', ADDRESS_PROPERTIES, number);
    const c = changes.contact ?? {};
    const a = changes.address ?? {};
    const contact: Record<string, IdoValue | undefined> = { Contact: c.name, Phone: c.phone, ExternalEmailAddr: c.email };
    // The name is shown from the address row; SLVendors keeps a copy, written too so both agree.
    const vendorProps = defined({ Name: changes.name, CurrCode: changes.currency, TermsCode: changes.paymentTerms, Stat: changes.active === undefined ? undefined : changes.active ? 'A' : 'I', ...contact });
    const addressProps = defined({ Name: changes.name, Addr_1: a.line1, Addr_2: a.line2, City: a.city, State: a.state, Zip: a.postalCode, Country: a.country, ...contact });
    let savedVendor = vendor;
    if (Object.keys(vendorProps).length > 0) {
      savedVendor = await updateOnce(this.ido, 'SLVendors', vendor, vendorProps, () => this.row('SLVendors', VENDOR_PROPERTIES, number), `changing vendor ${number}`);
    }
    let savedAddress = address;
    if (Object.keys(addressProps).length > 0) {
      savedAddress = address
        ? await updateOnce(this.ido, 'SLVendaddrs', address, addressProps, () => this.row('SLVendaddrs', ADDRESS_PROPERTIES, number), `changing the address of vendor ${number}`)
        : await insertOnce(this.ido, 'SLVendaddrs', { VendNum: number, Name: String(vendor.Name ?? ''), ...addressProps }, () => this.row('SLVendaddrs', ADDRESS_PROPERTIES, number), `adding the address of vendor ${number}`);
    }
    return toVendor(parse(vendorRow, savedVendor, 'SLVendors'), savedAddress ? parse(addressRow, savedAddress, 'SLVendaddrs') : undefined);
  }

  private async rows(number: string) {
    // One request at a time: Mongoose serves a session's requests one after another anyway (field advice).
    const vendor = await this.row('SLVendors', VENDOR_PROPERTIES, number);
    const address = await this.row('SLVendaddrs', ADDRESS_PROPERTIES, number);
    return { vendor: vendor ? parse(vendorRow, vendor, 'SLVendors') : null, address: address ? parse(addressRow, address, 'SLVendaddrs') : null };
  }

  /** One row by vendor number, with `_ItemId` (needed to change it). */
  private async row(ido: string, properties: readonly string[], number: string): Promise<IdoItem | null> {
    return (await this.ido.loadPage(ido, { properties, filter: `VendNum = ${idoString(number)}` })).items[0] ?? null;
  }
}

const parse = <S extends z.ZodType>(schema: S, row: IdoItem, ido: string): z.output<S> => readRecords(schema, [row], ido)[0]!;

const defined = (o: Record<string, IdoValue | undefined>): Record<string, IdoValue> =>
  Object.fromEntries(Object.entries(o).filter((e): e is [string, IdoValue] => e[1] !== undefined));

function toVendor(v: z.output<typeof vendorRow>, a: z.output<typeof addressRow> | undefined): Vendor {
  const address: VendorAddress = {
    line1: a?.Addr_1 ?? null, line2: a?.Addr_2 ?? null, city: a?.City ?? null, state: a?.State ?? null, postalCode: a?.Zip ?? null, country: a?.Country ?? null,
  };
  const contact: VendorContact = { name: v.Contact ?? a?.Contact ?? null, phone: v.Phone ?? a?.Phone ?? null, email: v.ExternalEmailAddr ?? a?.ExternalEmailAddr ?? null };
  const times = [v.RecordDate, a?.RecordDate].filter((t): t is string => Boolean(t)).sort();
  return {
    number: v.VendNum,
    name: a?.Name ?? v.Name ?? '',
    currency: v.CurrCode,
    paymentTerms: v.TermsCode,
    status: v.Stat,
    active: v.Stat === 'A',
    address,
    contact,
    modifiedAt: times.at(-1) ?? null,
  };
}
