import type { PropertyType } from './ido-filter';

// The IDOs the sandbox serves, with the property types that decide how filters compare and how values are
// formatted. Names follow CloudSuite Industrial's own IDOs (../shared/docs/external-systems.md).
export const idoSchemas: Record<string, Record<string, PropertyType>> = {
  SLPos: {
    PoNum: 'string', VendNum: 'string', OrderDate: 'date', Stat: 'string', Type: 'string', Whse: 'string',
    Buyer: 'string', RecordDate: 'date', RowPointer: 'string', Uf_JiraKey: 'string',
  },
  SLPoItems: {
    PoNum: 'string', PoLine: 'int', PoRelease: 'int', Item: 'string', Description: 'string', QtyOrdered: 'decimal',
    ItemCost: 'decimal', UM: 'string', DueDate: 'date', Stat: 'string', NonInvAcct: 'string',
    NonInvAcctUnit1: 'string', NonInvAcctUnit2: 'string', NonInvAcctUnit3: 'string', NonInvAcctUnit4: 'string',
    RecordDate: 'date', RowPointer: 'string',
  },
  SLVendors: {
    VendNum: 'string', Name: 'string', CurrCode: 'string', TermsCode: 'string', Stat: 'string',
    RecordDate: 'date', RowPointer: 'string',
  },
};

/** IDO value format for dates: yyyyMMdd HH:mm:ss.fff. */
export function idoDate(d: Date): string {
  const iso = d.toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)} ${iso.slice(11, 23)}`;
}

export const idoDecimal = (n: number): string => n.toFixed(8);
