import { z } from 'zod';
import { parseIdoDate } from './ido-client';

// zod field kinds for IDO rows. Mongoose sends most values as strings (numbers and dates included) and blank
// or null for "not set"; these normalise that once, so the mapping code sees string | null, number and ISO.

const raw = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** A key Ferry relies on: present and not blank. */
export const key = z.union([z.string(), z.number()]).transform((v) => String(v).trim()).refine((s) => s !== '', 'must not be blank');

/** Optional text: blank and null become null. */
export const text = raw.optional().transform((v) => (v === null || v === undefined || String(v).trim() === '' ? null : String(v).trim()));

/** A number (decimals arrive as "12.50000000"); blank is 0. */
export const amount = raw.optional().transform((v, ctx) => {
  if (v === null || v === undefined || String(v).trim() === '') return 0;
  const n = Number(v);
  if (!Number.isFinite(n)) {
    ctx.addIssue({ code: 'custom', message: `"${String(v)}" is not a number` });
    return z.NEVER;
  }
  return n;
});

/** An optional date (yyyyMMdd HH:mm:ss.fff) as an ISO time. */
export const date = raw.optional().transform((v) => parseIdoDate(v ?? null));

/** A date Ferry relies on, such as RecordDate for change detection. */
export const requiredDate = raw.transform((v, ctx) => {
  const iso = parseIdoDate(v);
  if (iso === null) {
    ctx.addIssue({ code: 'custom', message: 'must be a date' });
    return z.NEVER;
  }
  return iso;
});

/** A calendar date yyyy-mm-dd as the IDO date value of its midnight. */
export const idoDay = (day: string): string => `${day.replace(/-/g, '')} 00:00:00.000`;
