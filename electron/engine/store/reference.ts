import { z } from 'zod';
import type { CostCenter, GlAccount, Project, Vendor } from '../../../shared/domain';
import type { Db } from './db';
import { getSetting, setSetting } from './settings';

// CloudSuite reference data kept locally (table reference_cache), so every mapping and every posting can be
// validated before anything is written, without asking CloudSuite once per record. A kind is always replaced
// whole in one transaction: a reader sees the old list or the new one, never half of either.

/**
 * A fiscal period. Read where the adapter can (`listPeriods`: Industrial's SLPeriods); there the refresh fills
 * this kind and the "period open" rule applies before every write. Where it cannot (M3 here), the rule is
 * skipped and CloudSuite's own refusal of a closed period becomes the failure.
 */
export interface AccountingPeriod {
  /** The fiscal year, e.g. 2026. */
  year: number;
  /** The period within the year, 1–13. */
  period: number;
  /** First and last calendar day of the period, yyyy-mm-dd. */
  startDate: string;
  endDate: string;
  open: boolean;
}

export interface ReferenceData {
  vendor: Vendor;
  'gl-account': GlAccount;
  'cost-center': CostCenter;
  project: Project;
  period: AccountingPeriod;
}

export const referenceKinds = ['vendor', 'gl-account', 'cost-center', 'project', 'period'] as const satisfies readonly (keyof ReferenceData)[];
export type ReferenceKind = (typeof referenceKinds)[number];

/** How a person names each list, for messages. */
export const referenceLabels: Record<ReferenceKind, string> = {
  vendor: 'vendors',
  'gl-account': 'GL accounts',
  'cost-center': 'cost centers',
  project: 'projects',
  period: 'fiscal periods',
};

export const periodKey = (p: Pick<AccountingPeriod, 'year' | 'period'>): string => `${p.year}-${String(p.period).padStart(2, '0')}`;

const keyOf: { [K in ReferenceKind]: (item: ReferenceData[K]) => string } = {
  vendor: (v) => v.number,
  'gl-account': (a) => a.number,
  'cost-center': (c) => c.code,
  project: (p) => p.number,
  period: periodKey,
};

/** When each kind was last replaced; kept beside the rows so an empty list still has a refresh time. */
const REFRESHED_SETTING = 'reference.refreshedAt';
const refreshedSchema = z.partialRecord(z.enum(referenceKinds), z.string());

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
