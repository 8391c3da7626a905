import crypto from 'node:crypto';
import { z } from 'zod';
import type { AuditEvent } from '../../../shared/api';
import type { Db } from './db';

export interface AuditInput {
  runId: string | null;
  flow: string;
  recordType: string;
  sourceSystem: string;
  sourceKey: string;
  targetSystem?: string | null;
  targetKey?: string | null;
  action: string;
  outcome: AuditEvent['outcome'];
  targetStatus?: string | null;
  reason?: string | null;
  /** Already redacted (http/redact.ts): it is stored as given. */
  capture?: unknown;
}

/** One stored row, as the hash covers it. */
export interface AuditRow {
  id: number;
  at: string;
  run_id: string | null;
  flow: string;
  record_type: string;
  source_system: string;
  source_key: string;
  target_system: string | null;
  target_key: string | null;
  action: string;
  outcome: string;
  target_status: string | null;
  reason: string | null;
  capture: string | null;
  prev_hash: string | null;
  hash: string;
}

// Each event's hash covers its own fields and the previous event's hash, so editing a row, or removing one
// that has successors, breaks the chain (and the triggers in migrations.ts refuse UPDATE and DELETE outright).
// Cutting rows off the end is not visible from the chain alone: each finished run records the hash of its last
// event (runs.audit_head), and audit-verify.ts checks those are still there.
const hashedFields = (e: Omit<AuditRow, 'id' | 'hash'>): string =>
  JSON.stringify([
    e.at, e.run_id, e.flow, e.record_type, e.source_system, e.source_key, e.target_system, e.target_key,
    e.action, e.outcome, e.target_status, e.reason, e.capture, e.prev_hash,
  ]);

export const auditRowHash = (row: Omit<AuditRow, 'id' | 'hash'>): string =>
  crypto.createHash('sha256').update(hashedFields(row)).digest('hex');

/**
 * Where the retained chain starts once retention has removed older events: the first kept event and the hash
 * it must point back to, plus the hash of the retention event that removed them (so cutting the trail back
 * past the last purge is noticed too).
 */
export const AuditAnchor = z.object({
  id: z.number().int().positive(),
  prevHash: z.string().nullable(),
  retentionHash: z.string().optional(),
});
export type AuditAnchor = z.infer<typeof AuditAnchor>;

export const AUDIT_ANCHOR_KEY = 'audit.anchor';
/** While this settings key exists, the delete trigger lets rows go (store/audit-retention.ts, one transaction). */
export const AUDIT_PURGING_KEY = 'audit.purging';

export function appendAudit(db: Db, input: AuditInput): number {
  // Read the previous hash and insert under one write lock, so two processes on the same profile (the desktop
  // app and a scheduled `ferry sync`) cannot both chain onto the same event.
  return db.transaction(() => {
    const prev = db.prepare('SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1').get() as { hash: string } | undefined;
    const row = {
      at: new Date().toISOString(),
      run_id: input.runId,
      flow: input.flow,
      record_type: input.recordType,
      source_system: input.sourceSystem,
      source_key: input.sourceKey,
      target_system: input.targetSystem ?? null,
      target_key: input.targetKey ?? null,
      action: input.action,
      outcome: input.outcome,
      target_status: input.targetStatus ?? null,
      reason: input.reason ?? null,
      capture: input.capture === undefined ? null : JSON.stringify(input.capture),
      prev_hash: prev?.hash ?? null,
    };
    const info = db
      .prepare(
        `INSERT INTO audit_events (at, run_id, flow, record_type, source_system, source_key, target_system, target_key,
           action, outcome, target_status, reason, capture, prev_hash, hash)
         VALUES (@at, @run_id, @flow, @record_type, @source_system, @source_key, @target_system, @target_key,
           @action, @outcome, @target_status, @reason, @capture, @prev_hash, @hash)`,
      )
      .run({ ...row, hash: auditRowHash(row) });
    return Number(info.lastInsertRowid);
  }).immediate();
}

/**
 * Records the hash of the run's last audit event on the run (null when it wrote none). Called once the run
 * has finished; the scan starts at the first event written since the run started, not at the oldest.
 */
export function setRunAuditHead(db: Db, runId: string): string | null {
  const head = db
    .prepare(
      `SELECT hash FROM audit_events
       WHERE id >= (SELECT min(id) FROM audit_events WHERE at >= (SELECT started_at FROM runs WHERE id = @runId))
         AND run_id = @runId
       ORDER BY id DESC LIMIT 1`,
    )
    .get({ runId }) as { hash: string } | undefined;
  db.prepare('UPDATE runs SET audit_head = ? WHERE id = ?').run(head?.hash ?? null, runId);
  return head?.hash ?? null;
}

