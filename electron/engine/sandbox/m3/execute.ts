import { miTransactionContract, type MiTransactionContract } from '../../contracts/cloudsuite';
import { isM3Date } from './fields';
import { APS200MI } from './programs/aps200mi';
import { APS450MI } from './programs/aps450mi';
import { APS455MI } from './programs/aps455mi';
import { CRS620MI } from './programs/crs620mi';
import { CRS630MI } from './programs/crs630mi';
import { GLS200MI } from './programs/gls200mi';
import { GLS840MI } from './programs/gls840mi';
import { MRS001MI } from './programs/mrs001mi';
import { PPS200MI } from './programs/pps200mi';
import { PPSSPPMI } from './programs/ppssppmi';
import { M3_COMPANY, M3_DIVISION, M3Error, type M3Record, type Program, type TxContext } from './types';

// Runs one MI transaction held to contracts/cloudsuite-m3.json: the program and transaction must be
// published there, every input field must be one of the transaction's inputs, every mandatory one present,
// numbers numbers and dates dates; then company/division, the program's own rules, maxrecs and returncols; and
// each record goes out with exactly the contract's output fields (blank where the world has no value).

/** Every transaction of the contract, and no other (test/integration/sandbox-m3.test.ts checks both ways). */
export const PROGRAMS: Readonly<Record<string, Program>> = { PPSSPPMI, PPS200MI, CRS620MI, CRS630MI, APS450MI, APS455MI, APS200MI, GLS200MI, GLS840MI, MRS001MI };

/** m3api-rest returns at most 100 records unless told otherwise (endpoint.maxrecs); maxrecs=0 means no limit. */
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
  /** excludempty: fields without a value are left out of each record. */
  excludeEmpty: boolean;
}

const own = <T>(map: Readonly<Record<string, T>>, key: string): T | undefined => (Object.hasOwn(map, key) ? map[key] : undefined);

/** The transaction as the contract publishes it and the sandbox runs it, or undefined. */
export function findTransaction(program: string, transaction: string): { contract: MiTransactionContract; run: (input: M3Record, ctx: TxContext) => M3Record[] } | undefined {
  const contract = miTransactionContract(program, transaction);
  const p = own(PROGRAMS, program);
  const run = p ? own(p, transaction) : undefined;
  return contract && run ? { contract, run } : undefined;
}

/**
 * What makes the request itself wrong, before any program runs (answered as HTTP 400): an unknown program or
 * transaction, an input field the transaction does not have, an output column it does not have.
 */
export function requestProblem(program: string, transaction: string, input: M3Record, returncols: readonly string[] | null): M3Error | null {
  const tx = findTransaction(program, transaction);
  if (!tx) {
    const known = Object.hasOwn(PROGRAMS, program);
    return new M3Error(known ? `Transaction ${transaction} does not exist in program ${program}` : `Program ${program} does not exist`, null, 'XTR0203', 'TransactionNotFound');
  }
  const unknown = Object.keys(input).find((f) => !Object.hasOwn(tx.contract.inputs, f));
  if (unknown) return new M3Error(`Input field ${unknown} does not exist in ${program}/${transaction}`, unknown, 'XIN0203', 'UnknownInputField');
  const column = returncols?.find((c) => !Object.hasOwn(tx.contract.outputs, c));
  if (column) return new M3Error(`Output field ${column} does not exist in ${program}/${transaction}`, column, 'XOU0203', 'InvalidRequest');
  return null;
}

export function execute(program: string, transaction: string, rawInput: M3Record, ctx: TxContext, out: OutputOptions): TxResult {
  const tx = findTransaction(program, transaction)!;
  // m3api-rest passes values as given; M3 ignores trailing blanks in its fixed-length fields, and a blank
  // field is no field.
  const input: M3Record = {};
  for (const [k, v] of Object.entries(rawInput)) if (v.trimEnd() !== '') input[k] = v.trimEnd();
  try {
    checkInputs(tx.contract, input);
    if (input.CONO && input.CONO !== M3_COMPANY) throw new M3Error(`Not authorized for company ${input.CONO}`, 'CONO', 'XAU0008');
    if (input.DIVI && input.DIVI !== M3_DIVISION) throw new M3Error(`Division ${input.DIVI} does not exist`, 'DIVI', 'WDI0203');
    const records = tx.run(input, ctx);
    const limited = out.maxrecs > 0 ? records.slice(0, out.maxrecs) : records;
    const fields = out.returncols ?? Object.keys(tx.contract.outputs);
    return { transaction, records: limited.map((r) => shape(r, fields, out.excludeEmpty)) };
  } catch (err) {
    if (!(err instanceof M3Error)) throw err;
    const result: TxResult = { transaction, records: [], errorMessage: err.message, errorType: err.type, errorCode: err.code };
    if (err.field) result.errorField = err.field;
    return result;
  }
}

/** Mandatory inputs present (in the contract's order, the first missing one named), numbers and dates well formed. */
function checkInputs(contract: MiTransactionContract, input: M3Record): void {
  for (const [name, field] of Object.entries(contract.inputs)) {
    const v = input[name];
    if (v === undefined) {
      if (field.required) throw new M3Error(`Mandatory input field ${name} (${field.description}) not found`, name, `W${name.slice(0, 2)}0201`, 'MandatoryInputFieldNotFound');
      continue;
    }
    if (field.type === 'N' && !/^[+-]?\d+(\.\d+)?$/.test(v)) throw new M3Error(`${field.description} ${v} is not a number`, name, `W${name.slice(0, 2)}0204`);
    if (field.type === 'D' && !isM3Date(v)) throw new M3Error(`${field.description} ${v} is not a valid date (yyyyMMdd)`, name, `W${name.slice(0, 2)}0204`);
  }
}

/** Exactly these fields, in this order, blank where the record has no value. */
function shape(record: M3Record, fields: readonly string[], excludeEmpty: boolean): M3Record {
  const out: M3Record = {};
  for (const f of fields) {
    const v = record[f] ?? '';
    if (!excludeEmpty || v !== '') out[f] = v;
  }
  return out;
}

/** The response body of one GET. */
export function envelope(results: TxResult[]) {
  const failed = results.filter((r) => r.errorMessage !== undefined).length;
  return { results, wasTerminated: false, nrOfSuccessfullTransactions: results.length - failed, nrOfFailedTransactions: failed };
}

/** The body of a request M3 stops as a whole (HTTP 400): the error at the top level, no results. */
export function terminated(err: M3Error) {
  return {
    results: [],
    wasTerminated: true,
    nrOfSuccessfullTransactions: 0,
    nrOfFailedTransactions: 1,
    errorMessage: err.message,
    errorType: err.type,
    errorCode: err.code,
    ...(err.field ? { errorField: err.field } : {}),
  };
}
