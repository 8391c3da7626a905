import type { PropertyType, Row } from './ido-filter';
import { idoKeys, idoSchemas } from './ido-schema';
import type { IdoTables } from './ido-tables';

// Property metadata the IDO endpoints share: lengths, read-only system columns, required properties, and the
// joined ("derived") properties an IDO shows from another table. GET /info/{ido} publishes it, load serves
// the joined properties, and update uses it to refuse unknown names, discard read-only/joined ones and
// refuse values too long for their column.

/** Properties CloudSuite stamps itself: writable by nobody, so a client's value is ignored. */
const SYSTEM = new Set(['RowPointer', 'RecordDate', 'CreateDate']);

/**
 * Joined properties: shown by the IDO, stored in another table. Field experience says updates to them are
 * silently discarded, so the sandbox does exactly that. The vendor name lives on the vendor address row in
 * CloudSuite Industrial, hence SLVendaddrs.
 */
interface Joined {
  type: PropertyType;
  from: string;
  on: string;
  take: string;
}
const JOINED: Record<string, Record<string, Joined>> = {
  SLPos: { VendName: { type: 'string', from: 'SLVendaddrs', on: 'VendNum', take: 'Name' } },
  SLAptrxs: { VendName: { type: 'string', from: 'SLVendaddrs', on: 'VendNum', take: 'Name' } },
};

/** Column lengths (nvarchar) as CloudSuite declares them; anything unlisted is 40. Longer values are refused. */
const LENGTHS: Record<string, number> = {
  PoNum: 10, VendNum: 7, Stat: 1, Type: 1, Whse: 8, Buyer: 128, TermsCode: 4, CurrCode: 3, Uf_JiraKey: 40, Uf_JiraNote: 200, Uf_ProjNum: 10,
  Item: 30, UM: 3, Name: 60, Addr_1: 50, Addr_2: 50, City: 30, State: 5, Zip: 10, Country: 30, Contact: 30, Phone: 25,
  ExternalEmailAddr: 80, VendType: 3, InvNum: 22, Ref: 30, Acct: 12, JournalId: 10, ProjNum: 10, ProjMgr: 128, CostCenter: 10,
  UnitCd1: 10, UnitCd1Access: 1, UnitCd2Access: 1, UnitCd3Access: 1, UnitCd4Access: 1, Posted: 1, VendName: 60,
};
const UNIT_LENGTH = 10;

/** Required on insert (non-null, non-blank); keys are always required. The server fills some itself (ido-rules.ts). */
const REQUIRED: Record<string, string[]> = {
  SLPos: ['VendNum'],
  SLPoItems: ['Item'],
  SLAptrxs: ['InvNum', 'InvDate', 'InvAmt'],
  SLAptrxds: ['Acct', 'Amount'],
  SLJournals: ['TransDate', 'Acct', 'DomAmount'],
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
export function propertyTypes(ido: string): Record<string, PropertyType> | undefined {
  const stored = idoSchemas[ido];
  if (!stored) return undefined;
  const joined = Object.fromEntries(Object.entries(JOINED[ido] ?? {}).map(([name, j]) => [name, j.type]));
  return { ...stored, ...joined };
}

export const isJoined = (ido: string, name: string): boolean => name in (JOINED[ido] ?? {});
export const isReadOnly = (ido: string, name: string): boolean => SYSTEM.has(name) || isJoined(ido, name);
export const requiredOf = (ido: string): string[] => [...new Set([...(idoKeys[ido] ?? []), ...(REQUIRED[ido] ?? [])])];

export function lengthOf(name: string, type: PropertyType): number {
  if (type === 'decimal') return 20;
  if (type === 'int') return 10;
  if (type === 'date') return 23;
  if (name === 'RowPointer') return 36;
  return LENGTHS[name] ?? (/Unit[1-4]$/.test(name) ? UNIT_LENGTH : 40);
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
    const [dataType, clr] = name === 'RowPointer' ? ['GUID', 'Guid'] : TYPES[type];
    return {
      Name: name,
      DataType: dataType,
      ClrTypeName: clr,
      Length: lengthOf(name, type),
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