/** How a search matches a record key: anywhere in it (the default) or at its start (answered from an index). */
export type AuditSearchMode = 'contains' | 'prefix';

/** Which events to show or export. Times are ISO instants (shared/audit.ts parses what people type). */
export interface AuditFilters {
  flow?: string | undefined;
  outcome?: AuditEvent['outcome'] | undefined;
  /** From this instant on (inclusive). */
  since?: string | undefined;
  /** Before this instant (exclusive). */
  until?: string | undefined;
  /** Part of the source key or the target key, case-insensitive. */
  search?: string | undefined;
  searchMode?: AuditSearchMode | undefined;
  runId?: string | undefined;
  /** Only events with a smaller id: paging back through the trail. */
  beforeId?: number | undefined;
  /** Only events up to this id: one fixed cut of the trail while a person pages and jumps through it. */
  upToId?: number | undefined;
}

const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);
const likePattern = (text: string, mode: AuditSearchMode = 'contains'): string => (mode === 'prefix' ? `${escapeLike(text)}%` : `%${escapeLike(text)}%`);

/** The WHERE clause for the filters, with only the parameters it uses (better-sqlite3 rejects missing ones). */
export function auditWhere(f: AuditFilters): { sql: string; params: Record<string, string | number> } {
  const terms: string[] = [];
  const params: Record<string, string | number> = {};
  if (f.flow !== undefined) {
    terms.push('flow = @flow');
    params.flow = f.flow;
  }
  if (f.outcome !== undefined) {
    terms.push('outcome = @outcome');
    params.outcome = f.outcome;
  }
  if (f.since !== undefined) {
    terms.push('at >= @since');
    params.since = f.since;
  }
  if (f.until !== undefined) {
    terms.push('at < @until');
    params.until = f.until;
  }
  if (f.search !== undefined) {
    terms.push(`(source_key LIKE @search ESCAPE '\\' OR target_key LIKE @search ESCAPE '\\')`);
    params.search = likePattern(f.search, f.searchMode);
  }
  if (f.runId !== undefined) {
    terms.push('run_id = @runId');
    params.runId = f.runId;
  }
  if (f.beforeId !== undefined) {
    terms.push('id < @beforeId');
    params.beforeId = f.beforeId;
  }
  if (f.upToId !== undefined) {
    terms.push('id <= @upToId');
    params.upToId = f.upToId;
  }
  return { sql: terms.length > 0 ? `WHERE ${terms.join(' AND ')}` : '', params };
}

/**
 * A query over the trail that an index answers, newest first, without reading the events themselves (they carry
 * the captured exchanges, so a scan of the table reads every capture: seconds at a million events). Migration 4
 * made the indexes; EXPLAIN QUERY PLAN of each shape is checked in test/unit/audit-browse.test.ts.
 *
 * - "starts with" search: the two NOCASE key indexes (an OR of two range searches); the other terms are written
 *   `+column` so SQLite does not pick a less selective index instead.
 * - a flow, status or run without a "contains" search: audit_flow_outcome_id, audit_outcome_id, audit_flow_id or
 *   audit_run_id, in id order.
 * - anything else (a "contains" search, a time range, nothing): audit_browse, the trail in id order with every
 *   filtered column, read from the newest end until the page is full.
 *
 * A time range becomes an id range first (from the `at` index): the scan starts and stops at its ends, and when
 * every event between those ids lies in the range (always, unless the clock went back) the times need no check.
 */
export interface AuditPlan {
  from: string;
  where: string;
  params: Record<string, string | number>;
  /** The time range holds no event: nothing matches. */
  empty: boolean;
  /** Counted while planning: the matches of a time range alone. */
  rangeCount: number | null;
  /** How to name the id in a further term (`+id` where it must not pick the index). */
  id: 'id' | '+id';
}

