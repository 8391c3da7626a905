import { z } from 'zod';

// What the audit trail's filters and its verification look like on both sides of the API (and on the
// command line). Times are UTC, as the trail stores them.

export const auditOutcomes = ['ok', 'failed', 'skipped'] as const;
export const AuditOutcome = z.enum(auditOutcomes);

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const DAY_MS = 86_400_000;

function validCalendar(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): boolean {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

/**
 * A date or time as a person types it, as the ISO instant the trail compares with. A bare date is a whole
 * UTC day: from its start for `since`, up to its end for `until` (so "--until 2026-11-20" includes that
 * day). A time without a zone is UTC, like the times Ferry shows. Returns null for anything else.
 */
export function parseAuditTime(text: string, edge: 'since' | 'until'): string | null {
  const value = text.trim();
  const day = DATE.exec(value);
  if (day) {
    const [y, mo, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
    if (!validCalendar(y, mo, d)) return null;
    return new Date(Date.UTC(y, mo - 1, d) + (edge === 'until' ? DAY_MS : 0)).toISOString();
  }
  const t = DATE_TIME.exec(value);
  if (!t) return null;
  if (!validCalendar(Number(t[1]), Number(t[2]), Number(t[3]), Number(t[4]), Number(t[5]), Number(t[6] ?? 0))) return null;
  const zone = (t[8] ?? 'Z').toUpperCase().replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(`${t[1]}-${t[2]}-${t[3]}T${t[4]}:${t[5]}:${t[6] ?? '00'}${(t[7] ?? '').slice(0, 4)}${zone}`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

export const auditTimeHint = 'use a date like 2026-11-20 or a UTC time like 2026-11-20T08:30Z';

const AuditTime = (edge: 'since' | 'until') =>
  z
    .string()
    .max(40)
    .transform((v, ctx) => {
      const iso = parseAuditTime(v, edge);
      if (iso === null) {
        ctx.addIssue({ code: 'custom', message: `"${v}" is not a date Ferry understands; ${auditTimeHint}` });
        return z.NEVER;
      }
      return iso;
    });

/** The filters of the audit trail, as fields to spread into an API input object. */
export const auditFilterShape = {
  outcome: AuditOutcome.optional(),
  since: AuditTime('since').optional(),
  until: AuditTime('until').optional(),
  /** Part of a record key: the source key (PO number, …) or the target's reference. */
  search: z.string().trim().min(1).max(200).optional(),
  runId: z.string().min(1).max(80).optional(),
  /** Paging: only events older than this id (pass the last id of the previous page). */
  beforeId: z.number().int().positive().optional(),
};

export const sinceBeforeUntil = (f: { since?: string | undefined; until?: string | undefined }): boolean =>
  f.since === undefined || f.until === undefined || f.since < f.until;

export const AuditVerification = z.object({
  ok: z.boolean(),
  checked: z.number().int().nonnegative(),
  firstBadId: z.number().int().nullable(),
  problem: z.enum(['edited', 'missing', 'truncated']).nullable(),
  message: z.string(),
});
export type AuditVerification = z.infer<typeof AuditVerification>;
