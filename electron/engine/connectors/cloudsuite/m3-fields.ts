import { z } from 'zod';
import type { MiOutput, MiProgram, MiTransaction } from '../../contracts/cloudsuite';
import { readRecords } from './edge';
import { fromM3Day, fromM3Stamp, type M3Record } from './m3-client';

// zod field kinds for MI records: every value arrives as a string, blank meaning "not set".

/** A field Ferry relies on: present and not blank. */
export const key = z.string().transform((s) => s.trim()).refine((s) => s !== '', 'must not be blank');

/** Optional text: blank becomes null. */
export const text = z.string().optional().transform((s) => (s === undefined || s.trim() === '' ? null : s.trim()));

/** A number; blank is 0. */
export const num = z.string().optional().transform((s, ctx) => {
  if (s === undefined || s.trim() === '') return 0;
  const n = Number(s);
  if (!Number.isFinite(n)) {
    ctx.addIssue({ code: 'custom', message: `"${s}" is not a number` });
    return z.NEVER;
  }
  return n;
});

/** An optional yyyyMMdd date as an ISO time. */
export const day = z.string().optional().transform((s) => fromM3Day(s));

/** LMTS, the change stamp Ferry polls by (milliseconds since 1970); required where used. */
export const stamp = z.string().transform((s, ctx) => {
  const iso = fromM3Stamp(s);
  if (iso === null) {
    ctx.addIssue({ code: 'custom', message: 'must be a change stamp (LMTS)' });
    return z.NEVER;
  }
  return iso;
});

/**
 * A reader for the records of one transaction, naming only output fields the contract gives it (another
 * name does not compile). Records are loose: fields Ferry does not read are let through.
 */
export function outputs<P extends MiProgram, T extends MiTransaction<P>, S extends { [K in MiOutput<P, T>]?: z.ZodType }>(
  program: P,
  transaction: T,
  shape: S & { [K in Exclude<keyof S, MiOutput<P, T>>]: never },
) {
  const schema = z.looseObject(shape as { [K in keyof S]: S[K] & z.ZodType });
  const where = `${program}/${transaction}`;
  return { read: (records: readonly M3Record[]) => readRecords(schema, records, where), where };
}
