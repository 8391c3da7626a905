import { z } from 'zod';
import type { Row } from '../../ido-filter';
import type { IdoTables } from '../../ido-tables';
import { idoDate } from '../../ido-schema';
import { alreadyExists, blocked, doesNotExist, opt, parse, req } from '../fields';
import { addressRecord, idoVendorStat, m3Date, SUPPLIER_ADDRESS, supplierRecord } from '../mapping';
import type { Program, TxContext } from '../types';

// CRS620MI, suppliers over SLVendors + SLVendaddrs: LstByNumber, GetBasicData, UpdSupplier, CopyTemplate (a new
// supplier as a copy of a template supplier, how M3 fills the many fields a supplier needs), and the supplier's
// address through LstAddresses, AddAddress and UpdAddress. The sandbox company keeps one address per supplier,
// type 1 number MAIN (mapping.ts); another type or number is refused. Inputs the shared world has no place
// for (UpdSupplier takes some ninety) are taken and not kept.

const CURRENCY = /^[A-Z]{3}$/;
const STATUS = /^(20|90)$/;

const bySupplier = z.object({ SUNO: req(10) });
const updSupplier = z.object({
  SUNO: req(10), SUNM: opt(36), CSCD: opt(3), CUCD: opt(3).refine((v) => v === undefined || CURRENCY.test(v)),
  // TEPY is 3 long in M3; 4 here because the shared world has '2N10'.
  TEPY: opt(4), STAT: opt(2).refine((v) => v === undefined || STATUS.test(v)), SUCL: opt(3), PHNO: opt(16),
});
const copyTemplate = z.object({ STEM: req(10), SUNO: req(10) });
const addressLines = { SUNM: opt(36), ADR1: opt(36), ADR2: opt(36), ADR3: opt(36), ADR4: opt(36), TOWN: opt(20), ECAR: opt(3), PONO: opt(10) };
const addAddress = z.object({ SUNO: req(10), ADTE: req(2), ADID: req(6), CSCD: req(3), PRIA: req(1), ...addressLines });
const updAddress = z.object({ SUNO: req(10), ADTE: req(2), ADID: req(6), STDT: req(8), CSCD: opt(3), ...addressLines });

const vendorOf = (ido: IdoTables, suno: string) => ido.find('SLVendors', (v) => v.VendNum === suno);
const addressOf = (ido: IdoTables, suno: string) => ido.find('SLVendaddrs', (a) => a.VendNum === suno);

function mustVendor(ido: IdoTables, suno: string): Row {
  const vendor = vendorOf(ido, suno);
  if (!vendor) throw doesNotExist('SUNO', suno);
  return vendor;
}

function checkAddressKey(f: { ADTE: string; ADID: string }): void {
  if (Number(f.ADTE) !== Number(SUPPLIER_ADDRESS.ADTE) || f.ADID !== SUPPLIER_ADDRESS.ADID) {
    throw blocked('ADTE', `Address type ${f.ADTE} number ${f.ADID} is not in use: this company keeps one address per supplier, type ${SUPPLIER_ADDRESS.ADTE} number ${SUPPLIER_ADDRESS.ADID}`);
  }
}

/** The SLVendaddrs properties an address input sets; absent fields leave a property as it is. */
function addressChanges(f: Partial<Record<string, string>>): Row {
  const out: Row = {};
  const set = (prop: string, v: string | undefined) => {
    if (v !== undefined) out[prop] = v;
  };
  set('Name', f.SUNM);
  set('Addr_1', f.ADR1);
  set('Addr_2', f.ADR2);
  set('City', f.TOWN);
  set('State', f.ECAR);
  set('Zip', f.PONO);
  set('Country', f.CSCD);
  return out;
}

function now(ctx: TxContext): string {
  return idoDate(ctx.clock.date('m3'));
}

