import type { PropertyType, Row } from './ido-filter';
import { industrialContract } from '../contracts/cloudsuite';
import { idoKeys, idoSchemas, readOnlyProperties, SANDBOX_USER_FIELDS } from './ido-schema';
import type { IdoTables } from './ido-tables';

// Property metadata the IDO endpoints share: lengths, read-only system columns, required properties, and the
// joined ("derived") properties an IDO shows from another table. GET /info/{ido} publishes it, load serves
// the joined properties, and update uses it to refuse unknown names, discard read-only/joined ones and
// refuse values too long for their column.

/**
 * Joined properties: shown by the IDO, stored in another table (the vendor's currency on a PO or voucher, the
 * vendor address on the vendor). Field experience says updates to them are silently discarded, so the
 * sandbox does exactly that. Every one is a property of the contract.
 */
interface Joined {
  from: string;
  on: string;
  take: string;
}
const vendorCurrency: Joined = { from: 'SLVendors', on: 'VendNum', take: 'CurrCode' };
const address = (take: string): Joined => ({ from: 'SLVendaddrs', on: 'VendNum', take });
const JOINED: Record<string, Record<string, Joined>> = {
  SLPos: { VenCurrCode: vendorCurrency },
  SLAptrxs: { VenCurrCode: vendorCurrency },
  SLAptrxps: { VendorCurrCode: vendorCurrency },
  SLVendors: {
    VadAddr_1: address('Addr_1'), VadAddr_2: address('Addr_2'), VadCity: address('City'), VadState: address('State'), VadZip: address('Zip'), VadCountry: address('Country'),
  },
};

/** Column lengths where a public source gives them (the contract's `length`) and of the sandbox's user fields; others are not limited here. */
function contractLength(ido: string, name: string): number | undefined {
  const p = (industrialContract.idos as Record<string, { properties: Record<string, { length?: number }> } | undefined>)[ido]?.properties[name];
  return p?.length ?? (SANDBOX_USER_FIELDS as Record<string, Record<string, number> | undefined>)[ido]?.[name];
}

/** Required on insert (non-null, non-blank); keys are always required. The server fills some itself (ido-rules.ts). */
const REQUIRED: Record<string, string[]> = {
  SLPos: ['VendNum'],
  SLPoItems: ['Item'],
  SLAptrxs: ['InvNum', 'InvDate', 'InvAmt'],
  SLAptrxds: ['Acct', 'Amount'],
};

export interface PropertyInfo {
  Name: string;
  DataType: string;
  ClrTypeName: string;
  Length: number;
  DecimalPos: number;
  ReadOnly: boolean;
  Required: boolean;
  DefaultValue: string;
  LabelStringID: string;
}

/** Stored and joined property types of one IDO, or undefined when the IDO does not exist. */
/** The served properties of an IDO and their types (the contract's), or undefined when the IDO is not served. */
export function propertyTypes(ido: string): Record<string, PropertyType> | undefined {
  return idoSchemas[ido];
}

export const isJoined = (ido: string, name: string): boolean => name in (JOINED[ido] ?? {});
export const isReadOnly = (ido: string, name: string): boolean => !!readOnlyProperties[ido]?.has(name) || isJoined(ido, name);
export const requiredOf = (ido: string): string[] => [...new Set([...(idoKeys[ido] ?? []), ...(REQUIRED[ido] ?? [])])];

/** The longest value a property takes, where a source says; Infinity otherwise. */
export function lengthOf(ido: string, name: string, type: PropertyType): number {
  if (type === 'decimal') return 20;
  if (type === 'int') return 10;
  if (type === 'date') return 23;
  return contractLength(ido, name) ?? Number.POSITIVE_INFINITY;
}

const TYPES: Record<PropertyType, [string, string]> = {
  string: ['String', 'String'],
  decimal: ['Decimal', 'Decimal'],
  int: ['Long Integer', 'Int32'],
  date: ['Date', 'DateTime'],
};

/** GET /info/{ido}: the JSON shape Mongoose REST v2 documents for GetPropertyInformation (a subset of its fields). */
export function info(ido: string): object {
  const types = propertyTypes(ido);
  if (!types) return { Success: false, Message: `The IDO '${ido}' could not be found.`, Keys: null, Properties: null, SubCollections: null };
  const required = new Set(requiredOf(ido));
  const Properties: PropertyInfo[] = Object.entries(types).map(([name, type]) => {
    const [dataType, clr] = TYPES[type];
    const length = lengthOf(ido, name, type);
    return {
      Name: name,
      DataType: dataType,
      ClrTypeName: clr,
      Length: Number.isFinite(length) ? length : 0,
      DecimalPos: type === 'decimal' ? 8 : 0,
      ReadOnly: isReadOnly(ido, name),
      Required: required.has(name),
      DefaultValue: '',
      LabelStringID: `s${name}`,
    };
  });
  return { Success: true, Message: null, Keys: idoKeys[ido] ?? [], Properties, SubCollections: [] };
}

/**
 * Adds the joined properties to rows (copies; the stored rows stay as they are). Only called when a load
 * asks for one, so a plain load of 50,000 POs pays nothing.
 */
export function withJoined(tables: IdoTables, ido: string, rows: readonly Row[], names: readonly string[]): Row[] {
  const wanted = Object.entries(JOINED[ido] ?? {}).filter(([name]) => names.includes(name));
  if (wanted.length === 0) return [...rows];
  const lookups = wanted.map(([name, j]) => {
    const map = new Map<string, string | null>();
    for (const r of tables.rows(j.from)) {
      const k = r[j.on];
      if (k !== null && k !== undefined && !map.has(k)) map.set(k, r[j.take] ?? null);
    }
    return { name, on: j.on, map };
  });
  return rows.map((r) => {
    const out: Row = { ...r };
    for (const l of lookups) out[l.name] = l.map.get(r[l.on] ?? '') ?? null;
    return out;
  });
}

export const joinedNames = (ido: string): string[] => Object.keys(JOINED[ido] ?? {});

/** The `_ItemId` of a row: primary base table, RecordDate (for optimistic locking) and RowPointer. */
export function itemIdOf(ido: string, row: Row): string {
  const pbt = ido.toLowerCase();
  return `PBT=[${pbt}] ${pbt}.DT=[${row.RecordDate ?? ''}] ${pbt}.ID=[${row.RowPointer ?? ''}]`;
}

/** Reads an ItemId back. The alias before .DT/.ID varies in real ItemIds (Infor's own examples mix them). */
export function parseItemId(itemId: string): { dt: string | null; id: string | null } {
  const dt = /\.DT=\[([^\]]*)\]/.exec(itemId);
  const id = /\.ID=\[([^\]]*)\]/.exec(itemId);
  return { dt: dt?.[1] ?? null, id: id?.[1] || null };
}
