import type { NewVendor, Vendor, VendorAddress, VendorChanges } from '../../../../shared/domain';
import { ConnectorError } from '../../http/errors';
import { notSupported } from './finance-checks';
import { M3Error, type M3Client, type M3Input } from './m3-client';
import { key, outputs, text } from './m3-fields';
import type { SupplierAddress } from './m3-settings';

// Suppliers in CloudSuite M3 (CRS620MI). LstByNumber lists numbers a page at a time; GetBasicData gives a
// supplier's name, status, currency, terms, phone and country; the address is one of the supplier's addresses
// (LstAddresses), the one whose type and number the M3 administrator chose (supplierAddress). M3 publishes no
// field for a contact name or e-mail (contracts/cloudsuite-m3.json), so Ferry neither reads nor writes them
// there, and without the address setting it leaves addresses alone (m3.ts says so to the flows).
// A new supplier is a copy of the template supplier the administrator chose (CopyTemplate: M3 needs some
// twenty fields a supplier from JAGGAER does not have), then given its own values (UpdSupplier) and address
// (AddAddress, or UpdAddress when the template's came along). M3 keys suppliers by number, so an interrupted
// create is found by that number and completed: a supplier still under the template's name is one Ferry made.

const listed = outputs('CRS620MI', 'LstByNumber', { SUNO: key });
const basic = outputs('CRS620MI', 'GetBasicData', { SUNO: key, SUNM: text, CUCD: text, TEPY: text, STAT: text, PHNO: text, CSCD: text });
const addresses = outputs('CRS620MI', 'LstAddresses', {
  ADTE: text, ADID: text, STDT: text, PRIA: text, ADR1: text, ADR2: text, TOWN: text, ECAR: text, PONO: text, CSCD: text,
});
type Address = ReturnType<typeof addresses.read>[number];

/**
 * LstByNumber's SUNO is mandatory and lists from that number on: "!" is the lowest character a supplier
 * number can start with, so the list starts at the first supplier.
 */
const FIRST_SUPPLIER = '!';
/** Suppliers whose details are read at once: the request budget paces them anyway, this overlaps the waits. */
const PARALLEL = 4;

export interface M3VendorSettings {
  template: string | undefined;
  address: SupplierAddress | undefined;
}

const notSetUp = (message: string) => new ConnectorError('not_set_up', message, { system: 'CloudSuite', retryable: false });

export class M3Vendors {
  constructor(
    private readonly m3: M3Client,
    private readonly s: M3VendorSettings,
  ) {}

  async list(): Promise<Vendor[]> {
    const numbers = listed.read(await this.m3.listAll('CRS620MI', 'LstByNumber', {}, 'SUNO', { what: 'listing suppliers', start: FIRST_SUPPLIER })).map((r) => r.SUNO);
    const out: Vendor[] = [];
    for (let i = 0; i < numbers.length; i += PARALLEL) {
      const part = await Promise.all(numbers.slice(i, i + PARALLEL).map((n) => this.get(n)));
      out.push(...part.filter((v): v is Vendor => v !== null));
    }
    return out;
  }

