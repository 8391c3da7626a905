import crypto from 'node:crypto';
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

// Each event's hash covers its own fields and the previous event's hash, so editing a row, or removing one
// that has successors, breaks the chain (and the triggers in migrations.ts refuse UPDATE and DELETE outright).
// Cutting rows off the end is not visible from the chain alone; anchoring its head outside the database is
// part of `ferry audit verify` (sync-engine issue).
const hashedFields = (e: Record<string, unknown>): string =>
  JSON.stringify([
    e.at, e.run_id, e.flow, e.record_type, e.source_system, e.source_key, e.target_system, e.target_key,
    e.action, e.outcome, e.target_status, e.reason, e.capture, e.prev_hash,
  ]);

const sha256 = (s: string): string => crypto.createHash('sha256').update(s).digest('hex');

export function appendAudit(db: Db, input: AuditInput): number {
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
  const hash = sha256(hashedFields(row));
  const info = db
    .prepare(
      `INSERT INTO audit_events (at, run_id, flow, record_type, source_system, source_key, target_system, target_key,
         action, outcome, target_status, reason, capture, prev_hash, hash)
       VALUES (@at, @run_id, @flow, @record_type, @source_system, @source_key, @target_system, @target_key,
         @action, @outcome, @target_status, @reason, @capture, @prev_hash, @hash)`,
    )
    .run({ ...row, hash });
  return Number(info.lastInsertRowid);
}

export function listAudit(db: Db, opts: { limit: number; flow?: string | undefined }): AuditEvent[] {
  const where = opts.flow ? 'WHERE flow = @flow' : '';
  return db
    .prepare(
      `SELECT id, at, run_id AS runId, flow, record_type AS recordType, source_key AS sourceKey, target_key AS targetKey,
              action, outcome, target_status AS targetStatus, reason
       FROM audit_events ${where} ORDER BY id DESC LIMIT @limit`,
    )
    .all({ limit: opts.limit, flow: opts.flow }) as AuditEvent[];
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  firstBadId: number | null;
}

export function verifyAudit(db: Db): AuditVerification {
  let prevHash: string | null = null;
  let checked = 0;
  for (const row of db.prepare('SELECT * FROM audit_events ORDER BY id').iterate() as Iterable<Record<string, unknown>>) {
    if (row.prev_hash !== prevHash || sha256(hashedFields(row)) !== row.hash) {
      return { ok: false, checked, firstBadId: row.id as number };
    }
    prevHash = row.hash as string;
    checked++;
  }
  return { ok: true, checked, firstBadId: null };
}
