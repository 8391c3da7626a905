import { z } from 'zod';
import type { Row } from '../../ido-filter';
import type { IdoTables } from '../../ido-tables';
import { idoDate } from '../../ido-schema';
import { alreadyExists, doesNotExist, opt, parse, req } from '../fields';
import { idoVendorStat, supplierRecord } from '../mapping';
import type { M3Record, Program } from '../types';

// CRS620MI, suppliers: GetBasicData, LstByNumber, AddSupplier, UpdSupplier over SLVendors + SLVendaddrs.
// Real AddSupplier takes some twenty more mandatory fields (most filled from a supplier template in practice);
// the sandbox requires the ones the shared world has a place for.

const CURRENCY = /^[A-Z]{3}$/;
const STATUS = /^(20|90)$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

const details = {
  // TEPY is 3 long in M3; 4 here because the shared world has '2N10'.
  TEPY: opt(4), STAT: opt(2).refine((v) => v === undefined || STATUS.test(v)), SUCL: opt(3), PHNO: opt(16),
  EMAL: opt(60).refine((v) => v === undefined || EMAIL.test(v)), YREF: opt(30), ADR1: opt(36), ADR2: opt(36), TOWN: opt(20),
  ECAR: opt(3), PONO: opt(10),
};

const getBasicData = z.object({ SUNO: req(10) });
const lstByNumber = z.object({ SUNO: opt(10) });
const addSupplier = z.object({
  SUNO: req(10), SUNM: req(36), CSCD: req(3), CUCD: req(3).regex(CURRENCY), ...details, TEPY: req(4),
});
const updSupplier = z.object({
  SUNO: req(10), SUNM: opt(36), CSCD: opt(3), CUCD: opt(3).refine((v) => v === undefined || CURRENCY.test(v)), ...details,
});

const vendorOf = (ido: IdoTables, suno: string) => ido.find('SLVendors', (v) => v.VendNum === suno);
const addressOf = (ido: IdoTables, suno: string) => ido.find('SLVendaddrs', (a) => a.VendNum === suno);

/** The properties an M3 input sets, per IDO; absent (or blank) fields leave a property as it is. */
function changes(input: Partial<Record<string, string>>): { vendor: Row; addr: Row } {
  const vendor: Row = {};
  const addr: Row = {};
  const set = (row: Row, prop: string, value: string | undefined) => {
    if (value !== undefined) row[prop] = value;
  };
  set(vendor, 'Name', input.SUNM);
  set(addr, 'Name', input.SUNM);
  set(vendor, 'CurrCode', input.CUCD);
  set(vendor, 'TermsCode', input.TEPY);
  set(vendor, 'Stat', input.STAT === undefined ? undefined : idoVendorStat(input.STAT));
  set(vendor, 'VendType', input.SUCL);
  for (const row of [vendor, addr]) {
    set(row, 'Phone', input.PHNO);
    set(row, 'ExternalEmailAddr', input.EMAL);
    set(row, 'Contact', input.YREF);
  }
  set(addr, 'Addr_1', input.ADR1);
  set(addr, 'Addr_2', input.ADR2);
  set(addr, 'City', input.TOWN);
  set(addr, 'State', input.ECAR);
  set(addr, 'Zip', input.PONO);
  set(addr, 'Country', input.CSCD);
  return { vendor, addr };
}

export const CRS620MI: Program = {
  GetBasicData: (input, { ido }) => {
    const { SUNO } = parse(getBasicData, input);
    const vendor = vendorOf(ido, SUNO);
    if (!vendor) throw doesNotExist('SUNO', SUNO);
    return [supplierRecord(vendor, addressOf(ido, SUNO))];
  },

  /** Suppliers by number, from SUNO on when given. */
  LstByNumber: (input, { ido }) => {
    const { SUNO = '' } = parse(lstByNumber, input);
    const addrs = new Map(ido.rows('SLVendaddrs').map((a) => [a.VendNum ?? '', a]));
    return ido
      .rows('SLVendors')
      .filter((v) => (v.VendNum ?? '') >= SUNO)
      .sort((a, b) => ((a.VendNum ?? '') < (b.VendNum ?? '') ? -1 : 1))
      .map((v): M3Record => supplierRecord(v, addrs.get(v.VendNum ?? '')));
  },

  AddSupplier: (input, { ido, clock }) => {
    const fields = parse(addSupplier, input);
    if (vendorOf(ido, fields.SUNO)) throw alreadyExists('SUNO', fields.SUNO);
    const { vendor, addr } = changes(fields);
    const now = idoDate(clock.date('m3'));
    const common = { VendNum: fields.SUNO, Contact: null, Phone: null, ExternalEmailAddr: null, CreateDate: now };
    ido.insert('SLVendors', { ...common, Stat: 'A', VendType: 'SUP', ...vendor });
    ido.insert('SLVendaddrs', { ...common, Addr_1: null, Addr_2: null, City: null, State: null, Zip: null, ...addr });
    return [];
  },

  UpdSupplier: (input, { ido, clock }) => {
    const fields = parse(updSupplier, input);
    const current = vendorOf(ido, fields.SUNO);
    if (!current) throw doesNotExist('SUNO', fields.SUNO);
    const { vendor, addr } = changes(fields);
    ido.update('SLVendors', current.RowPointer!, vendor);
    const address = addressOf(ido, fields.SUNO);
    if (address) ido.update('SLVendaddrs', address.RowPointer!, addr);
    else if (Object.keys(addr).length > 0) {
      ido.insert('SLVendaddrs', { VendNum: fields.SUNO, Name: current.Name ?? null, CreateDate: idoDate(clock.date('m3')), ...addr });
    }
    return [];
  },
};
