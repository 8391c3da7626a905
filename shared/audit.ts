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
  /**
   * 'full': every kept event was hashed now (`checked` of them); 'resumed': only the events after the point the
   * last passing check reached (`resumedAfter`), which was confirmed unchanged. Absent from older engines.
   */
  scope: z.enum(['full', 'resumed']).optional(),
  /** For a resumed check: the event it continued after, when a check found it intact, and how many events up to it were checked by then. */
  resumedAfter: z.object({ id: z.number().int().positive(), verifiedAt: z.string(), checked: z.number().int().nonnegative() }).optional(),
  /** For a resumed check: when one check last hashed every kept event (those before `resumedAfter` were not hashed now). */
  fullCheckAt: z.string().optional(),
});
export type AuditVerification = z.infer<typeof AuditVerification>;

/** How a search matches a record key: anywhere in it, or at its start (faster: it is answered from an index). */
export const auditSearchModes = ['contains', 'prefix'] as const;
export const AuditSearchMode = z.enum(auditSearchModes);

/** What the Activity screen adds to the filters to page and jump through a trail of millions of events. */
export const auditBrowseShape = {
  searchMode: AuditSearchMode.optional(),
  /** The cut of the trail being browsed: only events up to this id (the upToId of the first page). */
  upToId: z.number().int().positive().optional(),
  /** Skip this many matching events (after beforeId): a jump to a position, e.g. where the scrollbar was dropped. */
  offset: z.number().int().min(0).max(1_000_000_000).optional(),
  /** Also count every matching event (for the scrollbar). */
  withTotal: z.boolean().optional(),
};

/** Where a record of an audit event can be opened, or why Ferry cannot say. */
export const RecordLink = z.object({
  side: z.enum(['source', 'target']),
  system: z.string(),
  key: z.string(),
  /** A web address built from the connection's own address; null when none can be built. */
  url: z.string().nullable(),
  /** What the link opens, or why there is none and how to find the record instead. */
  note: z.string(),
});
export type RecordLink = z.infer<typeof RecordLink>;

export const auditExportFormats = ['csv', 'xlsx'] as const;
/** What the app downloads in one go; the command line (ferry audit export) has no limit. */
export const auditDownloadLimits = { rows: 100_000, bytes: 25 * 1024 * 1024 } as const;

export const AuditExportFile = z.object({
  fileName: z.string(),
  mimeType: z.string(),
  /** The file's bytes, base64. */
  base64: z.string(),
  rows: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
});
export type AuditExportFile = z.infer<typeof AuditExportFile>;
