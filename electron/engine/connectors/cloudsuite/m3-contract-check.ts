import type { MiProgram, MiTransaction } from '../../contracts/cloudsuite';
import { FerryError } from '../../../../shared/errors';
import { M3Error, type M3Client } from './m3-client';
import { key, outputs } from './m3-fields';
import { previewParm } from './m3-gl-parm';
import { DEFAULT_GL_INTERFACE, type PoAccounts, type SupplierAddress } from './m3-settings';

// The connection test's look at Ferry's M3 contract on this tenant: every MI transaction Ferry calls, asked of
// the tenant itself (MRS001MI LstTransactions, per program), and what the M3 administrator told Ferry where
// Infor publishes nothing (m3-settings.ts), each said in a sentence or two: what Ferry will do with it, or
// which flow waits until it is set and how to set it.

/** The transactions Ferry calls, by program; a name outside the contract does not compile. */
const USED: { [P in MiProgram]?: readonly MiTransaction<P>[] } = {
  PPSSPPMI: ['LstSupHead'],
  PPS200MI: ['GetHead', 'LstLine'],
  CRS620MI: ['LstByNumber', 'GetBasicData', 'UpdSupplier', 'CopyTemplate', 'LstAddresses', 'AddAddress', 'UpdAddress'],
  CRS630MI: ['LstAccountID'],
  APS450MI: ['AddHead', 'AddLine', 'GetHead', 'LstInvBySupInv', 'LstLines', 'ApproveInvoice'],
  APS455MI: ['ValidByBatchNo'],
  APS200MI: ['GetInvoice'],
  GLS200MI: ['LstVouchersByDt'],
  GLS840MI: ['AddBatchHead', 'AddBatchLine', 'CtrlBatch', 'UpdBatch'],
};

const listed = outputs('MRS001MI', 'LstTransactions', { TRNM: key });

export interface M3SetupSettings {
  glParm?: string;
  glInterface?: string;
  supplierTemplate?: string;
  supplierAddress?: SupplierAddress;
  poAccounts?: PoAccounts;
  poLineType?: number;
  payablesAccounts?: string[];
}

/** Asks the tenant for each program's transactions; throws `contract_mismatch` naming what is missing. */
export async function checkM3Contract(m3: M3Client): Promise<{ programs: number; transactions: number }> {
  const problems: string[] = [];
  let transactions = 0;
  const programs = Object.keys(USED) as MiProgram[];
  for (const program of programs) {
    const wanted = (USED[program] ?? []) as readonly string[];
    transactions += wanted.length;
    let have: Set<string>;
    try {
      // A program has a few dozen transactions and LstTransactions no key to restart from: all at once.
      have = new Set(listed.read(await m3.read('MRS001MI', 'LstTransactions', { MINM: program }, { maxrecs: 0, what: `listing the transactions of ${program}` })).map((r) => r.TRNM));
    } catch (err) {
      if (err instanceof M3Error && err.field === 'MINM') {
        problems.push(`there is no program ${program}`);
        continue;
      }
      throw err;
    }
    const missing = wanted.filter((t) => !have.has(t));
    if (missing.length > 0) problems.push(`${program} has no ${missing.join(', ')}`);
  }
  if (problems.length > 0) throw new FerryError('contract_mismatch', `This CloudSuite M3 does not have every MI transaction Ferry uses: ${problems.join('; ')}.`);
  return { programs: programs.length, transactions };
}

/** The template supplier exists (CopyTemplate would refuse every new supplier otherwise). */
export async function checkSupplierTemplate(m3: M3Client, template: string): Promise<void> {
  try {
    await m3.read('CRS620MI', 'GetBasicData', { SUNO: template }, { what: `reading template supplier ${template}` });
  } catch (err) {
    if (err instanceof M3Error && err.field === 'SUNO') {
      throw new FerryError('not_set_up', `The template supplier ${template} Ferry copies for new suppliers does not exist in this CloudSuite M3; choose another with "ferry connect cloudsuite --m3-supplier-template SUPPLIER".`);
    }
    throw err;
  }
}

/** One or two sentences per setting the M3 administrator gives Ferry, set or not. */
export function describeM3Setup(s: M3SetupSettings): string[] {
  const intn = s.glInterface ?? DEFAULT_GL_INTERFACE;
  const rules = Object.entries(s.poAccounts ?? {}).map(([k, c]) => `${k} → ${c.account}${c.costCenter ? `/${c.costCenter}` : ''}`);
  return [
    s.glParm
      ? `GL journals go to GLS840MI interface ${intn} (your M3 administrator sets it up for Ferry), each line as PARM ${previewParm(s.glParm)}: check it against the interface's layout.`
      : `GL journals: not set up. Ferry posts none until it has the PARM layout of GLS840MI interface ${intn}, which each tenant defines: set it with --m3-gl-parm (docs/m3-gl-parm.md).`,
    s.supplierTemplate
      ? `New suppliers are copies of template supplier ${s.supplierTemplate} (CRS620MI CopyTemplate), then get their own name, currency, terms and phone.`
      : 'New suppliers: not set up. CloudSuite M3 makes a supplier as a copy of a template supplier; until one is chosen with --m3-supplier-template, supplier-sync creates none in M3.',
    s.supplierAddress
      ? `Supplier addresses are read and written as address type ${s.supplierAddress.type} number ${s.supplierAddress.id}; contact names and e-mails stay in JAGGAER, as M3 publishes no field for them.`
      : 'Supplier addresses: not set up. Until the address type and number are chosen with --m3-supplier-address, addresses (and contact names and e-mails, which M3 publishes no field for) stay as JAGGAER has them.',
    rules.length > 0
      ? `PO lines are booked as ${rules.join(', ')} (M3 publishes no accounting for a PO line).`
      : 'PO accounts: not set up. PPS200MI gives no account for a PO line, so po-to-jaggaer holds every PO with the line named until rules are set with --m3-po-account.',
    s.poLineType !== undefined
      ? `Invoice lines matched to a PO line go in as APS450MI line type ${s.poLineType}; other lines cannot be coded through APS450MI and wait in Needs attention.`
      : 'Invoice entry: not set up. Ferry enters no invoice until it has the APS450MI line type for a PO line, set with --m3-po-line-type.',
    s.payablesAccounts?.length
      ? `invoice-to-jaggaer reads supplier invoices from the ledger (GLS200MI LstVouchersByDt, APS200MI GetInvoice) by their lines on payables account${s.payablesAccounts.length > 1 ? 's' : ''} ${s.payablesAccounts.join(', ')}, dated at most two months before they were entered.`
      : 'Voucher read-back: not set up. M3 publishes no list of supplier invoices, so Ferry finds them in the ledger by their payables account: set it with --m3-payables-account, until then invoice-to-jaggaer does not run on M3.',
  ];
}
