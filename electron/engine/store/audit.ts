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
  runId?: string | undefined;
  /** Only events with a smaller id: paging back through the trail. */
  beforeId?: number | undefined;
}

const likePattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

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
    params.search = likePattern(f.search);
  }
  if (f.runId !== undefined) {
    terms.push('run_id = @runId');
    params.runId = f.runId;
  }
  if (f.beforeId !== undefined) {
    terms.push('id < @beforeId');
    params.beforeId = f.beforeId;
  }
  return { sql: terms.length > 0 ? `WHERE ${terms.join(' AND ')}` : '', params };
}

/** The matching events, newest first. */
export function listAudit(db: Db, opts: AuditFilters & { limit: number }): AuditEvent[] {
  const { limit, ...filters } = opts;
  const where = auditWhere(filters);
  return db
    .prepare(
      `SELECT id, at, run_id AS runId, flow, record_type AS recordType, source_key AS sourceKey, target_key AS targetKey,
              action, outcome, target_status AS targetStatus, reason
       FROM audit_events ${where.sql} ORDER BY id DESC LIMIT @limit`,
    )
    .all({ ...where.params, limit }) as AuditEvent[];
}
