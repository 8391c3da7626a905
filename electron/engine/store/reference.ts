import { z } from 'zod';
import type { CostCenter, GlAccount, Project, Vendor } from '../../../shared/domain';
import type { Db } from './db';
import { getSetting, setSetting } from './settings';

// CloudSuite reference data kept locally (table reference_cache), so every mapping and every posting can be
// validated before anything is written, without asking CloudSuite once per record. A kind is always replaced
// whole in one transaction: a reader sees the old list or the new one, never half of either.

export interface ReferenceData {
  vendor: Vendor;
  'gl-account': GlAccount;
  'cost-center': CostCenter;
  project: Project;
}

// Fiscal periods are not cached: Ferry asks CloudSuite about the dates it posts on (mapping/periods.ts).
export const referenceKinds = ['vendor', 'gl-account', 'cost-center', 'project'] as const satisfies readonly (keyof ReferenceData)[];
export type ReferenceKind = (typeof referenceKinds)[number];

/** How a person names each list, for messages. */
export const referenceLabels: Record<ReferenceKind, string> = {
  vendor: 'vendors',
  'gl-account': 'GL accounts',
  'cost-center': 'cost centers',
  project: 'projects',
};

const keyOf: { [K in ReferenceKind]: (item: ReferenceData[K]) => string } = {
  vendor: (v) => v.number,
  'gl-account': (a) => a.number,
  'cost-center': (c) => c.code,
  project: (p) => p.number,
};

/** When each kind was last replaced; kept beside the rows so an empty list still has a refresh time. */
const REFRESHED_SETTING = 'reference.refreshedAt';
// A plain record: a profile may still hold the time of a kind Ferry no longer caches (fiscal periods).
const refreshedSchema = z.record(z.string(), z.string());

/**
 * Replaces every cached item of `kind` with `items` in one transaction and records the refresh time.
 * Returns how many items the kind now holds. A duplicate key in `items` (CloudSuite never sends one) keeps the last.
 */
export function replaceReference<K extends ReferenceKind>(db: Db, kind: K, items: readonly ReferenceData[K][], at: Date = new Date()): number {
  const refreshedAt = at.toISOString();
  const insert = db.prepare('INSERT OR REPLACE INTO reference_cache (kind, key, data, refreshed_at) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    db.prepare('DELETE FROM reference_cache WHERE kind = ?').run(kind);
    for (const item of items) insert.run(kind, keyOf[kind](item), JSON.stringify(item), refreshedAt);
    const all = getSetting(db, REFRESHED_SETTING, refreshedSchema, {});
    setSetting(db, REFRESHED_SETTING, refreshedSchema, { ...all, [kind]: refreshedAt });
  })();
  return countReference(db, kind);
}

/** Every cached item of a kind, by key. Empty when the kind was never refreshed (see `referenceAge`). */
export function getReference<K extends ReferenceKind>(db: Db, kind: K): ReferenceData[K][] {
  const rows = db.prepare('SELECT data FROM reference_cache WHERE kind = ? ORDER BY key').all(kind) as { data: string }[];
  return rows.map((r) => JSON.parse(r.data) as ReferenceData[K]);
}

/** One cached item, or null when the list (as last read) does not have it. */
export function lookup<K extends ReferenceKind>(db: Db, kind: K, key: string): ReferenceData[K] | null {
  const row = db.prepare('SELECT data FROM reference_cache WHERE kind = ? AND key = ?').get(kind, key) as { data: string } | undefined;
  return row ? (JSON.parse(row.data) as ReferenceData[K]) : null;
}

export function countReference(db: Db, kind: ReferenceKind): number {
  return (db.prepare('SELECT count(*) AS n FROM reference_cache WHERE kind = ?').get(kind) as { n: number }).n;
}

export interface ReferenceAge {
  refreshedAt: string;
  ageMs: number;
  count: number;
}

/** When the kind was last read from CloudSuite and how long ago; null when it never was. */
export function referenceAge(db: Db, kind: ReferenceKind, now: Date = new Date()): ReferenceAge | null {
  const refreshedAt = getSetting(db, REFRESHED_SETTING, refreshedSchema, {})[kind] ?? null;
  if (!refreshedAt) return null;
  return { refreshedAt, ageMs: Math.max(0, now.getTime() - Date.parse(refreshedAt)), count: countReference(db, kind) };
}
