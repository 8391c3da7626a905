import type { Clock } from '../context';
import type { IdoTables } from '../ido-tables';
import type { TenantConfig } from '../tenants';
import type { M3State } from './state';

/** One MI record, in or out: M3 field name → value. m3api-rest carries every value as a string. */
export type M3Record = Record<string, string>;

/** What the M3 routes need of a tenant: its gateway config and the shared CloudSuite rows. */
export interface M3Tenant {
  config: TenantConfig;
  ido: IdoTables;
}

/**
 * The errorType values the sandbox reports next to errorMessage. ServerReturnedNOK is m3api-rest's (ODIN's
 * tests name it); the others are the sandbox's names for what it refuses before a program runs.
 */
export type M3ErrorType = 'ServerReturnedNOK' | 'MandatoryInputFieldNotFound' | 'InputFieldTooLong' | 'TransactionNotFound' | 'UnknownInputField' | 'InvalidRequest';

/** A refusal by an MI program: becomes errorMessage/errorField/errorCode/errorType on an HTTP 200 result. */
export class M3Error extends Error {
  constructor(
    message: string,
    readonly field: string | null,
    readonly code: string,
    readonly type: M3ErrorType = 'ServerReturnedNOK',
  ) {
    super(message);
  }
}

export interface TxContext {
  ido: IdoTables;
  clock: Clock;
  /** This tenant's transient batches (invoice batches, GL batches) until they are posted. */
  state: M3State;
}

/**
 * One MI transaction. It validates everything before it writes anything, so a refused transaction leaves the
 * tenant's rows untouched (M3 runs each transaction as one unit of work). It may return more fields than the
 * contract's outputs: execute.ts keeps exactly those.
 */
export type Transaction = (input: M3Record, ctx: TxContext) => M3Record[];

export type Program = Readonly<Record<string, Transaction>>;

/** The company and division the sandbox's M3 knows (CONO/DIVI); anything else is "not authorized". */
export const M3_COMPANY = '100';
export const M3_DIVISION = 'AAA';