  async get(number: string): Promise<Vendor | null> {
    let record;
    try {
      [record] = basic.read(await this.m3.read('CRS620MI', 'GetBasicData', { SUNO: number }, { what: `reading supplier ${number}` }));
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
    if (!record) return null;
    const address = await this.address(number);
    return {
      number: record.SUNO,
      name: record.SUNM ?? '',
      currency: record.CUCD,
      paymentTerms: record.TEPY,
      status: record.STAT,
      // 20 = definite (active); 90 = blocked.
      active: record.STAT === '20',
      address: {
        line1: address?.ADR1 ?? null, line2: address?.ADR2 ?? null, city: address?.TOWN ?? null, state: address?.ECAR ?? null, postalCode: address?.PONO ?? null,
        country: record.CSCD,
      },
      contact: { name: null, phone: record.PHNO, email: null },
      // GetBasicData has no change stamp: supplier-sync compares every supplier with its snapshot.
      modifiedAt: null,
    };
  }

  async create(v: NewVendor): Promise<Vendor> {
    const template = this.s.template;
    if (!template) {
      throw notSetUp(
        `CloudSuite M3 creates a supplier by copying a template supplier, and none is chosen, so Ferry did not create supplier ${v.number} (${v.name}). Choose one with "ferry connect cloudsuite --m3-supplier-template SUPPLIER".`,
      );
    }
    const existing = await this.get(v.number);
    // Made by an earlier call and complete (its address too, where Ferry writes one): nothing to do.
    if (existing && existing.name === v.name && (!this.s.address || !hasAddressLines(v.address) || existing.address.line1 !== null)) return existing;
    if (existing && existing.name !== v.name && existing.name !== (await this.mustGet(template, 'template supplier')).name) {
      throw new ConnectorError('vendor_exists', `CloudSuite M3 already has supplier ${v.number} (${existing.name}); Ferry did not create "${v.name}" under that number.`, {
        system: 'CloudSuite',
        retryable: false,
        detail: { number: v.number },
      });
    }
    if (!existing) {
      let seen: Vendor | null = null;
      try {
        await this.m3.write('CRS620MI', 'CopyTemplate', { STEM: template, SUNO: v.number }, {
          what: `adding supplier ${v.number} as a copy of template ${template}`,
          verifyNotApplied: async () => (seen = await this.get(v.number)) === null,
        });
      } catch (err) {
        if (!(err instanceof ConnectorError && err.code === 'write_uncertain' && (seen ?? (await this.get(v.number))))) throw err;
      }
    }
    // The template's values give way to the supplier's own; both writes only set values, so a repeat is harmless.
    await this.m3.write('CRS620MI', 'UpdSupplier', { SUNO: v.number, SUNM: v.name, CUCD: v.currency, TEPY: v.paymentTerms, PHNO: v.contact?.phone, CSCD: v.address?.country, STAT: v.active === false ? '90' : '20' }, {
      what: `giving supplier ${v.number} its name, currency and terms`,
      idempotent: true,
    });
    await this.writeAddress(v.number, v.address ?? {}, v.name, template);
    return this.mustGet(v.number);
  }

  /** UpdSupplier only sets values, so a repeat changes nothing: it may be re-sent after a lost answer. */
  async update(number: string, changes: VendorChanges): Promise<Vendor> {
    if (changes.contact?.name !== undefined || changes.contact?.email !== undefined) {
      throw notSupported(`CloudSuite M3 has no field Ferry can reach for the contact name or e-mail of supplier ${number} (CRS620MI has none); change it in M3 by hand.`);
    }
    const input: M3Input<'CRS620MI', 'UpdSupplier'> = {
      SUNM: changes.name, CUCD: changes.currency, TEPY: changes.paymentTerms, STAT: changes.active === undefined ? undefined : changes.active ? '20' : '90',
      PHNO: changes.contact?.phone, CSCD: changes.address?.country,
    };
    // UpdSupplier and UpdAddress read a blank as "leave it": clearing a value cannot be done through them.
    const cleared = [...Object.entries(input), ...Object.entries(changes.address ?? {}).map(([k, val]) => [k, val] as const)].find(([, val]) => val === null || val === '');
    if (cleared) throw notSupported(`CloudSuite M3 cannot clear ${cleared[0]} of supplier ${number} through CRS620MI (a blank leaves the value as it is); clear it in CRS620.`);
    if (Object.values(input).some((val) => val !== undefined)) {
      await this.m3.write('CRS620MI', 'UpdSupplier', { SUNO: number, ...input }, { what: `changing supplier ${number}`, idempotent: true });
    }
    if (hasAddressLines(changes.address) && !this.s.address) {
      throw notSetUp(`Ferry does not know which address of supplier ${number} to change in CloudSuite M3: choose the address type and number with "ferry connect cloudsuite --m3-supplier-address TYPE/NUMBER".`);
    }
    await this.writeAddress(number, changes.address ?? {}, changes.name, null);
    return this.mustGet(number, 'supplier');
  }

  /** The chosen address of a supplier, or null (none chosen, or the supplier has none of that type and number). */
  private async address(number: string): Promise<Address | null> {
    const want = this.s.address;
    if (!want) return null;
    return this.addresses(number).then((list) => list.find((a) => Number(a.ADTE) === want.type && a.ADID === want.id) ?? null);
  }

  /** A supplier has few addresses and LstAddresses no key to restart from: all at once (maxrecs=0). */
  private async addresses(number: string): Promise<Address[]> {
    return addresses.read(await this.m3.read('CRS620MI', 'LstAddresses', { SUNO: number }, { maxrecs: 0, what: `reading the addresses of supplier ${number}` }));
  }

  /**
   * Writes the chosen address: UpdAddress when the supplier has it (with its start date, which identifies it),
   * AddAddress otherwise, with the printout code of the template's address of the same type and number. The
   * address carries the supplier's name too, so a new name reaches it. Nothing without the address setting:
   * the flows know M3 does not hold the address then.
   */
  private async writeAddress(number: string, a: Partial<VendorAddress>, name: string | undefined, template: string | null): Promise<void> {
    const want = this.s.address;
    if (!want || (!hasAddressLines(a) && name === undefined)) return;
    const fields = { SUNM: name, ADR1: a.line1, ADR2: a.line2, TOWN: a.city, ECAR: a.state, PONO: a.postalCode };
    const current = await this.address(number);
    if (!current && !hasAddressLines(a)) return;
    if (current) {
      await this.m3.write('CRS620MI', 'UpdAddress', { SUNO: number, ADTE: want.type, ADID: want.id, STDT: current.STDT, CSCD: a.country, ...fields }, {
        what: `changing the address of supplier ${number}`,
        idempotent: true,
      });
      return;
    }
    const model = template ? (await this.addresses(template)).find((x) => Number(x.ADTE) === want.type && x.ADID === want.id) : undefined;
    const country = a.country ?? (await this.mustGet(number, 'supplier')).address.country;
    if (!model?.PRIA || !country) {
      throw notSetUp(
        `Supplier ${number} has no address of type ${want.type} number ${want.id} in CloudSuite M3, and Ferry cannot add one: ${!country ? 'it has no country' : `the template supplier ${template ?? '(none chosen)'} has no such address to take its printout code from`}. Add the address in CRS620.`,
      );
    }
    await this.m3.write('CRS620MI', 'AddAddress', { SUNO: number, ADTE: want.type, ADID: want.id, CSCD: country, PRIA: model.PRIA, ...fields }, {
      what: `adding the address of supplier ${number}`,
      // A lost answer is settled by reading the addresses: a second AddAddress would be refused anyway.
      verifyNotApplied: async () => (await this.address(number)) === null,
    });
  }

  private async mustGet(number: string, what = 'supplier'): Promise<Vendor> {
    const v = await this.get(number);
    if (!v) throw new ConnectorError('not_found', `CloudSuite M3 has no ${what} ${number}.`, { system: 'CloudSuite', retryable: false });
    return v;
  }
}

function hasAddressLines(a: Partial<VendorAddress> | undefined): boolean {
  const { country: _country, ...lines } = a ?? {};
  return Object.values(lines).some((v) => v !== undefined && v !== null);
}

/** GetBasicData for a number M3 does not have: a refusal naming SUNO. */
const isMissing = (err: unknown): boolean => err instanceof M3Error && err.field === 'SUNO';
