import { industrialContract, isUserField, type IdoName, type IdoType } from '../contracts/cloudsuite';
import type { PropertyType } from './ido-filter';

// The IDOs the sandbox serves are exactly those of Ferry's contract (../contracts/cloudsuite-industrial.json,
// each property with its public source): their properties, keys and methods. Nothing else is served, so a
// name the real product does not have is refused here too. Beside them the sandbox stores columns of its own
// (RowPointer, and what it needs to simulate, e.g. a project's manager) that no load can ask for.

const TYPES: Record<IdoType, PropertyType> = { string: 'string', int: 'int', decimal: 'decimal', date: 'date', guid: 'string', byte: 'int' };

/**
 * The user fields this sandbox's customer added to its IDOs, with the lengths it gave them (CloudSuite lets
 * each customer add its own Uf_ fields and choose their size; Ferry's settings name the ones it uses).
 */
export const SANDBOX_USER_FIELDS: Partial<Record<IdoName, Record<string, number>>> = { SLPos: { Uf_JiraKey: 40, Uf_JiraNote: 200, Uf_ProjNum: 10 } };

for (const [ido, fields] of Object.entries(SANDBOX_USER_FIELDS)) {
  for (const n of Object.keys(fields)) if (!isUserField(ido, n)) throw new Error(`sandbox user field ${ido}.${n} is not a user field the contract allows`);
}

/** Served properties and their types, per IDO: the contract's, plus the sandbox customer's user fields. */
export const idoSchemas: Record<string, Record<string, PropertyType>> = Object.fromEntries(
  (Object.entries(industrialContract.idos) as [IdoName, (typeof industrialContract.idos)[IdoName]][]).map(([ido, c]) => [
    ido,
    {
      ...Object.fromEntries(Object.entries(c.properties).map(([name, p]) => [name, TYPES[p.type]])),
      ...Object.fromEntries(Object.keys(SANDBOX_USER_FIELDS[ido] ?? {}).map((n) => [n, 'string' as const])),
    },
  ]),
);

/** Key properties per IDO (the contract's): the default order of a load, and what identifies a row to a person. */
export const idoKeys: Record<string, string[]> = Object.fromEntries(Object.entries(industrialContract.idos).map(([ido, c]) => [ido, c.keys]));

/** Properties the contract marks read-only: a client's value for them is discarded, as Mongoose does. */
export const readOnlyProperties: Record<string, Set<string>> = Object.fromEntries(
  Object.entries(industrialContract.idos).map(([ido, c]) => [ido, new Set(Object.entries(c.properties).filter(([, p]) => p.readOnly).map(([n]) => n))]),
);

/** What the sandbox stores beside the served properties, per table: never served, used by its own rules. */
const INTERNAL: Record<string, Record<string, PropertyType>> = {
  // The books as months: FiscalYear, Period, first and last day, O(pen) or C(losed). Served only through
  // SLPeriods' methods (DateChkSp, PerGetSp), as the contract has no public property list for it.
  SLPeriods: { FiscalYear: 'int', Period: 'int', StartDate: 'date', EndDate: 'date', Stat: 'string' },
  SLProjs: { ProjMgr: 'string', CostCenter: 'string', StartDate: 'date', EndDate: 'date', Budget: 'decimal' },
  SLVendors: { CreateDate: 'date' },
  // Control numbers of journal entries (GetJournalDefVarsSp hands them out; posting copies them to SLLedgers).
  SLJournals: { ControlPrefix: 'string', ControlSite: 'string', ControlYear: 'int', ControlPeriod: 'int', ControlNumber: 'decimal' },
};

/** Everything a sandbox table stores (the control endpoint filters on it; tests read it). */
export function storedTypes(table: string): Record<string, PropertyType> | undefined {
  const served = idoSchemas[table];
  if (!served && !INTERNAL[table]) return undefined;
  return { RowPointer: 'string', CreateDate: 'date', RecordDate: 'date', ...served, ...INTERNAL[table] };
}

/** IDO value format for dates: yyyyMMdd HH:mm:ss.fff. */
export function idoDate(d: Date): string {
  const iso = d.toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)} ${iso.slice(11, 23)}`;
}

export const idoDecimal = (n: number): string => n.toFixed(8);
