import { z } from 'zod';
import { M3Error, type M3Record } from './types';

// Input validation for MI transactions. M3 refuses one field at a time, in the order of the transaction's
// input layout, with a message that names the field; the zod schemas below list fields in that order and
// `parse` turns the first zod issue into that one refusal.
//
// Message ids (errorCode) follow M3's shape — 'W' + the field's first two letters + a number — but the
// numbers are the sandbox's own (0201 must be entered, 0202 already exists, 0203 does not exist,
// 0204 invalid, 0205 blocked/closed), not Infor's message catalogue.

const FIELD_TEXT: Record<string, string> = {
  CONO: 'Company', DIVI: 'Division', PUNO: 'Purchase order number', PNLI: 'Purchase order line', PNLS: 'Line suffix',
  SUNO: 'Supplier number', SUNM: 'Supplier name', CSCD: 'Country', CUCD: 'Currency', STEM: 'Supplier template',
  TEPY: 'Payment terms', STAT: 'Status', PHNO: 'Telephone number', ADTE: 'Address type', ADID: 'Address number', STDT: 'Start date',
  ADR1: 'Address line 1', ADR2: 'Address line 2', TOWN: 'City', ECAR: 'State', PONO: 'Postal code', SUCL: 'Supplier group',
  INBN: 'Invoice batch number', SPYN: 'Payee', IVDT: 'Invoice date', SINO: 'Supplier invoice number', CUAM: 'Foreign currency amount',
  ACDT: 'Accounting date', DUDT: 'Due date', RDTP: 'Line type', NLAM: 'Net amount - line', IVQA: 'Invoiced quantity',
  AIT1: 'Account', AIT2: 'Accounting dimension 2', AIT3: 'Accounting dimension 3', AIT4: 'Accounting dimension 4',
  AIT5: 'Accounting dimension 5', AIT6: 'Accounting dimension 6', AIT7: 'Accounting dimension 7',
  KEY1: 'Key value', INTN: 'Interface', DESC: 'Description', LINE: 'Line number', PARM: 'Parameter value',
  VTXT: 'Voucher text', AITP: 'Accounting dimension', AITM: 'Accounting identity', VONO: 'Voucher number', LMTS: 'Change stamp',
  FRDT: 'From date', TODT: 'To date', YEA4: 'Year', JRNO: 'Journal number', JSNO: 'Journal sequence number', MINM: 'Program',
};

export const describe = (field: string): string => FIELD_TEXT[field] ?? field;
const code = (field: string, n: string) => `W${field.slice(0, 2).toUpperCase()}${n}`;

export const mustBeEntered = (field: string, why = ''): M3Error => new M3Error(`${describe(field)} must be entered${why}`, field, code(field, '0201'));
export const alreadyExists = (field: string, value: string): M3Error =>
  new M3Error(`${describe(field)} ${value} already exists`, field, code(field, '0202'));
export const doesNotExist = (field: string, value: string, what = describe(field)): M3Error =>
  new M3Error(`${what} ${value} does not exist`, field, code(field, '0203'));
export const invalid = (field: string, value: string, why = 'is invalid'): M3Error =>
  new M3Error(`${describe(field)} ${value} ${why}`, field, code(field, '0204'));
export const blocked = (field: string, message: string): M3Error => new M3Error(message, field, code(field, '0205'));

/** Optional alphanumeric field: blank means "not given", as in M3. */
export const opt = (max: number) => z.string().max(max).optional().transform((v) => (v ? v : undefined));
/** Mandatory alphanumeric field. */
export const req = (max: number) => z.string().min(1).max(max);

/** M3 dates are yyyyMMdd strings; the calendar date must exist. */
export function isM3Date(s: string): boolean {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}
export const date = () => req(8).refine(isM3Date);
export const optDate = () => opt(8).refine((v) => v === undefined || isM3Date(v));

const DECIMAL = /^[+-]?\d{1,15}(\.\d{1,6})?$/;
export const decimal = () => req(24).regex(DECIMAL).transform(Number);
export const optDecimal = () => opt(24).refine((v) => v === undefined || DECIMAL.test(v)).transform((v) => (v === undefined ? undefined : Number(v)));
export const integer = (max = 9) => req(max).regex(/^\d+$/).transform(Number);
export const optInteger = (max = 9) => opt(max).refine((v) => v === undefined || /^\d+$/.test(v)).transform((v) => (v === undefined ? undefined : Number(v)));

/** Parses an MI input record; the first problem becomes the M3 refusal. */
export function parse<T extends z.ZodType>(schema: T, input: M3Record): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = String(issue.path[0] ?? '');
  const value = input[field] ?? '';
  switch (issue.code) {
    case 'invalid_type':
      // Every value arrives as a string, so the only wrong type is a missing field.
      return fail(new M3Error(`Mandatory input field ${field} (${describe(field)}) not found`, field, code(field, '0201'), 'MandatoryInputFieldNotFound'));
    case 'too_small':
      return fail(mustBeEntered(field));
    case 'too_big':
      return fail(new M3Error(`Input field ${field} is too long (max ${String(issue.maximum)})`, field, code(field, '0204'), 'InputFieldTooLong'));
    default:
      return fail(invalid(field, value));
  }
}

function fail(err: M3Error): never {
  throw err;
}

/** Cents, so that sums of amounts compare exactly. */
export const cents = (n: number): number => Math.round(n * 100);
