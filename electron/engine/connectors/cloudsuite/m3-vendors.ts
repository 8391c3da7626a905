import { z } from 'zod';
import type { NewVendor, Vendor, VendorChanges } from '../../../../shared/domain';
import { ConnectorError } from '../../http/errors';
import { readRecords } from './edge';
import { notSupported } from './finance-checks';
import { M3Error, type M3Client, type M3Input } from './m3-client';
import { key, stamp, text } from './m3-fields';

// Suppliers in CloudSuite M3 (CRS620MI): LstByNumber a page at a time, GetBasicData, AddSupplier and
// UpdSupplier. M3 keys suppliers by number (SUNO), so a create whose answer was lost is settled by asking
// for that number.

const supplier = z.looseObject({
  SUNO: key, SUNM: text, CUCD: text, TEPY: text, STAT: text, PHNO: text, EMAL: text, YREF: text, ADR1: text, ADR2: text, TOWN: text, ECAR: text,
  PONO: text, CSCD: text, LMTS: stamp.optional(),
});
type Supplier = z.output<typeof supplier>;

const PAGE = 500;

export class M3Vendors {
  constructor(private readonly m3: M3Client) {}

  async list(): Promise<Vendor[]> {
    const out: Vendor[] = [];
    let from: string | null = null;
    for (;;) {
      const records = await this.m3.read('CRS620MI', 'LstByNumber', { SUNO: from }, { maxrecs: PAGE, what: 'listing suppliers' });
      // LstByNumber starts at SUNO itself, so the previous page's last supplier comes again first.
      const page = readRecords(supplier, records, 'CRS620MI/LstByNumber').filter((s) => from === null || s.SUNO > from);
      out.push(...page.map(toVendor));
      if (records.length < PAGE || page.length === 0) return out;
      from = page.at(-1)!.SUNO;
    }
  }

  async get(number: string): Promise<Vendor | null> {
    try {
      const [record] = await this.m3.read('CRS620MI', 'GetBasicData', { SUNO: number }, { what: `reading supplier ${number}` });
      return record ? toVendor(readRecords(supplier, [record], 'CRS620MI/GetBasicData')[0]!) : null;
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  async create(v: NewVendor): Promise<Vendor> {
    const existing = await this.get(v.number);
    if (existing) {
      if (existing.name === v.name) return existing;
      throw new ConnectorError('vendor_exists', `CloudSuite M3 already has supplier ${v.number} (${existing.name}); Ferry did not create "${v.name}" under that number.`, {
        system: 'CloudSuite',
        retryable: false,
        detail: { number: v.number },
      });
    }
    const input: M3Input = {
      SUNO: v.number, SUNM: v.name, CUCD: v.currency, TEPY: v.paymentTerms, STAT: v.active === false ? '90' : '20', ...details(v),
    };
    let seen: Vendor | null = null;
    try {
      await this.m3.write('CRS620MI', 'AddSupplier', input, {
        what: `adding supplier ${v.number}`,
        verifyNotApplied: async () => (seen = await this.get(v.number)) === null,
      });
    } catch (err) {
      if (!(err instanceof ConnectorError && err.code === 'write_uncertain' && (seen ?? (await this.get(v.number))))) throw err;
    }
    return this.mustGet(v.number);
  }

  /** UpdSupplier only sets values, so a repeat changes nothing: it may be re-sent after a lost answer. */
  async update(number: string, changes: VendorChanges): Promise<Vendor> {
    const input: M3Input = {
      SUNM: changes.name, CUCD: changes.currency, TEPY: changes.paymentTerms, STAT: changes.active === undefined ? undefined : changes.active ? '20' : '90', ...details(changes),
    };
    // UpdSupplier reads a blank as "leave it": clearing a value cannot be done through it.
    const cleared = Object.entries(input).find(([, val]) => val === null || val === '');
    if (cleared) throw notSupported(`CloudSuite M3 cannot clear ${cleared[0]} of supplier ${number} through CRS620MI/UpdSupplier; clear it in CRS620.`);
    if (Object.values(input).some((val) => val !== undefined)) {
      await this.m3.write('CRS620MI', 'UpdSupplier', { SUNO: number, ...input }, { what: `changing supplier ${number}`, idempotent: true });
    }
    return this.mustGet(number);
  }

  private async mustGet(number: string): Promise<Vendor> {
    const v = await this.get(number);
    if (!v) throw new ConnectorError('not_found', `CloudSuite M3 has no supplier ${number}.`, { system: 'CloudSuite', retryable: false });
    return v;
  }
}

function details(v: Pick<VendorChanges, 'address' | 'contact'>): M3Input {
  const a = v.address ?? {};
  const c = v.contact ?? {};
  return { ADR1: a.line1, ADR2: a.line2, TOWN: a.city, ECAR: a.state, PONO: a.postalCode, CSCD: a.country, YREF: c.name, PHNO: c.phone, EMAL: c.email };
}

/** GetBasicData for a number M3 does not have: a refusal naming SUNO. */
const isMissing = (err: unknown): boolean => err instanceof M3Error && err.field === 'SUNO';

function toVendor(s: Supplier): Vendor {
  return {
    number: s.SUNO,
    name: s.SUNM ?? '',
    currency: s.CUCD,
    paymentTerms: s.TEPY,
    status: s.STAT,
    // 20 = definite (active); 90 = blocked.
    active: s.STAT === '20',
    address: { line1: s.ADR1, line2: s.ADR2, city: s.TOWN, state: s.ECAR, postalCode: s.PONO, country: s.CSCD },
    contact: { name: s.YREF, phone: s.PHNO, email: s.EMAL },
    modifiedAt: s.LMTS ?? null,
  };
}
