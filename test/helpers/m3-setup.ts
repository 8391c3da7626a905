import type { CloudSuiteConnectionOptions } from '../../electron/engine/connectors/connect';
import type { IdoTables } from '../../electron/engine/sandbox/ido-tables';

// What the sandbox tenant's M3 administrator would tell Ferry (connectors/cloudsuite/m3-settings.ts), as the
// sandbox has it set up: the PARM layout of its GLS840MI interface FERRY (sandbox/m3/gl-parm.ts), the one
// supplier address it keeps (type 1, number MAIN), its line type for PO-matched invoice lines (1), its
// payables account (201000), a rule for PO line accounts, and a template supplier, which addM3Template
// creates the way an administrator would (an inactive supplier nobody buys from).

export const M3_TEMPLATE_SUPPLIER = 'TEMPLATE';

export const SANDBOX_M3_SETTINGS = {
  glParm: '{date:8}{account:10}{costCenter:10}{project:10}{blank:40}{amount:17}{text:40}',
  supplierTemplate: M3_TEMPLATE_SUPPLIER,
  supplierAddress: { type: 1, id: 'MAIN' },
  poAccounts: { '*': { account: '610100', costCenter: 'CC100' } },
  poLineType: 1,
  payablesAccounts: ['201000'],
} satisfies NonNullable<CloudSuiteConnectionOptions['m3']>;

/** The template supplier CRS620MI CopyTemplate copies: inactive, with a blank address of type 1 / MAIN. */
export function addM3Template(ido: IdoTables): void {
  if (ido.find('SLVendors', (v) => v.VendNum === M3_TEMPLATE_SUPPLIER)) return;
  ido.insert('SLVendors', {
    VendNum: M3_TEMPLATE_SUPPLIER, Name: 'Supplier template', CurrCode: 'USD', TermsCode: 'N30', Stat: 'I', VendType: 'SUP', Contact: null, Phone: null, ExternalEmailAddr: null,
    CreateDate: '20200101 00:00:00.000',
  });
  ido.insert('SLVendaddrs', { VendNum: M3_TEMPLATE_SUPPLIER, Name: 'Supplier template', Addr_1: null, Addr_2: null, City: null, State: null, Zip: null, Country: 'US', CreateDate: '20200101 00:00:00.000' });
}