export function planAuditQuery(db: Db, f: AuditFilters): AuditPlan {
  const prefix = f.search !== undefined && f.searchMode === 'prefix';
  const contains = f.search !== undefined && !prefix;
  const byIndexedColumn = f.flow !== undefined || f.outcome !== undefined || f.runId !== undefined;
  const browse = contains || (!prefix && !byIndexedColumn);
  // In a prefix search only the key terms may pick the index.
  const col = (name: string) => (prefix ? `+${name}` : name);
  const terms: string[] = [];
  const params: Record<string, string | number> = {};
  let rangeCount: number | null = null;

  if (f.since !== undefined || f.until !== undefined) {
    const timeTerms = [f.since !== undefined ? 'at >= @since' : null, f.until !== undefined ? 'at < @until' : null, f.upToId !== undefined ? 'id <= @upToId' : null].filter(Boolean);
    const timeParams = { ...(f.since !== undefined && { since: f.since }), ...(f.until !== undefined && { until: f.until }), ...(f.upToId !== undefined && { upToId: f.upToId }) };
    const range = db
      .prepare(`SELECT min(id) AS lo, max(id) AS hi, count(*) AS n FROM audit_events INDEXED BY audit_at WHERE ${timeTerms.join(' AND ')}`)
      .get(timeParams) as { lo: number | null; hi: number | null; n: number };
    if (range.lo === null || range.hi === null) return { from: 'audit_events', where: 'WHERE 0', params: {}, empty: true, rangeCount: 0, id: 'id' };
    terms.push(`${col('id')} >= @rangeLo`, `${col('id')} <= @rangeHi`);
    params.rangeLo = range.lo;
    params.rangeHi = range.hi;
    // Ids are handed out one by one, so when the range holds as many events as there are ids between its ends,
    // those ids are exactly the range.
    if (range.n !== range.hi - range.lo + 1) {
      if (f.since !== undefined) {
        terms.push(`${col('at')} >= @since`);
        params.since = f.since;
      }
      if (f.until !== undefined) {
        terms.push(`${col('at')} < @until`);
        params.until = f.until;
      }
    }
    rangeCount = range.n;
  }
  if (f.flow !== undefined) {
    terms.push(`${col('flow')} = @flow`);
    params.flow = f.flow;
  }
  if (f.outcome !== undefined) {
    terms.push(`${col('outcome')} = @outcome`);
    params.outcome = f.outcome;
  }
  if (f.runId !== undefined) {
    terms.push(`${col('run_id')} = @runId`);
    params.runId = f.runId;
  }
  if (f.search !== undefined) {
    terms.push(`(source_key LIKE @search ESCAPE '\\' OR target_key LIKE @search ESCAPE '\\')`);
    params.search = likePattern(f.search, f.searchMode);
  }
  if (f.beforeId !== undefined) {
    terms.push(`${col('id')} < @beforeId`);
    params.beforeId = f.beforeId;
  }
  if (f.upToId !== undefined) {
    terms.push(`${col('id')} <= @upToId`);
    params.upToId = f.upToId;
  }
  const onlyTime = rangeCount !== null && f.search === undefined && !byIndexedColumn;
  return {
    from: browse ? 'audit_events INDEXED BY audit_browse' : 'audit_events',
    where: terms.length > 0 ? `WHERE ${terms.join(' AND ')}` : '',
    params,
    empty: false,
    rangeCount: onlyTime ? rangeCount : null,
    id: prefix ? '+id' : 'id',
  };
}

const EVENT_COLUMNS = `id, at, run_id AS runId, flow, record_type AS recordType, source_system AS sourceSystem, source_key AS sourceKey,
  target_system AS targetSystem, target_key AS targetKey, action, outcome, target_status AS targetStatus, reason`;

export interface AuditPage {
  events: AuditEvent[];
  /** Pass as beforeId for the next page; null when this page reached the start of the trail. */
  nextBeforeId: number | null;
  /** The cut of the trail these pages come from (the newest id when it was first asked): pass it back. */
  upToId: number | null;
  /** How many events match (up to upToId), when asked for. */
  total?: number;
}

const maxAuditId = (db: Db): number | null => (db.prepare('SELECT max(id) AS id FROM audit_events').get() as { id: number | null }).id;

/**
 * One page of the matching events, newest first: `beforeId` pages on from the previous page (keyset), `offset`
 * jumps (an index is stepped through, not the events). With `withTotal`, the number of all matching events too.
 */
export function browseAudit(db: Db, opts: AuditFilters & { limit: number; offset?: number; withTotal?: boolean }): AuditPage {
  const { limit, withTotal = false, ...filters } = opts;
  let offset = opts.offset ?? 0;
  // One read snapshot: the cut, the page and the count agree even while a flow appends.
  return db.transaction((): AuditPage => {
    const upToId = filters.upToId ?? maxAuditId(db);
    if (upToId === null) return { events: [], nextBeforeId: null, upToId: null, ...(withTotal && { total: 0 }) };
    let beforeId = filters.beforeId;
    if (offset > 0 && !isFiltered(filters)) {
      // The whole trail without gaps (as verify expects it): the n-th newest event is simply id upToId - n.
      const lo = (db.prepare('SELECT min(id) AS id FROM audit_events').get() as { id: number | null }).id;
      if (lo !== null && countAudit(db, { upToId }, null) === upToId - lo + 1) {
        beforeId = Math.min(beforeId ?? upToId + 1, upToId + 1) - offset;
        offset = 0;
      }
    }
    const plan = planAuditQuery(db, { ...filters, beforeId, upToId });
    const events = plan.empty
      ? []
      : (db
          .prepare(
            `SELECT ${EVENT_COLUMNS} FROM audit_events
             WHERE id IN (SELECT id FROM ${plan.from} ${plan.where} ORDER BY id DESC LIMIT @limit OFFSET @offset)
             ORDER BY id DESC`,
          )
          .all({ ...plan.params, limit, offset }) as AuditEvent[]);
    const page: AuditPage = { events, nextBeforeId: events.length === limit ? events[events.length - 1]!.id : null, upToId };
    if (withTotal) page.total = countAudit(db, { ...filters, upToId }, beforeId === undefined && offset === 0 && events.length < limit ? events.length : null);
    return page;
  })();
}

