import { APS200MI } from './programs/aps200mi';
import { APS450MI } from './programs/aps450mi';
import { CRS620MI } from './programs/crs620mi';
import { CRS630MI } from './programs/crs630mi';
import { GLS840MI } from './programs/gls840mi';
import { PPS200MI } from './programs/pps200mi';
import { M3_COMPANY, M3_DIVISION, M3Error, type M3Record, type Program, type TxContext } from './types';

// Runs one MI transaction the way m3api-rest does: company/division check, the program's own validation,
// then maxrecs and returncols on the output. A refusal becomes the error fields of the result, never an
// exception, so a bulk request goes on with the next transaction.

export const PROGRAMS: Readonly<Record<string, Program>> = { PPS200MI, CRS620MI, APS200MI, APS450MI, GLS840MI, CRS630MI };

/** m3api-rest returns at most 100 records unless told otherwise; maxrecs=0 means no limit. */
export const DEFAULT_MAXRECS = 100;

export interface TxResult {
  transaction: string;
  records: M3Record[];
  errorMessage?: string;
  errorType?: string;
  errorField?: string;
  errorCode?: string;
}

export interface OutputOptions {
  maxrecs: number;
  /** Only these output fields, when given. */
  returncols: readonly string[] | null;
}

const own = <T>(map: Readonly<Record<string, T>>, key: string): T | undefined => (Object.hasOwn(map, key) ? map[key] : undefined);

export function findTransaction(program: string, transaction: string) {
  const p = own(PROGRAMS, program.toUpperCase());
  return p ? own(p, transaction) : undefined;
}

export function execute(program: string, transaction: string, input: M3Record, ctx: TxContext, out: OutputOptions): TxResult {
  const run = findTransaction(program, transaction);
  if (!run) {
    const known = own(PROGRAMS, program.toUpperCase());
    return {
      transaction,
      records: [],
      errorMessage: known ? `Transaction ${transaction} does not exist in program ${program}` : `Program ${program} does not exist`,
      errorType: 'TransactionNotFound',
      errorCode: 'XTR0203',
    };
  }
  // m3api-rest passes values as given; M3 ignores trailing blanks in its fixed-length fields.
  const trimmed: M3Record = {};
  for (const [k, v] of Object.entries(input)) trimmed[k.toUpperCase()] = v.trimEnd();
  try {
    if (trimmed.CONO && trimmed.CONO !== M3_COMPANY) throw new M3Error(`Not authorized for company ${trimmed.CONO}`, 'CONO', 'XAU0008');
    if (trimmed.DIVI && trimmed.DIVI !== M3_DIVISION) throw new M3Error(`Division ${trimmed.DIVI} does not exist`, 'DIVI', 'WDI0203');
    const records = run(trimmed, ctx);
    const limited = out.maxrecs > 0 ? records.slice(0, out.maxrecs) : records;
    return { transaction, records: out.returncols ? limited.map((r) => pick(r, out.returncols!)) : limited };
  } catch (err) {
    if (!(err instanceof M3Error)) throw err;
    const result: TxResult = { transaction, records: [], errorMessage: err.message, errorType: err.type, errorCode: err.code };
    if (err.field) result.errorField = err.field;
    return result;
  }
}

function pick(record: M3Record, cols: readonly string[]): M3Record {
  const out: M3Record = {};
  for (const c of cols) if (c in record) out[c] = record[c]!;
  return out;
}

/** The response body of one GET or one bulk POST. */
export function envelope(results: TxResult[]) {
  const failed = results.filter((r) => r.errorMessage !== undefined).length;
  return { results, wasTerminated: false, nrOfSuccessfullTransactions: results.length - failed, nrOfFailedTransactions: failed };
}
