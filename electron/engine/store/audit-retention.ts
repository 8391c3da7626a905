import { z } from 'zod';
import { FerryError } from '../../../shared/errors';
import { AUDIT_ANCHOR_KEY, AUDIT_PURGING_KEY, AuditAnchor, appendAudit } from './audit';
import { verifyAudit } from './audit-verify';
import { afterRetention } from './audit-verify-point';
import type { Db } from './db';
import { getSetting, setSetting } from './settings';

// Retention is the only way events leave the audit trail. Finance records are commonly kept 7 years; the
// minimum keeps a careless setting from wiping last month's evidence.

export const RETENTION_KEY = 'audit.retentionDays';
export const DEFAULT_RETENTION_DAYS = 2555;
export const MIN_RETENTION_DAYS = 30;
export const MAX_RETENTION_DAYS = 36_500;
const DAY_MS = 86_400_000;

const RetentionDays = z.number().int().min(MIN_RETENTION_DAYS).max(MAX_RETENTION_DAYS);

export function auditRetentionDays(db: Db): number {
  return getSetting(db, RETENTION_KEY, RetentionDays, DEFAULT_RETENTION_DAYS);
}

export function setAuditRetentionDays(db: Db, days: number): number {
  if (!RetentionDays.safeParse(days).success) {
    throw new FerryError(
      'invalid_input',
      `Audit events must be kept for a whole number of days from ${MIN_RETENTION_DAYS} to ${MAX_RETENTION_DAYS} (the default, ${DEFAULT_RETENTION_DAYS}, is about 7 years).`,
    );
  }
  return setSetting(db, RETENTION_KEY, RetentionDays, days);
}

export interface PurgeResult {
  deleted: number;
  /** Events recorded before this instant were due for removal. */
  cutoff: string;
  retentionDays: number;
  /** The retention event that records the purge (null when nothing was due). */
  eventId: number | null;
  anchor: AuditAnchor | null;
}

/**
 * Removes the events older than the retention, in one transaction: set the purge marker (the only state in which
 * the delete trigger lets rows go), record the purge as an audit event, delete, write the new chain start
 * (settings 'audit.anchor'), clear the marker. Rows go by id, oldest first, so the kept trail stays one
 * unbroken chain. A trail that fails verification is left alone: its old events may be the evidence.
 */
export function purgeAudit(db: Db, now: Date = new Date()): PurgeResult {
  const retentionDays = auditRetentionDays(db);
  const cutoff = new Date(now.getTime() - retentionDays * DAY_MS).toISOString();
  return db.transaction((): PurgeResult => {
    const keepFrom = (db.prepare('SELECT min(id) AS id FROM audit_events WHERE at >= ?').get(cutoff) as { id: number | null }).id;
    const due = db
      .prepare(`SELECT count(*) AS n, min(id) AS first, max(id) AS last FROM audit_events ${keepFrom === null ? '' : 'WHERE id < @keepFrom'}`)
      .get(keepFrom === null ? {} : { keepFrom }) as { n: number; first: number | null; last: number | null };
    const current = getSetting<AuditAnchor | null>(db, AUDIT_ANCHOR_KEY, AuditAnchor.nullable(), null);
    if (due.n === 0) return { deleted: 0, cutoff, retentionDays, eventId: null, anchor: current };

    const check = verifyAudit(db);
    if (!check.ok) {
      throw new FerryError('audit_broken', `Ferry will not remove old audit events while the trail fails verification. ${check.message}`);
    }

    db.prepare('INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)').run(AUDIT_PURGING_KEY, JSON.stringify(now.toISOString()));
    // Recorded first, so it chains onto the newest event; it is never itself removed (ids below it only).
    const eventId = appendAudit(db, {
      runId: null,
      flow: 'audit',
      recordType: 'audit-event',
      sourceSystem: 'ferry',
      sourceKey: `#${due.first}–#${due.last}`,
      action: 'retention',
      outcome: 'ok',
      reason: `Removed ${due.n} audit event${due.n === 1 ? '' : 's'} recorded before ${cutoff} (kept for ${retentionDays} days).`,
    });
    const deleted = db.prepare('DELETE FROM audit_events WHERE id < ?').run(keepFrom ?? eventId).changes;
    const first = db.prepare('SELECT id, prev_hash FROM audit_events ORDER BY id LIMIT 1').get() as { id: number; prev_hash: string | null };
    const retention = db.prepare('SELECT hash FROM audit_events WHERE id = ?').get(eventId) as { hash: string };
    const anchor = setSetting(db, AUDIT_ANCHOR_KEY, AuditAnchor, { id: first.id, prevHash: first.prev_hash, retentionHash: retention.hash });
    // The check above remembered where it got to; that point may now be gone, or stand for fewer events.
    afterRetention(db, first.id, deleted);
    db.prepare('DELETE FROM settings WHERE key = ?').run(AUDIT_PURGING_KEY);
    return { deleted, cutoff, retentionDays, eventId, anchor };
  }).immediate();
}