const wholeCounts = new WeakMap<Db, { upToId: number; lo: number | null; n: number }>();

const isFiltered = (f: AuditFilters): boolean =>
  f.flow !== undefined || f.outcome !== undefined || f.since !== undefined || f.until !== undefined || f.search !== undefined || f.runId !== undefined;

/** How many events match the filters (up to upToId), whatever page is shown. */
function countAudit(db: Db, filters: AuditFilters, known: number | null): number {
  if (known !== null) return known;
  const f = { ...filters, beforeId: undefined };
  if (!isFiltered(f)) {
    // count(*) of a whole table reads its smallest index (tens of ms at a million); the few events after the cut
    // are taken off. A cut keeps its count until retention removes events (the oldest id moves).
    const lo = (db.prepare('SELECT min(id) AS id FROM audit_events').get() as { id: number | null }).id;
    const cached = wholeCounts.get(db);
    if (f.upToId !== undefined && cached && cached.upToId === f.upToId && cached.lo === lo) return cached.n;
    const all = (db.prepare('SELECT count(*) AS n FROM audit_events').get() as { n: number }).n;
    const after = f.upToId === undefined ? 0 : (db.prepare('SELECT count(*) AS n FROM audit_events WHERE id > ?').get(f.upToId) as { n: number }).n;
    if (f.upToId !== undefined) wholeCounts.set(db, { upToId: f.upToId, lo, n: all - after });
    return all - after;
  }
  const plan = planAuditQuery(db, f);
  if (plan.empty) return 0;
  if (plan.rangeCount !== null) return plan.rangeCount;
  return (db.prepare(`SELECT count(*) AS n FROM ${plan.from} ${plan.where}`).get(plan.params) as { n: number }).n;
}

/** The matching events, newest first. */
export function listAudit(db: Db, opts: AuditFilters & { limit: number }): AuditEvent[] {
  return browseAudit(db, opts).events;
}

/** Every event of one record (its source system and key) across runs, newest first. */
export function recordTimeline(
  db: Db,
  opts: { sourceSystem: string; sourceKey: string; limit: number; beforeId?: number | undefined },
): { events: AuditEvent[]; total: number; nextBeforeId: number | null } {
  return db.transaction(() => {
    const params = { system: opts.sourceSystem, key: opts.sourceKey, limit: opts.limit, beforeId: opts.beforeId ?? Number.MAX_SAFE_INTEGER };
    const events = db
      .prepare(
        `SELECT ${EVENT_COLUMNS} FROM audit_events INDEXED BY audit_source
         WHERE source_system = @system AND source_key = @key AND id < @beforeId ORDER BY id DESC LIMIT @limit`,
      )
      .all(params) as AuditEvent[];
    const total = (db.prepare('SELECT count(*) AS n FROM audit_events INDEXED BY audit_source WHERE source_system = ? AND source_key = ?').get(opts.sourceSystem, opts.sourceKey) as { n: number }).n;
    return { events, total, nextBeforeId: events.length === opts.limit ? events[events.length - 1]!.id : null };
  })();
}

/** One event as stored, with its capture read back (it was redacted before it was written). */
export function getAuditEvent(db: Db, id: number): (AuditEvent & { capture: unknown; hash: string; prevHash: string | null }) | null {
  const row = db.prepare(`SELECT ${EVENT_COLUMNS}, capture, hash, prev_hash AS prevHash FROM audit_events WHERE id = ?`).get(id) as
    | (AuditEvent & { capture: string | null; hash: string; prevHash: string | null })
    | undefined;
  if (!row) return null;
  let capture: unknown = null;
  if (row.capture !== null) {
    try {
      capture = JSON.parse(row.capture) as unknown;
    } catch {
      capture = row.capture;
    }
  }
  return { ...row, capture };
}
