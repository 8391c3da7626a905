import { z } from 'zod';
import type { Db } from './db';
import { getSetting, setSetting } from './settings';

// Where the last passing verification got to. Hashing a million events takes seconds, and the Activity screen
// checks on every visit: the next check confirms this event is still there with the same hash and walks only the
// events after it. Kept in the profile (not in the app), so a full `ferry audit verify` counts for the app too.

export const AUDIT_VERIFIED_KEY = 'audit.verified';

export const VerifiedPoint = z.object({
  /** The newest event the check reached, and its hash as the check found it. */
  id: z.number().int().positive(),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  verifiedAt: z.iso.datetime(),
  /** Events from the start of the kept trail up to and including `id`, all checked (by this check or earlier ones). */
  checked: z.number().int().positive(),
  /** When one check last hashed every kept event up to then; checks that resume carry it on. */
  fullCheckAt: z.iso.datetime(),
});
export type VerifiedPoint = z.infer<typeof VerifiedPoint>;

/** The remembered point, or null (none yet, or a stored value that no longer parses: then the check is full). */
export function verifiedPoint(db: Db): VerifiedPoint | null {
  return getSetting<VerifiedPoint | null>(db, AUDIT_VERIFIED_KEY, VerifiedPoint.nullable(), null);
}

/** The stored value as text, to tell whether another check settled while this one was walking. */
export function verifiedPointText(db: Db): string | null {
  return (db.prepare('SELECT value FROM settings WHERE key = ?').get(AUDIT_VERIFIED_KEY) as { value: string } | undefined)?.value ?? null;
}

export function rememberVerified(db: Db, point: VerifiedPoint): void {
  setSetting(db, AUDIT_VERIFIED_KEY, VerifiedPoint, point);
}

export function forgetVerified(db: Db): void {
  db.prepare('DELETE FROM settings WHERE key = ?').run(AUDIT_VERIFIED_KEY);
}

/**
 * Retention removed the events below `keptFrom`: a point among them is gone (the next check is full, from the
 * new start), a point above them now stands for fewer events.
 */
export function afterRetention(db: Db, keptFrom: number, deleted: number): void {
  const point = verifiedPoint(db);
  if (point === null) return;
  if (point.id < keptFrom || point.checked <= deleted) forgetVerified(db);
  else rememberVerified(db, { ...point, checked: point.checked - deleted });
}
