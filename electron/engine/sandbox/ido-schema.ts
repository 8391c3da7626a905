import type { PropertyType } from './ido-filter';

// The IDOs the sandbox serves, with the property types that decide how filters compare and how values are
// formatted. Names follow CloudSuite Industrial's own IDOs (../shared/docs/external-systems.md); `Uf_*` are
// user-defined fields a customer adds (Ferry writes the Jira key to Uf_JiraKey).
const common = { RecordDate: 'date', RowPointer: 'string', CreateDate: 'date' } as const;
const units = (prefix: string) =>
  Object.fromEntries([1, 2, 3, 4].map((n) => [`${prefix}Unit${n}`, 'string'])) as Record<string, PropertyType>;

export const idoSchemas: Record<string, Record<string, PropertyType>> = {
  SLPos: {
    PoNum: 'string', VendNum: 'string', OrderDate: 'date', Stat: 'string', Type: 'string', Whse: 'string',
    Buyer: 'string', TermsCode: 'string', CurrCode: 'string', Uf_JiraKey: 'string', Uf_JiraNote: 'string', Uf_ProjNum: 'string', ...common,
  },
  SLPoItems: {
    PoNum: 'string', PoLine: 'int', PoRelease: 'int', Item: 'string', Description: 'string', QtyOrdered: 'decimal',
    ItemCost: 'decimal', UM: 'string', DueDate: 'date', Stat: 'string', Whse: 'string', NonInvAcct: 'string',
    ...units('NonInvAcct'), ...common,
  },
  SLVendors: {
    VendNum: 'string', Name: 'string', CurrCode: 'string', TermsCode: 'string', Stat: 'string', VendType: 'string',
    Contact: 'string', Phone: 'string', ExternalEmailAddr: 'string', ...common,
  },
  SLVendaddrs: {
    VendNum: 'string', Name: 'string', Addr_1: 'string', Addr_2: 'string', City: 'string', State: 'string', Zip: 'string',
    Country: 'string', Contact: 'string', Phone: 'string', ExternalEmailAddr: 'string', ...common,
  },
  SLAptrxs: {
    // DistDate: the distribution (GL) date, aptrx.dist_date in the published SyteLine schema (agglerithm/FluentSytelineInterface).
    VendNum: 'string', Voucher: 'int', Type: 'string', InvNum: 'string', InvDate: 'date', DistDate: 'date', InvAmt: 'decimal', PoNum: 'string',
    ApAcct: 'string', ...units('ApAcct'), DueDate: 'date', CurrCode: 'string', Ref: 'string', Stat: 'string', ...common,
  },
  SLAptrxds: {
    VendNum: 'string', Voucher: 'int', DistSeq: 'int', Acct: 'string', ...units('Acct'), Amount: 'decimal', ProjNum: 'string',
    Description: 'string', ...common,
  },
  SLCharts: {
    Acct: 'string', Description: 'string', Type: 'string', Stat: 'string',
    UnitCd1Access: 'string', UnitCd2Access: 'string', UnitCd3Access: 'string', UnitCd4Access: 'string', ...common,
  },
  SLUnitcd1s: { UnitCd1: 'string', Description: 'string', Stat: 'string', ...common },
  SLPeriods: { FiscalYear: 'int', Period: 'int', StartDate: 'date', EndDate: 'date', Stat: 'string', ...common },
  SLJournals: {
    JournalId: 'string', Seq: 'int', TransDate: 'date', Acct: 'string', ...units('Acct'), DomAmount: 'decimal', Ref: 'string',
    Description: 'string', ProjNum: 'string', Posted: 'string', ...common,
  },
  SLProjs: {
    ProjNum: 'string', Description: 'string', Stat: 'string', ProjMgr: 'string', CostCenter: 'string', StartDate: 'date',
    EndDate: 'date', Budget: 'decimal', ...common,
  },
};

/** Key properties per IDO: the default order of a load, and what identifies a row to a person. */
export const idoKeys: Record<string, string[]> = {
  SLPos: ['PoNum'],
  SLPoItems: ['PoNum', 'PoLine', 'PoRelease'],
  SLVendors: ['VendNum'],
  SLVendaddrs: ['VendNum'],
  SLAptrxs: ['VendNum', 'Voucher'],
  SLAptrxds: ['VendNum', 'Voucher', 'DistSeq'],
  SLCharts: ['Acct'],
  SLUnitcd1s: ['UnitCd1'],
  SLPeriods: ['FiscalYear', 'Period'],
  SLJournals: ['JournalId', 'Seq'],
  SLProjs: ['ProjNum'],
};

/** IDO value format for dates: yyyyMMdd HH:mm:ss.fff. */
export function idoDate(d: Date): string {
  const iso = d.toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)} ${iso.slice(11, 23)}`;
}

export const idoDecimal = (n: number): string => n.toFixed(8);