export const CRS620MI: Program = {
  GetBasicData: (input, { ido }) => {
    const { SUNO } = parse(bySupplier, input);
    return [supplierRecord(mustVendor(ido, SUNO), addressOf(ido, SUNO))];
  },

  /** Suppliers by number, from SUNO on. */
  LstByNumber: (input, { ido }) => {
    const { SUNO } = parse(bySupplier, input);
    const addrs = new Map(ido.rows('SLVendaddrs').map((a) => [a.VendNum ?? '', a]));
    return ido
      .rows('SLVendors')
      .filter((v) => (v.VendNum ?? '') >= SUNO)
      .sort((a, b) => ((a.VendNum ?? '') < (b.VendNum ?? '') ? -1 : 1))
      .map((v) => supplierRecord(v, addrs.get(v.VendNum ?? '')));
  },

  UpdSupplier: (input, ctx) => {
    const f = parse(updSupplier, input);
    const vendor = mustVendor(ctx.ido, f.SUNO);
    const change: Row = {};
    if (f.SUNM !== undefined) change.Name = f.SUNM;
    if (f.CUCD !== undefined) change.CurrCode = f.CUCD;
    if (f.TEPY !== undefined) change.TermsCode = f.TEPY;
    if (f.STAT !== undefined) change.Stat = idoVendorStat(f.STAT);
    if (f.SUCL !== undefined) change.VendType = f.SUCL;
    if (f.PHNO !== undefined) change.Phone = f.PHNO;
    if (Object.keys(change).length > 0) ctx.ido.update('SLVendors', vendor.RowPointer!, change);
    // The supplier's country is its address's in the shared world.
    const address = addressOf(ctx.ido, f.SUNO);
    if (f.CSCD !== undefined && address) ctx.ido.update('SLVendaddrs', address.RowPointer!, { Country: f.CSCD });
    return [];
  },

  /** A new supplier SUNO as a copy of STEM: its terms, currency, status, type, and its address. */
  CopyTemplate: (input, ctx) => {
    const f = parse(copyTemplate, input);
    const template = vendorOf(ctx.ido, f.STEM);
    if (!template) throw doesNotExist('STEM', f.STEM, 'Supplier template');
    if (vendorOf(ctx.ido, f.SUNO)) throw alreadyExists('SUNO', f.SUNO);
    const created = now(ctx);
    const copy = (row: Row): Row => {
      const { RowPointer: _rp, RecordDate: _rd, ...rest } = row;
      return { ...rest, VendNum: f.SUNO, CreateDate: created };
    };
    const vendor = ctx.ido.insert('SLVendors', copy(template));
    const address = addressOf(ctx.ido, f.STEM);
    if (address) ctx.ido.insert('SLVendaddrs', copy(address));
    return [{ SUNO: f.SUNO, STAT: supplierRecord(vendor, undefined).STAT! }];
  },

  LstAddresses: (input, { ido }) => {
    const { SUNO } = parse(bySupplier, input);
    mustVendor(ido, SUNO);
    const address = addressOf(ido, SUNO);
    return address ? [addressRecord(address)] : [];
  },

  AddAddress: (input, ctx) => {
    const f = parse(addAddress, input);
    const vendor = mustVendor(ctx.ido, f.SUNO);
    checkAddressKey(f);
    if (addressOf(ctx.ido, f.SUNO)) throw alreadyExists('ADID', `${f.ADTE}/${f.ADID}`);
    ctx.ido.insert('SLVendaddrs', { VendNum: f.SUNO, Name: vendor.Name ?? null, Addr_1: null, Addr_2: null, City: null, State: null, Zip: null, ...addressChanges(f), CreateDate: now(ctx) });
    return [];
  },

  UpdAddress: (input, ctx) => {
    const f = parse(updAddress, input);
    mustVendor(ctx.ido, f.SUNO);
    checkAddressKey(f);
    const address = addressOf(ctx.ido, f.SUNO);
    if (!address || m3Date(address.CreateDate) !== f.STDT) throw doesNotExist('STDT', `${f.ADTE}/${f.ADID} from ${f.STDT}`, 'Address');
    const change = addressChanges(f);
    if (Object.keys(change).length > 0) ctx.ido.update('SLVendaddrs', address.RowPointer!, change);
    return [];
  },
};
